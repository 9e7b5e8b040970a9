// End to end in Firefox ESR: the same on/off scenario as in Chromium (linkedin.e2e.test.mjs), with
// the extension as a temporary add-on and the real optguard-host registered the Firefox way
// (~/.mozilla/native-messaging-hosts, allowed_extensions). The host's SQLite file is the witness.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';

import { AI_PAGE, HOST_BIN, eventually } from './helpers/browser.mjs';
import { FIREFOX, FIREFOX_EXTENSION_ID, launchFirefox } from './helpers/firefox.mjs';

const run = promisify(execFile);

async function storedObservations(stateHome) {
  const db = join(stateHome, 'optguard', 'state.sqlite3');
  if (!existsSync(db)) {
    return [];
  }
  const sql = "SELECT state || '|' || verdict || '|' || url FROM observations WHERE platform = 'linkedin' AND setting = 'generative-ai-training' ORDER BY rowid";
  const { stdout } = await run('python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True); print("\\n".join(r[0] for r in c.execute(sys.argv[2])))', db, sql]);
  return stdout.trim().split('\n').filter(Boolean);
}

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
    await page.goto(`${AI_PAGE}?trk=e2e#top`);
    const rows = await eventually(() => storedObservations(ff.env.XDG_STATE_HOME), (r) => r.length >= 1, { what: 'a stored report', timeoutMs: 20000 });
    assert.deepEqual(rows, [`on|violation|${AI_PAGE}`]);
    await page.waitForSelector('optguard-alert[data-optguard-alert="linkedin/generative-ai-training"]', { timeout: 10000 });
    assert.ok(ff.proxy.served.length >= 1, 'the page came from the local fixture server');
  });

  it('Firefox started the host with the manifest path and the add-on id', async () => {
    const argv = (await readFile(ff.argvLog, 'utf8')).trim().split('\n');
    assert.match(argv[0], /\/\.mozilla\/native-messaging-hosts\/dev\.optguard\.host\.json$/);
    assert.equal(argv[1], FIREFOX_EXTENSION_ID);
  });

  it('the person flips the toggle off: the host records compliant, the alert goes', async () => {
    await page.click('#gai-toggle');
    const rows = await eventually(() => storedObservations(ff.env.XDG_STATE_HOME), (r) => r.length >= 2, { what: 'a second report', timeoutMs: 20000 });
    assert.deepEqual(rows, [`on|violation|${AI_PAGE}`, `off|compliant|${AI_PAGE}`]);
    await page.waitForSelector('optguard-alert', { hidden: true, timeout: 10000 });
    const { stdout } = await run(HOST_BIN, ['status', '--json'], { env: ff.env });
    const row = JSON.parse(stdout).settings.find((s) => s.platform === 'linkedin' && s.setting === 'generative-ai-training');
    assert.equal(row.verdict, 'compliant');
  });
});
