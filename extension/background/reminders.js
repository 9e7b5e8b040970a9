// Re-verification reminders in the browser: the check and the person's actions. What is due comes
// from background/due-source.js (the host's `due`, or the local rules while the host is absent).
// One alarm (uBO Lite's alarms.js pattern: jobs in storage, one alarm) wakes the worker at the
// host's next_due_at, and at least every CHECK_FLOOR_MS; alarms survive worker eviction and browser
// restarts. Each check refreshes the action's default badge (a tab's verdict badge wins over it)
// and the notifications (background/reminder-notifications.js). One queue serialises the checks,
// the actions and the notification clicks, since storage has no transactions.

import { clearNotification, createAlarm, localWrite, openOptionsPage, openTab, setDefaultBadge } from '../shared/browser-api.js';
import { severityRank } from '../shared/due.js';
import { HOST_REQUEST } from '../shared/protocol.js';
import { isHostAbsent, serializeError } from '../shared/errors.js';
import { findSetting } from '../shared/catalog.js';
import { plural, t } from '../shared/i18n-module.js';
import { readDue } from './due-source.js';
import { keepLocally } from './local-reminders.js';
import { NOTIFICATION_PREFIX, showNotifications, takeClicked } from './reminder-notifications.js';

export const ALARM_NAME = 'optguard-reminders';
/** The longest the worker waits between checks, whatever next_due_at says. */
export const CHECK_FLOOR_MS = 6 * 60 * 60 * 1000;
/** storage.local: the last `due` result (host's or local), for the popup. */
export const DUE_KEY = 'due';
/** The popup offers these; the host accepts more (docs/protocol.md). */
export const SNOOZE_DURATIONS = Object.freeze(['1d', '1w']);
const SEVERITY_COLOR = Object.freeze({ critical: '#C62828', high: '#B45309', normal: '#1D4ED8' });

let queue = Promise.resolve();
function serialized(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => {});
  return run;
}

/** When the one alarm should fire: next_due_at, but never later than the floor. */
export function alarmTime(due, now) {
  const floor = now.getTime() + CHECK_FLOOR_MS;
  const next = due.next_due_at ? Date.parse(due.next_due_at) : Number.NaN;
  const when = Number.isNaN(next) ? floor : Math.min(next, floor);
  return Math.max(when, now.getTime() + 60 * 1000);
}

/** The action's default badge: the number of due settings, coloured by the worst severity. */
export function badgeForDue(due) {
  const count = due.count ?? 0;
  if (count === 0) {
    return { text: '', color: SEVERITY_COLOR.normal, title: t('actionTitle') };
  }
  const severity = (due.platforms ?? []).reduce(
    (worst, p) => (severityRank(p.severity) > severityRank(worst) ? p.severity : worst), 'normal');
  return {
    text: count > 99 ? '99+' : String(count),
    color: SEVERITY_COLOR[severity] ?? SEVERITY_COLOR.normal,
    title: plural('notifySummaryRecheck', count),
  };
}

/**
 * Asks what is due and brings alarm, badge and notifications in line with it. A host that answers
 * with an error leaves them as they are (the alarm still comes back) and the error is thrown.
 * @param {import('./native-port.js').NativePort} port
 * @param {import('../shared/catalog.js').Catalog} catalog
 * @param {Date} [now]
 */
export function checkReminders(port, catalog, now = new Date()) {
  return serialized(async () => {
    let due;
    try {
      due = await readDue(port, catalog, now);
    } catch (error) {
      await createAlarm(ALARM_NAME, now.getTime() + CHECK_FLOOR_MS);
      throw error;
    }
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
  const url = await serialized(() => takeClicked(id));
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
 * Snoozes or acknowledges one setting: in the host, or in this browser while the host is absent.
 * Any other host error (e.g. unknown_setting, storage_error) is returned, not hidden by a local save.
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
    if (!isHostAbsent(error)) {
      return { ok: false, error: serializeError(error) };
    }
    saved = 'local';
    await serialized(() => keepLocally(action, { platform, setting, duration }, now));
  }
  const due = await checkReminders(port, catalog, now);
  return { ok: true, saved, due };
}
