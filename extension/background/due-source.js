// What is due now, from one source at a time: the host's `due` whenever the host answers (its rules,
// the person's overrides, snoozes, acknowledgements and violations), or, only when the host is
// absent (shared/errors.js isHostAbsent), shared/due.js on what this browser knows. Any other host
// error is thrown, never hidden behind a local answer. The popup's cards and its due list both ask
// here, so they cannot disagree.

import { HOST_REQUEST } from '../shared/protocol.js';
import { isHostAbsent } from '../shared/errors.js';
import { computeDue } from '../shared/due.js';
import { catalogLabel, findSetting } from '../shared/catalog.js';
import { readObservations } from './observations.js';
import { PENDING_KEY, withoutIgnored } from './choices.js';
import { flushLocalReminders, readLocalReminders } from './local-reminders.js';
import { flushPolicyNotices, readPolicyNotices } from './policy-notices.js';
import { localRead } from '../shared/browser-api.js';

/**
 * What is due now: the host's answer, else (host absent) the local rules.
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
      reply = await port.request(HOST_REQUEST.DUE); // the flushed snoozes, acks and policy dates change it
    }
    return {
      ok: true,
      source: 'host',
      now: reply.now,
      count: reply.count,
      next_due_at: reply.next_due_at ?? null,
      platforms: reply.platforms ?? [],
    };
  } catch (error) {
    if (!isHostAbsent(error)) {
      throw error;
    }
    return localDue(catalog, now);
  }
}

/**
 * The local rules' answer (host absent): the last observation per setting, the snoozes and
 * acknowledgements kept in this browser and the intervals the person chose here (waiting for the
 * host), without the settings the person ignores.
 * @param {import('../shared/catalog.js').Catalog} catalog
 * @param {Date} now
 */
export async function localDue(catalog, now) {
  catalog = withPendingIntervals(catalog, (await localRead(PENDING_KEY)) ?? {});
  const entries = catalog.platforms.flatMap((platform) => platform.settings.map((setting) => ({ platform, setting })));
  const watched = new Set((await withoutIgnored(entries)).map(({ platform, setting }) => `${platform.platform}/${setting.id}`));
  return computeDue({
    catalog,
    observations: await readObservations(),
    local: await readLocalReminders(),
    notices: await readPolicyNotices(),
    isWatched: (key) => watched.has(key),
    now,
  });
}

function withPendingIntervals(catalog, pending) {
  return {
    ...catalog,
    platforms: catalog.platforms.map((platform) => ({
      ...platform,
      settings: platform.settings.map((setting) => {
        const days = pending[`${platform.platform}/${setting.id}`]?.interval_days;
        return Number.isInteger(days) ? { ...setting, interval_days: days } : setting;
      }),
    })),
  };
}
