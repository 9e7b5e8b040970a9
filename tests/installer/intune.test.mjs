// The Intune discovery script (docs/fleet/intune/optguard-discovery.ps1) without Windows, the way
// install.ps1 is checked (ps1-model.mjs): CI has no PowerShell, so intune-model.mjs does what the
// script does, this file checks the script's text for each of those steps, and the model runs on
// status documents: the one the host is pinned to (docs/fleet/status-v1.example.json) and variants.
// Intune's rule semantics then judge the results with docs/fleet/intune/optguard-rules.json.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { DATA_TYPES, OPERATORS, discoveryLikePs1, failingRules } from './intune-model.mjs';

const repo = path.resolve(import.meta.dirname, '../..');
const script = fs.readFileSync(path.join(repo, 'docs/fleet/intune/optguard-discovery.ps1'), 'utf8');
const rules = JSON.parse(fs.readFileSync(path.join(repo, 'docs/fleet/intune/optguard-rules.json'), 'utf8'));
const example = JSON.parse(fs.readFileSync(path.join(repo, 'docs/fleet/status-v1.example.json'), 'utf8'));

const ran = (document, extra = {}) => discoveryLikePs1({ run: { exitCode: 0, stdout: JSON.stringify(document) }, ...extra });
/** The example machine with every watched setting in order. */
const inOrder = { ...example, summary: { ...example.summary, compliant: 3, violation: 0, not_checked: 0, due: 0 } };

describe('docs/fleet/intune/optguard-discovery.ps1 (checked on Linux)', () => {
  test('it returns one line of compressed JSON, as Intune requires, and nothing else', () => {
    assert.match(script, /\nreturn \$hash \| ConvertTo-Json -Compress\n$/);
    assert.doesNotMatch(script, /Write-(Host|Output)/, 'any other output would break the one line');
  });

  test('its hash has the model\'s keys, in the model\'s order, with the model\'s starting values', () => {
    const keys = [...script.matchAll(/^ {2}(\w+) += (.+)$/gm)].map((m) => [m[1], m[2]]);
    assert.deepEqual(keys, [
      ['OptGuardRunAsUser', '-not [Security.Principal.WindowsIdentity]::GetCurrent().IsSystem'],
      ['OptGuardInstalled', '$false'],
      ['OptGuardSchemaVersion', '0'],
      ['WatchedViolations', '-1'],
      ['WatchedDue', '-1'],
      ['WatchedNotChecked', '-1'],
      ['CatalogVersion', "''"],
      ['OptGuardError', "''"],
    ]);
    assert.deepEqual(keys.map(([k]) => k), Object.keys(discoveryLikePs1({ isSystem: true }).result));
  });

  test('it looks for the host where install.ps1 puts it, per user first', () => {
    assert.ok(script.includes("(Join-Path $env:LOCALAPPDATA 'OptGuard\\optguard-host.exe'),\n  (Join-Path $env:ProgramFiles 'OptGuard\\optguard-host.exe')"));
    assert.ok(script.includes('Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1'));
    const ps1 = fs.readFileSync(path.join(repo, 'installer/install.ps1'), 'utf8');
    assert.ok(ps1.includes("Join-Path $env:LOCALAPPDATA 'OptGuard'") && ps1.includes("Join-Path $env:ProgramFiles 'OptGuard'"));
    assert.ok(ps1.includes("$destExe = Join-Path $InstallDir 'optguard-host.exe'"));
  });

  test('each branch of the model is in the script, in the same order', () => {
    const steps = [
      "if (-not $hash.OptGuardRunAsUser) {\n  $hash.OptGuardError = 'runs as SYSTEM: set \"Run this script using the logged on credentials\" to Yes'",
      "} elseif (-not $exe) {\n  $hash.OptGuardError = 'optguard-host.exe is not installed (installer\\install.ps1)'",
      '$hash.OptGuardInstalled = $true',
      '$output = & $exe status --json 2>$null',
      'if ($LASTEXITCODE -ne 0) {\n      $hash.OptGuardError = "optguard-host.exe status --json exited with $LASTEXITCODE"',
      '$status = ($output -join "`n") | ConvertFrom-Json',
      '$hash.OptGuardSchemaVersion = [int64]$status.schema_version',
      "if ($status.schema -cne 'optguard-status' -or $status.schema_version -ne $SupportedSchemaVersion) {",
      '$hash.OptGuardError = "unsupported status schema: $($status.schema) $($status.schema_version)"',
      '$hash.WatchedViolations = [int64]$status.summary.violation',
      '$hash.WatchedDue = [int64]$status.summary.due',
      '$hash.WatchedNotChecked = [int64]$status.summary.not_checked',
      '$hash.CatalogVersion = [string]$status.catalog_version',
      '} catch {\n    $hash.OptGuardError = "optguard-host.exe status --json: $($_.Exception.Message)"',
    ];
    let from = 0;
    for (const step of steps) {
      const at = script.indexOf(step, from);
      assert.ok(at >= 0, `missing, or out of order: ${step}`);
      from = at + step.length;
    }
    assert.match(script, /^\$SupportedSchemaVersion = 1$/m);
  });
});

