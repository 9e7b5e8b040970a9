// The diagnostic file the person saves from the popup when a catalog page stays unknown: which
// catalog rule, which versions, and the skeleton of the tab's controls (content/diagnostic.js).
// Never the page's address beyond the catalog's own pattern, never page text.

import { MSG } from '../shared/protocol.js';
import { extensionVersion, sendTabMessage, tabUrl } from '../shared/browser-api.js';
import { findSetting, matchesPattern } from '../shared/catalog.js';
import { readObservations, settingKey } from './observations.js';

export const DIAGNOSTIC_FORMAT = 1;

/**
 * @param {{tabId: number, platform: string, setting: string}} message
 * @param {import('../shared/catalog.js').Catalog} catalog
 * @param {{now?: () => Date}} [options]
 */
export async function buildDiagnostic({ tabId, platform, setting }, catalog, { now = () => new Date() } = {}) {
  const entry = findSetting(catalog, platform, setting);
  if (!entry?.setting.detect) {
    return { ok: false, error: { code: 'bad_message', message: `${platform}/${setting} is not a setting OptGuard reads` } };
  }
  const url = await tabUrl(tabId).catch(() => undefined);
  const pattern = entry.setting.pages.find((page) => typeof url === 'string' && matchesPattern(page, url));
  if (!pattern) {
    return { ok: false, error: { code: 'not_on_page', message: 'the tab does not show this setting’s page' } };
  }
  let reply;
  try {
    reply = await sendTabMessage(tabId, { type: MSG.DESCRIBE });
  } catch (error) {
    return { ok: false, error: { code: 'page_silent', message: `the page did not answer (${error?.message ?? error}); reload it and try again` } };
  }
  if (!reply?.ok) {
    return { ok: false, error: reply?.error ?? { code: 'page_silent', message: 'the page did not answer' } };
  }
  const observation = (await readObservations())[settingKey(platform, setting)];
  return {
    ok: true,
    diagnostic: {
      format: DIAGNOSTIC_FORMAT,
      kind: 'optguard-diagnostic',
      created: now().toISOString(),
      extension_version: extensionVersion(),
      catalog_version: catalog.version,
      platform,
      setting,
      page_pattern: pattern,
      rule: entry.setting.detect,
      last_state: observation ? { state: observation.state, reason: observation.reason ?? null } : null,
      page: reply.page,
    },
  };
}
