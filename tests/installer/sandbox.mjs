// The throw-away world the installer tests run installer/install.sh in: a HOME, a PATH holding
// only the tools install.sh uses (so which browsers are "installed" is the test's choice, not the
// machine's) and a stand-in build tree, since the installer copies whatever host and catalog the
// build produced. Every sandbox is removed when the test file ends.
import { after } from 'node:test';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');
const INSTALLER = path.join(REPO, 'installer/install.sh');
const TOOLS = ['bash', 'sed', 'install', 'ln', 'rm', 'mv', 'chmod', 'grep', 'sort', 'dirname', 'basename', 'cut', 'awk',
  'rmdir', 'cat'];

const roots = [];
after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

/**
 * @param {string} name part of the temporary folder's name
 * @param {{host?: string, catalog?: Record<string, string>, ids?: string}} [options] the stand-in host
 *   script, catalog files (name -> text) and extension-ids table (default: installer/extension-ids.tsv,
 *   what the build stages when no build option changes an id)
 * @returns {{root: string, home: string, bin: string, build: string,
 *   run: (args?: string[], env?: Record<string, string>) => import('node:child_process').SpawnSyncReturns<string>}}
 */
export function installerSandbox(name, { host = '#!/bin/sh\n', catalog = { 'index.json': '{}' },
  ids = fs.readFileSync(path.join(REPO, 'installer/extension-ids.tsv'), 'utf8') } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `optguard-${name}-`));
  roots.push(root);
  const home = path.join(root, 'home');
  const bin = path.join(root, 'bin');
  const build = path.join(root, 'build');
  const catalogDir = path.join(build, 'share/optguard/catalog');
  for (const d of [home, bin, path.join(build, 'host'), catalogDir]) {
    fs.mkdirSync(d, { recursive: true });
  }
  for (const tool of TOOLS) {
    fs.symlinkSync(execFileSync('bash', ['-c', `command -v ${tool}`]).toString().trim(), path.join(bin, tool));
  }
  fs.writeFileSync(path.join(build, 'host/optguard-host'), host, { mode: 0o755 });
  fs.writeFileSync(path.join(build, 'share/optguard/extension-ids.tsv'), ids);
  for (const [file, text] of Object.entries(catalog)) {
    fs.writeFileSync(path.join(catalogDir, file), text);
  }
  const run = (args = [], env = {}) => spawnSync(path.join(bin, 'bash'), [INSTALLER, '--build-dir', build, ...args], {
    env: { HOME: home, PATH: bin, ...env }, encoding: 'utf8',
  });
  return { root, home, bin, build, run };
}

/** Every path below `dir`, relative and sorted. */
export function listTree(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      out.push(path.relative(dir, path.join(d, e.name)));
      if (e.isDirectory()) {
        walk(path.join(d, e.name));
      }
    }
  };
  walk(dir);
  return out.sort();
}
