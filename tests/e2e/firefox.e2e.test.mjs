// End to end in Firefox ESR: the same on/off scenario as in Chromium (linkedin.e2e.test.mjs), with
// the extension as a temporary add-on and the real optguard-host registered the Firefox way
// (~/.mozilla/native-messaging-hosts, allowed_extensions). The host's SQLite file is the witness.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';

import { AI_PAGE, HOST_BIN } from './helpers/browser.mjs';
import { FIREFOX, FIREFOX_EXTENSION_ID, launchFirefox } from './helpers/firefox.mjs';
import { eventually, hostRowsSince, mark } from './helpers/wait.mjs';

const run = promisify(execFile);

/** The host's rows for LinkedIn's toggle (observed after `since`, when given) as "state|verdict|url". */
const storedObservations = async (stateHome, since) =>
  (await hostRowsSince(stateHome, 'linkedin', 'generative-ai-training', since)).map((r) => `${r.state}|${r.verdict}|${r.url}`);

describe('Firefox ESR: LinkedIn generative-AI toggle with the helper app installed', {
  skip: (!existsSync(FIREFOX) && `no Firefox at ${FIREFOX}`)
    || (!process.env.OPTGUARD_HOST_BIN && !existsSync(HOST_BIN) && `no host binary at ${HOST_BIN} (build it first)`),
}, () => {
  let ff;
  let page;

  before(async () => {
    ff = await launchFirefox({ hostBin: HOST_BIN });
    page = await ff.browser.newPage();
  });

  after(async () => {
    await ff?.close();
  });

  it('installs as optguard@optguard.dev (browser_specific_settings.gecko.id)', () => {
    assert.equal(ff.addonId, FIREFOX_EXTENSION_ID);
  });

  it('toggle on: the host records a violation and the alert appears', async () => {
    const opened = await mark();
    await page.goto(`${AI_PAGE}?trk=e2e#top`);
    await eventually(() => storedObservations(ff.env.XDG_STATE_HOME, opened), (r) => r.length >= 1, { what: 'a report stored after the page opened', timeoutMs: 20000 });
    assert.deepEqual(await storedObservations(ff.env.XDG_STATE_HOME), [`on|violation|${AI_PAGE}`]);
    await page.waitForSelector('optguard-alert[data-optguard-alert="linkedin/generative-ai-training"]', { timeout: 10000 });
    assert.ok(ff.proxy.served.length >= 1, 'the page came from the local fixture server');
  });

  it('Firefox started the host with the manifest path and the add-on id', async () => {
    const argv = (await readFile(ff.argvLog, 'utf8')).trim().split('\n');
    assert.match(argv[0], /\/\.mozilla\/native-messaging-hosts\/dev\.optguard\.host\.json$/);
    assert.equal(argv[1], FIREFOX_EXTENSION_ID);
  });

  it('the person flips the toggle off: the host records compliant, the alert goes', async () => {
    const clicked = await mark();
    await page.click('#gai-toggle');
    await eventually(() => storedObservations(ff.env.XDG_STATE_HOME, clicked), (r) => r.length >= 1, { what: 'a report stored after the click', timeoutMs: 20000 });
    assert.deepEqual(await storedObservations(ff.env.XDG_STATE_HOME), [`on|violation|${AI_PAGE}`, `off|compliant|${AI_PAGE}`]);
    await page.waitForSelector('optguard-alert', { hidden: true, timeout: 10000 });
    const { stdout } = await run(HOST_BIN, ['status', '--json'], { env: ff.env });
    const row = JSON.parse(stdout).settings.find((s) => s.platform === 'linkedin' && s.setting === 'generative-ai-training');
    assert.equal(row.verdict, 'compliant');
  });

  it('in-app navigation (pushState) to the setting is followed, and a change the page makes itself is seen', async () => {
    await page.goto('https://www.linkedin.com/feed/'); // a page load: the fixture's toggle is on again
    const navigated = await mark();
    await page.click('#go-ai-settings'); // pushState in the fixture app, no page load
    await eventually(() => storedObservations(ff.env.XDG_STATE_HOME, navigated), (r) => r.length >= 1, { what: 'a report stored after pushState', timeoutMs: 20000 });
    assert.deepEqual(await storedObservations(ff.env.XDG_STATE_HOME, navigated), [`on|violation|${AI_PAGE}`]);
    // No click and no change event: the page's own script switches it, which only the page's one
    // MutationObserver (content/dom-watch.js) can notice.
    const flipped = await mark();
    await page.evaluate(() => {
      const toggle = document.getElementById('gai-toggle');
      toggle.checked = false;
      toggle.setAttribute('aria-checked', 'false');
    });
    await eventually(() => storedObservations(ff.env.XDG_STATE_HOME, flipped), (r) => r.length >= 1, { what: 'a report stored after the page switched it', timeoutMs: 20000 });
    assert.deepEqual(await storedObservations(ff.env.XDG_STATE_HOME, flipped), [`off|compliant|${AI_PAGE}`]);
  });
});
