// How old a catalog is, as the host counts it (docs/protocol.md, catalog_info): whole days since
// its date, stale past 60. Used when the host cannot say (the bundled catalog without the host).

export const STALE_AFTER_DAYS = 60;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The bundled catalog's date is its version's: "2026.11.29" → "2026-11-29"; null if not a date. */
export function dateOfVersion(version) {
  return typeof version === 'string' && /^\d{4}\.\d{2}\.\d{2}$/.test(version) ? version.replaceAll('.', '-') : null;
}

/**
 * @param {string} version
 * @param {string|null} date YYYY-MM-DD (null: the version's)
 * @param {Date} now
 */
export function catalogAge(version, date, now) {
  const day = date ?? dateOfVersion(version);
  const start = Date.parse(`${day}T00:00:00Z`);
  const age = Number.isNaN(start) ? null : Math.max(0, Math.floor((now.getTime() - start) / DAY_MS));
  return { version, date: day, age_days: age, stale_after_days: STALE_AFTER_DAYS, stale: age !== null && age > STALE_AFTER_DAYS };
}
