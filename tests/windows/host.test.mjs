// The Windows build of the host (scripts/windows-cross.sh) under Wine (issue 6): browser mode over
// real pipes with frames whose bytes a text-mode stdin/stdout would corrupt, and `optguard doctor`
// reading the registry keys and manifests that installer/install.ps1 writes (tests/installer/
// ps1-model.mjs), put in place with Wine's `reg add`. Skipped, saying why, without Wine or the
// build; tests/windows/run.sh builds and runs everything (CI: scripts/test.sh).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { ps1Writes, windowsRows } from '../installer/ps1-model.mjs';
import { discoveryLikePs1, failingRules } from '../installer/intune-model.mjs';

const repo = path.resolve(import.meta.dirname, '../..');
const built = path.join(repo, 'build-windows');
const exe = path.join(built, 'host/optguard-host.exe');
const ORIGIN = 'chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/';

function onPath(name) {
  return (process.env.PATH ?? '').split(':').some((d) => d && fs.existsSync(path.join(d, name)));
}
const skip = !onPath('wine')
  ? 'Wine is not installed (apt-get install wine64 wine; scripts/install-deps.sh does)'
  : !fs.existsSync(exe) ? `${exe} is missing: run bash scripts/windows-cross.sh` : false;

let prefix;
let env;
function wine(args, options = {}) {
  return execFileSync('wine', args, { env, encoding: 'utf8', timeout: 120_000, ...options });
}
/** C:\... inside the prefix -> the Linux path. */
function unixPath(windowsPath) {
  return path.join(prefix, 'drive_c', ...windowsPath.replace(/^C:\\/i, '').split('\\'));
}
function frame(body) {
  const bytes = Buffer.from(body, 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(bytes.length);
  return Buffer.concat([header, bytes]);
}
/** Splits stdout into frames; throws if the bytes are not exactly whole frames. */
function frames(out) {
  const result = [];
  let at = 0;
  while (at < out.length) {
    assert.ok(at + 4 <= out.length, `a partial header at byte ${at} of ${out.length}`);
    const length = out.readUInt32LE(at);
    assert.ok(at + 4 + length <= out.length, `frame at ${at} says ${length} bytes, ${out.length - at - 4} follow`);
    result.push({ length, header: out.subarray(at, at + 4), json: JSON.parse(out.subarray(at + 4, at + 4 + length).toString('utf8')) });
    at += 4 + length;
  }
  return result;
}
/** The host in browser mode: writes `input`, closes stdin, resolves with stdout and the exit code. */
function runHost(input) {
  return new Promise((resolve, reject) => {
    const child = spawn('wine', [exe, ORIGIN], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`host timed out; stderr: ${err}`)); }, 60_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ out: Buffer.concat(out), code, err }); });
    child.stdin.end(input);
  });
}

