// Everything the popup shows: the helper app's connection and each catalog setting's status, from
// the host's `status` when it answers, else from the worker's own memory of observations.

import { HOST_REQUEST } from '../shared/protocol.js';
import { HostUnavailableError, serializeError } from '../shared/errors.js';
import { diagnoseConnectedHost, diagnoseHostError } from './host-diagnosis.js';
import { extensionVersion } from '../shared/browser-api.js';
import { isDue } from '../shared/verdict.js';
import { catalogLabel } from '../shared/catalog.js';
import { readObservations, settingKey } from './observations.js';

/**
 * @param {import('./native-port.js').NativePort} port
 * @param {import('../shared/catalog.js').Catalog} catalog
 * @param {Date} [now]
 * @returns {Promise<import('../shared/protocol.js').PopupStateReply>}
 */
export async function buildPopupState(port, catalog, now = new Date()) {
  let host;
  let hostRows = new Map();
  /** When the host answers, it judges what is due (its intervals, your overrides, snoozes, acks). */
  let hostDue = null;
  try {
    const status = await port.request(HOST_REQUEST.STATUS);
    host = { status: 'connected', ...port.hostInfo, diagnosis: diagnoseConnectedHost(port.hostInfo, extensionVersion()) };
    for (const row of status.settings ?? []) {
      hostRows.set(settingKey(row.platform, row.setting), row);
    }
    hostDue = await readHostDue(port);
  } catch (error) {
    const missing = error instanceof HostUnavailableError && error.notInstalled;
    host = { status: missing ? 'missing' : 'error', error: serializeError(error), diagnosis: diagnoseHostError(error) };
    hostRows = new Map();
  }
  const observations = await readObservations();
  const settings = [];
  for (const platform of catalog.platforms) {
    for (const setting of platform.settings) {
      const key = settingKey(platform.platform, setting.id);
      const hostRow = hostRows.get(key);
      const local = observations[key];
      const label = catalogLabel(setting, local?.label);
      let state = null;
      let verdict = null;
      let verifiedAt = null;
      let source = null;
      let reason = null;
      if (hostRow?.verified_at) {
        ({ state, verdict } = hostRow);
        verifiedAt = hostRow.verified_at;
        source = 'host';
      }
      // The host may have been missing when the last check ran; the newer observation wins.
      if (local && (!verifiedAt || Date.parse(local.observed_at) > Date.parse(verifiedAt))) {
        ({ state, verdict } = local);
        verifiedAt = local.observed_at;
        source = local.source;
        reason = local.reason ?? null;
      }
      settings.push({
        platform: platform.platform,
        platform_name: platform.name,
        setting: setting.id,
        title: setting.title,
        // The name the member saw on the page (a catalog label, router.js checks it) and its language.
        label: label?.text ?? null,
        label_lang: label?.lang ?? null,
        why: setting.why,
        kind: setting.kind,
        expected: hostRow?.expected ?? setting.expected,
        watch: hostRow?.watch ?? true,
        opt_out_url: setting.opt_out_url,
        pages: setting.pages,
        path: setting.path,
        state,
        verdict,
        verified_at: verifiedAt,
        source,
        // The reason comes with this browser's observation of the same unknown state.
        reason: state === 'unknown' && local?.state === 'unknown' ? (local.reason ?? reason) : null,
        // The host's word when it answered (the same as the due list shows), else the local rule.
        due: hostDue ? hostDue.has(key) : isDue(setting, verdict === 'unknown' ? null : verifiedAt, now),
        interval_days: hostDue?.get(key)?.interval_days ?? hostRows.get(key)?.interval_days ?? setting.interval_days,
      });
    }
  }
  return { ok: true, host, catalog_version: catalog.version, settings };
}

/** The host's due list as a map "platform/setting" → its entry; null when the host cannot say. */
async function readHostDue(port) {
  try {
    const reply = await port.request(HOST_REQUEST.DUE);
    const due = new Map();
    for (const platform of reply.platforms ?? []) {
      for (const entry of platform.settings ?? []) {
        due.set(settingKey(entry.platform ?? platform.platform, entry.setting), entry);
      }
    }
    return due;
  } catch {
    return null; // an older host without `due`: the local rule stands in
  }
}
