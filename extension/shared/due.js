// What is due for re-verification, computed in the browser when the helper app is missing. The same
// rules as the host's (host/src/domain/reminders.cpp, docs/protocol.md "Reminders"), on what the
// browser itself knows: the last observation per setting, the local acknowledgements and snoozes.
// Pure: time is a parameter, nothing here touches storage. The result is shaped like the host's
// `due` reply, so the worker and the popup handle both the same way.
//
// Differences from the host, because the browser keeps less history: only the last observation is
// known, so a violation is never called `drift`; filed forms are not tracked here.

import { SEVERITIES } from './protocol.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How loud a severity is (SEVERITIES order); 0 for one this version does not know. */
export function severityRank(severity) {
  return Math.max(SEVERITIES.indexOf(severity), 0);
}

/** @param {string} code */
export function severityOf(code) {
  if (code === 'violation' || code === 'drift') {
    return 'critical';
  }
  if (code === 'policy_event' || code === 'form_predates_policy') {
    return 'high';
  }
  return 'normal';
}

/** The higher of two severities. @param {string} a @param {string} b */
export function maxSeverity(a, b) {
  return severityRank(b) > severityRank(a) ? b : a;
}

function parseTime(iso) {
  if (typeof iso !== 'string') {
    return null;
  }
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** "2025-11-03" → its 00:00 UTC in ms; null unless a real calendar date (Date.parse rolls 02-30 over). */
function dateStartUtc(date) {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    return null;
  }
  const ms = Date.parse(`${date}T00:00:00.000Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date ? ms : null;
}

function describe(code, policyDate, summary, sinceMs) {
  switch (code) {
    case 'never_verified':
      return 'never checked';
    case 'interval_elapsed':
      return `last check is older than its interval (due since ${new Date(sinceMs).toISOString().slice(0, 10)})`;
    case 'policy_event':
      return `policy change of ${policyDate} took effect after your last check${summary ? `: ${summary}` : ''}`;
    default:
      return 'last seen ON: your data may be used for AI training';
  }
}

/**
 * One setting's reasons and, when nothing is due, when it next becomes due.
 * @param {{interval_days: number, policy_events?: {date: string, summary?: string, document?: string, document_kind?: string}[]}} setting
 *   policy_events may include dates the member saw on a policy page (with their document)
 * @param {{verdict?: string|null, observed_at?: string|null}|undefined} observation
 * @param {{acknowledged_at?: string, snoozed_at?: string, until?: string}|undefined} local
 * @param {number} now ms since the epoch
 * @returns {{reasons: object[], severity: string, next: number|null}}
 */
export function evaluateSetting(setting, observation, local, now) {
  // A reading of "unknown" is not a verification.
  const verified = observation && observation.verdict !== 'unknown' ? parseTime(observation.observed_at) : null;
  const acknowledged = parseTime(local?.acknowledged_at);
  const baseline = Math.max(verified ?? -Infinity, acknowledged ?? -Infinity);
  const hasBaseline = baseline !== -Infinity;
  let next = null;
  const keepEarliest = (ms) => {
    next = next === null ? ms : Math.min(next, ms);
  };
  const reasons = [];
  const add = (code, since, policyDate = null, summary = '', seen = null) => {
    reasons.push({ code, sinceMs: since, policy_date: policyDate, message: describe(code, policyDate, summary, since), ...seen });
  };

  if (!hasBaseline) {
    add('never_verified', 0);
  } else {
    const intervalEnd = baseline + (setting.interval_days ?? 30) * DAY_MS;
    if (intervalEnd <= now) {
      add('interval_elapsed', intervalEnd);
    } else {
      keepEarliest(intervalEnd);
    }
  }
  for (const event of setting.policy_events ?? []) {
    const effective = dateStartUtc(event.date);
    if (effective === null) {
      continue;
    }
    if (effective > now) {
      keepEarliest(effective);
    } else if (hasBaseline && effective > baseline) {
      add('policy_event', effective, event.date, event.summary,
        event.document ? { document: event.document, document_kind: event.document_kind ?? 'privacy' } : null);
    }
  }
  if (observation?.verdict === 'violation' && verified !== null) {
    add('violation', verified);
  }

  // An acknowledgement silences what was true when it was given.
  let kept = acknowledged === null ? reasons : reasons.filter((r) => r.sinceMs > acknowledged);

  const until = parseTime(local?.until);
  const snoozedAt = parseTime(local?.snoozed_at) ?? -Infinity;
  if (kept.length > 0 && until !== null && now < until) {
    // Only a high or critical reason that arose after the snooze breaks through it.
    const breaksThrough = kept.some((r) => r.sinceMs > snoozedAt && severityOf(r.code) !== 'normal');
    if (!breaksThrough) {
      keepEarliest(until);
      kept = [];
    }
  }
  let severity = 'normal';
  for (const r of kept) {
    severity = maxSeverity(severity, severityOf(r.code));
  }
  return { reasons: kept, severity, next: kept.length > 0 ? null : next };
}

/**
 * Every watched catalog setting that is due, batched per platform in catalog order, shaped like the
 * host's `due` reply (plus `source: 'local'`).
 * @param {object} input
 * @param {{platforms: {platform: string, name: string, settings: object[]}[]}} input.catalog
 * @param {Record<string, {verdict?: string, observed_at?: string}>} input.observations by "platform/setting"
 * @param {Record<string, {acknowledged_at?: string, snoozed_at?: string, until?: string}>} [input.local]
 *   acknowledgements and snoozes made in this browser, by "platform/setting"
 * @param {Record<string, {effective_date: string}>} [input.notices] policy dates the member saw, by
 *   "platform/document" (background/policy-notices.js): each counts as a policy event of every
 *   setting of its platform, as in the host (host/src/policy_notices.cpp)
 * @param {(key: string) => boolean} [input.isWatched] false for settings the person ignores
 * @param {Date} input.now
 */
export function computeDue({ catalog, observations, local = {}, notices = {}, isWatched = () => true, now }) {
  const nowMs = now.getTime();
  const platforms = [];
  let count = 0;
  let nextDue = null;
  for (const platform of catalog.platforms) {
    const settings = [];
    let platformSeverity = 'normal';
    for (const setting of platform.settings) {
      const key = `${platform.platform}/${setting.id}`;
      if (!isWatched(key)) {
        continue;
      }
      const observation = observations[key];
      const result = evaluateSetting(withSeenPolicies(platform, setting, notices), observation, local[key], nowMs);
      if (result.reasons.length === 0) {
        if (result.next !== null) {
          nextDue = nextDue === null ? result.next : Math.min(nextDue, result.next);
        }
        continue;
      }
      platformSeverity = maxSeverity(platformSeverity, result.severity);
      settings.push({
        platform: platform.platform,
        setting: setting.id,
        title: setting.title,
        kind: setting.kind,
        severity: result.severity,
        opt_out_url: setting.opt_out_url,
        verified_at: observation?.verdict && observation.verdict !== 'unknown' ? observation.observed_at : null,
        filed_on: null,
        reasons: result.reasons.map(({ code, sinceMs, policy_date: policyDate, message, document, document_kind: kind }) => ({
          code,
          since: code === 'never_verified' ? null : new Date(sinceMs).toISOString(),
          policy_date: policyDate,
          message: document ? `${platform.name}'s ${kind === 'terms' ? 'terms' : kind === 'ai' ? 'AI notice' : 'privacy policy'} changed on ${policyDate} (seen when you opened it)` : message,
          ...(document ? { document, document_kind: kind } : {}),
        })),
      });
    }
    if (settings.length > 0) {
      count += settings.length;
      platforms.push({ platform: platform.platform, name: platform.name, severity: platformSeverity, settings });
    }
  }
  return {
    ok: true,
    source: 'local',
    now: now.toISOString(),
    count,
    next_due_at: nextDue === null ? null : new Date(nextDue).toISOString(),
    platforms,
  };
}

/** The setting with the platform's seen policy dates added as events (a date the catalog has: once). */
function withSeenPolicies(platform, setting, notices) {
  const events = [...(setting.policy_events ?? [])];
  for (const document of platform.policy_documents ?? []) {
    const date = notices[`${platform.platform}/${document.id}`]?.effective_date;
    if (typeof date === 'string' && !events.some((e) => e.date === date)) {
      events.push({ date, document: document.id, document_kind: document.kind });
    }
  }
  return events.length === (setting.policy_events ?? []).length ? setting : { ...setting, policy_events: events };
}

/** Parses a snooze duration the host accepts ("1d", "1w", "12h", "30m") into ms; null if invalid. */
export function durationMs(text) {
  const match = /^([1-9][0-9]{0,5})([mhdw])$/.exec(text);
  if (!match) {
    return null;
  }
  const unit = { m: 60e3, h: 3600e3, d: DAY_MS, w: 7 * DAY_MS }[match[2]];
  const ms = Number(match[1]) * unit;
  return ms >= 60e3 && ms <= 365 * DAY_MS ? ms : null;
}
