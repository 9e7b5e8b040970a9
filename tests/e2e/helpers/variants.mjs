// Fixture pages per catalog entry and per label of its history: the fixture's own label text
// replaced by each other label (and <html lang> by its language), so every wording a vendor has
// shown, in every language, is read on today's markup. Shared by the Chromium and Firefox suites.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { REPO } from './browser.mjs';
import { matchesPattern } from '../../../extension/shared/catalog.js';

const CATALOG = join(REPO, 'extension/catalog');
export const PAGES = join(REPO, 'tests/fixtures/pages');

const escapeHtml = (text) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Every readable catalog entry with its fixture: [{platform, setting, key, fixture}]. */
export function readableEntries() {
  const index = JSON.parse(readFileSync(join(CATALOG, 'index.json'), 'utf8'));
  const fixtures = new Set(readdirSync(PAGES));
  return index.platforms
    .map((file) => JSON.parse(readFileSync(join(CATALOG, file), 'utf8')))
    .flatMap((platform) => platform.settings.filter((s) => s.detect).map((setting) => ({ platform, setting })))
    .filter(({ platform, setting }) => fixtures.has(`${platform.platform}-${setting.id}.html`))
    .map(({ platform, setting }) => {
      // Where the main fixture is an app other suites drive (LinkedIn's), today's page is NAME.2026.html.
      const name = `${platform.platform}-${setting.id}`;
      const file = fixtures.has(`${name}.2026.html`) ? `${name}.2026.html` : `${name}.html`;
      return { platform, setting, key: `${platform.platform}/${setting.id}`, fixture: readFileSync(join(PAGES, file), 'utf8') };
    });
}

/** The address a fixture is served at: its own declaration, else the opt-out page or a page pattern. */
export function addressOf(setting, html) {
  const declared = /<meta name="optguard-fixture-url" content="([^"]+)">/.exec(html)?.[1];
  if (declared) {
    return declared;
  }
  if (setting.pages.some((p) => matchesPattern(p, setting.opt_out_url))) {
    return setting.opt_out_url;
  }
  return setting.pages[0].replace('://*.', '://someone.').replaceAll('*', '');
}

/**
 * The fixture once per label of the history: [{label, html, url}], or [] when the fixture shows no
 * catalog label (a declared rule reads it).
 */
export function labelVariants({ setting, fixture }) {
  let shown = null;
  for (const label of setting.detect.labels) {
    shown ??= [label.text, escapeHtml(label.text)].find((form) => fixture.includes(form)) ?? null;
  }
  if (!shown) {
    return [];
  }
  return setting.detect.labels.map((label) => {
    const html = fixture.replaceAll(shown, escapeHtml(label.text)).replace(/<html lang="[^"]*"/, `<html lang="${label.lang}"`);
    return { label, html, url: addressOf(setting, html) };
  });
}

/**
 * LinkedIn's fixture app as a member whose LinkedIn is in `lang` sees it: the generative-AI
 * toggle's English label replaced by the catalog's label in that language, <html lang> too.
 * @returns {{html: string, label: string, setting: object}}
 */
export function linkedinIn(lang) {
  const linkedin = JSON.parse(readFileSync(join(CATALOG, 'linkedin.json'), 'utf8'));
  const setting = linkedin.settings.find((s) => s.id === 'generative-ai-training');
  const label = setting.detect.labels.find((l) => l.lang === lang).text;
  const english = setting.detect.labels.find((l) => l.lang === 'en').text;
  const html = readFileSync(join(PAGES, 'linkedin-generative-ai-training.html'), 'utf8')
    .replaceAll(english, escapeHtml(label)).replace(/<html lang="[^"]*"/, `<html lang="${lang}"`);
  return { html, label, setting };
}
