// The popup: the helper app's connection, full cards for the settings that need attention (and the
// active tab's platform), and every other setting as one line in a collapsed group per platform.

import { MSG } from '../shared/protocol.js';
import { loadDue } from './due-list.js';
import { api, openOptionsPage, openTab, sendRuntimeMessage } from '../shared/browser-api.js';
import { el } from '../shared/dom.js';
import { list, localizePage, plural, relativeTime, t } from '../shared/i18n-module.js';
import { matchesPattern } from '../shared/catalog.js';
import { settingName } from '../shared/setting-name.js';
import { pageMayHaveChanged, unknownReasonText } from '../shared/unknown-reasons.js';
import { catalogLines } from '../shared/catalog-view.js';

/** The active tab when the browser tells the popup (catalog sites only): {id, url} or null. */
let activeTab = null;

export const INSTALL_COMMAND = 'installer/install.sh';

const STATUS_TEXT = {
  violation: { mark: '!', key: 'statusViolation' },
  compliant: { mark: '✓', key: 'statusCompliant' },
  unknown: { mark: '?', key: 'statusUnknown' },
  unchecked: { mark: '–', key: 'statusUnchecked' },
  request: { mark: '↗', key: 'statusRequest' },
};

const statusLabel = (status) => t(STATUS_TEXT[status].key);

/** An element holding the setting's name, marked with its language. */
function nameElement(tag, className, row) {
  const name = settingName(row);
  const node = el(tag, className, name.text);
  if (name.lang) {
    node.lang = name.lang;
  }
  return node;
}

function renderHost(section, host, catalogVersion) {
  section.replaceChildren();
  section.className = `host ${host.status}`;
  const line = el('p', 'host-line');
  line.append(el('span', 'dot'));
  if (host.status === 'connected') {
    line.append(el('span', '', t('hostConnected')));
    section.append(line);
    section.append(el('p', 'host-meta', t('hostMeta', host.version, host.catalog_version ?? t('hostCatalogNotLoaded'))));
    if (host.diagnosis) {
      section.append(el('p', 'detail diagnosis', t('hostDiagnosisLine', host.diagnosis.title, host.diagnosis.detail, host.diagnosis.fix)));
    }
    for (const problem of [host.catalog_error, host.config_error]) {
      if (problem) {
        section.append(el('p', 'detail', problem));
      }
    }
    return;
  }
  const missing = host.status === 'missing';
  // background/host-diagnosis.js: what is wrong and the command that fixes it (as `optguard doctor`).
  const diagnosis = host.diagnosis;
  const fix = diagnosis?.fix ?? INSTALL_COMMAND;
  line.append(el('span', '', diagnosis?.title ?? t(missing ? 'hostMissingTitle' : 'hostNotRespondingTitle')));
  section.append(line);
  if (diagnosis) {
    section.append(el('p', 'detail diagnosis', diagnosis.detail));
  }
  section.append(el('p', 'hint', t(missing ? 'hostInstallHint' : 'hostFixHint')));
  const command = el('div', 'command');
  command.append(el('code', '', fix));
  const copy = el('button', '', t('copy'));
  copy.type = 'button';
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(fix);
      copy.textContent = t('copied');
    } catch {
      copy.textContent = t('copyManually');
    }
  });
  command.append(copy);
  section.append(command);
  section.append(el('p', 'hint', t('hostLocalHint', catalogVersion)));
  if (host.error?.message) {
    section.append(el('p', 'detail', t('hostBrowserSaid', host.error.message)));
  }
}

const READABLE_KINDS = new Set(['toggle', 'checkbox']);

function statusKey(row) {
  if (!READABLE_KINDS.has(row.kind)) {
    return 'request';
  }
  return row.verdict ?? 'unchecked';
}

/** On, Off or Can't tell, as the popup and options page say it. */
export function stateWord(state) {
  return t(state === 'on' ? 'stateOn' : state === 'off' ? 'stateOff' : 'stateCantTell');
}

