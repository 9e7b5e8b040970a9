// The manifest's host lists come from the catalog: host_permissions and the content script's
// matches are exactly https://HOST/* for the catalog's hosts, so adding a platform is one catalog
// file (and its fixtures). tests/js/manifest.test.mjs fails when manifest.json is not this
// script's output. Run after adding a platform: node scripts/sync-manifest-hosts.mjs
// (--check: only say whether manifest.json is up to date; exit status 1 when not).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { hostPatterns } from '../extension/shared/catalog.js';

const EXTENSION = fileURLToPath(new URL('../extension/', import.meta.url));
export const MANIFEST_PATH = `${EXTENSION}manifest.json`;

/** The catalog's platform files as listed in its index. */
export function readCatalogPlatforms(root = EXTENSION) {
  const index = JSON.parse(readFileSync(`${root}catalog/index.json`, 'utf8'));
  return index.platforms.map((file) => JSON.parse(readFileSync(`${root}catalog/${file}`, 'utf8')));
}

/**
 * manifest.json's text with both host lists written from the catalog; everything else as it is.
 * @param {string} text manifest.json
 * @param {object[]} platforms catalog platform files
 */
export function syncedManifest(text, platforms) {
  const list = JSON.stringify(hostPatterns({ platforms })).replaceAll('","', '", "');
  return text
    .replace(/("host_permissions": )\[[^\]]*\]/, `$1${list}`)
    .replace(/("matches": )\[[^\]]*\]/, `$1${list}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = readFileSync(MANIFEST_PATH, 'utf8');
  const platforms = readCatalogPlatforms();
  const updated = syncedManifest(text, platforms);
  const count = hostPatterns({ platforms }).length;
  if (process.argv.includes('--check')) {
    console.log(updated === text ? `manifest.json: up to date, ${count} hosts` : 'manifest.json: out of date; run node scripts/sync-manifest-hosts.mjs');
    process.exitCode = updated === text ? 0 : 1;
  } else {
    writeFileSync(MANIFEST_PATH, updated);
    console.log(`manifest.json: ${count} hosts`);
  }
}
