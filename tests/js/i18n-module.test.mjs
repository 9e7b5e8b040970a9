// shared/i18n.js: messages with their placeholders, plural forms by the language's own rules,
// dates, relative times and lists through Intl in the messages' language, and nodes placed inside a
// translated sentence. Each test installs the browser's i18n for one language (helpers/i18n.mjs).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';

import { EXTENSION } from './helpers/paths.mjs';
import { fakeI18n } from './helpers/i18n.mjs';

const SOURCE = readFileSync(`${EXTENSION}shared/i18n.js`, 'utf8');

/** A fresh copy of the classic script in its own window, with the given language's messages. */
function i18nFor(locale, options) {
  const { window } = new JSDOM('<!doctype html><p id="p"></p>', { runScripts: 'outside-only' });
  window.chrome = { i18n: fakeI18n(locale, options) };
  window.eval(SOURCE);
  return { i18n: window.optguardI18n, document: window.document };
}

describe('shared/i18n.js', () => {
  it('looks messages up with their placeholders; a missing key shows as itself', () => {
    const { i18n } = i18nFor('en');
    assert.equal(i18n.t('hostMeta', '0.1.0', '2026.11.29'), 'version 0.1.0 · catalog 2026.11.29');
    assert.equal(i18n.t('noSuchKey'), 'noSuchKey');
    const de = i18nFor('de').i18n;
    assert.equal(de.t('badgeUnknown', 'Daten verwenden'), 'OptGuard kann „Daten verwenden“ nicht lesen');
  });

  it('plural forms follow the language: Polish one, few, many and other', () => {
    const { i18n } = i18nFor('pl');
    assert.equal(i18n.plural('notifySummaryRecheck', 1), 'OptGuard: 1 ustawienie do ponownego sprawdzenia');
    assert.equal(i18n.plural('notifySummaryRecheck', 3), 'OptGuard: 3 ustawienia do ponownego sprawdzenia');
    assert.equal(i18n.plural('notifySummaryRecheck', 5), 'OptGuard: 5 ustawień do ponownego sprawdzenia');
    assert.equal(i18n.plural('notifySummaryRecheck', 22), 'OptGuard: 22 ustawienia do ponownego sprawdzenia');
    assert.equal(i18n.plural('notifySummaryRecheck', 1.5), 'OptGuard: 1,5 ustawienia do ponownego sprawdzenia');
  });

  it('French counts 0 as singular and formats numbers its way', () => {
    const { i18n } = i18nFor('fr');
    assert.equal(i18n.plural('countUnchecked', 0), '0 non vérifié');
    assert.equal(i18n.plural('countUnchecked', 2), '2 non vérifiés');
    assert.equal(i18n.plural('countUnchecked', 1200), '1\u202f200 non vérifiés');
    // "many" (a million) falls back to "other", which the French file gives.
    assert.equal(i18n.plural('countUnchecked', 1000000), '1\u202f000\u202f000 non vérifiés');
  });

  it('English plurals: the one form may drop the count', () => {
    const { i18n } = i18nFor('en');
    assert.equal(i18n.plural('notifyPlatformRecheck', 1, 'LinkedIn'), 'LinkedIn: re-check a setting');
    assert.equal(i18n.plural('notifyPlatformRecheck', 4, 'LinkedIn'), 'LinkedIn: re-check 4 settings');
  });

  it('dates and relative times in the messages\' language; a catalog day stays that day', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const de = i18nFor('de').i18n;
    assert.equal(de.formatDate('2025-11-03'), '03.11.2025');
    assert.equal(de.relativeTime('2026-11-23T11:57:00Z', now), 'vor 3 Minuten');
    assert.equal(de.relativeTime('2026-11-22T12:00:00Z', now), 'gestern');
    assert.equal(de.relativeTime('not a date', now), 'zu einem unbekannten Zeitpunkt');
    const en = i18nFor('en').i18n;
    assert.equal(en.formatDate('2025-11-03'), 'Nov 3, 2025');
    assert.equal(en.relativeTime('2026-11-23T11:59:58Z', now), 'just now');
    assert.equal(en.relativeTime('2026-11-23T13:00:00Z', now), 'in 1 hour');
    const pt = i18nFor('pt', { uiLanguage: 'pt-PT' }).i18n;
    assert.equal(pt.locale(), 'pt-PT');
    assert.equal(i18nFor('pt_BR').i18n.formatDate('2025-11-03'), '3 de nov. de 2025');
  });

  it('the locale is the messages\' own, refined by a regional UI language of the same tongue', () => {
    assert.equal(i18nFor('de', { uiLanguage: 'de-AT' }).i18n.locale(), 'de-AT');
    // A Finnish browser gets English messages: dates are English too, never half Finnish.
    assert.equal(i18nFor('en', { uiLanguage: 'fi' }).i18n.locale(), 'en');
    assert.equal(i18nFor('en', { uiLanguage: 'fi' }).i18n.formatDate('2025-11-03'), 'Nov 3, 2025');
  });

  it('lists and language names in the language', () => {
    const de = i18nFor('de').i18n;
    assert.equal(de.list(['LinkedIn', 'X', 'ChatGPT']), 'LinkedIn, X und ChatGPT');
    assert.equal(de.languageName('fr'), 'Französisch');
    assert.equal(i18nFor('sv').i18n.languageName('de'), 'tyska');
  });

  it('fill() puts nodes where the language puts them, and text as text', () => {
    const { i18n, document } = i18nFor('de');
    const p = document.getElementById('p');
    const b = document.createElement('b');
    b.textContent = '<i>Ich nutze das</i>';
    i18n.fill(p, 'optionsWelcomeText', b);
    assert.equal(p.children.length, 1);
    assert.equal(p.firstElementChild, b);
    assert.match(p.textContent, /^OptGuard überwacht jeden Dienst, den es kennt\. Schalten Sie <i>Ich nutze das<\/i> bei denen aus/);
    assert.equal(p.querySelector('i'), null, 'no markup from text');
  });

  it('localizePage fills data-i18n text and attributes, and sets lang', () => {
    const { window } = new JSDOM('<!doctype html><html lang="en"><body><h1 data-i18n="optionsTitle"></h1><section data-i18n-aria-label="dueTitle"></section></body></html>', { runScripts: 'outside-only' });
    window.chrome = { i18n: fakeI18n('sv') };
    window.eval(SOURCE);
    window.optguardI18n.localizePage(window.document);
    assert.equal(window.document.querySelector('h1').textContent, 'Alternativ för OptGuard');
    assert.equal(window.document.querySelector('section').getAttribute('aria-label'), 'Dags att kontrollera igen');
    assert.equal(window.document.documentElement.lang, 'sv');
  });
});
