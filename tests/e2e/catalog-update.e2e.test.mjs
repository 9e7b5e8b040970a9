// Signed catalog updates in real headless Chromium with the real host: throwaway minisign keys, a
// test prefix whose keys folder trusts one of them (as tests/integration/catalog_update_test.cpp),
// releases made by scripts/release-catalog.sh and served from 127.0.0.1, the extension pointed at
// them through its managed policy (catalogUpdateUrl). A tampered file, a wrong key, a damaged
// download and an older version are refused with the catalog in use kept; an update with a new
// LinkedIn policy event makes the badge count, the popup and `optguard due` ask for a re-check.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';

import { AI_PAGE, EXTENSION_ID, HOST_BIN, NO_HOST_BINARY, REPO, launch } from './helpers/browser.mjs';
import { eventually } from './helpers/wait.mjs';
import { editHostDatabase } from './helpers/host-database.mjs';

const run = promisify(execFile);
const POPUP = `chrome-extension://${EXTENSION_ID}/popup/popup.html`;
const KEY = 'linkedin/generative-ai-training';
const SUMMARY = 'LinkedIn extends AI training to messages (test)';
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

const bundledVersion = JSON.parse(await readFile(join(REPO, 'extension/catalog/index.json'), 'utf8')).version;
const nextDay = (version) => new Date(Date.parse(`${version.replaceAll('.', '-')}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
// Newer than the bundled catalog, dated today at the latest.
const NEW_DATE = day(0) > nextDay(bundledVersion) ? day(0) : nextDay(bundledVersion);
const NEW_VERSION = NEW_DATE.replaceAll('-', '.');

async function hostDue(env) {
  const { stdout } = await run(HOST_BIN, ['due', '--json'], { env });
  return JSON.parse(stdout);
}
const dueEntry = (due) => due.platforms.flatMap((p) => p.settings).find((s) => `${s.platform}/${s.setting}` === KEY) ?? null;

describe('signed catalog updates in Chromium with the helper app', { skip: NO_HOST_BINARY }, () => {
  let root;
  let browser;
  let server;
  let base;
  const files = new Map(); // served path -> bytes
  const saved = {};

  async function release(name, version, date, edit, key) {
    const source = join(root, `src-${name}`);
    await cp(join(REPO, 'extension/catalog'), source, { recursive: true });
    const index = JSON.parse(await readFile(join(source, 'index.json'), 'utf8'));
    index.version = version;
    await writeFile(join(source, 'index.json'), JSON.stringify(index, null, 2));
    const linkedin = JSON.parse(await readFile(join(source, 'linkedin.json'), 'utf8'));
    edit?.(linkedin);
    await writeFile(join(source, 'linkedin.json'), JSON.stringify(linkedin, null, 2));
    const out = join(root, `out-${name}`);
    await run('bash', [join(REPO, 'scripts/release-catalog.sh'), '--key', key, '--catalog', source, '--date', date, '--out', out]);
    const file = join(out, `optguard-catalog-${version}.json`);
    return { bytes: await readFile(file), signature: await readFile(`${file}.minisig`) };
  }

  /** Serves these bytes as the current release, runs one update check; its status and the catalog in use. */
  async function offer(bytes, signature) {
    files.set('/optguard-catalog.json', bytes);
    if (signature) {
      files.set('/optguard-catalog.json.minisig', signature);
    } else {
      files.delete('/optguard-catalog.json.minisig');
    }
    return browser.worker.evaluate(async () => {
      const status = await globalThis.optguard.checkCatalogUpdate({ force: true });
      return { status, version: (await globalThis.optguard.ready).version };
    });
  }

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'optguard-e2e-update-'));
    const share = join(root, 'share', 'optguard');
    await cp(join(REPO, 'extension/catalog'), join(share, 'catalog'), { recursive: true });
    await mkdir(join(share, 'keys'), { recursive: true });
    await run('minisign', ['-G', '-W', '-p', join(share, 'keys', 'test.pub'), '-s', join(root, 'test.key')]);
    await run('minisign', ['-G', '-W', '-p', join(root, 'stranger.pub'), '-s', join(root, 'stranger.key')]);
    // The host the browser starts (and the CLI) trusts the test key and installs into the temp folder.
    for (const [name, value] of [['OPTGUARD_CATALOG_DIR', join(share, 'catalog')], ['XDG_DATA_HOME', join(root, 'data')]]) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    server = createServer((request, response) => {
      const body = files.get(new URL(request.url, 'http://x').pathname);
      response.writeHead(body ? 200 : 404, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/octet-stream' });
      response.end(body ?? '');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${server.address().port}`;
    browser = await launch({ dataHome: process.env.XDG_DATA_HOME });
    // The administrator's mirror, as Chromium would deliver the policy to the worker.
    await browser.worker.evaluate((url) => {
      chrome.storage.managed.get = async () => ({ catalogUpdateUrl: url });
    }, `${base}/optguard-catalog.json`);
    // Only LinkedIn's setting is watched (the others set to "ignore", as on the options page), and
    // it was verified (off) two days ago: nothing is due until a newer policy event.
    await browser.worker.evaluate(async (key) => {
      const catalog = await globalThis.optguard.ready;
      for (const platform of catalog.platforms) {
        for (const setting of platform.settings) {
          if (`${platform.platform}/${setting.id}` !== key) {
            await globalThis.optguard.port.request('set_choice', { platform: platform.platform, setting: setting.id, watch: false });
          }
        }
      }
    }, KEY);
    await browser.worker.evaluate((url) => globalThis.optguard.port.request('report',
      { platform: 'linkedin', setting: 'generative-ai-training', state: 'off', url }), AI_PAGE);
    await editHostDatabase(browser.env.XDG_STATE_HOME, 'UPDATE observations SET observed_at = observed_at - 2 * 86400000');
    await browser.worker.evaluate(() => globalThis.optguard.checkReminders());
  });

  after(async () => {
    await browser?.close();
    server?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
    if (root) {
      await rm(root, { recursive: true, force: true });
    }
  });

  let good;
  let badgeBefore;

  it('before any update: the bundled catalog, LinkedIn not due', async () => {
    assert.equal(await browser.worker.evaluate(async () => (await globalThis.optguard.ready).version), bundledVersion);
    assert.equal(dueEntry(await hostDue(browser.env)), null);
    badgeBefore = Number(await browser.worker.evaluate(() => chrome.action.getBadgeText({})) || 0);
    assert.equal(badgeBefore, 0, 'nothing is due');
    assert.deepEqual(await browser.worker.evaluate(async () => Object.keys(await chrome.notifications.getAll())), []);
    const addEvent = (linkedin) => {
      const setting = linkedin.settings.find((s) => s.id === 'generative-ai-training');
      setting.policy_events.push({ date: day(-1), regions: ['GLOBAL'], summary: SUMMARY, source: 'https://www.linkedin.com/legal/privacy-policy' });
    };
    good = await release('good', NEW_VERSION, NEW_DATE, addEvent, join(root, 'test.key'));
  });

  it('a tampered file is refused (bad_signature); the old catalog stays', async () => {
    const tampered = Buffer.from(good.bytes);
    const at = tampered.indexOf(Buffer.from(SUMMARY));
    tampered[at] = 'l'.charCodeAt(0);
    const { status, version } = await offer(tampered, good.signature);
    assert.equal(status.result, 'refused');
    assert.equal(status.reason, 'bad_signature');
    assert.equal(version, bundledVersion);
  });

  it('a release signed with a key the host does not trust is refused (untrusted_key)', async () => {
    const stranger = await release('stranger', NEW_VERSION, NEW_DATE, null, join(root, 'stranger.key'));
    const { status, version } = await offer(stranger.bytes, stranger.signature);
    assert.equal(status.result, 'refused');
    assert.equal(status.reason, 'untrusted_key');
    assert.equal(version, bundledVersion);
  });

  it('the options page says why in words, not as a code', async () => {
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${EXTENSION_ID}/options/options.html`);
    await options.waitForSelector('body[data-ready="true"]');
    const line = options.locator('.catalog-last');
    assert.equal(await line.getAttribute('data-result'), 'refused');
    const text = await line.innerText();
    assert.match(text, /the update was refused\. It is not signed with a key this helper app trusts\. The catalog in use stays\./);
    assert.doesNotMatch(text, /untrusted_key/);
    await options.close();
  });

  it('a damaged download (cut short) is refused, and a missing signature is a failed download', async () => {
    const cut = await offer(good.bytes.subarray(0, good.bytes.length - 100), good.signature);
    assert.equal(cut.status.result, 'refused');
    assert.equal(cut.status.reason, 'bad_signature');
    assert.equal(cut.version, bundledVersion);
    const missing = await offer(good.bytes, null);
    assert.equal(missing.status.result, 'fetch_failed');
    assert.equal(missing.version, bundledVersion);
    assert.equal(dueEntry(await hostDue(browser.env)), null, 'nothing of the refused releases reached the reminders');
  });

  it('the signed update is installed: the extension judges with it, and LinkedIn asks for a re-check', async () => {
    const { status, version } = await offer(good.bytes, good.signature);
    assert.equal(status.result, 'installed', JSON.stringify(status));
    assert.equal(version, NEW_VERSION);
    const entry = dueEntry(await hostDue(browser.env));
    assert.ok(entry, '`optguard due` lists LinkedIn');
    assert.deepEqual(entry.reasons.map((r) => r.code), ['policy_event']);
    assert.equal(entry.reasons[0].policy_date, day(-1));
    // The reminder check ran after the install: the default badge counts one more.
    const badge = await eventually(() => browser.worker.evaluate(() => chrome.action.getBadgeText({})),
      (text) => Number(text || 0) === badgeBefore + 1, { what: 'the badge counting the LinkedIn re-check' });
    assert.equal(Number(badge), badgeBefore + 1);
    const notifications = await browser.worker.evaluate(async () => Object.keys(await chrome.notifications.getAll()));
    assert.deepEqual(notifications, ['optguard-due:linkedin'], 'a desktop notification for LinkedIn');
  });

  it('the popup names the update and the LinkedIn policy change', async () => {
    const page = await browser.context.newPage();
    await page.goto(POPUP);
    await page.waitForSelector('body[data-ready="true"]');
    const age = await page.textContent('.catalog-age');
    assert.match(age, new RegExp(NEW_VERSION.replaceAll('.', '\\.')));
    assert.match(age, /signed update/);
    await page.waitForSelector('#due:not([hidden])');
    const due = await page.textContent('#due');
    assert.match(due, /LinkedIn/);
    await page.close();
  });

  it('an older version, properly signed, is refused (not newer): the update stays in use', async () => {
    const older = await release('older', bundledVersion, bundledVersion.replaceAll('.', '-'), null, join(root, 'test.key'));
    const { status, version } = await offer(older.bytes, older.signature);
    assert.equal(status.result, 'up_to_date');
    assert.equal(version, NEW_VERSION);
    const { stdout } = await run(HOST_BIN, ['catalog', 'status', '--json'], { env: browser.env });
    assert.equal(JSON.parse(stdout).catalog_info.version, NEW_VERSION, stdout);
    assert.equal(JSON.parse(stdout).catalog_info.source, 'installed');
  });
});
