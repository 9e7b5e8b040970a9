// What docs/fleet/intune/optguard-discovery.ps1 returns, modelled on Linux (the .ps1 itself cannot
// run here: no PowerShell; see ps1-model.mjs for install.ps1), and how Intune judges it with
// docs/fleet/intune/optguard-rules.json. tests/installer/intune.test.mjs checks the script's text
// for each step below and runs the model on status documents.

/**
 * The script, step for step.
 * @param {{isSystem?: boolean, installed?: string[], run?: {exitCode: number, stdout: string}}} machine
 *   isSystem: Intune ran it as SYSTEM; installed: which of the two paths hold optguard-host.exe
 *   ('user': %LOCALAPPDATA%\OptGuard, 'system': %ProgramFiles%\OptGuard); run: what
 *   `optguard-host.exe status --json` printed and its exit code
 * @returns {{result: Record<string, unknown>, found: string|null}} the hash the script returns (in its
 *   order) and which installation it found
 */
export function discoveryLikePs1({ isSystem = false, installed = ['user'], run } = {}) {
  const supportedSchemaVersion = 1;
  const hash = {
    OptGuardRunAsUser: !isSystem,
    OptGuardInstalled: false,
    OptGuardSchemaVersion: 0,
    WatchedViolations: -1,
    WatchedDue: -1,
    WatchedNotChecked: -1,
    CatalogVersion: '',
    OptGuardError: '',
  };
  const exe = ['user', 'system'].find((where) => installed.includes(where)) ?? null;
  if (!hash.OptGuardRunAsUser) {
    hash.OptGuardError = 'runs as SYSTEM: set "Run this script using the logged on credentials" to Yes';
  } else if (!exe) {
    hash.OptGuardError = 'optguard-host.exe is not installed (installer\\install.ps1)';
  } else {
    hash.OptGuardInstalled = true;
    try {
      if (run.exitCode !== 0) {
        hash.OptGuardError = `optguard-host.exe status --json exited with ${run.exitCode}`;
      } else {
        const status = JSON.parse(run.stdout);
        hash.OptGuardSchemaVersion = Math.trunc(Number(status.schema_version ?? 0));
        if (status.schema !== 'optguard-status' || status.schema_version !== supportedSchemaVersion) {
          hash.OptGuardError = `unsupported status schema: ${status.schema ?? ''} ${status.schema_version ?? ''}`;
        } else {
          hash.WatchedViolations = status.summary.violation;
          hash.WatchedDue = status.summary.due;
          hash.WatchedNotChecked = status.summary.not_checked;
          hash.CatalogVersion = String(status.catalog_version);
        }
      }
    } catch (error) {
      hash.OptGuardError = `optguard-host.exe status --json: ${error.message}`;
    }
  }
  return { result: hash, found: exe };
}

/** Intune's operators per data type (Microsoft's "Custom compliance JSON files"). */
export const OPERATORS = ['IsEquals', 'NotEquals', 'GreaterThan', 'GreaterEquals', 'LessThan', 'LessEquals'];
export const DATA_TYPES = ['Boolean', 'Int64', 'Double', 'String', 'DateTime', 'Version'];

function compare(operator, actual, operand) {
  switch (operator) {
    case 'IsEquals': return actual === operand;
    case 'NotEquals': return actual !== operand;
    case 'GreaterThan': return actual > operand;
    case 'GreaterEquals': return actual >= operand;
    case 'LessThan': return actual < operand;
    case 'LessEquals': return actual <= operand;
    default: throw new Error(`unknown operator ${operator}`);
  }
}

/**
 * Intune's verdict on one discovery result: the rules that fail (a setting missing from the result,
 * or of another type than the rule's DataType, fails too).
 * @returns {string[]} the SettingName of each failing rule
 */
export function failingRules(rules, result) {
  const typeOk = { Boolean: (v) => typeof v === 'boolean', Int64: Number.isInteger, String: (v) => typeof v === 'string' };
  return rules.Rules.filter((rule) => {
    const actual = result[rule.SettingName];
    const ofType = typeOk[rule.DataType];
    return actual === undefined || !ofType || !ofType(actual) || !compare(rule.Operator, actual, rule.Operand);
  }).map((rule) => rule.SettingName);
}
