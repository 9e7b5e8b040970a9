// The per-tab action badge: one look per verdict, distinct in colour and in text (colour alone is
// not enough for colour-blind people).

import { clearTabBadge, setTabBadge } from '../shared/browser-api.js';
import { t } from '../shared/i18n-module.js';

// The badge text is a symbol (and "OK"), the same in every language; its title is a message.
export const BADGE = Object.freeze({
  violation: Object.freeze({ text: '!', color: '#C62828', title: 'badgeViolation' }),
  compliant: Object.freeze({ text: 'OK', color: '#2E7D32', title: 'badgeCompliant' }),
  unknown: Object.freeze({ text: '?', color: '#5F6B7A', title: 'badgeUnknown' }),
});

/**
 * The badge for a verdict on one setting.
 * @param {'compliant'|'violation'|'unknown'} verdict
 * @param {string} settingTitle the setting's name as the page showed it (shared/setting-name.js)
 * @returns {{text: string, color: string, title: string}}
 */
export function badgeFor(verdict, settingTitle) {
  const look = BADGE[verdict] ?? BADGE.unknown;
  return { text: look.text, color: look.color, title: t(look.title, settingTitle) };
}

/**
 * With several settings on one page, the worst verdict wins: violation > unknown > compliant.
 * @param {('compliant'|'violation'|'unknown')[]} verdicts
 */
export function worstVerdict(verdicts) {
  if (verdicts.includes('violation')) {
    return 'violation';
  }
  if (verdicts.includes('unknown')) {
    return 'unknown';
  }
  return verdicts.length > 0 ? 'compliant' : null;
}

/**
 * @param {number} tabId
 * @param {'compliant'|'violation'|'unknown'|null} verdict
 * @param {string} settingTitle
 */
export async function showBadge(tabId, verdict, settingTitle) {
  if (verdict === null) {
    await clearTabBadge(tabId, t('actionTitle'));
  } else {
    await setTabBadge(tabId, badgeFor(verdict, settingTitle));
  }
}
