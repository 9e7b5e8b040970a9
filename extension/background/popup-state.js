// Everything the popup shows: the helper app's connection and each catalog setting's status, from
// the host's `status` when it answers (its rows say what is due, judged by the host), else from the
// worker's own memory of observations. What is due while the host is absent comes from the same
// local rules as the popup's due list (background/due-source.js), so the two cannot disagree.

import { HOST_REQUEST } from '../shared/protocol.js';
import { HostUnavailableError, isHostAbsent, serializeError } from '../shared/errors.js';
import { diagnoseConnectedHost, diagnoseHostError } from './host-diagnosis.js';
import { extensionVersion, localRead } from '../shared/browser-api.js';
import { catalogLabel } from '../shared/catalog.js';
import { readObservations, settingKey } from './observations.js';
import { localDue } from './due-source.js';
import { PENDING_KEY } from './choices.js';

/**
 * @param {import('./native-port.js').NativePort} port
 * @param {import('../shared/catalog.js').Catalog} catalog
 * @param {Date} [now]
 * @returns {Promise<import('../shared/protocol.js').PopupStateReply>}
 */
export async function buildPopupState(port, catalog, now = new Date()) {
  let host;
  let hostRows = new Map();
  /** Host absent: the local due list, by "platform/setting"; null otherwise. */
  let localDueList = null;
  try {
    const status = await port.request(HOST_REQUEST.STATUS);
    host = { status: 'connected', ...port.hostInfo, diagnosis: diagnoseConnectedHost(port.hostInfo, extensionVersion()) };
    for (const row of status.settings ?? []) {
      hostRows.set(settingKey(row.platform, row.setting), row);
    }
  } catch (error) {
    const missing = error instanceof HostUnavailableError && error.notInstalled;
    host = { status: missing ? 'missing' : 'error', error: serializeError(error), diagnosis: diagnoseHostError(error) };
    hostRows = new Map();
    if (isHostAbsent(error)) {
      localDueList = dueByKey(await localDue(catalog, now));
    }
  }
  const observations = await readObservations();
  const pending = (await localRead(PENDING_KEY)) ?? {};
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
        // The host's word when it answered, the local rules' when it is absent (the same answers
        // the due list shows); null when a host error leaves it unknown.
        due: dueOf(hostRow, localDueList, key),
        reasons: hostRow ? (hostRow.reasons ?? []) : (localDueList?.get(key)?.reasons ?? []),
        // The host's effective interval, else one the person chose while it was away, else the catalog's.
        interval_days: hostRow?.interval_days ?? pending[key]?.interval_days ?? setting.interval_days,
      });
    }
  }
  return { ok: true, host, catalog_version: catalog.version, settings };
}

/** A due reply's entries by "platform/setting". */
function dueByKey(due) {
  const entries = new Map();
  for (const platform of due.platforms ?? []) {
    for (const entry of platform.settings ?? []) {
      entries.set(settingKey(entry.platform, entry.setting), entry);
    }
  }
  return entries;
}

function dueOf(hostRow, localDueList, key) {
  if (hostRow) {
    return typeof hostRow.due === 'boolean' ? hostRow.due : null;
  }
  return localDueList ? localDueList.has(key) : null;
}
