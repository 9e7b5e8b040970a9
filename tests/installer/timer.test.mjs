// The daily `optguard remind` the installer sets up (issue 5): systemd user units on Linux, a launchd
// agent on macOS (written on Linux with OPTGUARD_OS=macos and checked as text). A fake `systemctl`
// on the controlled PATH records its arguments, so the tests prove what install and uninstall run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { JSDOM } from 'jsdom';
import path from 'node:path';
import process from 'node:process';

import { installerSandbox, listTree } from './sandbox.mjs';

const ENABLE = 'systemctl --user enable --now optguard-remind.timer';

/**
 * @param {{systemctl?: 'running'|'offline'|null, launchctl?: boolean}} options
 *   systemctl: what the fake answers to `is-system-running` (null: no systemctl on PATH)
 */
function sandbox({ systemctl = null, launchctl = false } = {}) {
  const { root, home, bin, run } = installerSandbox('timer');
  const log = path.join(root, 'calls.log');
  const recorder = (name, body = '') => fs.writeFileSync(path.join(bin, name),
    `#!${path.join(bin, 'bash')}\necho "${name} $*" >>'${log}'\n${body}exit 0\n`, { mode: 0o755 });
  if (systemctl) {
    recorder('systemctl', `[[ "$*" == "--user is-system-running" ]] && { echo ${systemctl}; [[ ${systemctl} == running ]] || exit 1; }\n`);
  }
  if (launchctl) {
    recorder('launchctl');
  }
  const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []);
  return { root, home, run, calls };
}

const unitDir = (home) => path.join(home, '.config/systemd/user');

