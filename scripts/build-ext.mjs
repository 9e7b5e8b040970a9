// `npm run build:ext`: packages extension/ with web-ext into dist/ (or the folder given as argv[2]):
//   optguard-firefox-<version>.zip   the Firefox add-on: submit to addons.mozilla.org, or install
//                                    as a temporary add-on
//   optguard-chromium-<version>.zip  the Chrome Web Store and Edge Add-ons upload
//   SHA256SUMS                       one `sha256sum` line per zip (`sha256sum -c SHA256SUMS` checks them)
// Each zip holds the same files; only the manifest differs, as scripts/store-manifest.mjs says (no
// `key` in either: it only fixes the id of the unpacked extension, which the host's allowed origins
// name). Development-only files (extension/tools) are left out. `web-ext lint` checks both zips:
// scripts/lint-ext.mjs.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import webExt from 'web-ext';

import { TARGETS, storeManifest } from './store-manifest.mjs';

const repo = path.resolve(import.meta.dirname, '..');
const source = path.join(repo, 'extension');
const IGNORE = ['tools', 'tools/**'];

/** The zip's file name for one target. */
export function artifactName(target, version) {
  return `optguard-${target}-${version}.zip`;
}

async function pack(sourceDir, artifacts, filename) {
  const result = await webExt.cmd.build(
    { sourceDir, artifactsDir: artifacts, filename, overwriteDest: true, ignoreFiles: IGNORE },
    { shouldExitProgram: false, showReadyMessage: false },
  );
  return result.extensionPath;
}

/**
 * Builds every store zip into `artifacts` and writes SHA256SUMS beside them.
 * @param {string} artifacts folder (created if missing)
 * @returns {Promise<Record<string, string>>} target -> zip path
 */
export async function buildStoreArtifacts(artifacts) {
  fs.mkdirSync(artifacts, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'manifest.json'), 'utf8'));
  const zips = {};
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'optguard-store-'));
  try {
    for (const target of TARGETS) {
      const dir = path.join(staging, target);
      fs.cpSync(source, dir, { recursive: true, filter: (p) => !p.startsWith(path.join(source, 'tools')) });
      fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(storeManifest(manifest, target), null, 2)}\n`);
      zips[target] = await pack(dir, artifacts, artifactName(target, manifest.version));
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  const sums = Object.values(zips).map((zip) => {
    const digest = createHash('sha256').update(fs.readFileSync(zip)).digest('hex');
    return `${digest}  ${path.basename(zip)}\n`;
  });
  fs.writeFileSync(path.join(artifacts, 'SHA256SUMS'), sums.join(''));
  return zips;
}

if (process.argv[1] === import.meta.filename) {
  const artifacts = path.resolve(process.argv[2] ?? path.join(repo, 'dist'));
  const zips = await buildStoreArtifacts(artifacts);
  console.log(`Firefox add-on (AMO):                  ${zips.firefox}`);
  console.log(`Chrome Web Store / Edge Add-ons zip:   ${zips.chromium}`);
  console.log(`SHA-256 checksums:                     ${path.join(artifacts, 'SHA256SUMS')}`);
}