function renderSetting(row) {
  const status = statusKey(row);
  const card = el('article', `setting ${status}`);
  card.dataset.platform = row.platform;
  card.dataset.setting = row.setting;
  card.dataset.verdict = row.verdict ?? '';

  const head = el('div', 'setting-head');
  head.append(nameElement('h2', '', row));
  head.append(renderPill(status));
  card.append(head);
  if (row.why) {
    // The catalog's explanation, in English (the catalog carries English only).
    const why = el('details', 'why');
    const text = el('p', '', row.why);
    text.lang = 'en';
    why.append(el('summary', '', t('whyItMatters')), text);
    card.append(why);
  }

  if (READABLE_KINDS.has(row.kind)) {
    const facts = el('dl', 'facts');
    const fact = (term, value, className) => {
      facts.append(el('dt', '', term), el('dd', className ?? '', value));
    };
    fact(t('factNow'), row.state ? stateWord(row.state) : t('stateNotSeen'));
    fact(t('factShouldBe'), stateWord(row.expected));
    if (row.verified_at) {
      const when = relativeTime(row.verified_at);
      fact(t('factLastVerified'), row.source === 'host' ? when : t('verifiedInBrowser', when));
    }
    if (row.due) {
      fact(t('factRecheck'), row.verified_at ? plural('recheckDueEvery', row.interval_days) : t('recheckOpenOnce'), 'due');
    }
    card.append(facts);
    const reason = row.state === 'unknown' ? unknownReasonText(row.reason) : null;
    if (reason) {
      card.append(el('p', 'reason', reason));
    }
    if (row.state === 'unknown' && pageMayHaveChanged(row.reason) && activeTab && (row.pages ?? []).some((page) => matchesPattern(page, activeTab.url))) {
      card.append(diagnosticButton(row));
    }
  } else {
    card.append(el('p', 'note', t(row.kind === 'form' ? 'noteForm' : 'noteInfo')));
  }
  card.append(el('p', 'path', row.path.join(' › ')));

  const open = openButton(row, status === 'violation' ? 'open primary' : 'open', t('openOptOut'));
  card.append(open);
  return card;
}

/**
 * "Save a diagnostic": a local JSON file with the skeleton of this tab's controls, for a catalog
 * fix (background/diagnostic.js says what it holds). Saved by the browser's download, nothing sent.
 */
