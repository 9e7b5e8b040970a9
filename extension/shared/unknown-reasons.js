// Why OptGuard could not read a setting, in words a person understands (protocol.js UNKNOWN_REASONS).

const TEXT = Object.freeze({
  no_match: 'OptGuard saw switches on the page, but none with this setting’s name. The page may have changed, or be in a language OptGuard does not know yet.',
  not_rendered: 'The setting did not appear on the page. It may not have finished loading, or the page may have moved.',
  ambiguous: 'OptGuard found more than one switch that could be this setting, so it did not guess.',
  unreadable: 'OptGuard found the switch but could not tell whether it is on or off.',
});

/** @param {string|null|undefined} reason @returns {string|null} */
export function unknownReasonText(reason) {
  return Object.hasOwn(TEXT, reason ?? '') ? TEXT[reason] : null;
}

/** Reasons that suggest the vendor changed the page: a diagnostic helps fix the catalog. */
export function pageMayHaveChanged(reason) {
  return reason === 'no_match' || reason === 'not_rendered' || reason === 'ambiguous';
}
