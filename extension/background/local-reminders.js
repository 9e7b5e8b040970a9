// Snoozes and acknowledgements made while the helper app is absent: kept in this browser (the
// local due rules honour them, background/due-source.js) and handed to the host once it answers.

import { localRead, localWrite } from '../shared/browser-api.js';
import { durationMs } from '../shared/due.js';
import { HOST_REQUEST } from '../shared/protocol.js';
import { HostReplyError } from '../shared/errors.js';

/** storage.local: {"platform/setting": {acknowledged_at?, snoozed_at?, until?}} made without the host. */
export const LOCAL_KEY = 'localReminders';

/** The host's longest snooze (docs/protocol.md), in minutes. */
const MAX_SNOOZE_MINUTES = 365 * 24 * 60;

/** @returns {Promise<Record<string, {acknowledged_at?: string, snoozed_at?: string, until?: string}>>} */
export async function readLocalReminders() {
  return (await localRead(LOCAL_KEY)) ?? {};
}

/**
 * Keeps one snooze or acknowledgement in this browser. Not queued: the caller serialises it with
 * the reminder checks (background/reminders.js).
 * @param {'snooze'|'ack'} action
 * @param {{platform: string, setting: string, duration?: string}} request
 * @param {Date} now
 */
export async function keepLocally(action, { platform, setting, duration }, now) {
  const local = await readLocalReminders();
  const key = `${platform}/${setting}`;
  const at = now.toISOString();
  local[key] = action === 'snooze'
    ? { ...local[key], snoozed_at: at, until: new Date(now.getTime() + durationMs(duration)).toISOString() }
    : { ...local[key], acknowledged_at: at };
  await localWrite(LOCAL_KEY, local);
}

/**
 * Hands the snoozes and acknowledgements made while the host was absent to the host, so the CLI,
 * `optguard remind` and other browsers follow them too; what the host took (or refused for good)
 * leaves this browser. A snooze keeps its end: the host gets the minutes still left. Stops at the
 * first sign the host went away again. Returns how many were handed over. Not queued (see above).
 * @param {import('./native-port.js').NativePort} port
 * @param {Date} now
 */
export async function flushLocalReminders(port, now) {
  const local = await readLocalReminders();
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
        break; // no answer (the host is gone again): keep the rest for next time
      }
      // refused for good (e.g. a setting gone from the catalog): drop it
    }
    delete local[key];
  }
  await localWrite(LOCAL_KEY, local);
  return sent;
}
