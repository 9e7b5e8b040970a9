// The verdict rule of docs/protocol.md, used when the host is missing or broken.

/**
 * @param {'on'|'off'|'unknown'} state
 * @param {'on'|'off'} expected
 * @returns {'compliant'|'violation'|'unknown'}
 */
export function computeVerdict(state, expected) {
  if (state !== 'on' && state !== 'off') {
    return 'unknown';
  }
  return state === expected ? 'compliant' : 'violation';
}

/**
 * A report reply computed from the bundled catalog, shaped like the host's and marked local.
 * @param {{platform: string, setting: import('./catalog.js').CatalogSetting}} entry
 * @param {'on'|'off'|'unknown'} state
 * @param {Date} [now]
 */
export function localReport({ platform, setting }, state, now = new Date()) {
  return {
    platform,
    setting: setting.id,
    state,
    verdict: computeVerdict(state, setting.expected),
    expected: setting.expected,
    opt_out_url: setting.opt_out_url,
    observed_at: now.toISOString(),
    source: 'local',
  };
}

/**
 * True when a setting's last verification is older than its interval, or older than a policy event
 * that took effect since (such an event makes an earlier check stale), or was never verified.
 * @param {{interval_days: number, policy_events?: {date: string}[]}} setting
 * @param {string|null} verifiedAt ISO time
 * @param {Date} [now]
 */
export function isDue(setting, verifiedAt, now = new Date()) {
  if (!verifiedAt) {
    return true;
  }
  const verified = Date.parse(verifiedAt);
  if (Number.isNaN(verified)) {
    return true;
  }
  const intervalMs = setting.interval_days * 24 * 60 * 60 * 1000;
  if (now.getTime() - verified >= intervalMs) {
    return true;
  }
  return (setting.policy_events ?? []).some((event) => {
    const effective = Date.parse(`${event.date}T00:00:00Z`);
    return effective > verified && effective <= now.getTime();
  });
}
