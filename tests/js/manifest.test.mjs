import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { hostPatterns, loadCatalog } from '../../extension/shared/catalog.js';
import { EXTENSION, fileFetch, readJson, resolveExtensionUrl } from './helpers/paths.mjs';
import { MANIFEST_PATH, readCatalogPlatforms, syncedManifest } from '../../scripts/sync-manifest-hosts.mjs';

const ALLOWED_PERMISSIONS = ['nativeMessaging', 'storage', 'alarms', 'notifications', 'scripting'];

/** Chromium's id for a manifest key: SHA-256 of the DER, first 32 hex digits mapped 0-f → a-p. */
function extensionIdFromKey(key) {
  const hex = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode('a'.charCodeAt(0) + parseInt(c, 16))).join('');
}

describe('manifest', async () => {
  const manifest = await readJson('extension/manifest.json');
  const catalog = await loadCatalog(resolveExtensionUrl, fileFetch);

  it('is MV3 with the pinned ids', () => {
    assert.equal(manifest.manifest_version, 3);
    assert.equal(extensionIdFromKey(manifest.key), 'cmijejphlnikkmemcggjhadjlmobjaie');
    assert.equal(manifest.browser_specific_settings.gecko.id, 'optguard@optguard.dev');
  });

  it('tells Firefox (and addons.mozilla.org) that it collects and transmits no data', () => {
    // Firefox's built-in data consent: "none" alone; the add-on linter rejects it next to other types.
    assert.deepEqual(manifest.browser_specific_settings.gecko.data_collection_permissions, { required: ['none'] });
    // Firefox 127 and older refuse a manifest with this key; 128 ESR and later accept it.
    assert.ok(Number.parseFloat(manifest.browser_specific_settings.gecko.strict_min_version) >= 128);
  });

  it('host_permissions are exactly https://HOST/* for the catalog hosts (least privilege)', () => {
    assert.deepEqual([...manifest.host_permissions].sort(), hostPatterns(catalog));
  });

  it('is exactly what scripts/sync-manifest-hosts.mjs writes from the catalog', () => {
    const text = readFileSync(MANIFEST_PATH, 'utf8');
    assert.equal(text, syncedManifest(text, readCatalogPlatforms()), 'run node scripts/sync-manifest-hosts.mjs');
  });

  it('a platform added to the catalog is in both host lists once the generator ran', () => {
    const text = readFileSync(MANIFEST_PATH, 'utf8');
    const added = [...readCatalogPlatforms(), { platform: 'new-one', hosts: ['settings.new-one.example'], settings: [] }];
    const generated = JSON.parse(syncedManifest(text, added));
    assert.ok(generated.host_permissions.includes('https://settings.new-one.example/*'));
    assert.ok(generated.content_scripts[0].matches.includes('https://settings.new-one.example/*'));
    assert.deepEqual({ ...generated, host_permissions: null, content_scripts: null }, { ...JSON.parse(text), host_permissions: null, content_scripts: null }, 'nothing else changes');
  });

  it('content_scripts.matches are exactly https://HOST/* for the catalog hosts', () => {
    assert.equal(manifest.content_scripts.length, 1);
    assert.deepEqual([...manifest.content_scripts[0].matches].sort(), hostPatterns(catalog));
    assert.ok(!manifest.content_scripts[0].all_frames, 'top frames only: the router trusts frameId 0 only');
  });

  it('permissions are a subset of the allowed list', () => {
    for (const permission of manifest.permissions) {
      assert.ok(ALLOWED_PERMISSIONS.includes(permission), `unexpected permission ${permission}`);
    }
    assert.equal(manifest.optional_permissions, undefined);
    assert.deepEqual(manifest.optional_host_permissions, ['https://*/*'], 'a catalog update\'s new host, asked for on the options page');
    assert.equal(manifest.web_accessible_resources, undefined, 'no extension file is exposed to pages');
    assert.equal(manifest.externally_connectable, undefined);
  });

  it('runs the same background file as a worker (Chromium) and as a module script (Firefox)', () => {
    assert.equal(manifest.background.service_worker, 'background/service-worker.js');
    assert.deepEqual(manifest.background.scripts, ['background/service-worker.js']);
    assert.equal(manifest.background.type, 'module');
  });

  it('every file the manifest names exists', () => {
    const files = [
      manifest.background.service_worker,
      manifest.action.default_popup,
      ...manifest.content_scripts.flatMap((c) => c.js),
      ...Object.values(manifest.icons),
      ...Object.values(manifest.action.default_icon),
    ];
    for (const file of files) {
      assert.ok(existsSync(join(EXTENSION, file)), file);
    }
  });

  it('icons are PNGs of the size they claim', () => {
    for (const [size, file] of Object.entries(manifest.icons)) {
      const png = readFileSync(join(EXTENSION, file));
      assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG', file);
      assert.equal(png.readUInt32BE(16), Number(size), `${file} width`);
      assert.equal(png.readUInt32BE(20), Number(size), `${file} height`);
    }
  });

  it('extension pages allow scripts from the extension only', () => {
    assert.match(manifest.content_security_policy.extension_pages, /script-src 'self';/);
    const popup = readFileSync(join(EXTENSION, manifest.action.default_popup), 'utf8');
    assert.doesNotMatch(popup, /https?:\/\//, 'the popup loads nothing from the network');
    assert.doesNotMatch(popup, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  });
});
