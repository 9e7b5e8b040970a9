// Re-verification reminders in the browser (issue 5). What is due comes from the host's `due` (the
// same rules and store as `optguard remind`), or from shared/due.js on what this browser knows when
// the host is missing. One alarm (uBO Lite's alarms.js pattern: jobs in storage, one alarm) wakes
// the worker at the host's next_due_at, and at least every CHECK_FLOOR_MS; alarms survive worker
// eviction and browser restarts. Each check refreshes the action's default badge (a tab's verdict
// badge wins over it) and shows one notification per platform, or one summary past
// MAX_PLATFORM_NOTIFICATIONS platforms, never twice for the same reasons.

import {
  clearNotification,
  createAlarm,
  createNotification,
  localRead,
  localWrite,
  openOptionsPage,
  openTab,
  setDefaultBadge,
} from '../shared/browser-api.js';
import { computeDue, durationMs } from '../shared/due.js';
import { HOST_REQUEST } from '../shared/protocol.js';
import { HostReplyError } from '../shared/errors.js';
import { catalogLabel, findSetting } from '../shared/catalog.js';
import { list, plural, t } from '../shared/i18n-module.js';
import { reasonText } from '../shared/due-text.js';
import { settingName } from '../shared/setting-name.js';
import { readObservations } from './observations.js';
import { flushPolicyNotices, readPolicyNotices } from './policy-notices.js';
import { withoutIgnored } from './choices.js';

export const ALARM_NAME = 'optguard-reminders';
/** The longest the worker waits between checks, whatever next_due_at says. */
export const CHECK_FLOOR_MS = 6 * 60 * 60 * 1000;
/** storage.local: the last `due` result (host's or local), for the popup. */
export const DUE_KEY = 'due';
/** storage.local: {notifications: {id: {url, reasons}}, reasons: string[]}: what was already shown. */
export const SHOWN_KEY = 'reminderNotifications';
/** storage.local: {"platform/setting": {acknowledged_at?, snoozed_at?, until?}} made without the host. */
export const LOCAL_KEY = 'localReminders';
export const NOTIFICATION_PREFIX = 'optguard-due:';
export const SUMMARY_ID = `${NOTIFICATION_PREFIX}summary`;
export const MAX_PLATFORM_NOTIFICATIONS = 3;
/** The popup offers these; the host accepts more (docs/protocol.md). */
export const SNOOZE_DURATIONS = Object.freeze(['1d', '1w']);
const ICON = 'icons/icon-128.png';
const SEVERITY_COLOR = Object.freeze({ critical: '#C62828', high: '#B45309', normal: '#1D4ED8' });
const RANK = Object.freeze({ normal: 0, high: 1, critical: 2 });

// storage has no transactions; one queue keeps checks and their writes from interleaving.
let queue = Promise.resolve();
function serialized(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => {});
  return run;
}

/**
 * What is due now: the host's answer, else the local rules.
 * @param {import('./native-port.js').NativePort} port
 * @param {import('../shared/catalog.js').Catalog} catalog
 * @param {Date} now
 */
export async function readDue(port, catalog, now) {
  return withLabels(await readDueUnlabelled(port, catalog, now), catalog, await readObservations());
}

/**
 * Each due setting with the label the member last saw on its page (observations.js), so the due
 * list and notifications name it as the page did; only labels still in the catalog.
 */
export function withLabels(due, catalog, observations) {
  for (const platform of due.platforms ?? []) {
    for (const setting of platform.settings ?? []) {
      const entry = findSetting(catalog, setting.platform, setting.setting);
      const label = entry ? catalogLabel(entry.setting, observations[`${setting.platform}/${setting.setting}`]?.label) : null;
      setting.label = label?.text ?? null;
      setting.label_lang = label?.lang ?? null;
    }
  }
  return due;
}

async function readDueUnlabelled(port, catalog, now) {
  try {
    let reply = await port.request(HOST_REQUEST.DUE);
    if ((await flushLocalReminders(port, now)) + (await flushPolicyNotices(port)) > 0) {
      reply = await port.request(HOST_REQUEST.DUE); // the flushed snoozes and acks change it
    }
    return {
      ok: true,
      source: 'host',
      now: reply.now,
      count: reply.count,
      next_due_at: reply.next_due_at ?? null,
      platforms: reply.platforms ?? [],
    };
  } catch {
    const entries = catalog.platforms.flatMap((platform) => platform.settings.map((setting) => ({ platform, setting })));
    const watched = new Set((await withoutIgnored(entries)).map(({ platform, setting }) => `${platform.platform}/${setting.id}`));
    return computeDue({
      catalog,
      observations: await readObservations(),
      local: (await localRead(LOCAL_KEY)) ?? {},
      notices: await readPolicyNotices(),
      isWatched: (key) => watched.has(key),
      now,
    });
  }
}

