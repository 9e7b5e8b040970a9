// The popup's "Re-check due" list (issue 5): what the host's `due` (or, without the host, the
// worker's local rules) says needs a look, most urgent first, with Snooze 1 day / Snooze 1 week /
// Done. Actions go through the worker (router: extension pages only), which asks the host.

import { MSG } from '../shared/protocol.js';
import { extensionUrl, openTab, sendRuntimeMessage } from '../shared/browser-api.js';
import { el } from '../shared/dom.js';
import { plural, t } from '../shared/i18n-module.js';
import { reasonText } from '../shared/due-text.js';
import { settingName } from '../shared/setting-name.js';

/** Items shown before "Show N more". */
export const FIRST_ITEMS = 4;

/** Never-checked services from which the popup offers to choose the services the person uses. */
export const SERVICES_HINT_AT = 3;

const SEVERITY = Object.freeze({
  critical: { rank: 2, key: 'statusViolation' },
  high: { rank: 1, key: 'severityHigh' },
  normal: { rank: 0, key: 'severityNormal' },
});

export { reasonText };

/** Due settings, most severe first, catalog order within a severity. */
export function dueItems(due) {
  const items = (due?.platforms ?? []).flatMap((p) => p.settings.map((s) => ({ ...s, platform_name: p.name })));
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => (SEVERITY[b.item.severity]?.rank ?? 0) - (SEVERITY[a.item.severity]?.rank ?? 0) || a.index - b.index)
    .map(({ item }) => item);
}

function renderItem(item, act) {
  const severity = SEVERITY[item.severity] ? item.severity : 'normal';
  const li = el('li', `due-item ${severity}`);
  li.dataset.platform = item.platform;
  li.dataset.setting = item.setting;
  li.dataset.severity = severity;

  const top = el('div', 'due-top');
  top.append(el('span', 'due-platform', item.platform_name));
  top.append(el('span', `due-sev ${severity}`, t(SEVERITY[severity].key)));
  li.append(top);

  const name = settingName(item);
  const title = el('button', 'due-title', name.text);
  if (name.lang) {
    title.lang = name.lang;
  }
  title.type = 'button';
  title.title = t('openUrl', item.opt_out_url);
  title.addEventListener('click', async () => {
    if (/^https:\/\//.test(item.opt_out_url)) {
      await openTab(item.opt_out_url);
      window.close();
    }
  });
  li.append(title);

  const reasons = el('ul', 'due-reasons');
  for (const reason of item.reasons) {
    const line = el('li', '', reasonText(reason, item.platform_name));
    line.title = reason.message ?? '';
    reasons.append(line);
  }
  li.append(reasons);

  const actions = el('div', 'due-actions');
  const button = (label, className, message) => {
    const b = el('button', className, label);
    b.type = 'button';
    b.addEventListener('click', () => act(li, { ...message, platform: item.platform, setting: item.setting }));
    actions.append(b);
  };
  button(t('snoozeDay'), 'snooze', { type: MSG.SNOOZE, duration: '1d' });
  button(t('snoozeWeek'), 'snooze', { type: MSG.SNOOZE, duration: '1w' });
  button(t('dueDone'), 'done', { type: MSG.ACK });
  li.append(actions);
  return li;
}

/**
 * Fills the popup's due section.
 * @param {HTMLElement} section
 * @param {object} due the worker's reminders reply (shaped like the host's `due`)
 */
export function renderDue(section, due) {
  section.replaceChildren();
  const items = dueItems(due);
  section.hidden = items.length === 0;
  section.dataset.count = String(items.length);
  if (items.length === 0) {
    return;
  }
  const head = el('div', 'due-head');
  head.append(el('h2', '', t('dueTitle')), el('span', `due-count ${SEVERITY[items[0].severity] ? items[0].severity : 'normal'}`, String(items.length)));
  section.append(head);
  const neverChecked = items.filter((item) => item.reasons.some((reason) => reason.code === 'never_verified')).length;
  if (neverChecked >= SERVICES_HINT_AT) {
    // A fresh install lists every service in the catalog; most people use only a few.
    const hint = el('button', 'due-services', plural('dueChooseServices', neverChecked));
    hint.type = 'button';
    hint.addEventListener('click', async () => {
      await openTab(extensionUrl('options/options.html#welcome'));
      window.close();
    });
    section.append(hint);
  }

  const act = async (li, message) => {
    for (const b of li.querySelectorAll('button')) {
      b.disabled = true;
    }
    const reply = await sendRuntimeMessage(message).catch((error) => ({ ok: false, error: { message: error.message } }));
    if (reply?.ok) {
      renderDue(section, reply.due);
      return;
    }
    li.querySelector('.due-error')?.remove();
    li.append(el('p', 'due-error', t('dueSaveFailed', reply?.error?.message ?? t('noReply'))));
    for (const b of li.querySelectorAll('button')) {
      b.disabled = false;
    }
  };

  const list = el('ul', 'due-items');
  items.forEach((item, index) => {
    const li = renderItem(item, act);
    li.hidden = index >= FIRST_ITEMS;
    list.append(li);
  });
  section.append(list);
  if (items.length > FIRST_ITEMS) {
    const more = el('button', 'due-more', plural('dueShowMore', items.length - FIRST_ITEMS));
    more.type = 'button';
    more.addEventListener('click', () => {
      for (const li of list.children) {
        li.hidden = false;
      }
      more.remove();
    });
    section.append(more);
  }
  if (due.source === 'local') {
    section.append(el('p', 'due-note', t('dueLocalNote')));
  }
}

/** Asks the worker what is due and shows it; the section stays hidden when nothing is. */
export async function loadDue(section) {
  const reply = await sendRuntimeMessage({ type: MSG.REMINDERS }).catch(() => null);
  if (reply?.ok) {
    renderDue(section, reply);
  }
  section.dataset.ready = 'true';
}
