// Policy notices in headless Chromium with the real host: the member checked LinkedIn's setting
// days ago; opening LinkedIn's privacy policy page (a fixture after Open Terms Archive, its date
// line moved to yesterday) makes the setting due with the reason "LinkedIn's privacy policy changed
// on DATE (seen when you opened it)": in the host (`optguard due`), the default badge and the popup.
// Only {platform, document, effective_date} reaches the host.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { AI_PAGE, EXTENSION_ID, HOST_BIN, NO_HOST_BINARY, launch, readCapturedFrames, watchOnly } from './helpers/browser.mjs';
import { eventually, mark, observationSince } from './helpers/wait.mjs';
import { POLICY_PAGE, ageReports, daysAgo, policyPageDated } from './helpers/policy.mjs';

const run = promisify(execFile);
const POPUP = `chrome-extension://${EXTENSION_ID}/popup/popup.html`;
const KEY = 'linkedin/generative-ai-training';

async function hostDue(env) {
  const { stdout } = await run(HOST_BIN, ['due', '--json'], { env });
  return JSON.parse(stdout);
}
const defaultBadge = (worker) => worker.evaluate(async () => ({
  text: await chrome.action.getBadgeText({}),
  color: await chrome.action.getBadgeBackgroundColor({}),
}));

describe('policy notices in Chromium with the helper app', { skip: NO_HOST_BINARY }, () => {
  let browser;
  const changed = daysAgo(1);

  before(async () => {
    browser = await launch({ capture: true });
    const { worker, context } = browser;
    await watchOnly(worker, [KEY]);
    // Checked: the fixture's toggle is ON; the person switches it off (compliant).
    const page = await context.newPage();
    const opened = await mark();
    await page.goto(AI_PAGE);
    await observationSince(worker, KEY, opened, (o) => o.verdict === 'violation', { what: 'the violation stored' });
    const clicked = await mark();
    await page.click('#gai-toggle');
    await observationSince(worker, KEY, clicked, (o) => o.verdict === 'compliant', { what: 'the compliant report stored' });
    await page.close();
    // ... three days ago.
    await ageReports(browser.env.XDG_STATE_HOME, 'linkedin', 3);
    await worker.evaluate(() => globalThis.optguard.checkReminders());
  });

  after(async () => {
    await browser?.close();
  });

  it('before the policy page is opened nothing is due and the badge is empty', async () => {
    assert.equal((await hostDue(browser.env)).count, 0);
    assert.equal((await defaultBadge(browser.worker)).text, '');
  });

  it('opening the privacy policy with a newer date makes the setting due in the host, naming the page', async () => {
    const { context } = browser;
    const html = await policyPageDated(changed);
    await context.route(`${POLICY_PAGE}*`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    const page = await context.newPage();
    await page.goto(POLICY_PAGE);
    const due = await eventually(() => hostDue(browser.env), (d) => d.count === 1, { what: 'the host lists the setting as due', timeoutMs: 15000 });
    const [setting] = due.platforms[0].settings;
    assert.equal(`${setting.platform}/${setting.setting}`, KEY);
    assert.equal(setting.severity, 'high');
    assert.deepEqual(setting.reasons.map((r) => [r.code, r.policy_date, r.document, r.message]), [
      ['policy_event', changed, 'privacy-policy', `LinkedIn's privacy policy changed on ${changed} (seen when you opened it)`],
    ]);
    await page.close();
  });

  it('the default badge counts it, in the policy colour', async () => {
    const badge = await eventually(() => defaultBadge(browser.worker), (b) => b.text === '1', { what: 'badge 1' });
    assert.deepEqual(badge.color, [180, 83, 9, 255]);
  });

  it('the popup says why, in words', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(POPUP);
    await popup.waitForSelector('#due[data-ready="true"]');
    const items = await popup.$$eval('#due .due-item', (lis) => lis.map((li) => `${li.dataset.platform}/${li.dataset.setting}`));
    assert.deepEqual(items, [KEY]);
    const text = await popup.locator('#due .due-item').first().innerText();
    const written = new Date(`${changed}T12:00:00Z`).toLocaleDateString('en', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
    assert.match(text, new RegExp(`LinkedIn's privacy policy changed on ${written} \\(seen when you opened it\\)`));
    await popup.close();
  });

  it('the host received only platform, document and the date', async () => {
    const frames = (await readCapturedFrames(browser.capturePath)).filter((f) => f.type === 'policy_seen');
    assert.ok(frames.length >= 1);
    for (const frame of frames) {
      assert.deepEqual(Object.keys(frame).sort(), ['document', 'effective_date', 'id', 'platform', 'type']);
      assert.deepEqual([frame.platform, frame.document, frame.effective_date], ['linkedin', 'privacy-policy', changed]);
    }
  });
});