/** The host's longest snooze (docs/protocol.md), in minutes. */
const MAX_SNOOZE_MINUTES = 365 * 24 * 60;

/**
 * Hands the snoozes and acknowledgements made while the host was missing to the host, so the CLI,
 * `optguard remind` and other browsers follow them too; what the host took (or refused for good)
 * leaves this browser. A snooze keeps its end: the host gets the minutes still left. Stops at the
 * first sign the host went away again. Returns how many were handed over. Runs inside
 * checkReminders' queue (through readDue), so it does not queue itself.
 * @param {import('./native-port.js').NativePort} port
 * @param {Date} now
 */
export async function flushLocalReminders(port, now) {
  const local = (await localRead(LOCAL_KEY)) ?? {};
  let sent = 0;
  for (const [key, entry] of Object.entries(local)) {
    const [platform, setting] = key.split('/');
    try {
      if (entry.acknowledged_at) {
        await port.request(HOST_REQUEST.ACK, { platform, setting });
        sent += 1;
      }
      const left = Date.parse(entry.until ?? '') - now.getTime();
      if (left > 0) {
        const minutes = Math.min(Math.max(Math.ceil(left / 60000), 1), MAX_SNOOZE_MINUTES);
        await port.request(HOST_REQUEST.SNOOZE, { platform, setting, duration: `${minutes}m` });
        sent += 1;
      }
    } catch (error) {
      if (!(error instanceof HostReplyError)) {
        break; // the host is gone again: keep the rest for next time
      }
      // refused for good (e.g. a setting gone from the catalog): drop it
    }
    delete local[key];
  }
  await localWrite(LOCAL_KEY, local);
  return sent;
}

/** When the one alarm should fire: next_due_at, but never later than the floor. */
export function alarmTime(due, now) {
  const floor = now.getTime() + CHECK_FLOOR_MS;
  const next = due.next_due_at ? Date.parse(due.next_due_at) : Number.NaN;
  const when = Number.isNaN(next) ? floor : Math.min(next, floor);
  return Math.max(when, now.getTime() + 60 * 1000);
}

/** A key per reason, so a reason already shown is not shown again. */
function reasonKeys(setting) {
  return setting.reasons.map((r) => `${setting.platform}/${setting.setting}|${r.code}|${r.since ?? ''}|${r.policy_date ?? ''}`);
}

function firstOfHighest(settings) {
  return settings.reduce((best, s) => ((RANK[s.severity] ?? 0) > (RANK[best.severity] ?? 0) ? s : best), settings[0]);
}

/**
 * The notifications a due result calls for: one per platform, or one summary for many.
 * @returns {{id: string, url: string|null, reasons: string[], title: string, message: string}[]}
 */
export function planNotifications(due) {
  const platforms = due.platforms ?? [];
  if (platforms.length === 0) {
    return [];
  }
  if (platforms.length > MAX_PLATFORM_NOTIFICATIONS) {
    const settings = platforms.flatMap((p) => p.settings);
    const critical = settings.filter((s) => s.severity === 'critical').length;
    return [{
      id: SUMMARY_ID,
      url: null,
      reasons: settings.flatMap(reasonKeys),
      title: critical > 0 ? plural('notifySummaryViolation', critical) : plural('notifySummaryRecheck', settings.length),
      message: list(platforms.map((p) => p.name)),
    }];
  }
  return platforms.map((p) => {
    const top = firstOfHighest(p.settings);
    const lines = p.settings.map((s) => t('notifyLine', settingName(s).text, s.reasons[0] ? reasonText(s.reasons[0], p.name) : t('reasonDue')));
    let title = plural('notifyPlatformRecheck', p.settings.length, p.name);
    if (p.severity === 'critical') {
      title = t('notifyPlatformViolation', p.name);
    } else if (p.severity === 'high') {
      title = t('notifyPlatformPolicy', p.name);
    }
    return {
      id: `${NOTIFICATION_PREFIX}${p.platform}`,
      url: /^https:\/\//.test(top.opt_out_url) ? top.opt_out_url : null,
      reasons: p.settings.flatMap(reasonKeys),
      title,
      message: lines.join('\n'),
    };
  });
}

/** The action's default badge: the number of due settings, coloured by the worst severity. */
export function badgeForDue(due) {
  const count = due.count ?? 0;
  if (count === 0) {
    return { text: '', color: SEVERITY_COLOR.normal, title: t('actionTitle') };
  }
  const severity = (due.platforms ?? []).reduce(
    (worst, p) => ((RANK[p.severity] ?? 0) > (RANK[worst] ?? 0) ? p.severity : worst), 'normal');
  return {
    text: count > 99 ? '99+' : String(count),
    color: SEVERITY_COLOR[severity] ?? SEVERITY_COLOR.normal,
    title: plural('notifySummaryRecheck', count),
  };
}

