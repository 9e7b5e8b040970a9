// `npm run build:ext`: packages extension/ with web-ext into dist/ (or the folder given as argv[2]):
//   optguard-firefox-<version>.zip   the Firefox add-on (submit to addons.mozilla.org, or install
//                                    as a temporary add-on); the manifest as it is in the repo.
//   optguard-chromium-<version>.zip  for the Chrome Web Store and Edge Add-ons: the same files, but
//                                    the manifest's `key` is removed. The store rejects an upload
//                                    whose manifest has a `key` ("key field is not allowed in
//                                    manifest"); the store assigns the id and signs with its own
//                                    key. The `key` stays in the repo because it fixes the id of the
//                                    unpacked extension, which the host's allowed_origins names.
// Development-only files (extension/tools) are left out of both.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import webExt from 'web-ext';

const repo = path.resolve(import.meta.dirname, '..');
const source = path.join(repo, 'extension');
const artifacts = path.resolve(process.argv[2] ?? path.join(repo, 'dist'));
const IGNORE = ['tools', 'tools/**'];

/** The manifest for store uploads: everything but `key`. @param {Record<string, unknown>} manifest */
function storeManifest(manifest) {
  const { key: _key, ...rest } = manifest;
  return rest;
}

async function build(sourceDir, filename) {
  const result = await webExt.cmd.build(
    { sourceDir, artifactsDir: artifacts, filename, overwriteDest: true, ignoreFiles: IGNORE },
    { shouldExitProgram: false, showReadyMessage: false },
  );
  return result.extensionPath;
}

const manifest = JSON.parse(fs.readFileSync(path.join(source, 'manifest.json'), 'utf8'));
const firefox = await build(source, `optguard-firefox-${manifest.version}.zip`);

const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'optguard-store-'));
try {
  fs.cpSync(source, staging, { recursive: true, filter: (p) => !p.startsWith(path.join(source, 'tools')) });
  fs.writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify(storeManifest(manifest), null, 2)}\n`);
  const chromium = await build(staging, `optguard-chromium-${manifest.version}.zip`);
  console.log(`Firefox add-on:      ${firefox}`);
  console.log(`Chromium store zip:  ${chromium} (manifest without "key")`);
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}
