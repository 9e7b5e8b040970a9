// The options page: every catalog setting grouped by platform, with the person's watch / expected
// choice (saved by the helper app in config.json), the administrator's forced values, and the last
// verified state. All data comes from the worker (optguard/options-state); changes go back through
// it (optguard/set-choice). Page text is set with textContent only.

import { MSG } from '../shared/protocol.js';
import { sendRuntimeMessage } from '../shared/browser-api.js';
import { el } from '../shared/dom.js';
import { settingName } from '../shared/setting-name.js';
import { renderCatalogSection } from './catalog-section.js';
import { fill, formatDate, languageName, list, localizePage, plural, relativeTime, t } from '../shared/i18n-module.js';

export const INSTALL_COMMAND = 'installer/install.sh';
const READABLE_KINDS = new Set(['toggle', 'checkbox']);
const WORD_KEYS = { on: 'stateOn', off: 'stateOff', unknown: 'stateCantTell' };
/** On, Off or Can't tell; an unexpected value as it is. */
const word = (state) => (Object.hasOwn(WORD_KEYS, state ?? '') ? t(WORD_KEYS[state]) : String(state));

function renderHost(section, state) {
  const { host, pending_count: pendingCount } = state;
  section.replaceChildren();
  section.className = `host ${host.status === 'connected' ? 'connected' : 'missing'}`;
  const line = el('p', 'host-line');
  line.append(el('span', 'dot'));
  section.append(line);
  if (host.status === 'connected') {
    line.append(el('span', '', t('optionsHostConnected')));
    section.append(el('p', 'host-meta', t('optionsHostConfigPath', '~/.config/optguard/config.json')));
    return;
  }
  if (host.status === 'config_invalid') {
    line.append(el('span', '', t('optionsConfigInvalid')));
    section.append(el('p', 'hint', t('optionsConfigInvalidHint')));
    section.append(el('p', 'detail', host.error?.message ?? ''));
    return;
  }
  line.append(el('span', '', t(host.status === 'missing' ? 'optionsHostMissing' : 'optionsHostNotResponding')));
  const waiting = pendingCount === 0 ? t('optionsNothingWaiting') : plural('optionsChoicesWaiting', pendingCount);
  section.append(el('p', 'hint', t('optionsLocalHint', waiting)));
  const command = el('div', 'command');
  command.append(el('code', '', INSTALL_COMMAND));
  section.append(command);
}

function renderManaged(section, managed) {
  section.hidden = !managed.active && managed.problems.length === 0;
  section.replaceChildren();
  if (section.hidden) {
    return;
  }
  const text = el('div');
  text.append(el('p', '', t('optionsManaged')));
  for (const problem of managed.problems) {
    text.append(el('p', 'detail', t('optionsIgnoredPolicy', problem)));
  }
  section.append(el('span', 'badge', 'i'), text);
}

function lastVerified(row, now) {
  if (!READABLE_KINDS.has(row.kind)) {
    return null;
  }
  const fact = el('span');
  if (!row.last) {
    return fill(fact, 'optionsLastVerifiedNever', el('b', '', t('optionsNever')));
  }
  const when = relativeTime(row.last.at, now);
  fact.className = row.last.verdict === 'violation' ? 'fact-bad' : row.last.verdict === 'compliant' ? 'fact-good' : '';
  return fill(fact, 'optionsLastVerified', el('b', '', word(row.last.state)), row.last.source === 'host' ? when : t('verifiedInBrowser', when));
}

function watchControl(row, managed, onChange) {
  const wrap = el('div', 'control');
  wrap.append(el('span', 'control-label', t('optionsWatch')));
  if (managed.hideIgnoreSwitch && row.forced.watch !== false) {
    wrap.append(el('span', 'always', t('optionsAlwaysWatched')));
    return wrap;
  }
  const button = el('button', 'switch');
  button.type = 'button';
  button.setAttribute('role', 'switch');
  button.setAttribute('aria-checked', String(row.watch));
  button.setAttribute('aria-label', t('optionsWatchAria', settingName(row).text));
  button.dataset.control = 'watch';
  button.append(el('span', 'track'), el('span', 'state-text', t(row.watch ? 'optionsWatching' : 'optionsIgnored')));
  button.disabled = row.forced.watch !== undefined;
  button.addEventListener('click', () => onChange(row, { watch: !row.watch }));
  wrap.append(button);
  return wrap;
}