function diagnosticButton(row) {
  const box = el('div', 'diagnostic');
  box.append(el('p', 'hint', t('diagnosticHint')));
  const button = el('button', 'save-diagnostic', t('diagnosticSave'));
  button.type = 'button';
  const status = el('p', 'hint diagnostic-status');
  button.addEventListener('click', async () => {
    const reply = await sendRuntimeMessage({ type: MSG.DIAGNOSTIC, tabId: activeTab.id, platform: row.platform, setting: row.setting });
    if (!reply?.ok) {
      status.textContent = t('diagnosticFailed', diagnosticError(reply?.error));
      return;
    }
    const blob = new Blob([`${JSON.stringify(reply.diagnostic, null, 2)}\n`], { type: 'application/json' });
    const link = el('a');
    link.href = URL.createObjectURL(blob);
    link.download = `optguard-diagnostic-${row.platform}-${row.setting}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    status.textContent = t('diagnosticSaved', link.download);
  });
  box.append(button, status);
  return box;
}

/** Why the worker could not make a diagnostic, in words (background/diagnostic.js codes). */
function diagnosticError(error) {
  if (error?.code === 'not_on_page') {
    return t('diagnosticNotOnPage');
  }
  if (error?.code === 'page_silent') {
    return t('diagnosticPageSilent');
  }
  return error?.message ?? t('noReply');
}

/** Violations and unreadable settings the person watches: full cards at the top. */
function needsAttention(row) {
  const status = statusKey(row);
  return row.watch !== false && (status === 'violation' || status === 'unknown');
}

/** The registrable-ish part of a host name ("www.linkedin.com" -> "linkedin.com"). */
function siteOf(url) {
  try {
    return new URL(url).hostname.split('.').slice(-2).join('.');
  } catch {
    return null;
  }
}

const COUNT_ORDER = ['violation', 'unknown', 'compliant', 'unchecked', 'request'];
/** Plural message families (shared/i18n.js plural) for a platform's count summary. */
const COUNT_MESSAGES = {
  violation: 'countViolation',
  unknown: 'countUnknown',
  compliant: 'countCompliant',
  unchecked: 'countUnchecked',
  request: 'countRequest',
};

/**
 * "2 opted out · 1 not checked" for one platform's rows.
 * @param {Array<{kind: string, verdict: string|null}>} rows
 */
export function countSummary(rows) {
  const counts = new Map();
  for (const row of rows) {
    const status = statusKey(row);
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return COUNT_ORDER.filter((status) => counts.has(status))
    .map((status) => plural(COUNT_MESSAGES[status], counts.get(status)))
    .join(' · ');
}

/**
 * Splits the rows: full cards for what needs attention (and the active tab's platform), the rest by platform.
 * @param {Array<object>} rows popup-state settings, in catalog order
 * @param {string|null} [activeUrl] the active tab's URL when the browser tells the popup
 */
export function arrangeSettings(rows, activeUrl = null) {
  const attention = rows.filter(needsAttention);
  const site = activeUrl ? siteOf(activeUrl) : null;
  const activePlatforms = new Set(site ? rows.filter((row) => siteOf(row.opt_out_url) === site).map((row) => row.platform) : []);
  const here = rows.filter((row) => !needsAttention(row) && activePlatforms.has(row.platform));
  const groups = [];
  for (const row of rows) {
    if (needsAttention(row) || activePlatforms.has(row.platform)) {
      continue;
    }
    const last = groups.at(-1);
    if (last?.platform === row.platform) {
      last.rows.push(row);
    } else {
      groups.push({ platform: row.platform, name: row.platform_name, rows: [row] });
    }
  }
  return { attention, here, groups };
}

function openButton(row, className, text) {
  const button = el('button', className, text);
  button.type = 'button';
  button.title = row.opt_out_url;
  button.addEventListener('click', async () => {
    if (!/^https:\/\//.test(row.opt_out_url)) {
      return;
    }
    await openTab(row.opt_out_url);
    window.close();
  });
  return button;
}

function renderPill(status, className = 'pill') {
  const pill = el('span', `${className} ${status}`);
  pill.append(el('span', 'mark', STATUS_TEXT[status].mark), el('span', 'label', statusLabel(status)));
  return pill;
}

function renderCompact(row) {
  const status = statusKey(row);
  const item = el('li', `row ${status}`);
  item.dataset.platform = row.platform;
  item.dataset.setting = row.setting;
  item.dataset.verdict = row.verdict ?? '';
  const name = settingName(row);
  const open = openButton(row, 'row-open', name.text);
  if (name.lang) {
    open.lang = name.lang;
  }
  open.setAttribute('aria-label', t('rowAriaLabel', name.text, statusLabel(status)));
  item.append(open, renderPill(status, 'pill small'));
  return item;
}

function renderGroup(group) {
  const details = el('details', 'group');
  details.dataset.platform = group.platform;
  const summary = el('summary');
  summary.append(el('span', 'group-name', group.name), el('span', 'group-count', countSummary(group.rows)));
  const rows = el('ul', 'rows');
  rows.append(...group.rows.map(renderCompact));
  details.append(summary, rows);
  return details;
}

function sectionTitle(text, count) {
  const title = el('h2', 'section-title', text);
  if (count) {
    title.append(el('span', 'section-count', String(count)));
  }
  return title;
}

/**
 * @param {HTMLElement} section
 * @param {Array<object>} rows
 * @param {string|null} [activeUrl]
 * @param {number|null} [activeTabId] the active tab, for "Save a diagnostic" of its page
 */
export function renderSettings(section, rows, activeUrl = null, activeTabId = null) {
  activeTab = activeUrl && Number.isInteger(activeTabId) ? { id: activeTabId, url: activeUrl } : null;
  section.replaceChildren();
  const { attention, here, groups } = arrangeSettings(rows, activeUrl);

  const attentionBox = el('div', 'attention');
  attentionBox.id = 'attention';
  attentionBox.append(sectionTitle(t('needsAttention'), attention.length));
  if (attention.length) {
    attentionBox.append(...attention.map(renderSetting));
  } else {
    attentionBox.append(el('p', 'all-clear', t('allClear')));
  }
  section.append(attentionBox);

  if (here.length) {
    const hereBox = el('div', 'here');
    hereBox.id = 'this-site';
    hereBox.append(sectionTitle(t('onThisSite', list([...new Set(here.map((row) => row.platform_name))]))));
    hereBox.append(...here.map(renderSetting));
    section.append(hereBox);
  }

  if (groups.length) {
    const all = el('div', 'all');
    all.id = 'groups';
    all.append(sectionTitle(t(attention.length || here.length ? 'everythingElse' : 'allSettings')));
    const box = el('div', 'groups');
    box.append(...groups.map(renderGroup));
    all.append(box);
    section.append(all);
  }
}

/** The active tab; its URL is only known for the sites in host_permissions (no "tabs" permission). */
async function queryActiveTab() {
  try {
    const [tab] = await api.tabs.query({ active: true, currentWindow: true });
    return typeof tab?.url === 'string' && /^https:\/\//.test(tab.url) ? { id: tab.id, url: tab.url } : null;
  } catch {
    return null;
  }
}

async function main() {
  localizePage(document);
  const hostSection = document.getElementById('host');
  const settingsSection = document.getElementById('settings');
  document.getElementById('open-options')?.addEventListener('click', async () => {
    await openOptionsPage();
    window.close();
  });
  const dueSection = document.getElementById('due');
  if (dueSection) {
    loadDue(dueSection); // what is due, at the top (popup/due-list.js)
  }
  const reply = await sendRuntimeMessage({ type: MSG.POPUP_STATE });
  if (!reply?.ok) {
    hostSection.className = 'host error';
    hostSection.replaceChildren(el('p', 'host-line', t('popupLoadFailed', reply?.error?.message ?? t('noReply'))));
    return;
  }
  renderHost(hostSection, reply.host, reply.catalog_version);
  if (reply.catalog) {
    hostSection.append(...catalogLines(reply.catalog)); // its age; past 60 days, that it may be out of date
  }
  const tab = await queryActiveTab();
  renderSettings(settingsSection, reply.settings, tab?.url ?? null, tab?.id ?? null);
  document.body.dataset.ready = 'true';
}

if (typeof document !== 'undefined') {
  main();
}
