// Why OptGuard could not read a setting, in words a person understands (protocol.js UNKNOWN_REASONS),
// from the messages of the UI language (shared/i18n.js).

import { t } from './i18n-module.js';

const KEYS = Object.freeze({
  no_match: 'unknownNoMatch',
  not_rendered: 'unknownNotRendered',
  ambiguous: 'unknownAmbiguous',
  unreadable: 'unknownUnreadable',
});

/** @param {string|null|undefined} reason @returns {string|null} */
export function unknownReasonText(reason) {
  return Object.hasOwn(KEYS, reason ?? '') ? t(KEYS[reason]) : null;
}

/** Reasons that suggest the vendor changed the page: a diagnostic helps fix the catalog. */
export function pageMayHaveChanged(reason) {
  return reason === 'no_match' || reason === 'not_rendered' || reason === 'ambiguous';
}