function expectedControl(row, onChange) {
  const wrap = el('div', 'control');
  wrap.append(el('span', 'control-label', t('factShouldBe')));
  if (!READABLE_KINDS.has(row.kind)) {
    wrap.append(el('span', 'na', t(row.kind === 'form' ? 'optionsOneOff' : 'optionsGuidance')));
    return wrap;
  }
  const select = el('select', 'expected');
  select.dataset.control = 'expected';
  select.setAttribute('aria-label', t('optionsExpectedAria', settingName(row).text));
  const other = row.known_good === 'on' ? 'off' : 'on';
  const options = [
    ['default', t('optionsRecommended', word(row.known_good))],
    [other, t('optionsMyChoice', word(other))],
  ];
  for (const [value, label] of options) {
    const option = el('option', '', label);
    option.value = value;
    select.append(option);
  }
  select.value = row.expected === row.known_good ? 'default' : row.expected;
  select.disabled = row.forced.expected !== undefined;
  select.addEventListener('change', () => onChange(row, { expected: select.value === 'default' ? null : select.value }));
  wrap.append(select);
  return wrap;
}

/** How many days between checks; emptied, back to the default (the catalog's or a global one). */
function intervalControl(row, onChange) {
  const wrap = el('div', 'control');
  const label = el('label', 'control-label', t('optionsIntervalLabel'));
  const input = el('input', 'interval');
  input.type = 'number';
  input.min = '1';
  input.max = '365';
  input.step = '1';
  input.inputMode = 'numeric';
  input.dataset.control = 'interval';
  input.id = `interval-${row.key.replace('/', '--')}`;
  label.htmlFor = input.id;
  input.setAttribute('aria-label', t('optionsIntervalAria', settingName(row).text));
  input.value = String(row.interval_days);
  input.placeholder = String(row.catalog_interval_days);
  input.addEventListener('change', () => {
    const text = input.value.trim();
    onChange(row, { interval_days: text === '' ? null : Number(text) });
  });
  wrap.append(label, input);
  return wrap;
}

const NOT_APPLICABLE_KEYS = {
  region: 'optionsNotOfferedHere',
  age: 'optionsUnder18',
};
const notApplicableText = (reason) => t(NOT_APPLICABLE_KEYS[reason] ?? reason);

/** "Applies to me" or why not, for settings the catalog says are only offered to some people. */
function appliesControl(row, onChange) {
  if (!row.not_applicable_reasons?.length || row.forced.watch !== undefined) {
    return null;
  }
  const wrap = el('div', 'control');
  wrap.append(el('span', 'control-label', t('optionsApplies')));
  const select = el('select', 'applies');
  select.dataset.control = 'not-applicable';
  select.setAttribute('aria-label', t('optionsAppliesAria', settingName(row).text));
  for (const [value, label] of [['applies', t('optionsAppliesToMe')], ...row.not_applicable_reasons.map((r) => [r, notApplicableText(r)])]) {
    const option = el('option', '', label);
    option.value = value;
    select.append(option);
  }
  select.value = row.not_applicable ?? 'applies';
  select.addEventListener('change', () => onChange(row, { not_applicable: select.value === 'applies' ? null : select.value }));
  wrap.append(select);
  return wrap;
}

/** A catalog field a source does not confirm, in words (docs/catalog-format.md `unconfirmed`). */
const FIELD_KEYS = {
  pages: 'fieldPages',
  opt_out_url: 'fieldOptOutUrl',
  path: 'fieldPath',
  expected: 'fieldExpected',
  default: 'fieldDefault',
  regions: 'fieldRegions',
  applies: 'fieldApplies',
  title: 'fieldTitle',
  why: 'fieldWhy',
  interval_days: 'fieldIntervalDays',
  policy_events: 'fieldPolicyEvents',
};

function unconfirmedName(item) {
  if (item.field.startsWith('label')) {
    const lang = item.lang ?? /\(([^)]+)\)/.exec(item.field)?.[1] ?? '';
    return t('fieldLabel', item.text ?? '', lang ? languageName(lang) : '');
  }
  const key = FIELD_KEYS[item.field.replace(/\[\d+\]$/, '')];
  return key ? t(key) : item.field;
}