async function showNotifications(due) {
  const shown = (await localRead(SHOWN_KEY)) ?? { notifications: {}, reasons: [] };
  const seen = new Set(shown.reasons ?? []);
  const notifications = { ...(shown.notifications ?? {}) };
  const plan = planNotifications(due);
  const planned = new Set(plan.map((n) => n.id));
  for (const id of Object.keys(notifications)) {
    if (!planned.has(id)) {
      // Withdrawn (e.g. a summary replaced by per-platform notifications): what it told is no
      // longer on screen, so reasons still due are shown again in their new place.
      await clearNotification(id).catch(() => {});
      for (const key of notifications[id].reasons ?? []) {
        seen.delete(key);
      }
      delete notifications[id];
    }
  }
  for (const item of plan) {
    if (item.reasons.every((key) => seen.has(key))) {
      continue; // nothing new since it was shown
    }
    await createNotification(item.id, { title: item.title, message: item.message, iconPath: ICON });
    notifications[item.id] = { url: item.url, reasons: item.reasons };
  }
  // Only reasons still due are remembered: one that ends and comes back is shown again.
  const current = plan.flatMap((n) => n.reasons);
  await localWrite(SHOWN_KEY, { notifications, reasons: [...new Set(current)].sort() });
}

/**
 * Asks what is due and brings alarm, badge and notifications in line with it.
 * @param {import('./native-port.js').NativePort} port
 * @param {import('../shared/catalog.js').Catalog} catalog
 * @param {Date} [now]
 */
export function checkReminders(port, catalog, now = new Date()) {
  return serialized(async () => {
    const due = await readDue(port, catalog, now);
    await localWrite(DUE_KEY, due);
    await createAlarm(ALARM_NAME, alarmTime(due, now));
    await setDefaultBadge(badgeForDue(due));
    await showNotifications(due);
    return due;
  });
}

/**
 * A click on one of our notifications: open the setting's page (the options page for the
 * summary) and clear the notification.
 * @param {string} id
 */
export async function handleNotificationClick(id) {
  if (!id.startsWith(NOTIFICATION_PREFIX)) {
    return null;
  }
  const url = await serialized(async () => {
    const shown = (await localRead(SHOWN_KEY)) ?? { notifications: {}, reasons: [] };
    const entry = shown.notifications?.[id];
    if (shown.notifications) {
      delete shown.notifications[id];
      await localWrite(SHOWN_KEY, shown);
    }
    return entry?.url ?? null;
  });
  await clearNotification(id).catch(() => {});
  if (url) {
    await openTab(url);
  } else {
    await openOptionsPage();
  }
  return url;
}

/**
 * Checks a popup's snooze / ack message. Returns the parsed request or an error text.
 * @param {object} message
 * @param {import('../shared/catalog.js').Catalog} catalog
 */
export function validateReminderMessage(message, catalog, withDuration) {
  const keys = withDuration ? ['type', 'platform', 'setting', 'duration'] : ['type', 'platform', 'setting'];
  const actual = Object.keys(message);
  if (actual.length !== keys.length || !keys.every((k) => Object.hasOwn(message, k))) {
    return `${message.type} takes exactly ${keys.slice(1).join(', ')}`;
  }
  if (typeof message.platform !== 'string' || typeof message.setting !== 'string'
      || !findSetting(catalog, message.platform, message.setting)) {
    return 'platform/setting is not in the catalog';
  }
  if (withDuration && !SNOOZE_DURATIONS.includes(message.duration)) {
    return `duration must be one of ${SNOOZE_DURATIONS.join(', ')}`;
  }
  return { platform: message.platform, setting: message.setting, duration: message.duration };
}

/**
 * Snoozes or acknowledges one setting: in the host, or in this browser while the host is missing.
 * A reply error from the host (e.g. unknown_setting) is returned, not hidden by a local save.
 * @param {'snooze'|'ack'} action
 */
export async function reminderAction(port, catalog, action, { platform, setting, duration }, now = new Date()) {
  let saved = 'host';
  try {
    if (action === 'snooze') {
      await port.request(HOST_REQUEST.SNOOZE, { platform, setting, duration });
    } else {
      await port.request(HOST_REQUEST.ACK, { platform, setting });
    }
  } catch (error) {
    if (error instanceof HostReplyError) {
      return { ok: false, error: { code: error.code, message: error.message } };
    }
    saved = 'local';
    await serialized(async () => {
      const local = (await localRead(LOCAL_KEY)) ?? {};
      const key = `${platform}/${setting}`;
      const at = now.toISOString();
      local[key] = action === 'snooze'
        ? { ...local[key], snoozed_at: at, until: new Date(now.getTime() + durationMs(duration)).toISOString() }
        : { ...local[key], acknowledged_at: at };
      await localWrite(LOCAL_KEY, local);
    });
  }
  const due = await checkReminders(port, catalog, now);
  return { ok: true, saved, due };
}
