// Installer tests per browser: each browser of installer/browsers.tsv "installed" in a throw-away
// HOME (a command on PATH or its profile folder), then install and uninstall. The expected folders
// are written out here by hand, independently of the table, so a wrong table row fails a test.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

import { REPO as repo, installerSandbox, listTree } from './sandbox.mjs';

const HOST = 'dev.optguard.host';
const CHROME_ORIGIN = 'chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/';
const FIREFOX_ID = 'optguard@optguard.dev';
const MAC = 'Library/Application Support';

// id -> [how it is detected (command, or folder under HOME), manifest folder under HOME, family]
const LINUX_USER = {
  'chrome': ['google-chrome', '.config/google-chrome/NativeMessagingHosts', 'chromium'],
  'chrome-beta': ['google-chrome-beta', '.config/google-chrome-beta/NativeMessagingHosts', 'chromium'],
  'chrome-dev': ['google-chrome-unstable', '.config/google-chrome-unstable/NativeMessagingHosts', 'chromium'],
  'chrome-canary': ['google-chrome-canary', '.config/google-chrome-canary/NativeMessagingHosts', 'chromium'],
  'chromium': ['chromium', '.config/chromium/NativeMessagingHosts', 'chromium'],
  'edge': ['microsoft-edge', '.config/microsoft-edge/NativeMessagingHosts', 'chromium'],
  'edge-beta': ['microsoft-edge-beta', '.config/microsoft-edge-beta/NativeMessagingHosts', 'chromium'],
  'edge-dev': ['microsoft-edge-dev', '.config/microsoft-edge-dev/NativeMessagingHosts', 'chromium'],
  'brave': ['brave-browser', '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts', 'chromium'],
  'vivaldi': ['vivaldi', '.config/vivaldi/NativeMessagingHosts', 'chromium'],
  'opera': ['opera', '.config/google-chrome/NativeMessagingHosts', 'chromium'],
  'firefox': ['firefox-esr', '.mozilla/native-messaging-hosts', 'firefox'],
  'librewolf': ['librewolf', '.librewolf/native-messaging-hosts', 'firefox'],
  'firefox-snap': ['dir:snap/firefox', '.mozilla/native-messaging-hosts', 'firefox'],
};
const MACOS_USER = {
  'chrome': [`dir:${MAC}/Google/Chrome`, `${MAC}/Google/Chrome/NativeMessagingHosts`, 'chromium'],
  'chrome-beta': [`dir:${MAC}/Google/Chrome Beta`, `${MAC}/Google/Chrome Beta/NativeMessagingHosts`, 'chromium'],
  'chrome-dev': [`dir:${MAC}/Google/Chrome Dev`, `${MAC}/Google/Chrome Dev/NativeMessagingHosts`, 'chromium'],
  'chrome-canary': [`dir:${MAC}/Google/Chrome Canary`, `${MAC}/Google/Chrome Canary/NativeMessagingHosts`, 'chromium'],
  'chromium': [`dir:${MAC}/Chromium`, `${MAC}/Chromium/NativeMessagingHosts`, 'chromium'],
  'edge': [`dir:${MAC}/Microsoft Edge`, `${MAC}/Microsoft Edge/NativeMessagingHosts`, 'chromium'],
  'brave': [`dir:${MAC}/BraveSoftware/Brave-Browser`, `${MAC}/BraveSoftware/Brave-Browser/NativeMessagingHosts`, 'chromium'],
  'vivaldi': [`dir:${MAC}/Vivaldi`, `${MAC}/Vivaldi/NativeMessagingHosts`, 'chromium'],
  'opera': [`dir:${MAC}/com.operasoftware.Opera`, `${MAC}/Google/Chrome/NativeMessagingHosts`, 'chromium'],
  'firefox': [`dir:${MAC}/Firefox`, `${MAC}/Mozilla/NativeMessagingHosts`, 'firefox'],
  'librewolf': [`dir:${MAC}/LibreWolf`, `${MAC}/LibreWolf/NativeMessagingHosts`, 'firefox'],
};
// Browsers whose sandbox cannot start the host: detected by their folder, never registered.
const UNREACHABLE = {
  'chromium-snap': ['snap/chromium', 'snap/chromium/common/chromium/NativeMessagingHosts', /Snap confinement/],
  'flatpak-com.google.Chrome': ['.var/app/com.google.Chrome', '.var/app/com.google.Chrome/config/google-chrome/NativeMessagingHosts', /Flatpak sandbox/],
  'flatpak-org.chromium.Chromium': ['.var/app/org.chromium.Chromium', '.var/app/org.chromium.Chromium/config/chromium/NativeMessagingHosts', /Flatpak sandbox/],
  'flatpak-com.microsoft.Edge': ['.var/app/com.microsoft.Edge', '.var/app/com.microsoft.Edge/config/microsoft-edge/NativeMessagingHosts', /Flatpak sandbox/],
  'flatpak-com.brave.Browser': ['.var/app/com.brave.Browser', '.var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser/NativeMessagingHosts', /Flatpak sandbox/],
  'flatpak-org.mozilla.firefox': ['.var/app/org.mozilla.firefox', '.var/app/org.mozilla.firefox/.mozilla/native-messaging-hosts', /Flatpak sandbox/],
  'flatpak-io.gitlab.librewolf-community': ['.var/app/io.gitlab.librewolf-community', '.var/app/io.gitlab.librewolf-community/.mozilla/native-messaging-hosts', /Flatpak sandbox/],
};
// System-wide folders (Linux, macOS), under the fake root.
const LINUX_SYSTEM = {
  'chrome': ['google-chrome', 'etc/opt/chrome/native-messaging-hosts', 'chromium'],
  'chromium': ['chromium', 'etc/chromium/native-messaging-hosts', 'chromium'],
  'edge': ['microsoft-edge', 'etc/opt/edge/native-messaging-hosts', 'chromium'],
  'firefox': ['firefox-esr', 'usr/lib/mozilla/native-messaging-hosts', 'firefox'],
  'librewolf': ['librewolf', 'usr/lib/librewolf/native-messaging-hosts', 'firefox'],
  // No vendor documents these: Chromium's default for builds without Google branding, and Google
  // Chrome's folder for Opera (browsers.tsv says why).
  'brave': ['brave-browser', 'etc/chromium/native-messaging-hosts', 'chromium'],
  'vivaldi': ['vivaldi-stable', 'etc/chromium/native-messaging-hosts', 'chromium'],
  'opera': ['opera', 'etc/opt/chrome/native-messaging-hosts', 'chromium'],
};
const MACOS_SYSTEM = {
  'chrome': ['dir:Applications/Google Chrome.app', 'Library/Google/Chrome/NativeMessagingHosts', 'chromium'],
  'chromium': ['dir:Applications/Chromium.app', 'Library/Application Support/Chromium/NativeMessagingHosts', 'chromium'],
  'edge': ['dir:Applications/Microsoft Edge.app', 'Library/Microsoft/Edge/NativeMessagingHosts', 'chromium'],
  'firefox': ['dir:Applications/Firefox.app', 'Library/Application Support/Mozilla/NativeMessagingHosts', 'firefox'],
  'brave': ['dir:Applications/Brave Browser.app', 'Library/Application Support/Chromium/NativeMessagingHosts', 'chromium'],
  'vivaldi': ['dir:Applications/Vivaldi.app', 'Library/Application Support/Chromium/NativeMessagingHosts', 'chromium'],
  'opera': ['dir:Applications/Opera.app', 'Library/Google/Chrome/NativeMessagingHosts', 'chromium'],
};

