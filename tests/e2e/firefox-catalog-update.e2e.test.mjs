// Signed catalog updates in Firefox ESR with the real host: the Chromium suite's scenario
// (catalog-update.e2e.test.mjs) in short. Throwaway minisign keys, a test prefix whose keys folder
// trusts one of them, releases made by scripts/release-catalog.sh and served (through the test
// proxy) at an https address the extension is pointed at by its managed policy. A tampered release
// is refused with the catalog in use kept; the signed update with a new LinkedIn policy event is
// installed, and the badge, the popup and `optguard due` ask for a re-check.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';

import { AI_PAGE, HOST_BIN, REPO } from './helpers/browser.mjs';
import { FIREFOX, FIREFOX_POPUP, launchFirefox, openExtensionPage } from './helpers/firefox.mjs';
import { eventually } from './helpers/wait.mjs';
import { ageReports } from './helpers/policy.mjs';

const run = promisify(execFile);
const KEY = 'linkedin/generative-ai-training';
const SUMMARY = 'LinkedIn extends AI training to messages (test)';
const RELEASE_PATH = '/optguard-test/optguard-catalog.json';
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const APP = await readFile(join(REPO, 'tests/fixtures/pages/linkedin-generative-ai-training.html'), 'utf8');

const bundledVersion = JSON.parse(await readFile(join(REPO, 'extension/catalog/index.json'), 'utf8')).version;
const nextDay = (version) => new Date(Date.parse(`${version.replaceAll('.', '-')}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
const NEW_DATE = day(0) > nextDay(bundledVersion) ? day(0) : nextDay(bundledVersion);
const NEW_VERSION = NEW_DATE.replaceAll('-', '.');

async function hostDue(env) {
  const { stdout } = await run(HOST_BIN, ['due', '--json'], { env });
  return JSON.parse(stdout);
}
const dueEntry = (due) => due.platforms.flatMap((p) => p.settings).find((s) => `${s.platform}/${s.setting}` === KEY) ?? null;

describe('signed catalog updates in Firefox ESR with the helper app', {
  skip: (!existsSync(FIREFOX) && `no Firefox at ${FIREFOX}`)
    || (!process.env.OPTGUARD_HOST_BIN && !existsSync(HOST_BIN) && `no host binary at ${HOST_BIN} (build it first)`),
}, () => {
  let root;
  let ff;
  let popup;
  let saved;
  const files = new Map(); // served path -> bytes

  async function release(name, edit) {
    const source = join(root, `src-${name}`);
    await cp(join(REPO, 'extension/catalog'), source, { recursive: true });
    const index = JSON.parse(await readFile(join(source, 'index.json'), 'utf8'));
    index.version = NEW_VERSION;
    await writeFile(join(source, 'index.json'), JSON.stringify(index, null, 2));
    const linkedin = JSON.parse(await readFile(join(source, 'linkedin.json'), 'utf8'));
    edit?.(linkedin);
    await writeFile(join(source, 'linkedin.json'), JSON.stringify(linkedin, null, 2));
    const out = join(root, `out-${name}`);
    await run('bash', [join(REPO, 'scripts/release-catalog.sh'), '--key', join(root, 'test.key'), '--catalog', source, '--date', NEW_DATE, '--out', out]);
    const file = join(out, `optguard-catalog-${NEW_VERSION}.json`);
    return { bytes: await readFile(file), signature: await readFile(`${file}.minisig`) };
  }

  /** Serves these files as the current release and runs one update check in the background page. */
  async function offer(bytes, signature) {
    files.set(RELEASE_PATH, bytes);
    files.set(`${RELEASE_PATH}.minisig`, signature);
    return popup.evaluate(async () => {
      const { optguard } = await browser.runtime.getBackgroundPage();
      const status = await optguard.checkCatalogUpdate({ force: true });
      return { status: JSON.parse(JSON.stringify(status)), version: (await optguard.ready).version };
    });
  }

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'optguard-ff-update-'));
    const share = join(root, 'share', 'optguard');
    await cp(join(REPO, 'extension/catalog'), join(share, 'catalog'), { recursive: true });
    await mkdir(join(share, 'keys'), { recursive: true });
    await run('minisign', ['-G', '-W', '-p', join(share, 'keys', 'test.pub'), '-s', join(root, 'test.key')]);
    // The host Firefox starts (and the CLI) trusts the test key.
    saved = process.env.OPTGUARD_CATALOG_DIR;
    process.env.OPTGUARD_CATALOG_DIR = join(share, 'catalog');
    ff = await launchFirefox({ hostBin: HOST_BIN, systemAccess: true });
    ff.proxy.serve(({ url }) => files.get(url) ?? APP);
    popup = await openExtensionPage(ff.browser, FIREFOX_POPUP);
    await popup.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
    // The administrator's mirror (as a managed policy would give it), only LinkedIn's setting
    // watched, and that one verified (off) two days ago: nothing is due until a newer policy event.
    await popup.evaluate(async (key, url, page) => {
      const background = await browser.runtime.getBackgroundPage();
      background.browser.storage.managed.get = async () => ({ catalogUpdateUrl: url });
      const catalog = await background.optguard.ready;
      for (const platform of catalog.platforms) {
        for (const setting of platform.settings) {
          if (`${platform.platform}/${setting.id}` !== key) {
            await background.optguard.port.request('set_choice', { platform: platform.platform, setting: setting.id, watch: false });
          }
        }
      }
      await background.optguard.port.request('report', { platform: 'linkedin', setting: 'generative-ai-training', state: 'off', url: page });
    }, KEY, `https://www.linkedin.com${RELEASE_PATH}`, AI_PAGE);
    await ageReports(ff.env.XDG_STATE_HOME, 'linkedin', 2);
    await popup.evaluate(async () => (await browser.runtime.getBackgroundPage()).optguard.checkReminders());
  });

  after(async () => {
    await ff?.close();
    if (saved === undefined) {
      delete process.env.OPTGUARD_CATALOG_DIR;
    } else {
      process.env.OPTGUARD_CATALOG_DIR = saved;
    }
    if (root) {
      await rm(root, { recursive: true, force: true });
    }
  });

  let good;

  it('a tampered release is refused (bad_signature); the bundled catalog stays and nothing is due', async () => {
    good = await release('good', (linkedin) => {
      linkedin.settings.find((s) => s.id === 'generative-ai-training').policy_events
        .push({ date: day(-1), regions: ['GLOBAL'], summary: SUMMARY, source: 'https://www.linkedin.com/legal/privacy-policy' });
    });
    assert.equal(dueEntry(await hostDue(ff.env)), null);
    const tampered = Buffer.from(good.bytes);
    tampered[tampered.indexOf(Buffer.from(SUMMARY))] = 'l'.charCodeAt(0);
    const { status, version } = await offer(tampered, good.signature);
    assert.equal(status.result, 'refused', JSON.stringify(status));
    assert.equal(status.reason, 'bad_signature');
    assert.equal(version, bundledVersion);
    assert.equal(dueEntry(await hostDue(ff.env)), null);
  });

  it('the signed update is installed: `optguard due`, the badge and the popup ask for a re-check', async () => {
    const { status, version } = await offer(good.bytes, good.signature);
    assert.equal(status.result, 'installed', JSON.stringify(status));
    assert.equal(version, NEW_VERSION);
    const entry = dueEntry(await hostDue(ff.env));
    assert.ok(entry, '`optguard due` lists LinkedIn');
    assert.deepEqual(entry.reasons.map((r) => [r.code, r.policy_date]), [['policy_event', day(-1)]]);
    await eventually(() => popup.evaluate(() => browser.action.getBadgeText({})), (t) => t === '1', { what: 'the badge counting the re-check' });
    const fresh = await openExtensionPage(ff.browser, FIREFOX_POPUP);
    await fresh.waitForSelector('#due[data-ready="true"]', { timeout: 15000 });
    assert.match(await fresh.$eval('.catalog-age', (n) => n.textContent), new RegExp(NEW_VERSION.replaceAll('.', '\\.')));
    const items = await fresh.$$eval('#due .due-item', (lis) => lis.map((li) => `${li.dataset.platform}/${li.dataset.setting}`));
    assert.deepEqual(items, [KEY]);
  });
});