/** Where the facts come from, which languages OptGuard reads, and what no source confirms. */
function sourcesDetails(row) {
  const facts = row.facts;
  if (!facts) {
    return null;
  }
  const details = el('details', 'sources');
  const unconfirmed = facts.unconfirmed ?? [];
  details.append(el('summary', '', unconfirmed.length ? plural('optionsSourcesUnconfirmed', unconfirmed.length) : t('optionsSources')));
  const source = el('p', 'source');
  let host = facts.source;
  try {
    host = new URL(facts.source).hostname;
  } catch {
    // keep the address as written
  }
  fill(source, 'optionsSourceFrom', el('span', 'source-host', host), formatDate(facts.checked));
  source.title = facts.source;
  details.append(source);
  if (facts.languages?.length) {
    details.append(el('p', 'languages', t('optionsReadIn', list(facts.languages.map(languageName)))));
  }
  if (unconfirmed.length) {
    const items = el('ul', 'unconfirmed');
    for (const item of unconfirmed) {
      // The catalog's own explanation is English (the catalog carries English only).
      const why = el('span', '', item.why);
      why.lang = 'en';
      items.append(fill(el('li'), 'optionsUnconfirmed', unconfirmedName(item), why));
    }
    details.append(items);
  }
  return details;
}

function renderChoice(row, managed, onChange, now) {
  const item = el('article', row.watch ? 'choice' : 'choice ignored');
  item.dataset.key = row.key;
  const text = el('div');
  const name = settingName(row);
  const title = el('h3', 'choice-title', name.text);
  if (name.lang) {
    title.lang = name.lang;
  }
  text.append(title);
  const facts = el('p', 'choice-facts');
  const known = fill(el('span'), 'optionsKnownGood', el('b', '', READABLE_KINDS.has(row.kind) ? word(row.known_good) : t('optionsSendOnce')));
  facts.append(known);
  const verified = lastVerified(row, now);
  if (verified) {
    facts.append(verified);
  }
  text.append(facts);
  const tags = el('div', 'tags');
  if (row.set_by_org) {
    tags.append(el('span', 'tag org', t('optionsSetByOrg')));
  } else if (row.override_expected) {
    tags.append(el('span', 'tag own', t('optionsYourChoice', word(row.expected))));
  }
  if (row.pending) {
    tags.append(el('span', 'tag waiting', t('optionsPending')));
  }
  if (row.not_applicable) {
    tags.append(el('span', 'tag na', t('optionsNotChecked', notApplicableText(row.not_applicable))));
  }
  text.append(tags);
  const sources = sourcesDetails(row);
  if (sources) {
    text.append(sources);
  }
  const controls = el('div', 'controls');
  controls.append(expectedControl(row, onChange), watchControl(row, managed, onChange));
  controls.append(intervalControl(row, onChange));
  const applies = appliesControl(row, onChange);
  if (applies) {
    controls.append(applies);
  }
  item.append(text, controls);
  return item;
}

/**
 * The rows a platform-wide "I use this" switch changes: those not yet at `watch` and not forced by
 * the administrator.
 * @param {object[]} rows one platform's rows
 * @param {boolean} watch
 */
export function platformWatchChanges(rows, watch) {
  return rows.filter((row) => row.forced.watch === undefined && row.watch !== watch);
}

// One switch per platform: a person who does not use a service ignores all of its settings at
// once, so a fresh install does not remind them about twenty services they never signed up for.
// An administrator who hides the ignore switch hides this one too.
function usesPlatformControl(rows, onPlatformWatch) {
  const name = rows[0].platform_name;
  const uses = rows.some((row) => row.watch);
  const button = el('button', 'switch uses');
  button.type = 'button';
  button.setAttribute('role', 'switch');
  button.setAttribute('aria-checked', String(uses));
  button.setAttribute('aria-label', t('optionsUsesAria', name));
  button.dataset.control = 'platform-watch';
  button.append(el('span', 'track'), el('span', 'state-text', t(uses ? 'optionsUses' : 'optionsNotUsing')));
  const changeable = rows.filter((row) => row.forced.watch === undefined);
  button.disabled = changeable.length === 0;
  button.addEventListener('click', () => onPlatformWatch(rows, !uses));
  return button;
}

