// The manifest each store artifact carries, derived from extension/manifest.json (the one the repo
// loads unpacked in every browser). Pure: scripts/build-ext.mjs writes the results, and
// tests/js/build-ext.test.mjs checks them.
//
//   firefox   addons.mozilla.org (AMO). Without `key` (Firefox ignores it; the id is
//             browser_specific_settings.gecko.id, which AMO keeps) and without
//             `background.service_worker`, which Firefox does not support and AMO's validator
//             warns about: Firefox runs the same file from `background.scripts`.
//   chromium  Chrome Web Store and Edge Add-ons. Without `key` (the Chrome Web Store refuses an
//             upload that has one: the store gives the extension its own id and signs it), without
//             `browser_specific_settings` and without `background.scripts`, both of which Chromium
//             ignores with a warning on chrome://extensions.

/** @typedef {'firefox'|'chromium'} Target */

export const TARGETS = /** @type {const} */ (['firefox', 'chromium']);

/**
 * @param {Record<string, any>} manifest the repo's manifest
 * @param {Target} target
 * @returns {Record<string, any>} a new object; `manifest` is not changed
 */
export function storeManifest(manifest, target) {
  const { key: _key, ...rest } = structuredClone(manifest);
  if (target === 'firefox') {
    const { service_worker: _worker, ...background } = rest.background;
    return { ...rest, background };
  }
  if (target === 'chromium') {
    const { browser_specific_settings: _gecko, ...chromium } = rest;
    const { scripts: _scripts, ...background } = chromium.background;
    return { ...chromium, background };
  }
  throw new Error(`unknown store target ${JSON.stringify(target)} (one of ${TARGETS.join(', ')})`);
}
