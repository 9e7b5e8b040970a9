// Windows without Windows: CI has neither Windows nor pwsh, so these tests check what
// installer/install.ps1 writes from its inputs. The registry keys are the rows of
// installer/browsers.tsv with os = windows (the .ps1 reads nothing else), compared here with the
// keys the browser vendors document, written out by hand; the manifests are the templates filled by
// the .ps1's rule (the host path through ConvertTo-Json, i.e. JSON-escaped), rendered here the same
// way for a path with backslashes and spaces.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { allowedIdsLikePs1, renderLikePs1, windowsRows } from './ps1-model.mjs';

const repo = path.resolve(import.meta.dirname, '../..');
const ps1 = fs.readFileSync(path.join(repo, 'installer/install.ps1'), 'utf8');
const rows = windowsRows();

const EXPECTED = {
  'user/chrome': ['HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts', 'chromium'],
  'user/chromium': ['HKCU\\Software\\Chromium\\NativeMessagingHosts', 'chromium'],
  'user/edge': ['HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts', 'chromium'],
  // Chromium reads Google Chrome's key in every build (native_process_launcher_win.cc); Brave and
  // Vivaldi document no key of their own.
  'user/brave': ['HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts', 'chromium'],
  'user/vivaldi': ['HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts', 'chromium'],
  'user/opera': ['HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts', 'chromium'],
  'user/firefox': ['HKCU\\Software\\Mozilla\\NativeMessagingHosts', 'firefox'],
  'system/chrome': ['HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts', 'chromium'],
  'system/chromium': ['HKLM\\Software\\Chromium\\NativeMessagingHosts', 'chromium'],
  'system/edge': ['HKLM\\Software\\Microsoft\\Edge\\NativeMessagingHosts', 'chromium'],
  'system/firefox': ['HKLM\\Software\\Mozilla\\NativeMessagingHosts', 'firefox'],
  'system/brave': ['HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts', 'chromium'],
  'system/vivaldi': ['HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts', 'chromium'],
  'system/opera': ['HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts', 'chromium'],
};

describe('installer/install.ps1 (checked on Linux)', () => {
  test('the Windows rows are exactly the documented registry keys, per user (HKCU) and system-wide (HKLM)', () => {
    const got = Object.fromEntries(rows.map((r) => [`${r[3]}/${r[0]}`, [r[5], r[4]]]));
    assert.deepEqual(got, EXPECTED);
  });

  test('every Windows probe is a %VARIABLE% path the script can expand', () => {
    for (const r of rows) {
      for (const probe of r[6].split(',')) {
        assert.match(probe, /^%[A-Za-z()0-9]+%\\/, `${r[0]}: ${probe}`);
      }
    }
  });

  test('the script reads those rows and fills the templates the way the test renders them', () => {
    assert.match(ps1, /Join-Path \$PSScriptRoot 'browsers\.tsv'/);
    assert.match(ps1, /\$_\.Os -eq 'windows' -and \$_\.Scope -eq \$Scope/);
    assert.ok(ps1.includes(`$text.Replace('"@OPTGUARD_HOST_PATH@"', (ConvertTo-Json -InputObject $HostPath))`));
    assert.ok(ps1.includes(`$text.Replace('@OPTGUARD_ALLOWED_ORIGINS@', (ConvertTo-Json -InputObject (Get-AllowedIds 'chromium') -Compress))`));
    assert.ok(ps1.includes(`$text.Replace('@OPTGUARD_ALLOWED_EXTENSIONS@', (ConvertTo-Json -InputObject (Get-AllowedIds 'firefox') -Compress))`));
    assert.match(ps1, /ConvertTo-RegistryPath/);
    for (const template of ['chromium', 'firefox']) {
      const source = fs.readFileSync(path.join(repo, `manifests/${template}.json.in`), 'utf8');
      assert.equal(source.split('"@OPTGUARD_HOST_PATH@"').length, 2, `${template}: the quoted placeholder occurs once`);
    }
  });

  for (const family of ['chromium', 'firefox']) {
    test(`the ${family} manifest for a Windows path is valid JSON with that exact path`, () => {
      const hostPath = 'C:\\Users\\Ann Lee\\AppData\\Local\\OptGuard\\optguard-host.exe';
      const manifest = JSON.parse(renderLikePs1(family, hostPath));
      assert.equal(manifest.path, hostPath);
      assert.equal(manifest.name, 'dev.optguard.host');
      assert.equal(manifest.type, 'stdio');
      if (family === 'firefox') {
        assert.deepEqual(manifest.allowed_extensions, ['optguard@optguard.dev']);
      } else {
        assert.deepEqual(manifest.allowed_origins, ['chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/']);
      }
    });
  }

  test('the ids come from the table the build staged, as the model reads it', () => {
    assert.ok(ps1.includes(`$table = Join-Path $BuildDir 'share\\optguard\\extension-ids.tsv'`));
    assert.ok(ps1.includes(`if ($c[0] -ne $Family -or $c[3] -eq '-') { continue }`), 'unknown ids (-) are left out');
    assert.ok(ps1.includes(`if ($c[3] -cnotmatch '^[a-p]{32}$')`), 'Chromium ids are checked');
    assert.ok(ps1.includes('$ids += "chrome-extension://$($c[3])/"'));
    assert.ok(ps1.includes('return ,$ids'), 'a one-id list stays an array for ConvertTo-Json');
  });

  test('store ids, once known, are allowed next to the unpacked one; unknown ones (-) are not', () => {
    const table = 'chromium\tunpacked\tu\tcmijejphlnikkmemcggjhadjlmobjaie\n'
      + 'chromium\tchrome-web-store\tCWS\taaaabbbbccccddddeeeeffffgggghhhh\n'
      + 'chromium\tedge-add-ons\tEdge\t-\n'
      + 'firefox\tgecko\tF\toptguard@optguard.dev\n';
    const manifest = JSON.parse(renderLikePs1('chromium', 'C:\\OptGuard\\optguard-host.exe', table));
    assert.deepEqual(manifest.allowed_origins, ['chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/',
      'chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/']);
    assert.throws(() => allowedIdsLikePs1('chromium', 'chromium\tunpacked\tu\tNOT-AN-ID\n'), /32 letters a-p/);
    assert.throws(() => allowedIdsLikePs1('firefox', 'chromium\tunpacked\tu\tcmijejphlnikkmemcggjhadjlmobjaie\n'), /no firefox extension id/);
  });

  test('uninstall removes what the record lists: files and reg: keys', () => {
    assert.match(ps1, /\$written\.Add\("reg:\$key"\)/);
    assert.match(ps1, /if \(\$line\.StartsWith\('reg:'\)\)/);
  });
});
