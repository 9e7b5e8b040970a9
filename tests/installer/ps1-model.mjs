// What installer/install.ps1 writes, modelled on Linux from the same inputs (the .ps1 itself cannot
// run here: no PowerShell): the rows of installer/browsers.tsv with os = windows, and each
// manifest rendered by the .ps1's New-Manifest rule. Used by tests/installer/windows.test.mjs
// (checked as text) and tests/windows/host.test.mjs (written into Wine's registry for the doctor).
import fs from 'node:fs';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');

/** The windows rows of browsers.tsv: [id, name, os, scope, template, key, probe, note]. */
export function windowsRows() {
  return fs.readFileSync(path.join(repo, 'installer/browsers.tsv'), 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'))
    .filter((r) => r[2] === 'windows');
}

/** The table the build stages when no build option changes an id: installer/extension-ids.tsv. */
export const REPO_IDS_TABLE = fs.readFileSync(path.join(repo, 'installer/extension-ids.tsv'), 'utf8');

/** install.ps1's Get-AllowedIds, step for step: one family's ids from the staged table. */
export function allowedIdsLikePs1(family, table = REPO_IDS_TABLE) {
  const ids = [];
  for (const line of table.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) {
      continue;
    }
    const c = line.split('\t');
    if (c[0] !== family || c[3] === '-') {
      continue;
    }
    if (family === 'chromium') {
      if (!/^[a-p]{32}$/.test(c[3])) {
        throw new Error(`install.ps1: ${c[1]}: a Chromium extension id is 32 letters a-p, got '${c[3]}'`);
      }
      ids.push(`chrome-extension://${c[3]}/`);
    } else {
      if (!/^[A-Za-z0-9._@{}+-]+$/.test(c[3])) {
        throw new Error(`install.ps1: ${c[1]}: not a Firefox add-on id: '${c[3]}'`);
      }
      ids.push(c[3]);
    }
  }
  if (ids.length === 0) {
    throw new Error(`install.ps1: no ${family} extension id`);
  }
  return ids;
}

/** install.ps1's New-Manifest, step for step (ConvertTo-Json -Compress of an array: no spaces). */
export function renderLikePs1(template, hostPath, table = REPO_IDS_TABLE) {
  return fs.readFileSync(path.join(repo, `manifests/${template}.json.in`), 'utf8')
    .replace('"@OPTGUARD_HOST_PATH@"', JSON.stringify(hostPath))
    .replace('@OPTGUARD_HOST_NAME@', 'dev.optguard.host')
    .replace('@OPTGUARD_ALLOWED_ORIGINS@', JSON.stringify(allowedIdsLikePs1('chromium', table)))
    .replace('@OPTGUARD_ALLOWED_EXTENSIONS@', JSON.stringify(allowedIdsLikePs1('firefox', table)));
}

/**
 * What install.ps1 writes for one browser row: the manifest file (InstallDir\manifests\
 * dev.optguard.host.<template>.json) and the registry key <row key>\dev.optguard.host whose
 * default value is that file's path.
 */
export function ps1Writes(row, installDir, table = REPO_IDS_TABLE) {
  const manifest = `${installDir}\\manifests\\dev.optguard.host.${row[4]}.json`;
  return {
    key: `${row[5]}\\dev.optguard.host`,
    manifest,
    content: renderLikePs1(row[4], `${installDir}\\optguard-host.exe`, table),
  };
}
