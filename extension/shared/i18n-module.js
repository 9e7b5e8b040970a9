// shared/i18n.js for ES modules (extension pages and the worker): the same functions, imported by
// name. i18n.js stays a classic script so the content scripts can load it too.
import './i18n.js';

export const { t, plural, locale, formatNumber, formatDate, relativeTime, list, languageName, fill, localizePage } = globalThis.optguardI18n;
