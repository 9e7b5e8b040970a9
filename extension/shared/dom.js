// Small DOM helpers for OptGuard's own pages (popup, options). Text always goes in as textContent,
// never as HTML, so nothing a page or the host sends can become markup.

/**
 * A new element with an optional class and text.
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

const UNITS = [
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
];

/**
 * "3 minutes ago"-style text for an ISO time. The pages are in English, so the phrasing is too.
 * @param {string} iso
 * @param {Date} [now]
 */
export function relativeTime(iso, now = new Date()) {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) {
    return 'at an unknown time';
  }
  const seconds = Math.round((then - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return 'just now';
}
