// The person's own choices (watch / expected state per catalog setting), the administrator's policy
// over them, and what the options page shows. Choices are saved by the host in config.json
// (set_choice, docs/protocol.md) so the CLI sees the same; while the host is missing they wait in
// storage.local and are sent once it answers.

import { HOST_REQUEST } from '../shared/protocol.js';
import { isHostAbsent, serializeError } from '../shared/errors.js';
import { applyForced, emptyPolicy, forcedField, forcedFor, parsePolicy } from '../shared/managed-policy.js';
import { localRead, localWrite, managedRead } from '../shared/browser-api.js';
import { catalogLabel } from '../shared/catalog.js';
import { readObservations, settingKey } from './observations.js';

/** storage.local: {"platform/setting": {watch?: boolean|null, expected?: 'on'|'off'|null}} */
export const PENDING_KEY = 'pendingChoices';
/**
 * storage.local: {"platform/setting": {watch: boolean, expected: 'on'|'off'}}, the effective
 * choices last seen (host, waiting choices and policy together), so pages can skip ignored settings
 * without asking the host on every page load. Written by the options page's state and by saves.
 */
export const CHOICE_CACHE_KEY = 'choiceCache';

const CHANGE_KEYS = new Set(['type', 'platform', 'setting', 'watch', 'expected', 'interval_days', 'not_applicable']);
/** The host's range for an interval (host/src/catalog/catalog.hpp). */
const MIN_INTERVAL_DAYS = 1;
const MAX_INTERVAL_DAYS = 365;
/** storage.local: {"platform/setting": 'region'|'age'}: settings the person said do not apply to them. */
export const NOT_APPLICABLE_KEY = 'notApplicable';

/**
 * Why a setting may not apply to a person, from the catalog's `applies`: not offered where they
 * live (regions other than GLOBAL), or not to people their age (min_age).
 * @returns {('region'|'age')[]}
 */
export function notApplicableReasons(setting) {
  const reasons = [];
  const regions = setting.applies?.regions ?? [];
  if (regions.length > 0 && !regions.includes('GLOBAL')) {
    reasons.push('region');
  }
  if (Number.isInteger(setting.applies?.min_age)) {
    reasons.push('age');
  }
  return reasons;
}

/**
 * The options page's set-choice message, checked against the catalog.
 * @returns {{platform: string, setting: string, watch?: boolean|null, expected?: 'on'|'off'|null,
 *   interval_days?: number|null} | string}
 *   the change, or why it is refused
 */
export function validateChange(message, catalog) {
  if (!Object.keys(message).every((key) => CHANGE_KEYS.has(key))) {
    return 'set-choice takes only platform, setting, watch, expected and interval_days';
  }
  const { platform, setting, watch, expected, interval_days: interval } = message;
  const entry = catalog.platforms.find((p) => p.platform === platform)?.settings.find((s) => s.id === setting);
  if (typeof platform !== 'string' || typeof setting !== 'string' || !entry) {
    return 'set-choice needs the platform and setting of a catalog entry';
  }
  if (Object.hasOwn(message, 'not_applicable')) {
    // "Does not apply to me" is a watch choice with its reason: one field, nothing else.
    const reason = message.not_applicable;
    if (watch !== undefined || expected !== undefined || interval !== undefined) {
      return 'not_applicable goes alone';
    }
    if (reason !== null && !notApplicableReasons(entry).includes(reason)) {
      return `not_applicable must be null or one of: ${notApplicableReasons(entry).join(', ') || '(none for this setting)'}`;
    }
    return { platform, setting, watch: reason === null ? null : false, not_applicable: reason };
  }
  if (watch !== undefined && watch !== null && typeof watch !== 'boolean') {
    return 'watch must be true, false or null';
  }
  if (expected !== undefined && expected !== null && expected !== 'on' && expected !== 'off') {
    return 'expected must be "on", "off" or null';
  }
  if (interval !== undefined && interval !== null
      && !(Number.isInteger(interval) && interval >= MIN_INTERVAL_DAYS && interval <= MAX_INTERVAL_DAYS)) {
    return `interval_days must be an integer from ${MIN_INTERVAL_DAYS} to ${MAX_INTERVAL_DAYS} or null`;
  }
  if (watch === undefined && expected === undefined && interval === undefined) {
    return 'set-choice needs watch, expected or interval_days';
  }
  const change = { platform, setting };
  if (watch !== undefined) {
    change.watch = watch;
  }
  if (expected !== undefined) {
    change.expected = expected;
  }
  if (interval !== undefined) {
    change.interval_days = interval;
  }
  return change;
}

