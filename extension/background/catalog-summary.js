// What the popup and the options page say about the catalog: which one is in use and how old it
// is, where updates come from (or that they are off, and by whom), and what the last check did.

import { localRead } from '../shared/browser-api.js';
import { catalogAge } from '../shared/catalog-age.js';
import { updateSource } from '../shared/catalog-update-source.js';
import { ENABLED_KEY, STATUS_KEY } from './catalog-update.js';

/**
 * @param {object} args
 * @param {import('../shared/catalog.js').Catalog} args.catalog the catalog in use
 * @param {{version: string, date: string, source: string}|null} args.info the host's catalog_info for it
 * @param {boolean} args.hostConnected
 * @param {import('../shared/managed-policy.js').Policy} args.policy
 * @param {Date} [args.now]
 */
export async function buildCatalogSummary({ catalog, info, hostConnected, policy, now = new Date() }) {
  const own = info?.version === catalog.version;
  const age = catalogAge(catalog.version, own ? info.date : null, now);
  const source = updateSource(policy, await localRead(ENABLED_KEY));
  const last = (await localRead(STATUS_KEY)) ?? null;
  return {
    ...age,
    source: own ? info.source : 'bundled',
    host: hostConnected,
    update: {
      enabled: source.enabled,
      forced: source.forced,
      off_by: source.off_by,
      mirror: source.mirror,
      url: source.url,
      last: last?.checked_at ? { at: last.checked_at, result: last.result, reason: last.reason ?? null, version: last.version ?? null } : null,
    },
  };
}
