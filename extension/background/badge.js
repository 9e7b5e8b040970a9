// The per-tab action badge: one look per verdict, distinct in colour and in text (colour alone is
// not enough for colour-blind people).

import { clearTabBadge, setTabBadge } from '../shared/browser-api.js';

export const BADGE = Object.freeze({
  violation: Object.freeze({ text: '!', color: '#C62828', title: 'AI training is ON for' }),
  compliant: Object.freeze({ text: 'OK', color: '#2E7D32', title: 'AI training is off for' }),
  unknown: Object.freeze({ text: '?', color: '#5F6B7A', title: 'OptGuard cannot read' }),
});

/**
 * The badge for a verdict on one setting.
 * @param {'compliant'|'violation'|'unknown'} verdict
 * @param {string} settingTitle
 * @returns {{text: string, color: string, title: string}}
 */
export function badgeFor(verdict, settingTitle) {
  const look = BADGE[verdict] ?? BADGE.unknown;
  return { text: look.text, color: look.color, title: `OptGuard: ${look.title} “${settingTitle}”` };
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
    await clearTabBadge(tabId);
  } else {
    await setTabBadge(tabId, badgeFor(verdict, settingTitle));
  }
}