/** storage.local: the managed policy as last read, used while the browser is slow to answer. */
export const POLICY_CACHE_KEY = 'lastManagedPolicy';
/** How long a read waits for storage.managed (seen pending for 40 s right after a browser start). */
export const MANAGED_WAIT_MS = 1000;
const policyArrivedListeners = new Set();

/** Calls `listener` when a policy read that was given up on answers after all. */
export function onLatePolicy(listener) {
  policyArrivedListeners.add(listener);
  return () => policyArrivedListeners.delete(listener);
}

/**
 * The administrator's policy; none when the browser has no managed storage for us. Never waits on
 * storage.managed longer than `waitMs`: past that, the last policy read (or none) is used, and the
 * listeners of onLatePolicy are told when the real one arrives, so it is applied then.
 * @param {{waitMs?: number}} [options]
 */
export async function readPolicy({ waitMs = MANAGED_WAIT_MS } = {}) {
  let late = false;
  const read = managedRead().then(
    async (raw) => {
      await localWrite(POLICY_CACHE_KEY, raw ?? {});
      if (late) {
        for (const listener of policyArrivedListeners) {
          listener();
        }
      }
      return raw;
    },
    // Firefox rejects when no policies.json mentions the add-on; that is "no policy".
    () => ({}),
  );
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), waitMs);
  });
  const raw = await Promise.race([read, timedOut]);
  clearTimeout(timer);
  if (raw === null) {
    late = true;
    const cached = await localRead(POLICY_CACHE_KEY);
    return cached ? parsePolicy(cached) : emptyPolicy();
  }
  return parsePolicy(raw);
}

async function readPending() {
  return (await localRead(PENDING_KEY)) ?? {};
}

/**
 * Saves one change: refused if the policy forces that field; through the host when it answers;
 * otherwise kept in this browser until it does.
 * @param {import('./native-port.js').NativePort} port
 * @param {object} change from validateChange
 * @param {import('../shared/managed-policy.js').Policy} policy
 */
export async function saveChoice(port, change, policy) {
  const key = settingKey(change.platform, change.setting);
  const field = forcedField(change, forcedFor(policy, key));
  if (field) {
    return { ok: false, error: { code: 'managed', message: `${field} of ${key} is set by your organisation` } };
  }
  const { platform, setting, not_applicable: notApplicable, ...values } = change;
  if (notApplicable !== undefined) {
    const marks = (await localRead(NOT_APPLICABLE_KEY)) ?? {};
    if (notApplicable === null) {
      delete marks[key];
    } else {
      marks[key] = notApplicable;
    }
    await localWrite(NOT_APPLICABLE_KEY, marks);
  }
  try {
    const reply = await port.request(HOST_REQUEST.SET_CHOICE, { platform, setting, ...values });
    // A saved choice supersedes one waiting in this browser.
    const pending = await readPending();
    if (pending[key]) {
      for (const name of Object.keys(values)) {
        delete pending[key][name];
      }
      if (Object.keys(pending[key]).length === 0) {
        delete pending[key];
      }
      await localWrite(PENDING_KEY, pending);
    }
    await cacheChoice(key, { watch: reply.watch, expected: reply.expected });
    return { ok: true, saved: 'host', watch: reply.watch, expected: reply.expected, override: reply.override };
  } catch (error) {
    if (!isHostAbsent(error)) {
      return { ok: false, error: serializeError(error) };
    }
    const pending = await readPending();
    pending[key] = { ...pending[key], ...values };
    await localWrite(PENDING_KEY, pending);
    const cached = (await localRead(CHOICE_CACHE_KEY))?.[key] ?? {};
    await cacheChoice(key, {
      watch: values.watch === undefined ? (cached.watch ?? true) : (values.watch ?? true),
      expected: values.expected === undefined ? cached.expected : (values.expected ?? undefined),
    });
    return { ok: true, saved: 'browser' };
  }
}

