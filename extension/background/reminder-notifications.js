// The notifications a due result calls for: one per platform, or one summary past
// MAX_PLATFORM_NOTIFICATIONS platforms, never twice for the same reasons; what a click opens.
// Not queued: background/reminders.js runs these inside its one queue.

import { clearNotification, createNotification, localRead, localWrite } from '../shared/browser-api.js';
import { list, plural, t } from '../shared/i18n-module.js';
import { reasonText } from '../shared/due-text.js';
import { settingName } from '../shared/setting-name.js';
import { severityRank } from '../shared/due.js';

/** storage.local: {notifications: {id: {url, reasons}}, reasons: string[]}: what was already shown. */
export const SHOWN_KEY = 'reminderNotifications';
export const NOTIFICATION_PREFIX = 'optguard-due:';
export const SUMMARY_ID = `${NOTIFICATION_PREFIX}summary`;
export const MAX_PLATFORM_NOTIFICATIONS = 3;
const ICON = 'icons/icon-128.png';

/** A key per reason, so a reason already shown is not shown again. */
function reasonKeys(setting) {
  return setting.reasons.map((r) => `${setting.platform}/${setting.setting}|${r.code}|${r.since ?? ''}|${r.policy_date ?? ''}`);
}

function firstOfHighest(settings) {
  return settings.reduce((best, s) => (severityRank(s.severity) > severityRank(best.severity) ? s : best), settings[0]);
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

/** Shows what the due result calls for and withdraws what it no longer does. */
export async function showNotifications(due) {
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
 * Forgets a clicked notification; returns the page it stands for (null: the options page).
 * @param {string} id one of ours (NOTIFICATION_PREFIX)
 */
export async function takeClicked(id) {
  const shown = (await localRead(SHOWN_KEY)) ?? { notifications: {}, reasons: [] };
  const entry = shown.notifications?.[id];
  if (shown.notifications) {
    delete shown.notifications[id];
    await localWrite(SHOWN_KEY, shown);
  }
  return entry?.url ?? null;
}
