// Reminders in real headless Chromium with the real host (issue 5), temp XDG folders: settings that
// are due (never verified, and one seen ON) produce the one alarm and one notification per platform;
// the notification click opens the setting's page (routed to a fixture); Snooze in the popup
// removes the item and the host's `due` (read with the CLI, same store) no longer lists it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { AI_PAGE, EXTENSION_ID, HOST_BIN, IMAGES_DIR, NO_HOST_BINARY, REPO, launch, watchOnly } from './helpers/browser.mjs';
import { eventually, mark, observationSince } from './helpers/wait.mjs';

const run = promisify(execFile);
const POPUP = `chrome-extension://${EXTENSION_ID}/popup/popup.html`;
// The settings this test keeps watched; every other one is set to "ignore" through the host.
const WATCHED = ['linkedin/generative-ai-training', 'linkedin/data-processing-objection', 'chatgpt/improve-the-model', 'x/grok-training'];
const X_URL = JSON.parse(await readFile(join(REPO, 'extension/catalog/x.json'), 'utf8')).settings[0].opt_out_url;
const X_FIXTURE = '<!doctype html><title>X fixture</title><h1 id="x-fixture">Grok settings (fixture)</h1>';

await mkdir(IMAGES_DIR, { recursive: true });

const notificationsIn = (worker) => worker.evaluate(async () => Object.keys(await chrome.notifications.getAll()).sort());

async function hostDue(env) {
  const { stdout } = await run(HOST_BIN, ['due', '--json'], { env });
  const due = JSON.parse(stdout);
  return due.platforms.flatMap((p) => p.settings.map((s) => `${s.platform}/${s.setting}`));
}

