// A reminder's reason in the member's words (docs/protocol.md "Reminders" codes), for the popup's
// due list and the worker's notifications. The host's own `message` is English: it is shown only
// for a code this extension does not know yet.

import { formatDate, t } from './i18n-module.js';

function capitalize(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

/**
 * @param {{code: string, message?: string, policy_date?: string|null, since?: string|null}} reason
 */
export function reasonText(reason) {
  switch (reason.code) {
    case 'never_verified':
      return t('reasonNeverVerified');
    case 'interval_elapsed':
      return reason.since ? t('reasonIntervalSince', formatDate(reason.since)) : t('reasonInterval');
    case 'policy_event':
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
