// The options page: every catalog setting grouped by platform, with the person's watch / expected
// choice (saved by the helper app in config.json), the administrator's forced values, and the last
// verified state. All data comes from the worker (optguard/options-state); changes go back through
// it (optguard/set-choice). Page text is set with textContent only.

import { MSG } from '../shared/protocol.js';
import { sendRuntimeMessage } from '../shared/browser-api.js';
import { el, relativeTime } from '../shared/dom.js';

export const INSTALL_COMMAND = 'installer/install.sh';
const READABLE_KINDS = new Set(['toggle', 'checkbox']);
const WORD = { on: 'On', off: 'Off', unknown: 'Can’t tell' };

function renderHost(section, state) {
  const { host, pending_count: pendingCount } = state;
  section.replaceChildren();
  section.className = `host ${host.status === 'connected' ? 'connected' : 'missing'}`;
  const line = el('p', 'host-line');
  line.append(el('span', 'dot'));
  section.append(line);
  if (host.status === 'connected') {
    line.append(el('span', '', 'Helper app connected: your choices are saved on this computer'));
    section.append(
      el('p', 'host-meta', 'In ~/.config/optguard/config.json, so the optguard command in a terminal follows the same choices.'),
    );
    return;
  }
  if (host.status === 'config_invalid') {
    line.append(el('span', '', 'Your OptGuard configuration file has a mistake'));
    section.append(el('p', 'hint', 'OptGuard will not overwrite it. Fix or remove the file, then reload this page:'));
    section.append(el('p', 'detail', host.error?.message ?? ''));
    return;
  }
  line.append(
    el('span', '', host.status === 'missing' ? 'The helper app isn’t installed: choices are kept in this browser' : 'The helper app isn’t responding: choices are kept in this browser'),
  );
  const waiting =
    pendingCount === 0
      ? 'Nothing is waiting yet.'
      : `${pendingCount} ${pendingCount === 1 ? 'choice is' : 'choices are'} waiting in this browser.`;
  section.append(
    el('p', 'hint', `Changes you make here are stored in this browser only and saved to the helper app as soon as it is installed. ${waiting} Install it from the OptGuard repository with:`),
  );
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
  text.append(el('p', '', 'Some settings are set by your organisation. You can see them here but not change them.'));
  for (const problem of managed.problems) {
    text.append(el('p', 'detail', `Ignored policy entry: ${problem}`));
  }
  section.append(el('span', 'badge', 'i'), text);
}

function lastVerified(row, now) {
  if (!READABLE_KINDS.has(row.kind)) {
    return null;
  }
  const fact = el('span');
  if (!row.last) {
    fact.append('Last verified: ', el('b', '', 'never'));
    return fact;
  }
  const where = row.last.source === 'host' ? '' : ' (this browser)';
  fact.className = row.last.verdict === 'violation' ? 'fact-bad' : row.last.verdict === 'compliant' ? 'fact-good' : '';
  fact.append('Last verified: ', el('b', '', WORD[row.last.state] ?? row.last.state), ` ${relativeTime(row.last.at, now)}${where}`);
  return fact;
}

function watchControl(row, managed, onChange) {
  const wrap = el('div', 'control');
  wrap.append(el('span', 'control-label', 'Watch'));
  if (managed.hideIgnoreSwitch && row.forced.watch !== false) {
    wrap.append(el('span', 'always', 'Always watched'));
    return wrap;
  }
  const button = el('button', 'switch');
  button.type = 'button';
  button.setAttribute('role', 'switch');
  button.setAttribute('aria-checked', String(row.watch));
  button.setAttribute('aria-label', `Watch “${row.title}”`);
  button.dataset.control = 'watch';
  button.append(el('span', 'track'), el('span', 'state-text', row.watch ? 'Watching' : 'Ignored'));
  button.disabled = row.forced.watch !== undefined;
  button.addEventListener('click', () => onChange(row, { watch: !row.watch }));
  wrap.append(button);
  return wrap;
}

