// Hosts a catalog update names that the manifest does not cover. Nothing is requested silently:
// the options page asks the person (permissions.request on their click, optional_host_permissions),
// and only once a host is granted does the worker register the content script there
// (scripting.registerContentScripts), with the same files as the manifest's.

import { api } from '../shared/browser-api.js';
import { hostPatterns } from '../shared/catalog.js';

export const SCRIPT_ID = 'optguard-catalog-hosts';

/** The manifest's host patterns and content script files. */
export function manifestCoverage(manifest = api.runtime.getManifest()) {
  return {
    patterns: new Set(manifest.host_permissions ?? []),
    js: manifest.content_scripts?.[0]?.js ?? [],
    runAt: manifest.content_scripts?.[0]?.run_at ?? 'document_idle',
  };
}

/**
 * The catalog's host patterns the manifest lacks, each with whether the person granted it.
 * @param {import('../shared/catalog.js').Catalog} catalog
 * @param {Set<string>} covered the manifest's host_permissions
 * @param {string[]} granted permissions.getAll().origins
 * @returns {{pattern: string, host: string, granted: boolean}[]}
 */
export function extraHosts(catalog, covered, granted) {
  const grantedSet = new Set(granted);
  return hostPatterns(catalog)
    .filter((pattern) => !covered.has(pattern))
    .map((pattern) => ({ pattern, host: pattern.slice('https://'.length, -'/*'.length), granted: grantedSet.has(pattern) }));
}

async function grantedOrigins() {
  return (await api.permissions?.getAll?.())?.origins ?? [];
}

/** The extra hosts of `catalog` for the options page. */
export async function readExtraHosts(catalog) {
  return extraHosts(catalog, manifestCoverage().patterns, await grantedOrigins());
}

/**
 * Makes the dynamic content script cover exactly the extra hosts the person granted (none: it is
 * removed). Called when the worker starts, after a catalog change and after a grant.
 * @param {import('../shared/catalog.js').Catalog} catalog
 */
export async function syncContentScripts(catalog) {
  if (!api.scripting?.registerContentScripts) {
    return [];
  }
  const { patterns, js, runAt } = manifestCoverage();
  const matches = extraHosts(catalog, patterns, await grantedOrigins()).filter((h) => h.granted).map((h) => h.pattern);
  const existing = await api.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (matches.length === 0) {
    if (existing.length > 0) {
      await api.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
    }
    return matches;
  }
  const script = { id: SCRIPT_ID, matches, js, runAt, allFrames: false, persistAcrossSessions: true };
  if (existing.length > 0) {
    await api.scripting.updateContentScripts([script]);
  } else {
    await api.scripting.registerContentScripts([script]);
  }
  return matches;
}