/**
 * Renders the whole page from an options-state reply.
 * @param {{host: HTMLElement, managed: HTMLElement, platforms: HTMLElement}} sections
 * @param {object} state the worker's options-state reply
 * @param {{onChange: (row: object, change: object) => void,
 *   onPlatformWatch?: (rows: object[], watch: boolean) => void, now: Date}} options
 */
export function renderOptions(sections, state, { onChange, onPlatformWatch = () => {}, now }) {
  renderHost(sections.host, state);
  renderManaged(sections.managed, state.managed);
  sections.platforms.replaceChildren();
  const byPlatform = new Map();
  for (const row of state.settings) {
    if (!byPlatform.has(row.platform)) {
      byPlatform.set(row.platform, []);
    }
    byPlatform.get(row.platform).push(row);
  }
  for (const [platform, rows] of byPlatform) {
    const card = el('section', 'platform-card');
    card.dataset.platform = platform;
    const head = el('div', 'platform-head');
    head.append(el('h2', '', rows[0].platform_name));
    if (!state.managed.hideIgnoreSwitch) {
      head.append(usesPlatformControl(rows, onPlatformWatch));
    }
    card.append(head);
    for (const row of rows) {
      card.append(renderChoice(row, state.managed, onChange, now));
    }
    sections.platforms.append(card);
  }
}

/** What the status line says after a save. */
export function savedMessage(reply) {
  if (!reply?.ok) {
    return { text: t('optionsNotSaved', reply?.error?.message ?? t('noReply')), error: true };
  }
  return { text: t(reply.saved === 'host' ? 'optionsSavedHost' : 'optionsSavedLocal'), error: false };
}

async function main() {
  localizePage(document);
  fill(document.getElementById('welcome-text'), 'optionsWelcomeText', el('b', '', t('optionsUses')));
  const sections = {
    host: document.getElementById('host'),
    managed: document.getElementById('managed'),
    catalog: document.getElementById('catalog'),
    platforms: document.getElementById('platforms'),
  };
  const status = document.getElementById('saved');
  const refresh = async () => {
    const state = await sendRuntimeMessage({ type: MSG.OPTIONS_STATE });
    if (!state?.ok) {
      status.className = 'saved error';
      status.textContent = t('optionsLoadFailed', state?.error?.message ?? t('noReply'));
      return;
    }
    renderOptions(sections, state, { onChange, onPlatformWatch, now: new Date() });
    if (sections.catalog) {
      renderCatalogSection(sections.catalog, state, { onToggle, onGranted, now: new Date() });
    }
    document.body.dataset.ready = 'true';
  };
  const save = (row, change) => sendRuntimeMessage({ type: MSG.SET_CHOICE, platform: row.platform, setting: row.setting, ...change });
  const show = (reply) => {
    const message = savedMessage(reply);
    status.className = message.error ? 'saved error' : 'saved';
    status.textContent = message.text;
  };
  const onChange = async (row, change) => {
    show(await save(row, change));
    await refresh();
  };
  const onPlatformWatch = async (rows, watch) => {
    let reply = { ok: true, saved: 'host' };
    for (const row of platformWatchChanges(rows, watch)) {
      reply = await save(row, { watch });
      if (!reply?.ok) {
        break; // say what failed; the rows saved so far stay saved
      }
    }
    show(reply);
    await refresh();
  };
  const onToggle = async (enabled) => {
    const reply = await sendRuntimeMessage({ type: MSG.SET_CATALOG_UPDATES, enabled });
    if (!reply?.ok) {
      show(reply); // on success the switch itself says it
    }
    await refresh();
  };
  const onGranted = async () => {
    await sendRuntimeMessage({ type: MSG.HOSTS_GRANTED });
    await refresh();
  };
  // The popup sends people here (#welcome) when a fresh install lists many never-checked services.
  document.getElementById('welcome').hidden = location.hash !== '#welcome';
  await refresh();
}

if (typeof document !== 'undefined' && document.getElementById('platforms')) {
  main();
}
