// The verdict rule of docs/protocol.md, used only when the host is absent (shared/errors.js
// isHostAbsent); tests/fixtures/rules/verdict.json holds it to the host's domain/verdict.cpp.

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