describe('optguard-host.exe under Wine', { skip }, () => {
  before(() => {
    prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'optguard-wine-'));
    env = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
    wine(['wineboot', '--init']); // the prefix, once (~10 s)
  });
  after(() => {
    try { execFileSync('wineserver', ['-k'], { env }); } catch { /* already gone */ }
    fs.rmSync(prefix, { recursive: true, force: true });
  });

  test('browser mode reads and writes binary frames: 0x0A and 0x1A in lengths and payloads pass unchanged', async () => {
    // The reply to hello grows by one byte per plain id character and by two per '"' (written
    // \"): pick the id that makes the reply 522 bytes (header 0A 02 00 00), which text-mode stdout
    // would write as 0D 0A 02 00 00. An id is at most 128 characters.
    const probe = await runHost(frame('{"id":"","type":"hello"}'));
    const base = frames(probe.out)[0].length;
    const target = 0x020a;
    const extra = target - base;
    const quotes = Math.max(0, extra - 128);
    const id = '"'.repeat(quotes) + 'x'.repeat(extra - 2 * quotes);
    assert.ok(extra > 0 && id.length <= 128 && extra - 2 * quotes >= 0, `id of ${id.length} characters for ${extra} bytes`);
    // A request of 0x0A1A = 2586 bytes (header 1A 0A 00 00: text-mode stdin stops at 0x1A), padded
    // with JSON whitespace "\r\n" and "\n" (text mode would turn \r\n into \n and lose bytes).
    let body = `{"id":${JSON.stringify(id)},"type":"hello"}`;
    body = body.slice(0, -1) + '\r\n'.repeat(500) + '\n'.repeat(2586 - body.length - 1000) + '}';
    assert.equal(Buffer.byteLength(body), 0x0a1a);
    const request = frame(body);
    assert.deepEqual([...request.subarray(0, 4)], [0x1a, 0x0a, 0x00, 0x00]);
    const second = frame('{"id":2,"type":"hello"}');

    const { out, code, err } = await runHost(Buffer.concat([request, second]));
    assert.equal(code, 0, `exit status; stderr: ${err}`);
    const replies = frames(out);
    assert.equal(replies.length, 2, `two replies, got ${out.length} bytes`);
    assert.deepEqual([...replies[0].header], [0x0a, 0x02, 0x00, 0x00]);
    assert.equal(replies[0].json.id, id);
    assert.equal(replies[0].json.ok, true);
    assert.equal(replies[0].json.host, 'optguard-host');
    assert.equal(replies[0].json.catalog_error, null, 'the catalog loads from the build tree');
    assert.equal(replies[1].json.id, 2);
    assert.equal(out.length, 4 + target + 4 + replies[1].length, 'no byte added or lost');
  });

  test('a report is stored under %LOCALAPPDATA%\\OptGuard\\state and read back by status', async () => {
    const report = frame(JSON.stringify({ id: 1, type: 'report', platform: 'linkedin', setting: 'generative-ai-training', state: 'off', url: 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement' }));
    const first = frames((await runHost(report)).out)[0].json;
    assert.equal(first.ok, true, JSON.stringify(first));
    const local = wine(['cmd', '/c', 'echo %LOCALAPPDATA%']).trim();
    assert.ok(fs.existsSync(path.join(unixPath(local), 'OptGuard', 'state')), `${local}\\OptGuard\\state exists`);
    const status = frames((await runHost(frame('{"id":2,"type":"status"}'))).out)[0].json;
    assert.equal(status.ok, true, JSON.stringify(status));
    assert.match(JSON.stringify(status), /generative-ai-training/);
  });

  test('status --json on Windows is what the Intune discovery script reads (docs/fleet.md)', () => {
    // Runs after the report above: LinkedIn's setting is off, every other one never checked.
    let stdout;
    let exitCode = 0;
    try {
      stdout = wine([exe, 'status', '--json']);
    } catch (error) {
      ({ stdout } = error);
      exitCode = error.status;
    }
    const status = JSON.parse(stdout);
    assert.equal(status.schema_version, 1);
    assert.equal(status.settings.find((r) => r.setting === 'generative-ai-training').verdict, 'compliant');
    const { result } = discoveryLikePs1({ run: { exitCode, stdout } });
    assert.equal(result.OptGuardError, '');
    assert.equal(result.OptGuardSchemaVersion, 1);
    assert.equal(result.WatchedViolations, 0);
    assert.equal(result.WatchedDue, status.summary.due);
    assert.ok(result.WatchedDue > 0, 'the settings never checked are due');
    const rules = JSON.parse(fs.readFileSync(path.join(repo, 'docs/fleet/intune/optguard-rules.json'), 'utf8'));
    assert.deepEqual(failingRules(rules, result), ['WatchedDue']);
  });

  test('optguard doctor reads the registry keys install.ps1 writes (HKCU, then HKLM) and checks each manifest', () => {
    const local = wine(['cmd', '/c', 'echo %LOCALAPPDATA%']).trim();
    const roaming = wine(['cmd', '/c', 'echo %APPDATA%']).trim();
    // install.ps1's layout: InstallDir\optguard-host.exe, InstallDir\share\optguard\catalog.
    const installDir = `${local}\\OptGuard`;
    const unixInstall = unixPath(installDir);
    fs.mkdirSync(path.join(unixInstall, 'manifests'), { recursive: true });
    fs.copyFileSync(exe, path.join(unixInstall, 'optguard-host.exe'));
    fs.cpSync(path.join(built, 'share/optguard/catalog'), path.join(unixInstall, 'share/optguard/catalog'), { recursive: true });
    // Chrome, Firefox and Edge are installed (their probes exist); Chromium is not.
    for (const dir of [`${local}\\Google\\Chrome\\User Data`, `${roaming}\\Mozilla\\Firefox`, `${local}\\Microsoft\\Edge\\User Data`]) {
      fs.mkdirSync(unixPath(dir), { recursive: true });
    }
    const rows = windowsRows();
    const row = (scope, id) => rows.find((r) => r[3] === scope && r[0] === id);
    // Chrome and Firefox per user (HKCU), Edge only machine-wide (HKLM), as -System would.
    for (const r of [row('user', 'chrome'), row('user', 'firefox'), row('system', 'edge')]) {
      const w = ps1Writes(r, installDir);
      fs.writeFileSync(unixPath(w.manifest), w.content);
      wine(['reg', 'add', w.key, '/ve', '/t', 'REG_SZ', '/d', w.manifest, '/f']);
    }

    let output;
    let status = 0;
    try {
      output = wine([path.join(unixInstall, 'optguard-host.exe'), 'doctor']);
    } catch (error) {
      output = error.stdout;
      status = error.status;
    }
    output = output.replaceAll('\r\n', '\n'); // the CLI writes text: CRLF on a Windows console
    const section = (name) => output.split('\n\n').find((s) => s.startsWith(`${name}\n`)) ?? '';
    const chrome = section('Google Chrome');
    assert.ok(chrome.includes(`ok    registered: HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.optguard.host = ${installDir}\\manifests\\dev.optguard.host.chromium.json`), output);
    assert.match(chrome, /ok {4}manifest present: .*dev\.optguard\.host\.chromium\.json/);
    assert.ok(chrome.includes(`ok    path ${JSON.stringify(`${installDir}\\optguard-host.exe`)} exists and is executable`), output);
    assert.match(chrome, /ok {4}allowed_origins is \["chrome-extension:\/\/cmijejphlnikkmemcggjhadjlmobjaie\/"\]/);
    assert.match(chrome, /ok {4}the host starts and answers hello \(version .*, protocol 1\)/);
    const firefox = section('Firefox');
    assert.ok(firefox.includes('ok    registered: HKCU\\Software\\Mozilla\\NativeMessagingHosts\\dev.optguard.host'), output);
    assert.match(firefox, /ok {4}allowed_extensions is \["optguard@optguard\.dev"\]/);
    assert.match(firefox, /ok {4}the host starts and answers hello/);
    const edge = section('Microsoft Edge');
    assert.ok(edge.includes('ok    registered: HKLM\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\dev.optguard.host'), output);
    assert.match(edge, /ok {4}the host starts and answers hello/);
    assert.equal(section('Chromium'), '', 'Chromium is not installed: not checked');
    assert.match(output, /Catalog .*\n {2}ok {4}loads/);
    assert.match(output, /Everything is in order\./);
    assert.equal(status, 0);

    // Remove Firefox's key: the doctor says so, names both keys and the fix, exit status 1.
    wine(['reg', 'delete', ps1Writes(row('user', 'firefox'), installDir).key, '/f']);
    try {
      wine([path.join(unixInstall, 'optguard-host.exe'), 'doctor']);
      assert.fail('doctor should fail');
    } catch (error) {
      assert.equal(error.status, 1);
      error.stdout = error.stdout.replaceAll('\r\n', '\n');
      assert.ok(error.stdout.includes('FAIL  not registered: no registry key HKCU\\Software\\Mozilla\\NativeMessagingHosts\\dev.optguard.host or HKLM\\Software\\Mozilla\\NativeMessagingHosts\\dev.optguard.host'), error.stdout);
      assert.ok(error.stdout.includes('fix: powershell -File installer\\install.ps1'), error.stdout);
    }
  });
});
