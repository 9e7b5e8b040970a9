// What happens to a state read by a content script: the host judges and stores it (or, when the
// host is absent (shared/errors.js isHostAbsent), the bundled catalog judges it and the result is
// marked local; any other host error is the reply), the
// tab's badge follows, and the last observation per setting is kept in storage so the popup can show
// it after the worker was evicted.

import { HOST_REQUEST, VERDICTS, VERDICT_SOURCE } from '../shared/protocol.js';
import { localRead, localWrite, sessionRead, sessionWrite } from '../shared/browser-api.js';
import { isHostAbsent, serializeError } from '../shared/errors.js';
import { localReport } from '../shared/verdict.js';
import { showBadge, worstVerdict } from './badge.js';
import { stripQueryAndFragment } from '../shared/catalog.js';
import { settingName } from '../shared/setting-name.js';

export const OBSERVATIONS_KEY = 'observations'; // storage.local: {"platform/setting": Observation}
export const TABS_KEY = 'tabs'; // storage.session: {tabId: {"platform/setting": {verdict, title}}}

/** @param {string} platform @param {string} setting */
export function settingKey(platform, setting) {
  return `${platform}/${setting}`;
}

// storage has no transactions; one queue keeps read-modify-write cycles from interleaving.
let queue = Promise.resolve();
function serialized(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => {});
  return run;
}

/**
 * Judges one reported state: the host's verdict, a local one only when the host is absent; any
 * other host error is thrown.
 * @param {import('./native-port.js').NativePort} port
 * @param {{platform: {platform: string}, setting: object}} entry
 * @param {'on'|'off'|'unknown'} state
 * @param {string} pageUrl the sender tab's URL
 * @param {() => Promise<'on'|'off'>} [localExpected] the state the person chose (choices.js), read
 *   only for a local verdict; the host applies the same choice from its own config
 */
export async function judge(port, entry, state, pageUrl, localExpected = async () => entry.setting.expected) {
  const platform = entry.platform.platform;
  const url = stripQueryAndFragment(pageUrl);
  try {
    const reply = await port.request(HOST_REQUEST.REPORT, { platform, setting: entry.setting.id, state, url });
    if (!VERDICTS.includes(reply.verdict)) {
      throw new Error(`host verdict ${JSON.stringify(reply.verdict)} is not one of ${VERDICTS.join(', ')}`);
    }
    return {
      platform,
      setting: entry.setting.id,
      state,
      verdict: reply.verdict,
      expected: reply.expected,
      observed_at: reply.observed_at,
      source: VERDICT_SOURCE.HOST,
    };
  } catch (error) {
    if (!isHostAbsent(error)) {
      throw error; // the host answered (bad_request, storage_error, ...): its error, not a local verdict
    }
    const expected = await localExpected();
    const local = localReport({ platform, setting: { ...entry.setting, expected } }, state);
    return {
      platform,
      setting: local.setting,
      state,
      verdict: local.verdict,
      expected: local.expected,
      observed_at: local.observed_at,
      source: VERDICT_SOURCE.LOCAL,
      host_error: serializeError(error),
    };
  }
}

/**
 * Handles a content script's state message end to end; resolves with its reply.
 * @param {import('./native-port.js').NativePort} port
 * @param {{platform: object, setting: object}} entry
 * @param {'on'|'off'|'unknown'} state
 * @param {{tabId: number, pageUrl: string}} sender
 * @param {() => Promise<'on'|'off'>} [localExpected] the effective expected state (choices.js
 *   effectiveExpected), asked for only when the host cannot judge
 * @param {string} [reason] why an unknown state is unknown (protocol.js UNKNOWN_REASONS); kept with
 *   the observation in this browser so the popup can say it, never sent to the host
 * @param {string} [label] the catalog label the page showed (checked by router.js against this
 *   setting's catalog labels): the popup names the setting by it; kept in this browser only, never
 *   sent to the host. An observation without one (an unknown state) keeps the last one seen.
 */
export async function recordObservation(port, entry, state, sender, localExpected, reason, label) {
  const observation = await judge(port, entry, state, sender.pageUrl, localExpected);
  if (state === 'unknown' && reason) {
    observation.reason = reason;
  }
  const key = settingKey(observation.platform, observation.setting);
  await serialized(async () => {
    const observations = (await localRead(OBSERVATIONS_KEY)) ?? {};
    const { host_error: _ignored, ...kept } = observation;
    const shown = label ?? observations[key]?.label;
    if (typeof shown === 'string') {
      kept.label = shown;
    }
    observations[key] = kept;
    await localWrite(OBSERVATIONS_KEY, observations);

    const tabs = (await sessionRead(TABS_KEY)) ?? {};
    const tab = tabs[sender.tabId] ?? {};
    tab[key] = { verdict: observation.verdict, title: settingName({ title: entry.setting.title, label: kept.label }).text };
    tabs[sender.tabId] = tab;
    await sessionWrite(TABS_KEY, tabs);
    await applyTabBadge(sender.tabId, tab);
  });
  return { ok: true, ...observation, ...(label ? { label } : {}) };
}

async function applyTabBadge(tabId, tab) {
  const entries = Object.values(tab);
  const verdict = worstVerdict(entries.map((e) => e.verdict));
  const title = entries.find((e) => e.verdict === verdict)?.title ?? '';
  await showBadge(tabId, verdict, title);
}

/**
 * The tab no longer shows a catalog setting: forget it and clear its badge.
 * @param {number} tabId
 * @param {{clearBadge?: boolean}} [options]
 */
export function forgetTab(tabId, { clearBadge = true } = {}) {
  return serialized(async () => {
    const tabs = (await sessionRead(TABS_KEY)) ?? {};
    if (tabId in tabs) {
      delete tabs[tabId];
      await sessionWrite(TABS_KEY, tabs);
    }
    if (clearBadge) {
      await showBadge(tabId, null, '');
    }
  });
}

/** @returns {Promise<Record<string, object>>} the last observation per setting key */
export async function readObservations() {
  return (await localRead(OBSERVATIONS_KEY)) ?? {};
}
