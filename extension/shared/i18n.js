// Every word OptGuard shows goes through here: messages from _locales/<lang>/messages.json through
// the browser's i18n API (chrome.i18n / browser.i18n), and numbers, plurals, dates, relative times,
// lists and language names through Intl in the language of those messages. No sentence is ever
// assembled from pieces: a message holds the whole sentence with its placeholders.
//
// Written as a classic script (no import/export) so the content scripts can load it from the
// manifest; it sets globalThis.optguardI18n. Extension pages and the worker import it through
// shared/i18n-module.js, which re-exports the same functions.
'use strict';

(() => {
  /** The namespace's i18n, read at each call (tests install theirs after loading this file). */
  const i18nApi = () => (globalThis.browser ?? globalThis.chrome)?.i18n;

  /** Markers for fill(): private-use characters no message contains. */
  const MARKER_BASE = 0xe000;
  const MARKERS = /([\uE000-\uE008])/;

  /**
   * The raw message, '' when the key is missing.
   * @param {string} key
   * @param {string[]} substitutions
   */
  function raw(key, substitutions) {
    const api = i18nApi();
    if (!api?.getMessage) {
      return '';
    }
    return api.getMessage(key, substitutions.map(String)) || '';
  }

  /**
   * The message `key` with its placeholders filled ($1 … $9, in the order the message declares).
   * A missing key shows as the key itself, so a gap is visible rather than blank.
   * @param {string} key
   * @param {...(string|number)} substitutions
   */
  function t(key, ...substitutions) {
    return raw(key, substitutions) || key;
  }

  let cachedLocale = null;

  /**
   * The language of the messages in use, as a BCP 47 tag for Intl: each messages.json names its
   * own (`localeCode`), so dates and numbers always match the words around them, also when the
   * browser's language has no messages and English is shown. Where the browser's UI language is a
   * regional form of it (de-AT for de), that one, for its date conventions.
   */
  function locale() {
    if (cachedLocale) {
      return cachedLocale;
    }
    const messages = raw('localeCode', []) || 'en';
    let ui = '';
    try {
      ui = String(i18nApi()?.getUILanguage?.() ?? '').replace(/_/g, '-');
    } catch {
      // keep the messages' own
    }
    const base = messages.toLowerCase();
    const regional = ui.toLowerCase() === base || ui.toLowerCase().startsWith(`${base}-`);
    let chosen = regional ? ui : messages;
    try {
      chosen = Intl.getCanonicalLocales(chosen)[0];
    } catch {
      chosen = messages;
    }
    cachedLocale = chosen;
    return chosen;
  }

  /** @param {number} value */
  function formatNumber(value) {
    return new Intl.NumberFormat(locale()).format(value);
  }

  /**
   * A message that depends on a count: `${base}_${category}` for the count's plural category in
   * this language (Intl.PluralRules: one, few, many, other), falling back to `${base}_other`. The
   * count, formatted for the language, is always $1; more substitutions follow as $2 ….
   * @param {string} base
   * @param {number} count
   * @param {...(string|number)} substitutions
   */
  function plural(base, count, ...substitutions) {
    const category = new Intl.PluralRules(locale()).select(count);
    const values = [formatNumber(count), ...substitutions];
    return raw(`${base}_${category}`, values) || raw(`${base}_other`, values) || base;
  }

  const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

  /**
   * A date in the language's usual form ("23 Nov 2026", "23.11.2026"). A bare YYYY-MM-DD (a
   * catalog or policy date) is a calendar day, shown as that day wherever the person is.
   * @param {string|number|Date} value
   * @param {Intl.DateTimeFormatOptions} [options]
   */
  function formatDate(value, options = { dateStyle: 'medium' }) {
    const isDay = typeof value === 'string' && DATE_ONLY.test(value);
    const date = new Date(isDay ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(date.getTime())) {
      return String(value);
    }
    return new Intl.DateTimeFormat(locale(), isDay ? { ...options, timeZone: 'UTC' } : options).format(date);
  }

  const UNITS = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];

  /**
   * "3 minutes ago", "vor 3 Minuten", "yesterday" for an ISO time, in the messages' language
   * (Intl.RelativeTimeFormat); under a minute, the language's "just now".
   * @param {string} iso
   * @param {Date} [now]
   */
  function relativeTime(iso, now = new Date()) {
    const then = Date.parse(iso);
    if (Number.isNaN(then)) {
      return t('timeUnknown');
    }
    const seconds = Math.round((then - now.getTime()) / 1000);
    const format = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
    for (const [unit, size] of UNITS) {
      if (Math.abs(seconds) >= size) {
        return format.format(Math.round(seconds / size), unit);
      }
    }
    return t('timeJustNow'); // under a minute: "just now", "gerade eben" (Intl would say "now")
  }

  /** "LinkedIn, X and ChatGPT" in the language's own way. @param {string[]} items */
  function list(items) {
    return new Intl.ListFormat(locale(), { style: 'long', type: 'conjunction' }).format(items);
  }

  /** A language's name in the UI language ("de" → "Deutsch" in German, "German" in English). */
  function languageName(code) {
    try {
      return new Intl.DisplayNames(locale(), { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  }

  /**
   * Fills `node` with the message `key` whose placeholders are nodes or strings (a bold word inside
   * a sentence): the sentence stays whole for the translator, the nodes go where the language puts
   * them. Text goes in as text nodes, never as HTML.
   * @param {Element} node
   * @param {string} key
   * @param {...(Node|string)} parts
   */
  function fill(node, key, ...parts) {
    const markers = parts.map((_, i) => String.fromCharCode(MARKER_BASE + i));
    const text = raw(key, markers) || key;
    node.replaceChildren();
    for (const piece of text.split(MARKERS)) {
      const index = piece.length === 1 ? piece.charCodeAt(0) - MARKER_BASE : -1;
      if (index >= 0 && index < parts.length) {
        node.append(parts[index]);
      } else if (piece) {
        node.append(piece);
      }
    }
    return node;
  }

  const ATTRIBUTES = [
    ['i18nTitle', 'title'],
    ['i18nAriaLabel', 'aria-label'],
    ['i18nAlt', 'alt'],
  ];

  /**
   * Fills an extension page's static text: `data-i18n="key"` sets an element's text,
   * `data-i18n-title`, `data-i18n-aria-label` and `data-i18n-alt` set those attributes; the page's
   * lang and dir follow the messages.
   * @param {Document} doc
   */
  function localizePage(doc) {
    for (const element of doc.querySelectorAll('[data-i18n]')) {
      element.textContent = t(element.dataset.i18n);
    }
    for (const [data, attribute] of ATTRIBUTES) {
      const selector = `[data-${data.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}]`;
      for (const element of doc.querySelectorAll(selector)) {
        element.setAttribute(attribute, t(element.dataset[data]));
      }
    }
    doc.documentElement.lang = locale();
    doc.documentElement.dir = raw('@@bidi_dir', []) || 'ltr';
  }

  globalThis.optguardI18n = Object.freeze({ t, plural, locale, formatNumber, formatDate, relativeTime, list, languageName, fill, localizePage });
})();
