// Least privilege (issue 8): the manifest may ask for the catalog's hosts, nativeMessaging,
// storage, alarms, notifications and scripting, and nothing else; a host a catalog update adds is
// only optional (https, asked for on the options page by the person's click, catalog-hosts.js);
// no door is left open for pages or other extensions. docs/permissions.md justifies each permission. manifest.test.mjs checks the exact
// lists of today; this file is the ceiling the issue sets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';

import { fileFetch, readJson, resolveExtensionUrl } from './helpers/paths.mjs';
import { hostPatterns, loadCatalog } from '../../extension/shared/catalog.js';

const CEILING = ['nativeMessaging', 'storage', 'alarms', 'notifications', 'scripting'];
// What a catalog update may name is not known when the extension is built: any https host, granted
// one at a time by the person (never http, never <all_urls>).
const OPTIONAL_HOSTS = ['https://*/*'];

describe('manifest: least privilege', async () => {
  const manifest = await readJson('extension/manifest.json');
  const catalog = await loadCatalog(resolveExtensionUrl, fileFetch);

  it('asks for no permission beyond nativeMessaging, storage, alarms, notifications and scripting', () => {
    for (const permission of [...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? [])]) {
      assert.ok(CEILING.includes(permission), `the manifest asks for ${permission}`);
    }
  });

  it('asks for no host beyond the catalog\'s; optionally only https hosts', () => {
    const allowed = new Set(hostPatterns(catalog));
    for (const pattern of manifest.host_permissions ?? []) {
      assert.ok(allowed.has(pattern), `the manifest asks for host ${pattern}`);
    }
    for (const pattern of manifest.optional_host_permissions ?? []) {
      assert.ok(OPTIONAL_HOSTS.includes(pattern), `the manifest may ask for host ${pattern}`);
    }
    for (const script of manifest.content_scripts ?? []) {
      for (const pattern of script.matches) {
        assert.ok(allowed.has(pattern), `a content script runs on ${pattern}`);
      }
      assert.notEqual(script.all_frames, true, 'content scripts run in top frames only');
      assert.equal(script.match_about_blank, undefined);
      assert.equal(script.world, undefined, 'content scripts stay in the isolated world');
    }
  });

  it('opens no door to web pages or other extensions', () => {
    assert.equal(manifest.externally_connectable, undefined, 'no page or extension may message us');
    assert.equal(manifest.web_accessible_resources, undefined, 'pages cannot load or probe our files');
  });

  it('the extension pages\' CSP allows no inline, eval or remote script', () => {
    const csp = manifest.content_security_policy?.extension_pages ?? '';
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /object-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|wasm-unsafe-eval|https?:|\*/);
  });

  it('docs/permissions.md justifies every permission the manifest asks for', () => {
    const doc = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');
    for (const permission of [...(manifest.permissions ?? []), 'host_permissions', 'content_security_policy']) {
      assert.match(doc, new RegExp(`\`${permission}\``), `docs/permissions.md says nothing about ${permission}`);
    }
  });
});