function expectedControl(row, onChange) {
  const wrap = el('div', 'control');
  wrap.append(el('span', 'control-label', 'Should be'));
  if (!READABLE_KINDS.has(row.kind)) {
    wrap.append(el('span', 'na', row.kind === 'form' ? 'A one-off request' : 'Guidance only'));
    return wrap;
  }
  const select = el('select', 'expected');
  select.dataset.control = 'expected';
  select.setAttribute('aria-label', `State “${row.title}” should be in`);
  const other = row.known_good === 'on' ? 'off' : 'on';
  const options = [
    ['default', `${WORD[row.known_good]} (recommended)`],
    [other, `${WORD[other]} (my choice)`],
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

const NOT_APPLICABLE_TEXT = {
  region: 'Not offered where I live',
  age: 'I am under 18',
};

/** "Applies to me" or why not, for settings the catalog says are only offered to some people. */
function appliesControl(row, onChange) {
  if (!row.not_applicable_reasons?.length || row.forced.watch !== undefined) {
    return null;
  }
  const wrap = el('div', 'control');
  wrap.append(el('span', 'control-label', 'Applies'));
  const select = el('select', 'applies');
  select.dataset.control = 'not-applicable';
  select.setAttribute('aria-label', `Does “${row.title}” apply to you?`);
  for (const [value, label] of [['applies', 'Applies to me'], ...row.not_applicable_reasons.map((r) => [r, NOT_APPLICABLE_TEXT[r]])]) {
    const option = el('option', '', label);
    option.value = value;
    select.append(option);
  }
  select.value = row.not_applicable ?? 'applies';
  select.addEventListener('change', () => onChange(row, { not_applicable: select.value === 'applies' ? null : select.value }));
  wrap.append(select);
  return wrap;
}

const FIELD_NAMES = {
  pages: 'where the setting is shown',
  opt_out_url: 'the page address',
  path: 'the menu path',
  expected: 'the recommended state',
  default: 'the default',
  regions: 'where it applies',
  applies: 'who it applies to',
  title: 'the setting’s name',
  why: 'the explanation',
  interval_days: 'how often to re-check',
  policy_events: 'the policy dates',
};

/** Where the facts come from, which languages OptGuard reads, and what no source confirms. */
function sourcesDetails(row) {
  const facts = row.facts;
  if (!facts) {
    return null;
  }
  const details = el('details', 'sources');
  const unconfirmed = facts.unconfirmed ?? [];
  details.append(el('summary', '', unconfirmed.length ? `Sources · ${unconfirmed.length} not confirmed` : 'Sources'));
  const source = el('p', 'source');
  let host = facts.source;
  try {
    host = new URL(facts.source).hostname;
  } catch {
    // keep the address as written
  }
  source.append('From ', el('span', 'source-host', host), `, checked ${facts.checked}.`);
  source.title = facts.source;
  details.append(source);
  if (facts.languages?.length) {
    details.append(el('p', 'languages', `Read in: ${facts.languages.join(', ')}.`));
  }
  if (unconfirmed.length) {
    const list = el('ul', 'unconfirmed');
    for (const item of unconfirmed) {
      const name = item.field.startsWith('label') ? `the label ${item.text ? `“${item.text}”` : ''} ${item.field.slice(5).trim()}` : FIELD_NAMES[item.field.replace(/\[\d+\]$/, '')] ?? item.field;
      list.append(el('li', '', `Not confirmed: ${name.trim()}. ${item.why}`));
    }
    details.append(list);
  }
  return details;
}

function renderChoice(row, managed, onChange, now) {
  const item = el('article', row.watch ? 'choice' : 'choice ignored');
  item.dataset.key = row.key;
  const text = el('div');
  text.append(el('h3', 'choice-title', row.title));
  const facts = el('p', 'choice-facts');
  const known = el('span');
  known.append('Known-good: ', el('b', '', READABLE_KINDS.has(row.kind) ? WORD[row.known_good] : 'send the request once'));
  facts.append(known);
  const verified = lastVerified(row, now);
  if (verified) {
    facts.append(verified);
  }
  text.append(facts);
  const tags = el('div', 'tags');
  if (row.set_by_org) {
    tags.append(el('span', 'tag org', 'Set by your organisation'));
  } else if (row.override_expected) {
    tags.append(el('span', 'tag own', `Your choice: ${WORD[row.expected]}`));
  }
  if (row.pending) {
    tags.append(el('span', 'tag waiting', 'Saved in this browser, waiting for the helper app'));
  }
  if (row.not_applicable) {
    tags.append(el('span', 'tag na', `${NOT_APPLICABLE_TEXT[row.not_applicable]}: not checked`));
  }
  text.append(tags);
  const sources = sourcesDetails(row);
  if (sources) {
    text.append(sources);
  }
  const controls = el('div', 'controls');
  controls.append(expectedControl(row, onChange), watchControl(row, managed, onChange));
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
  button.setAttribute('aria-label', `I use ${name}`);
  button.dataset.control = 'platform-watch';
  button.append(el('span', 'track'), el('span', 'state-text', uses ? 'I use this' : 'Not using'));
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
    return { text: `Not saved: ${reply?.error?.message ?? 'no reply from OptGuard'}`, error: true };
  }
  return reply.saved === 'host'
    ? { text: 'Saved. The helper app uses it from now on.', error: false }
    : { text: 'Saved in this browser. It goes to the helper app once it is installed.', error: false };
}

async function main() {
  const sections = {
    host: document.getElementById('host'),
    managed: document.getElementById('managed'),
    platforms: document.getElementById('platforms'),
  };
  const status = document.getElementById('saved');
  const refresh = async () => {
    const state = await sendRuntimeMessage({ type: MSG.OPTIONS_STATE });
    if (!state?.ok) {
      status.className = 'saved error';
      status.textContent = `OptGuard could not load your choices: ${state?.error?.message ?? 'no reply'}`;
      return;
    }
    renderOptions(sections, state, { onChange, onPlatformWatch, now: new Date() });
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
  // The popup sends people here (#welcome) when a fresh install lists many never-checked services.
  document.getElementById('welcome').hidden = location.hash !== '#welcome';
  await refresh();
}

if (typeof document !== 'undefined' && document.getElementById('platforms')) {
  main();
}
