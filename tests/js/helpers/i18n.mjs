// chrome.i18n for unit tests, from the extension's own _locales/<lang>/messages.json, with the
// browsers' rules: named placeholders ($NAME$, case-insensitive) expand to their content, then $1 …
// $9 take the substitutions, $$ is a dollar sign; a missing key gives ''. Tests load English
// unless they ask for another language.
import { readFileSync, readdirSync } from 'node:fs';

import { EXTENSION } from './paths.mjs';

export const LOCALES_DIR = `${EXTENSION}_locales/`;

/** Every locale folder's name (en, de, pt_BR, …). */
export function localeNames() {
  return readdirSync(LOCALES_DIR).sort();
}

/** @param {string} locale a folder of _locales */
export function readMessages(locale = 'en') {
  return JSON.parse(readFileSync(`${LOCALES_DIR}${locale}/messages.json`, 'utf8'));
}

/**
 * One message as the browser formats it.
 * @param {object} entry a messages.json entry
 * @param {string[]} substitutions
 */
export function formatMessage(entry, substitutions = []) {
  const placeholders = Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
  const named = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name) => placeholders[name.toLowerCase()] ?? whole);
  return named.replace(/\$(\$|[1-9])/g, (whole, which) => (which === '$' ? '$' : substitutions[Number(which) - 1] ?? ''));
}

/**
 * @param {string} [locale] a folder of _locales
 * @param {{uiLanguage?: string}} [options] what getUILanguage answers (default: the locale, with -)
 */
export function fakeI18n(locale = 'en', { uiLanguage = locale.replace('_', '-') } = {}) {
  const messages = readMessages(locale);
  const byLowerKey = new Map(Object.entries(messages).map(([key, entry]) => [key.toLowerCase(), entry]));
  return {
    getMessage(key, substitutions = []) {
      if (key === '@@bidi_dir') {
        return 'ltr';
      }
      if (key === '@@ui_locale') {
        return locale;
      }
      const entry = byLowerKey.get(String(key).toLowerCase());
      if (!entry) {
        return '';
      }
      return formatMessage(entry, (Array.isArray(substitutions) ? substitutions : [substitutions]).map(String));
    },
    getUILanguage: () => uiLanguage,
  };
}