function tableRows() {
  return fs.readFileSync(path.join(repo, 'installer/browsers.tsv'), 'utf8').split('\n')
    .filter((line) => line && !line.startsWith('#')).map((line) => line.split('\t'));
}

function sandbox() {
  const { root, home, bin, run } = installerSandbox('browsers');
  const fakeRoot = path.join(root, 'root');
  fs.mkdirSync(fakeRoot);
  // `dir:X` makes folder X (under `base`), anything else a command on PATH.
  const provide = (probe, base = home) => {
    if (probe.startsWith('dir:')) {
      fs.mkdirSync(path.join(base, probe.slice(4)), { recursive: true });
    } else {
      fs.writeFileSync(path.join(bin, probe), '#!/bin/sh\n', { mode: 0o755 });
    }
  };
  return { home, fakeRoot, run, provide };
}

function assertManifest(file, family, hostPath) {
  const m = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(m.name, HOST);
  assert.equal(m.path, hostPath);
  assert.equal(m.type, 'stdio');
  if (family === 'firefox') {
    assert.deepEqual(m.allowed_extensions, [FIREFOX_ID]);
    assert.equal(m.allowed_origins, undefined);
  } else {
    assert.deepEqual(m.allowed_origins, [CHROME_ORIGIN]);
    assert.equal(m.allowed_extensions, undefined);
  }
}