describe('the discovery result (intune-model.mjs) on status documents', () => {
  test('the pinned example: installed, schema 1, one violation, two due, one never checked', () => {
    const { result, found: exe } = ran(example);
    assert.equal(exe, 'user');
    assert.deepEqual(result, {
      OptGuardRunAsUser: true,
      OptGuardInstalled: true,
      OptGuardSchemaVersion: 1,
      WatchedViolations: 1,
      WatchedDue: 2,
      WatchedNotChecked: 1,
      CatalogVersion: '2026.11.23',
      OptGuardError: '',
    });
    assert.deepEqual(failingRules(rules, result), ['WatchedViolations', 'WatchedDue']);
  });

  test('a machine with every watched setting in order is compliant', () => {
    const { result } = ran(inOrder);
    assert.deepEqual(failingRules(rules, result), []);
  });

  test('a system-wide install (%ProgramFiles%) is found when there is no per-user one', () => {
    assert.equal(ran(inOrder, { installed: ['system'] }).found, 'system');
    assert.equal(ran(inOrder, { installed: ['system', 'user'] }).found, 'user');
  });

  test('without OptGuard: not installed, the counts unknown, not compliant', () => {
    const { result } = discoveryLikePs1({ installed: [] });
    assert.equal(result.OptGuardInstalled, false);
    assert.equal(result.WatchedDue, -1);
    assert.match(result.OptGuardError, /not installed/);
    assert.deepEqual(failingRules(rules, result), ['OptGuardInstalled', 'OptGuardSchemaVersion', 'WatchedViolations', 'WatchedDue']);
  });

  test('run as SYSTEM: it does not read SYSTEM\'s (empty) history, and says why', () => {
    const { result, found: exe } = discoveryLikePs1({ isSystem: true, run: { exitCode: 0, stdout: JSON.stringify(inOrder) } });
    assert.equal(result.OptGuardRunAsUser, false);
    assert.equal(result.WatchedViolations, -1);
    assert.match(result.OptGuardError, /logged on credentials/);
    assert.ok(exe, 'installed, but not run');
    assert.ok(failingRules(rules, result).includes('OptGuardRunAsUser'));
  });

  test('a helper app that fails (broken catalog: exit 1) or prints no JSON: the reason, counts unknown', () => {
    const failed = discoveryLikePs1({ run: { exitCode: 1, stdout: '' } }).result;
    assert.equal(failed.OptGuardError, 'optguard-host.exe status --json exited with 1');
    assert.equal(failed.OptGuardSchemaVersion, 0);
    const garbled = discoveryLikePs1({ run: { exitCode: 0, stdout: 'not json' } }).result;
    assert.match(garbled.OptGuardError, /^optguard-host\.exe status --json: /);
    assert.equal(garbled.WatchedViolations, -1);
  });

  test('a future schema version is not read as version 1', () => {
    const { result } = ran({ ...inOrder, schema_version: 2, summary: { renamed: true } });
    assert.equal(result.OptGuardSchemaVersion, 2);
    assert.equal(result.OptGuardError, 'unsupported status schema: optguard-status 2');
    assert.equal(result.WatchedViolations, -1);
    assert.deepEqual(failingRules(rules, result), ['OptGuardSchemaVersion', 'WatchedViolations', 'WatchedDue']);
  });
});

describe('docs/fleet/intune/optguard-rules.json', () => {
  test('every rule is well formed for Intune: known operator and type, an en_US remediation string', () => {
    for (const rule of rules.Rules) {
      assert.ok(OPERATORS.includes(rule.Operator), rule.Operator);
      assert.ok(DATA_TYPES.includes(rule.DataType), rule.DataType);
      assert.deepEqual(Object.keys(rule).sort(), ['DataType', 'MoreInfoUrl', 'Operand', 'Operator', 'RemediationStrings', 'SettingName']);
      assert.ok(rule.RemediationStrings.some((r) => r.Language === 'en_US' && r.Title && r.Description), rule.SettingName);
    }
    assert.ok(JSON.stringify(rules).length < 100 * 1024, 'Intune takes up to 100 KB');
  });

  test('every rule names a value the script returns, with the script\'s type', () => {
    const { result } = ran(inOrder);
    for (const rule of rules.Rules) {
      assert.ok(rule.SettingName in result, rule.SettingName);
    }
    assert.deepEqual(rules.Rules.map((r) => r.SettingName),
      ['OptGuardRunAsUser', 'OptGuardInstalled', 'OptGuardSchemaVersion', 'WatchedViolations', 'WatchedDue']);
  });
});
