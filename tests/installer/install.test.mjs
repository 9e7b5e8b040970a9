// Installer tests: run installer/install.sh in a throw-away HOME with a controlled PATH, so which
// browsers are "installed" is decided by the test, not by the machine.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { installerSandbox, listTree } from './sandbox.mjs';

const EXTENSION_ORIGIN = 'chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/';

function makeSandbox({ browsers = [], ids } = {}) {
  const s = installerSandbox('install', {
    host: '#!/bin/sh\necho optguard-host test\n',
    catalog: { 'index.json': '{"format":1,"version":"t","platforms":["a.json"]}', 'a.json': '{}' },
    ...(ids === undefined ? {} : { ids }),
  });
  for (const browser of browsers) {
    fs.writeFileSync(path.join(s.bin, browser), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  }
  return { ...s, run: (...args) => s.run(args) };
}

describe('installer/install.sh', () => {
  const sandbox = makeSandbox;

  describe('with Chromium installed and Google Chrome not', () => {
    let s;
    let result;
    before(() => {
      s = sandbox({ browsers: ['chromium'] });
      result = s.run();
    });

    test('succeeds and says which browsers it registered and skipped', () => {
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /registered with Chromium: .*chromium\/NativeMessagingHosts\/dev\.optguard\.host\.json/);
      assert.match(result.stdout, /skipped Google Chrome: not installed for this user/);
      assert.ok(!fs.existsSync(path.join(s.home, '.config/google-chrome')), 'no folder for a browser that is absent');
    });

    test('installs an executable host, the CLI link and the catalog', () => {
      const host = path.join(s.home, '.local/bin/optguard-host');
      assert.ok(fs.statSync(host).mode & 0o100, 'host is executable');
      assert.equal(fs.readlinkSync(path.join(s.home, '.local/bin/optguard')), 'optguard-host');
      assert.deepEqual(fs.readdirSync(path.join(s.home, '.local/share/optguard/catalog')).sort(), ['a.json', 'index.json']);
    });

    test('writes a Chromium manifest with the absolute host path and only our extension origin', () => {
      const manifest = JSON.parse(fs.readFileSync(
        path.join(s.home, '.config/chromium/NativeMessagingHosts/dev.optguard.host.json'), 'utf8'));
      assert.deepEqual(manifest, {
        name: 'dev.optguard.host',
        description: manifest.description,
        path: path.join(s.home, '.local/bin/optguard-host'),
        type: 'stdio',
        allowed_origins: [EXTENSION_ORIGIN],
      });
      assert.ok(path.isAbsolute(manifest.path));
    });
  });

  test('registers Google Chrome when its profile folder exists', () => {
    const s = sandbox();
    fs.mkdirSync(path.join(s.home, '.config/google-chrome'), { recursive: true });
    const r = s.run();
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /skipped Chromium/);
    const manifest = JSON.parse(fs.readFileSync(
      path.join(s.home, '.config/google-chrome/NativeMessagingHosts/dev.optguard.host.json'), 'utf8'));
    assert.deepEqual(manifest.allowed_origins, [EXTENSION_ORIGIN]);
  });

  test('is idempotent: a second run leaves the same files and one record line per file', () => {
    const s = sandbox({ browsers: ['chromium'] });
    assert.equal(s.run().status, 0);
    const first = listTree(s.home);
    assert.equal(s.run().status, 0);
    assert.deepEqual(listTree(s.home), first);
    const record = fs.readFileSync(path.join(s.home, '.local/share/optguard/installed-files'), 'utf8').trim().split('\n');
    assert.equal(new Set(record).size, record.length);
    const files = record.filter((line) => !line.startsWith('dir:'));
    assert.equal(files.length, 7); // host, CLI link, 2 catalog files, 1 manifest, 2 reminder units
  });

  test('a catalog file dropped from the build does not linger after reinstall', () => {
    const s = sandbox({ browsers: ['chromium'] });
    assert.equal(s.run().status, 0);
    fs.rmSync(path.join(s.build, 'share/optguard/catalog/a.json'));
    assert.equal(s.run().status, 0);
    assert.deepEqual(fs.readdirSync(path.join(s.home, '.local/share/optguard/catalog')), ['index.json']);
  });

  test('--uninstall removes exactly what install wrote and leaves other files alone', () => {
    const s = sandbox({ browsers: ['chromium'] });
    fs.mkdirSync(path.join(s.home, '.local/bin'), { recursive: true });
    fs.writeFileSync(path.join(s.home, '.local/bin/someone-else'), 'keep');
    const nmh = path.join(s.home, '.config/chromium/NativeMessagingHosts');
    fs.mkdirSync(nmh, { recursive: true });
    fs.writeFileSync(path.join(nmh, 'org.other.host.json'), '{}');
    const snapshot = listTree(s.home);

    assert.equal(s.run().status, 0);
    const r = s.run('--uninstall');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /removed .*dev\.optguard\.host\.json/);
    assert.deepEqual(listTree(s.home), snapshot);
  });

  test('--uninstall with nothing installed says so and succeeds', () => {
    const s = sandbox();
    const r = s.run('--uninstall');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /not installed/);
  });

  test('refuses to install without a built host and says how to build it', () => {
    const s = sandbox({ browsers: ['chromium'] });
    fs.rmSync(path.join(s.build, 'host'), { recursive: true });
    const r = s.run();
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Build it first: bash scripts\/build\.sh/);
    assert.ok(!fs.existsSync(path.join(s.home, '.local/bin/optguard-host')));
  });

  test('rejects an unknown option', () => {
    const s = sandbox();
    const r = s.run('--frobnicate');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown option '--frobnicate'/);
  });
});

