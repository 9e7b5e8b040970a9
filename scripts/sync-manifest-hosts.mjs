// The manifest's host lists come from the catalog: host_permissions and the content script's
// matches are exactly https://HOST/* for the catalog's hosts (tests/js/manifest-privilege checks).
// Run after adding a platform: node scripts/sync-manifest-hosts.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { hostPatterns } from '../extension/shared/catalog.js';

const root = fileURLToPath(new URL('../extension/', import.meta.url));
const index = JSON.parse(readFileSync(`${root}catalog/index.json`, 'utf8'));
const platforms = index.platforms.map((file) => JSON.parse(readFileSync(`${root}catalog/${file}`, 'utf8')));
const patterns = hostPatterns({ platforms });
const path = `${root}manifest.json`;
const text = readFileSync(path, 'utf8');
const list = JSON.stringify(patterns).replaceAll('","', '", "');
const updated = text
  .replace(/("host_permissions": )\[[^\]]*\]/, `$1${list}`)
  .replace(/("matches": )\[[^\]]*\]/, `$1${list}`);
writeFileSync(path, updated);
console.log(`manifest.json: ${patterns.length} hosts`);