async function cacheChoice(key, choice) {
  const cache = (await localRead(CHOICE_CACHE_KEY)) ?? {};
  cache[key] = choice;
  await localWrite(CHOICE_CACHE_KEY, cache);
}

/**
 * The catalog entries of a page minus the settings the person (or the policy) chose to ignore:
 * OptGuard does not read, report or alert on those.
 * @template {{platform: {platform: string}, setting: {id: string}}} T
 * @param {T[]} entries
 * @returns {Promise<T[]>}
 */
export async function withoutIgnored(entries) {
  const cache = (await localRead(CHOICE_CACHE_KEY)) ?? {};
  const policy = await readPolicy();
  return entries.filter(({ platform, setting }) => {
    const key = settingKey(platform.platform, setting.id);
    const forced = forcedFor(policy, key);
    return (forced.watch ?? cache[key]?.watch ?? true) !== false;
  });
}

/**
 * The state each setting should be in: the administrator's forced value, else the person's choice
 * (from the host, or waiting in this browser), else the catalog's known-good state. The content
 * script's "Switch it for me" aims at this, so it never undoes a choice the person made.
 * @param {Array<{platform: {platform: string}, setting: {id: string, expected: string}}>} entries
 * @returns {Promise<Map<string, 'on'|'off'>>} keyed by "platform/setting"
 */
export async function effectiveExpected(entries) {
  const cache = (await localRead(CHOICE_CACHE_KEY)) ?? {};
  const policy = await readPolicy();
  return new Map(
    entries.map(({ platform, setting }) => {
      const key = settingKey(platform.platform, setting.id);
      return [key, forcedFor(policy, key).expected ?? cache[key]?.expected ?? setting.expected];
    }),
  );
}

/**
 * Sends the choices waiting in this browser, oldest first; what the host takes leaves the list.
 * Stops at the first failure (the host went away again).
 */
export async function flushPending(port) {
  const pending = await readPending();
  const keys = Object.keys(pending);
  if (keys.length === 0) {
    return { sent: 0, left: 0 };
  }
  let sent = 0;
  for (const key of keys) {
    const [platform, setting] = key.split('/');
    try {
      await port.request(HOST_REQUEST.SET_CHOICE, { platform, setting, ...pending[key] });
      delete pending[key];
      sent += 1;
    } catch (error) {
      if (isHostAbsent(error)) {
        break;
      }
      delete pending[key]; // the host refused it for good (e.g. a setting gone from the catalog)
    }
  }
  await localWrite(PENDING_KEY, pending);
  return { sent, left: Object.keys(pending).length };
}

/**
 * Makes the host's config match what the policy forces, so the host, the CLI and the verdicts all
 * follow it. Only fields that differ are sent.
 * @param {Array<{platform: string, setting: string, watch: boolean, expected: string}>} hostRows
 */
export async function syncPolicy(port, policy, hostRows) {
  let changed = 0;
  for (const row of hostRows) {
    const forced = forcedFor(policy, settingKey(row.platform, row.setting));
    const fields = {};
    if (forced.watch !== undefined && forced.watch !== row.watch) {
      fields.watch = forced.watch;
    }
    if (forced.expected !== undefined && forced.expected !== row.expected) {
      fields.expected = forced.expected;
    }
    if (Object.keys(fields).length > 0) {
      await port.request(HOST_REQUEST.SET_CHOICE, { platform: row.platform, setting: row.setting, ...fields });
      changed += 1;
    }
  }
  return changed;
}

async function hostStatus(port, policy) {
  const status = await port.request(HOST_REQUEST.STATUS);
  await flushPending(port);
  if ((await syncPolicy(port, policy, status.settings ?? [])) === 0) {
    return status;
  }
  return port.request(HOST_REQUEST.STATUS);
}

/** What the options page says about where a setting's facts come from, and what is unconfirmed. */
function factsOf(setting) {
  const labels = setting.detect?.labels ?? [];
  return {
    source: setting.source,
    checked: setting.checked,
    languages: [...new Set(labels.map((label) => label.lang))],
    unconfirmed: [
      ...Object.entries(setting.unconfirmed ?? {}).map(([field, why]) => ({ field, why })),
      ...labels.filter((label) => label.unconfirmed).map((label) => ({ field: `label (${label.lang})`, lang: label.lang, text: label.text, why: label.unconfirmed })),
    ],
  };
}

