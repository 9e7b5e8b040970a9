// Shared by the policy-notice suites (Chromium and Firefox): the LinkedIn privacy policy fixture
// with its date line moved to a given day, and a verification made older in the host's store, as
// if the member had checked the setting days ago (the host stamps reports with its own clock).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { REPO } from './browser.mjs';
import { editHostDatabase, sqlText } from './host-database.mjs';

export const POLICY_PAGE = 'https://www.linkedin.com/legal/privacy-policy';
const FIXTURE = join(REPO, 'tests/fixtures/pages/policies/linkedin-privacy-policy-2024.html');
const DAY_MS = 24 * 3600 * 1000;

/** YYYY-MM-DD of `days` days before now (UTC). */
export const daysAgo = (days) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);

/** The fixture with "Effective <date>" written as LinkedIn writes it ("Effective September 18, 2024"). */
export async function policyPageDated(date) {
  const written = new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  const html = await readFile(FIXTURE, 'utf8');
  if (!html.includes('Effective September 18, 2024')) {
    throw new Error('the fixture lost its date line');
  }
  return html.replace('Effective September 18, 2024', `Effective ${written}`);
}

/** Moves every stored report of `platform` back by `days` days (the host keeps running). */
export const ageReports = (stateHome, platform, days) => editHostDatabase(stateHome,
  `UPDATE observations SET observed_at = observed_at - ${Math.trunc(days * DAY_MS)} WHERE platform = ${sqlText(platform)}`);
