// Policy notices in Firefox ESR with the real host: the same scenario as policy-notice.e2e.test.mjs
// (Chromium). LinkedIn's setting was checked three days ago; opening LinkedIn's privacy policy page
// (the Open Terms Archive-based fixture, its date line moved to yesterday) makes it due: in the host
// (`optguard due`), the default badge and the popup, with the reason in words.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';

import { AI_PAGE, HOST_BIN, REPO } from './helpers/browser.mjs';
import { FIREFOX, FIREFOX_POPUP, launchFirefox, openExtensionPage } from './helpers/firefox.mjs';
import { eventually, hostRowsSince, mark } from './helpers/wait.mjs';
import { ageReports, daysAgo, policyPageDated } from './helpers/policy.mjs';

const run = promisify(execFile);
const KEY = 'linkedin/generative-ai-training';
const APP = await readFile(join(REPO, 'tests/fixtures/pages/linkedin-generative-ai-training.html'), 'utf8');

async function hostDue(env) {
  const { stdout } = await run(HOST_BIN, ['due', '--json'], { env });
  return JSON.parse(stdout);
}
const rows = (env, since) => hostRowsSince(env.XDG_STATE_HOME, 'linkedin', 'generative-ai-training', since);

describe('Firefox ESR: a policy page with a newer date makes the platform due', {
  skip: (!existsSync(FIREFOX) && `no Firefox at ${FIREFOX}`)
    || (!process.env.OPTGUARD_HOST_BIN && !existsSync(HOST_BIN) && `no host binary at ${HOST_BIN} (build it first)`),
}, () => {
  let ff;
  let page;
  let popup;
  const changed = daysAgo(1);

  before(async () => {
    ff = await launchFirefox({ hostBin: HOST_BIN, systemAccess: true });
    const policy = await policyPageDated(changed);
    ff.proxy.serve(({ url }) => (url.startsWith('/legal/privacy-policy') ? policy : APP));
    popup = await openExtensionPage(ff.browser, FIREFOX_POPUP);
    await popup.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
    // Only this setting watched (as a person would choose on the options page).
    await popup.evaluate(async (key) => {
      const background = await browser.runtime.getBackgroundPage();
      const catalog = await background.optguard.ready;
      for (const platform of catalog.platforms) {
        for (const setting of platform.settings) {
          if (`${platform.platform}/${setting.id}` !== key) {
            await background.optguard.port.request('set_choice', { platform: platform.platform, setting: setting.id, watch: false });
          }
        }
      }
    }, KEY);
    // Checked: the fixture's toggle is ON, the person switches it off; then three days pass.
    page = await ff.browser.newPage();
    const opened = await mark();
    await page.goto(AI_PAGE);
    await eventually(() => rows(ff.env, opened), (r) => r.some((x) => x.verdict === 'violation'), { what: 'the violation stored', timeoutMs: 20000 });
    const clicked = await mark();
    await page.click('#gai-toggle');
    await eventually(() => rows(ff.env, clicked), (r) => r.some((x) => x.verdict === 'compliant'), { what: 'the compliant report stored', timeoutMs: 20000 });
    await ageReports(ff.env.XDG_STATE_HOME, 'linkedin', 3);
    await popup.evaluate(async () => (await browser.runtime.getBackgroundPage()).optguard.checkReminders());
  });

  after(async () => {
    await ff?.close();
  });

  it('before the policy page is opened nothing is due and the badge is empty', async () => {
    assert.equal((await hostDue(ff.env)).count, 0);
    assert.equal(await popup.evaluate(() => browser.action.getBadgeText({})), '');
  });

  it('opening the privacy policy makes the setting due in the host, with the reason naming the page', async () => {
    await page.goto('https://www.linkedin.com/legal/privacy-policy');
    const due = await eventually(() => hostDue(ff.env), (d) => d.count === 1, { what: 'the host lists the setting as due', timeoutMs: 20000 });
    const [setting] = due.platforms[0].settings;
    assert.equal(`${setting.platform}/${setting.setting}`, KEY);
    assert.deepEqual(setting.reasons.map((r) => [r.code, r.policy_date, r.document, r.message]), [
      ['policy_event', changed, 'privacy-policy', `LinkedIn's privacy policy changed on ${changed} (seen when you opened it)`],
    ]);
  });

  it('the default badge counts it and the popup says why', async () => {
    await eventually(() => popup.evaluate(() => browser.action.getBadgeText({})), (t) => t === '1', { what: 'badge 1' });
    const fresh = await openExtensionPage(ff.browser, FIREFOX_POPUP);
    await fresh.waitForSelector('#due[data-ready="true"]', { timeout: 15000 });
    const items = await fresh.$$eval('#due .due-item', (lis) => lis.map((li) => `${li.dataset.platform}/${li.dataset.setting}`));
    assert.deepEqual(items, [KEY]);
    const text = await fresh.$eval('#due .due-item', (li) => li.innerText);
    const written = new Date(`${changed}T12:00:00Z`).toLocaleDateString('en', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
    assert.match(text, new RegExp(`LinkedIn's privacy policy changed on ${written} \\(seen when you opened it\\)`));
  });
});