describe('installer/install.sh: the extension ids the manifests allow (the build\'s extension-ids.tsv)', () => {
  const manifestOf = (s, file) => JSON.parse(fs.readFileSync(path.join(s.home, file), 'utf8'));
  const CHROMIUM = '.config/chromium/NativeMessagingHosts/dev.optguard.host.json';
  const FIREFOX = '.mozilla/native-messaging-hosts/dev.optguard.host.json';
  const table = (cws, edge) => 'chromium\tunpacked\tthe unpacked extension\tcmijejphlnikkmemcggjhadjlmobjaie\n'
    + `chromium\tchrome-web-store\tChrome Web Store\t${cws}\n`
    + `chromium\tedge-add-ons\tEdge Add-ons\t${edge}\n`
    + 'firefox\tgecko\tFirefox\toptguard@optguard.dev\n';

  test('store ids not known yet (-): only the unpacked extension, and the Firefox add-on', () => {
    const s = makeSandbox({ browsers: ['chromium', 'firefox'], ids: table('-', '-') });
    assert.equal(s.run().status, 0);
    assert.deepEqual(manifestOf(s, CHROMIUM).allowed_origins, [EXTENSION_ORIGIN]);
    assert.deepEqual(manifestOf(s, FIREFOX).allowed_extensions, ['optguard@optguard.dev']);
  });

  test('with the stores\' ids set, every Chromium-family manifest allows all of them, in table order', () => {
    const cws = 'aaaabbbbccccddddeeeeffffgggghhhh';
    const edge = 'ppppoooonnnnmmmmllllkkkkjjjjiiii';
    const s = makeSandbox({ browsers: ['chromium', 'firefox'], ids: table(cws, edge) });
    const r = s.run();
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(manifestOf(s, CHROMIUM).allowed_origins,
      [EXTENSION_ORIGIN, `chrome-extension://${cws}/`, `chrome-extension://${edge}/`]);
    assert.deepEqual(manifestOf(s, FIREFOX).allowed_extensions, ['optguard@optguard.dev']);
  });

  test('a malformed id is refused before anything is written', () => {
    const s = makeSandbox({ browsers: ['chromium'], ids: table('"},{"evil":"x', '-') });
    const r = s.run();
    assert.equal(r.status, 1);
    assert.match(r.stderr, /chrome-web-store: a Chromium extension id is 32 letters a-p/);
    assert.ok(!fs.existsSync(path.join(s.home, '.local/bin/optguard-host')));
  });

  test('a build without the staged table is refused with the command that makes it', () => {
    const s = makeSandbox({ browsers: ['chromium'] });
    fs.rmSync(path.join(s.build, 'share/optguard/extension-ids.tsv'));
    const r = s.run();
    assert.equal(r.status, 1);
    assert.match(r.stderr, /extension-ids\.tsv; rebuild: bash scripts\/build\.sh/);
  });
});
