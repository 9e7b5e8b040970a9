// A reminder's reason in the member's words (docs/protocol.md "Reminders" codes), for the popup's
// due list and the worker's notifications. The host's own `message` is English: it is shown only
// for a code this extension does not know yet.

import { formatDate, t } from './i18n-module.js';

function capitalize(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

const SEEN_MESSAGES = Object.freeze({ privacy: 'reasonPolicySeenPrivacy', terms: 'reasonPolicySeenTerms', ai: 'reasonPolicySeenAi' });

/**
 * @param {{code: string, message?: string, policy_date?: string|null, since?: string|null, document?: string, document_kind?: string}} reason
 * @param {string} [platformName] the platform's name (a seen policy date names it)
 */
export function reasonText(reason, platformName) {
  switch (reason.code) {
    case 'never_verified':
      return t('reasonNeverVerified');
    case 'interval_elapsed':
      return reason.since ? t('reasonIntervalSince', formatDate(reason.since)) : t('reasonInterval');
    case 'policy_event':
      if (reason.document) {
        // A date the member saw on the platform's policy page.
        return t(SEEN_MESSAGES[reason.document_kind] ?? SEEN_MESSAGES.privacy, platformName ?? '', formatDate(reason.policy_date));
      }
      return t('reasonPolicyEvent', formatDate(reason.policy_date));
    case 'form_predates_policy':
      return t('reasonFormPredates', formatDate(reason.policy_date));
    case 'drift':
      return t('reasonDrift');
    case 'violation':
      return t('reasonViolation');
    default:
      return reason.message ? capitalize(reason.message) : t('reasonDue');
  }
}
