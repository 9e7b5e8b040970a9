// Small DOM helpers for OptGuard's own pages (popup, options). Text always goes in as textContent,
// never as HTML, so nothing a page or the host sends can become markup. Words, dates and relative
// times come from shared/i18n.js.

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