describe('systemd user timer', () => {
  test('units name the installed optguard by absolute path and run it daily, catching up missed runs', () => {
    const s = sandbox();
    assert.equal(s.run().status, 0);
    const service = fs.readFileSync(path.join(unitDir(s.home), 'optguard-remind.service'), 'utf8');
    const timer = fs.readFileSync(path.join(unitDir(s.home), 'optguard-remind.timer'), 'utf8');
    assert.match(service, new RegExp(`^ExecStart="${path.join(s.home, '.local/bin/optguard')}" remind$`, 'm'));
    assert.match(service, /^Type=oneshot$/m);
    assert.match(timer, /^OnCalendar=daily$/m);
    assert.match(timer, /^Persistent=true$/m);
    assert.match(timer, /^RandomizedDelaySec=\S+$/m);
    assert.match(timer, /^WantedBy=timers\.target$/m);
    assert.doesNotMatch(service + timer, /@OPTGUARD_/);
    assert.equal(fs.statSync(path.join(unitDir(s.home), 'optguard-remind.timer')).mode & 0o777, 0o644);
  });

  test('a reachable user systemd: install reloads and enables the timer, uninstall disables it', () => {
    const s = sandbox({ systemctl: 'running' });
    const r = s.run();
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(s.calls(), [
      'systemctl --user is-system-running',
      'systemctl --user daemon-reload',
      'systemctl --user enable --now optguard-remind.timer',
    ]);
    assert.match(r.stdout, /daily reminders: enabled optguard-remind\.timer/);

    const u = s.run(['--uninstall']);
    assert.equal(u.status, 0, u.stderr);
    assert.deepEqual(s.calls().slice(3), [
      'systemctl --user is-system-running',
      'systemctl --user disable --now optguard-remind.timer',
      'systemctl --user is-system-running',
      'systemctl --user daemon-reload',
    ]);
    assert.match(u.stdout, /disabled optguard-remind\.timer/);
    assert.ok(!fs.existsSync(path.join(unitDir(s.home), 'optguard-remind.timer')));
  });

  test('systemctl without a user manager (offline): units written, not enabled, the commands printed', () => {
    const s = sandbox({ systemctl: 'offline' });
    const r = s.run();
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(s.calls(), ['systemctl --user is-system-running']);
    assert.match(r.stdout, /no per-user systemd is reachable/);
    assert.ok(r.stdout.includes(`systemctl --user daemon-reload && ${ENABLE}`));
    assert.ok(fs.existsSync(path.join(unitDir(s.home), 'optguard-remind.timer')));
  });

  test('no systemctl at all: units written and the message says exactly how to enable them', () => {
    const s = sandbox();
    const r = s.run();
    assert.equal(r.status, 0, r.stderr);
    const timer = path.join(unitDir(s.home), 'optguard-remind.timer');
    assert.ok(r.stdout.includes(`daily reminders: wrote ${timer} and optguard-remind.service, but no per-user systemd is reachable from here.`));
    assert.ok(r.stdout.includes(`  systemctl --user daemon-reload && ${ENABLE}\n`));
  });

  test('the units are in the installed-files record and uninstall removes exactly them (and the folders it made)', () => {
    const s = sandbox();
    fs.mkdirSync(path.join(s.home, '.config'), { recursive: true });
    const before = listTree(s.home);
    assert.equal(s.run().status, 0);
    const record = fs.readFileSync(path.join(s.home, '.local/share/optguard/installed-files'), 'utf8').split('\n');
    assert.ok(record.includes(path.join(unitDir(s.home), 'optguard-remind.service')));
    assert.ok(record.includes(path.join(unitDir(s.home), 'optguard-remind.timer')));
    assert.ok(record.includes(`dir:${unitDir(s.home)}`));
    const u = s.run(['--uninstall']);
    assert.equal(u.status, 0, u.stderr);
    assert.match(u.stdout, /removed .*optguard-remind\.service/);
    assert.deepEqual(listTree(s.home), before);
  });

  test('uninstall keeps other units in the same folder, and removes a leftover enable link of ours', () => {
    const s = sandbox();
    const units = unitDir(s.home);
    fs.mkdirSync(path.join(units, 'timers.target.wants'), { recursive: true });
    fs.writeFileSync(path.join(units, 'other.timer'), '[Timer]\n');
    fs.symlinkSync('../other.timer', path.join(units, 'timers.target.wants/other.timer'));
    const before = listTree(s.home);
    assert.equal(s.run().status, 0);
    // As `systemctl --user enable` would have left it, run from the desktop session later.
    fs.symlinkSync(path.join(units, 'optguard-remind.timer'), path.join(units, 'timers.target.wants/optguard-remind.timer'));
    const u = s.run(['--uninstall']);
    assert.equal(u.status, 0, u.stderr);
    assert.deepEqual(listTree(s.home), before);
  });

  test('is idempotent: a second install rewrites the same two units', () => {
    const s = sandbox({ systemctl: 'running' });
    assert.equal(s.run().status, 0);
    const first = listTree(s.home);
    assert.equal(s.run().status, 0);
    assert.deepEqual(listTree(s.home), first);
    assert.equal(s.calls().filter((c) => c === ENABLE).length, 2);
  });

  test('XDG_CONFIG_HOME moves the units where the user manager looks', () => {
    const s = sandbox();
    const config = path.join(s.root, 'xdg-config');
    const r = s.run([], { XDG_CONFIG_HOME: config });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(fs.existsSync(path.join(config, 'systemd/user/optguard-remind.timer')));
  });

  test('--system writes no user timer and does not call systemctl', () => {
    const s = sandbox({ systemctl: 'running' });
    const fakeRoot = path.join(s.root, 'root');
    fs.mkdirSync(fakeRoot);
    const r = s.run(['--system'], { OPTGUARD_ROOT: fakeRoot, OPTGUARD_OS: 'linux' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /--system sets up no per-user timer/);
    assert.deepEqual(s.calls(), []);
    assert.deepEqual(listTree(s.home), []);
    assert.ok(!listTree(fakeRoot).some((p) => /optguard-remind|LaunchAgents/.test(p)));
  });
});

describe('launchd agent (macOS, written on Linux with OPTGUARD_OS=macos)', () => {
  const plistPath = (home) => path.join(home, 'Library/LaunchAgents/dev.optguard.remind.plist');

  test('a daily StartCalendarInterval agent running the installed optguard remind', () => {
    const s = sandbox();
    const r = s.run([], { OPTGUARD_OS: 'macos' });
    assert.equal(r.status, 0, r.stderr);
    const plist = fs.readFileSync(plistPath(s.home), 'utf8');
    assert.match(plist, /<key>Label<\/key>\s*<string>dev\.optguard\.remind<\/string>/);
    assert.match(plist, new RegExp(`<array>\\s*<string>${path.join(s.home, '.local/bin/optguard')}</string>\\s*<string>remind</string>\\s*</array>`));
    assert.match(plist, /<key>StartCalendarInterval<\/key>\s*<dict>\s*<key>Hour<\/key>\s*<integer>\d+<\/integer>\s*<key>Minute<\/key>/);
    assert.doesNotMatch(plist, /@OPTGUARD_/);
    const doc = new new JSDOM().window.DOMParser().parseFromString(plist, 'application/xml');
    assert.equal(doc.getElementsByTagName('parsererror').length, 0, 'well-formed XML');
    assert.equal(doc.documentElement.tagName, 'plist');
    assert.ok(!fs.existsSync(unitDir(s.home)), 'no systemd units on macOS');
    assert.ok(r.stdout.includes(`launchctl bootstrap gui/$(id -u) '${plistPath(s.home)}'`));
  });

  test('with launchctl: bootstrap on install, bootout on uninstall, and the plist is removed', () => {
    const s = sandbox({ launchctl: true });
    const before = listTree(s.home);
    assert.equal(s.run([], { OPTGUARD_OS: 'macos' }).status, 0);
    const uid = process.getuid();
    assert.deepEqual(s.calls(), [
      `launchctl bootout gui/${uid}/dev.optguard.remind`,
      `launchctl bootstrap gui/${uid} ${plistPath(s.home)}`,
    ]);
    const u = s.run(['--uninstall'], { OPTGUARD_OS: 'macos' });
    assert.equal(u.status, 0, u.stderr);
    assert.equal(s.calls().at(-1), `launchctl bootout gui/${uid}/dev.optguard.remind`);
    assert.deepEqual(listTree(s.home), before);
  });
});