/**
 * Everything the options page shows.
 * @param {import('./native-port.js').NativePort} port
 * @param {import('../shared/catalog.js').Catalog} catalog
 * @param {import('../shared/managed-policy.js').Policy} policy
 */
export async function buildOptionsState(port, catalog, policy) {
  let host;
  const hostRows = new Map();
  try {
    const status = await hostStatus(port, policy);
    host = { status: 'connected', ...port.hostInfo };
    for (const row of status.settings ?? []) {
      hostRows.set(settingKey(row.platform, row.setting), row);
    }
  } catch (error) {
    const notInstalled = Boolean(error?.notInstalled);
    const code = error?.code;
    host = {
      status: code === 'config_invalid' ? 'config_invalid' : notInstalled ? 'missing' : 'error',
      error: serializeError(error),
    };
  }
  const pending = await readPending();
  const notApplicable = (await localRead(NOT_APPLICABLE_KEY)) ?? {};
  const observations = await readObservations();
  const settings = [];
  for (const platform of catalog.platforms) {
    for (const setting of platform.settings) {
      const key = settingKey(platform.platform, setting.id);
      const hostRow = hostRows.get(key);
      const waiting = pending[key] ?? {};
      // The person's own choice: the host's effective values, or the catalog's with what waits here.
      const own = {
        watch: hostRow?.watch ?? waiting.watch ?? true,
        expected: hostRow?.expected ?? waiting.expected ?? setting.expected,
      };
      // Re-check interval: the host's effective one (the person's, a global one, the catalog's).
      const interval = hostRow?.interval_days ?? waiting.interval_days ?? setting.interval_days;
      const forced = forcedFor(policy, key);
      const effective = applyForced(own, forced);
      const local = observations[key];
      let last = null;
      if (hostRow?.verified_at) {
        last = { state: hostRow.state, verdict: hostRow.verdict, at: hostRow.verified_at, source: 'host' };
      }
      if (local && (!last || Date.parse(local.observed_at) > Date.parse(last.at))) {
        last = { state: local.state, verdict: local.verdict, at: local.observed_at, source: local.source };
      }
      settings.push({
        key,
        platform: platform.platform,
        platform_name: platform.name,
        setting: setting.id,
        title: setting.title,
        // The name the member last saw on the page (a catalog label, background/router.js checks it).
        label: catalogLabel(setting, local?.label)?.text ?? null,
        label_lang: catalogLabel(setting, local?.label)?.lang ?? null,
        why: setting.why,
        kind: setting.kind,
        facts: factsOf(setting),
        not_applicable: effective.watch === false ? (notApplicable[key] ?? null) : null,
        not_applicable_reasons: notApplicableReasons(setting),
        known_good: setting.expected,
        interval_days: interval,
        catalog_interval_days: setting.interval_days,
        watch: effective.watch,
        expected: effective.expected,
        override_expected: effective.expected !== setting.expected,
        forced,
        set_by_org: Boolean(policy.settings[key]),
        pending: Object.keys(waiting).length > 0,
        last,
      });
    }
  }
  await localWrite(CHOICE_CACHE_KEY, Object.fromEntries(settings.map((row) => [row.key, { watch: row.watch, expected: row.expected }])));
  return {
    ok: true,
    host,
    catalog_version: catalog.version,
    managed: { active: Object.keys(policy.settings).length > 0 || policy.hideIgnoreSwitch, hideIgnoreSwitch: policy.hideIgnoreSwitch, problems: policy.problems },
    pending_count: Object.keys(pending).length,
    settings,
  };
}

/** Applies the administrator's policy to the host's config, if there is a policy. */
export async function applyManagedPolicy(port) {
  const policy = await readPolicy();
  if (Object.keys(policy.settings).length === 0 && !policy.hideIgnoreSwitch) {
    return 0;
  }
  const status = await port.request(HOST_REQUEST.STATUS);
  return syncPolicy(port, policy, status.settings ?? []);
}
