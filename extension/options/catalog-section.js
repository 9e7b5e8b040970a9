// The options page's catalog section: the catalog's age, the person's switch for the daily
// update fetch (or the organisation's word on it), where updates come from, what the last check
// did, and hosts an updated catalog names that OptGuard may not visit yet. A host is asked for only
// here, on the person's click (permissions.request needs that click), never silently.

import { api } from '../shared/browser-api.js';
import { el } from '../shared/dom.js';
import { t } from '../shared/i18n-module.js';
import { catalogLines, lastCheckLine } from '../shared/catalog-view.js';

function updateControl(update, onToggle) {
  const wrap = el('div', 'catalog-updates');
  if (update.forced) {
    wrap.append(el('p', 'managed-note', t(update.enabled ? 'updatesOnByOrg' : 'updatesOffByOrg')));
  } else {
    const label = el('label', 'switch-line');
    const box = el('input');
    box.type = 'checkbox';
    box.id = 'catalog-updates';
    box.checked = update.enabled;
    box.addEventListener('change', () => onToggle(box.checked));
    label.append(box, el('span', '', t('updatesToggle')));
    wrap.append(label);
  }
  if (update.enabled) {
    wrap.append(el('p', 'hint catalog-source', t(update.mirror ? 'updatesMirror' : 'updatesFrom', update.url)));
  }
  return wrap;
}

function hostPrompt(extra, onGranted) {
  const item = el('div', 'extra-host');
  item.dataset.host = extra.host;
  if (extra.granted) {
    item.append(el('p', 'hint', t('extraHostAllowed', extra.host)));
    return item;
  }
  item.append(el('p', '', t('extraHostText', extra.host)));
  const button = el('button', 'extra-host-allow', t('extraHostAllow', extra.host));
  button.type = 'button';
  button.addEventListener('click', async () => {
    // Called straight from the click: browsers grant optional permissions only on a user gesture.
    const granted = await api.permissions.request({ origins: [extra.pattern] }).catch(() => false);
    if (granted) {
      await onGranted();
    }
  });
  item.append(button);
  return item;
}

/**
 * @param {HTMLElement} section
 * @param {object} state the worker's options-state reply (catalog, extra_hosts)
 * @param {{onToggle: (enabled: boolean) => void, onGranted: () => Promise<void>, now: Date}} handlers
 */
export function renderCatalogSection(section, state, { onToggle, onGranted, now }) {
  section.replaceChildren();
  section.hidden = !state.catalog;
  if (!state.catalog) {
    return;
  }
  section.append(el('h2', '', t('updatesTitle')), ...catalogLines(state.catalog));
  section.append(updateControl(state.catalog.update, onToggle));
  const last = lastCheckLine(state.catalog.update.last, now);
  if (last) {
    section.append(last);
  }
  for (const extra of state.extra_hosts ?? []) {
    section.append(hostPrompt(extra, onGranted));
  }
}
