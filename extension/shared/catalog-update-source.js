// Where signed catalog updates come from, decided in this one place: the project's release
// download address, an organisation's mirror (managed storage, docs/enterprise.md), or nowhere (off
// by the organisation, or by the person on the options page). Pure: no browser API.

/** The project's release download address of the newest signed catalog release (docs/catalog-format.md). */
export const CATALOG_UPDATE_URL = 'https://optguard.dev/catalog/optguard-catalog.json';

/** The release's minisign signature lives next to it. @param {string} url */
export function signatureUrl(url) {
  return `${url}.minisig`;
}

/**
 * @typedef {{enabled: boolean, url: string|null, mirror: boolean,
 *   off_by: 'organisation'|'person'|null, forced: boolean}} UpdateSource
 */

/**
 * The organisation's `catalogUpdates` wins both ways; without it the person's switch decides. A
 * mirror only replaces the address.
 * @param {import('./managed-policy.js').Policy} policy
 * @param {boolean} personEnabled the options page's switch (true unless turned off)
 * @returns {UpdateSource}
 */
export function updateSource(policy, personEnabled) {
  const forced = typeof policy.catalogUpdates === 'boolean';
  const enabled = forced ? policy.catalogUpdates : personEnabled !== false;
  if (!enabled) {
    return { enabled, url: null, mirror: false, off_by: forced ? 'organisation' : 'person', forced };
  }
  const mirror = typeof policy.catalogUpdateUrl === 'string';
  return { enabled, url: mirror ? policy.catalogUpdateUrl : CATALOG_UPDATE_URL, mirror, off_by: null, forced };
}
