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

/** install.ps1's New-Manifest, step for step. */
export function renderLikePs1(template, hostPath) {
  return fs.readFileSync(path.join(repo, `manifests/${template}.json.in`), 'utf8')
    .replace('"@OPTGUARD_HOST_PATH@"', JSON.stringify(hostPath))
    .replace('@OPTGUARD_HOST_NAME@', 'dev.optguard.host')
    .replace('@OPTGUARD_CHROME_EXTENSION_ID@', 'cmijejphlnikkmemcggjhadjlmobjaie')
    .replace('@OPTGUARD_FIREFOX_EXTENSION_ID@', 'optguard@optguard.dev');
}

/**
 * What install.ps1 writes for one browser row: the manifest file (InstallDir\manifests\
 * dev.optguard.host.<template>.json) and the registry key <row key>\dev.optguard.host whose
 * default value is that file's path.
 */
export function ps1Writes(row, installDir) {
  const manifest = `${installDir}\\manifests\\dev.optguard.host.${row[4]}.json`;
  return {
    key: `${row[5]}\\dev.optguard.host`,
    manifest,
    content: renderLikePs1(row[4], `${installDir}\\optguard-host.exe`),
  };
}
