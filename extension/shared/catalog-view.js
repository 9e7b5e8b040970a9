// The catalog's age and updates as the popup and the options page show them (the worker's
// catalog summary, background/catalog-summary.js). Text through i18n only, set with textContent.

import { el } from './dom.js';
import { formatDate, relativeTime, t } from './i18n-module.js';

const LAST_KEYS = {
  installed: 'updateLastInstalled',
  up_to_date: 'updateLastUpToDate',
  fetch_failed: 'updateLastFailed',
  refused: 'updateLastRefused',
  no_host: 'updateLastNoHost',
};

/** Why the helper app refused a release (install_catalog's error.reason), as a sentence. */
const REFUSED_KEYS = {
  too_large: 'updateRefusedTooLarge',
  bad_signature_file: 'updateRefusedBadSignatureFile',
  untrusted_key: 'updateRefusedUntrustedKey',
  bad_signature: 'updateRefusedBadSignature',
  invalid: 'updateRefusedInvalid',
  unsupported: 'updateRefusedUnsupported',
};

/** @param {string|null|undefined} reason */
export function refusalText(reason) {
  return t(REFUSED_KEYS[reason] ?? 'updateRefusedOther');
}

/**
 * Which catalog is in use and how old; past 60 days, that it may be out of date; without the
 * helper app, that updates wait for it.
 * @param {object} summary
 * @returns {HTMLElement[]}
 */
export function catalogLines(summary) {
  const lines = [];
  const key = summary.source === 'installed' ? 'catalogInstalled' : 'catalogBundled';
  const line = el('p', 'catalog-age', t(key, summary.version, formatDate(summary.date ?? summary.version)));
  line.dataset.catalogVersion = summary.version;
  lines.push(line);
  if (summary.stale) {
    lines.push(el('p', 'catalog-stale', t('catalogStale', summary.stale_after_days)));
  }
  if (!summary.host && summary.update?.enabled) {
    lines.push(el('p', 'hint catalog-no-host', t('catalogNeedsHost')));
  }
  return lines;
}

/** What the last update check did, or null before the first. */
export function lastCheckLine(last, now = new Date()) {
  if (!last || !LAST_KEYS[last.result]) {
    return null;
  }
  const when = relativeTime(last.at, now);
  const detail = { installed: last.version, refused: refusalText(last.reason) }[last.result] ?? '';
  const node = el('p', 'hint catalog-last', t(LAST_KEYS[last.result], when, detail));
  node.dataset.result = last.result;
  if (last.result === 'refused' && last.reason) {
    node.dataset.reason = last.reason; // the code, for support and tests; people read the sentence
  }
  return node;
}