describe('re-verification reminders in Chromium with the helper app', {
  skip: NO_HOST_BINARY,
}, () => {
  let browser;

  before(async () => {
    browser = await launch();
    const { worker } = browser;
    // Narrow the catalog to four settings on three platforms, as a person would on the options
    // page (set_choice through the worker's own port to the real host).
    await watchOnly(worker, WATCHED);
    // LinkedIn's toggle is ON in the fixture: a violation, reported through the normal path.
    const page = await browser.context.newPage();
    const opened = await mark();
    await page.goto(AI_PAGE);
    await observationSince(worker, 'linkedin/generative-ai-training', opened, (o) => o.verdict === 'violation', { what: 'the LinkedIn violation stored' });
    await page.close();
    await worker.evaluate(() => globalThis.optguard.checkReminders());
  });

  after(async () => {
    await browser?.close();
  });

  it('the host lists the four watched settings as due (one seen ON, three never verified)', async () => {
    assert.deepEqual((await hostDue(browser.env)).sort(), [...WATCHED].sort());
  });

  it('one alarm is scheduled, at most 6 hours ahead', async () => {
    // The catalog update's daily alarm (catalog-update.js) is the other one.
    const alarms = (await browser.worker.evaluate(() => chrome.alarms.getAll())).filter((a) => a.name !== 'optguard-catalog-update');
    assert.deepEqual(alarms.map((a) => a.name), ['optguard-reminders']);
    const ahead = alarms[0].scheduledTime - Date.now();
    assert.ok(ahead > 0 && ahead <= 6 * 3600 * 1000 + 5000, `fires in ${ahead} ms`);
  });

  it('one notification per platform; the default badge counts the due settings in red', async () => {
    // The exact set, not a count: at install every platform is due, and a check may be under way.
    const expected = ['optguard-due:chatgpt', 'optguard-due:linkedin', 'optguard-due:x'];
    const ids = await eventually(() => notificationsIn(browser.worker), (n) => JSON.stringify(n) === JSON.stringify(expected), { what: 'one notification per watched platform' });
    assert.deepEqual(ids, expected);
    const badge = await browser.worker.evaluate(async () => ({
      text: await chrome.action.getBadgeText({}),
      color: await chrome.action.getBadgeBackgroundColor({}),
    }));
    assert.deepEqual(badge, { text: '4', color: [198, 40, 40, 255] });
    const shown = await browser.worker.evaluate(async () => (await chrome.storage.local.get('reminderNotifications')).reminderNotifications);
    assert.equal(shown.notifications['optguard-due:linkedin'].url, AI_PAGE, 'LinkedIn\'s opens the setting seen ON');
  });

  it('a second check with nothing new shows nothing again', async () => {
    const shownBefore = await browser.worker.evaluate(async () => (await chrome.storage.local.get('reminderNotifications')).reminderNotifications);
    await browser.worker.evaluate(() => globalThis.optguard.checkReminders());
    const afterCheck = await browser.worker.evaluate(async () => (await chrome.storage.local.get('reminderNotifications')).reminderNotifications);
    assert.deepEqual(afterCheck, shownBefore);
  });

  it('clicking a notification opens the setting\'s opt-out page and clears the notification', async () => {
    const { context, worker } = browser;
    await context.route('https://x.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: X_FIXTURE }));
    assert.equal(await worker.evaluate(() => chrome.notifications.onClicked.hasListeners()), true, 'the worker listens for clicks');
    const opened = context.waitForEvent('page');
    // The handler the worker registered with chrome.notifications.onClicked (there is no way to
    // click a notification in headless Chromium).
    await worker.evaluate(() => globalThis.optguard.handleNotificationClick('optguard-due:x'));
    const page = await opened;
    await eventually(() => page.url(), (u) => u === X_URL, { what: `a tab on ${X_URL}` });
    await page.waitForSelector('#x-fixture').catch(() => {}); // a tab the extension opens may load before routing applies
    assert.deepEqual(await notificationsIn(worker), ['optguard-due:chatgpt', 'optguard-due:linkedin']);
    await page.close();
  });

  it('the popup lists what is due at the top, most urgent first, with Snooze and Done', async () => {
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.goto(POPUP);
    await popup.waitForSelector('#due[data-ready="true"]');
    await popup.waitForSelector('body[data-ready="true"]');
    const items = await popup.$$eval('#due .due-item', (lis) => lis.map((li) => `${li.dataset.platform}/${li.dataset.setting}:${li.dataset.severity}`));
    assert.deepEqual(items, [
      'linkedin/generative-ai-training:critical',
      'linkedin/data-processing-objection:normal',
      'chatgpt/improve-the-model:normal',
      'x/grok-training:normal',
    ]);
    const first = await popup.locator('#due .due-item').first().innerText();
    assert.match(first, /AI training on/);
    assert.match(first, /Last seen ON/);
    assert.match(await popup.locator('#due').innerText(), /Never checked/);
    const main = await popup.evaluate(() => [...document.querySelector('main').children].map((c) => c.id));
    assert.equal(main[0], 'due', 'the due list comes first');
    await popup.screenshot({ path: join(IMAGES_DIR, 'popup-due.png') });
    await popup.close();
  });

  it('Snooze 1 day in the popup removes the item and the host no longer lists it as due', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(POPUP);
    await popup.waitForSelector('#due[data-ready="true"]');
    const item = popup.locator('#due .due-item[data-platform="chatgpt"]');
    await item.getByRole('button', { name: 'Snooze 1 day' }).click();
    await popup.waitForSelector('#due .due-item[data-platform="chatgpt"]', { state: 'detached' });
    assert.equal(await popup.locator('#due').getAttribute('data-count'), '3');
    const due = await hostDue(browser.env);
    assert.ok(!due.includes('chatgpt/improve-the-model'), JSON.stringify(due));
    assert.equal(due.length, 3);
    // The worker followed: ChatGPT's notification is withdrawn and the badge counts 3.
    assert.ok(!(await notificationsIn(browser.worker)).includes('optguard-due:chatgpt'));
    assert.equal(await browser.worker.evaluate(() => chrome.action.getBadgeText({})), '3');
    await popup.close();
  });

  it('Done (ack) on the LinkedIn form silences it in the host too', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(POPUP);
    await popup.waitForSelector('#due[data-ready="true"]');
    await popup.locator('#due .due-item[data-setting="data-processing-objection"]').getByRole('button', { name: 'Done' }).click();
    await popup.waitForSelector('#due .due-item[data-setting="data-processing-objection"]', { state: 'detached' });
    assert.ok(!(await hostDue(browser.env)).includes('linkedin/data-processing-objection'));
    await popup.close();
  });
});