describe('browsers.tsv', () => {
  test('every row is covered by an expectation in this file, and no expectation is missing from it', () => {
    const key = (r) => `${r[2]}/${r[3]}/${r[0]}`;
    const expected = [
      ...Object.keys(LINUX_USER).map((id) => `linux/user/${id}`),
      ...Object.keys(UNREACHABLE).map((id) => `linux/user/${id}`),
      ...Object.keys(MACOS_USER).map((id) => `macos/user/${id}`),
      ...Object.keys(LINUX_SYSTEM).map((id) => `linux/system/${id}`),
      ...Object.keys(MACOS_SYSTEM).map((id) => `macos/system/${id}`),
    ].sort();
    // Windows rows (registry keys) are checked by windows.test.mjs.
    assert.deepEqual(tableRows().filter((r) => r[2] !== 'windows').map(key).sort(), expected);
  });

  test('every row has 8 columns, a known template and only unreachable notes', () => {
    for (const row of tableRows()) {
      assert.equal(row.length, 8, row.join(' | '));
      assert.ok(fs.existsSync(path.join(repo, 'manifests', `${row[4]}.json.in`)), row[0]);
      assert.ok(row[7] === '-' || /^unreachable: .+ Fix: .+/.test(row[7]), row[0]);
    }
  });
});

for (const [osName, table] of [['linux', LINUX_USER], ['macos', MACOS_USER]]) {
  describe(`per-user install on ${osName}`, () => {
    for (const [id, [probe, folder, family]] of Object.entries(table)) {
      test(`${id}: manifest in ~/${folder}, removed by --uninstall`, () => {
        const s = sandbox();
        s.provide(probe);
        const before = listTree(s.home);
        const r = s.run([], { OPTGUARD_OS: osName });
        assert.equal(r.status, 0, r.stderr);
        const manifest = path.join(s.home, folder, `${HOST}.json`);
        assert.match(r.stdout, new RegExp(`registered with .*: ${manifest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        assertManifest(manifest, family, path.join(s.home, '.local/bin/optguard-host'));
        const u = s.run(['--uninstall'], { OPTGUARD_OS: osName });
        assert.equal(u.status, 0, u.stderr);
        assert.deepEqual(listTree(s.home), before);
      });
    }
  });
}

describe('browsers the host cannot be reached from', () => {
  for (const [id, [probe, folder, why]] of Object.entries(UNREACHABLE)) {
    test(`${id}: says why and how to fix it, writes no manifest`, () => {
      const s = sandbox();
      s.provide(`dir:${probe}`);
      const r = s.run([], { OPTGUARD_OS: 'linux' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /cannot register with .*\. Fix: /);
      assert.match(r.stdout, why);
      assert.ok(!fs.existsSync(path.join(s.home, folder)));
    });
  }
});

describe('--system with a fake root (OPTGUARD_ROOT)', () => {
  for (const [osName, table] of [['linux', LINUX_SYSTEM], ['macos', MACOS_SYSTEM]]) {
    for (const [id, [probe, folder, family]] of Object.entries(table)) {
      test(`${osName} ${id}: manifest in /${folder} naming /usr/local/bin, removed by --uninstall`, () => {
        const s = sandbox();
        s.provide(probe, s.fakeRoot);
        const before = listTree(s.fakeRoot);
        const env = { OPTGUARD_OS: osName, OPTGUARD_ROOT: s.fakeRoot };
        const r = s.run(['--system'], env);
        assert.equal(r.status, 0, r.stderr);
        assertManifest(path.join(s.fakeRoot, folder, `${HOST}.json`), family, '/usr/local/bin/optguard-host');
        assert.ok(fs.statSync(path.join(s.fakeRoot, 'usr/local/bin/optguard-host')).mode & 0o111);
        assert.deepEqual(listTree(s.home), [], 'nothing in the home folder');
        assert.equal(s.run(['--system'], env).status, 0, 'idempotent');
        const u = s.run(['--system', '--uninstall'], env);
        assert.equal(u.status, 0, u.stderr);
        assert.deepEqual(listTree(s.fakeRoot), before);
      });
    }
  }

  test('names the absent browsers as "not installed on this system"', () => {
    const s = sandbox();
    const r = s.run(['--system'], { OPTGUARD_OS: 'linux', OPTGUARD_ROOT: s.fakeRoot });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /skipped Microsoft Edge: not installed on this system/);
  });

  test('without root and without OPTGUARD_ROOT it refuses and says to use sudo', { skip: process.getuid() === 0 }, () => {
    const s = sandbox();
    const r = s.run(['--system']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /sudo bash .*--system/);
  });
});
