// The popup: the helper app's connection and each watched setting, from the worker's popup-state.

import { MSG } from '../shared/protocol.js';
import { loadDue } from './due-list.js';
import { openOptionsPage, openTab, sendRuntimeMessage } from '../shared/browser-api.js';
import { el, relativeTime } from '../shared/dom.js';

export const INSTALL_COMMAND = 'installer/install.sh';

const STATUS_TEXT = {
  violation: { mark: '!', label: 'AI training on' },
  compliant: { mark: '✓', label: 'Opted out' },
  unknown: { mark: '?', label: 'Can’t read' },
  unchecked: { mark: '–', label: 'Not checked yet' },
  request: { mark: '↗', label: 'One-off request' },
};

function renderHost(section, host, catalogVersion) {
  section.replaceChildren();
  section.className = `host ${host.status}`;
  const line = el('p', 'host-line');
  line.append(el('span', 'dot'));
  if (host.status === 'connected') {
    line.append(el('span', '', 'Helper app connected'));
    section.append(line);
    const parts = [`version ${host.version}`, `catalog ${host.catalog_version ?? 'not loaded'}`];
    section.append(el('p', 'host-meta', parts.join(' · ')));
    if (host.diagnosis) {
      section.append(el('p', 'detail diagnosis', `${host.diagnosis.title}: ${host.diagnosis.detail} ${host.diagnosis.fix}`));
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
  line.append(el('span', '', diagnosis?.title ?? (missing ? 'OptGuard’s helper app isn’t installed' : 'OptGuard’s helper app isn’t responding')));
  section.append(line);
  if (diagnosis) {
    section.append(el('p', 'detail diagnosis', diagnosis.detail));
  }
  section.append(el('p', 'hint', missing ? 'Install it from the OptGuard repository with:' : 'Fix it from the OptGuard repository with:'));
  const command = el('div', 'command');
  command.append(el('code', '', fix));
  const copy = el('button', '', 'Copy');
  copy.type = 'button';
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(fix);
      copy.textContent = 'Copied';
    } catch {
      copy.textContent = 'Select and copy';
    }
  });
  command.append(copy);
  section.append(command);
  section.append(
    el(
      'p',
      'hint',
      `Detection and in-page alerts still work from the bundled catalog (${catalogVersion}); results are kept in this browser until the helper app is installed.`,
    ),
  );
  if (host.error?.message) {
    section.append(el('p', 'detail', `Browser said: ${host.error.message}`));
  }
}

const READABLE_KINDS = new Set(['toggle', 'checkbox']);

function statusKey(row) {
  if (!READABLE_KINDS.has(row.kind)) {
    return 'request';
  }
  return row.verdict ?? 'unchecked';
}

function renderSetting(row) {
  const status = statusKey(row);
  const card = el('article', `setting ${status}`);
  card.dataset.platform = row.platform;
  card.dataset.setting = row.setting;
  card.dataset.verdict = row.verdict ?? '';

  const head = el('div', 'setting-head');
  head.append(el('h2', '', row.title));
  const pill = el('span', `pill ${status}`);
  pill.append(el('span', 'mark', STATUS_TEXT[status].mark), el('span', '', STATUS_TEXT[status].label));
  head.append(pill);
  card.append(head);

  if (READABLE_KINDS.has(row.kind)) {
    const facts = el('dl', 'facts');
    const fact = (term, value, className) => {
      facts.append(el('dt', '', term), el('dd', className ?? '', value));
    };
    const word = (state) => (state === 'on' ? 'On' : state === 'off' ? 'Off' : 'Can’t tell');
    fact('Now', row.state ? word(row.state) : 'Not seen yet');
    fact('Should be', word(row.expected));
    if (row.verified_at) {
      const where = row.source === 'host' ? '' : ' (this browser)';
      fact('Last verified', `${relativeTime(row.verified_at)}${where}`);
    }
    if (row.due) {
      fact('Re-check', row.verified_at ? `Due (every ${row.interval_days} days)` : 'Open the page once to check', 'due');
    }
    card.append(facts);
  } else {
    card.append(el('p', 'note', row.kind === 'form' ? 'A one-off request OptGuard cannot read; send it once.' : 'Guidance only; OptGuard cannot read this one.'));
  }
  card.append(el('p', 'path', row.path.join(' › ')));

  const open = el('button', status === 'violation' ? 'open primary' : 'open', 'Open opt-out page');
  open.type = 'button';
  open.title = row.opt_out_url;
  open.addEventListener('click', async () => {
    if (!/^https:\/\//.test(row.opt_out_url)) {
      return;
    }
    await openTab(row.opt_out_url);
    window.close();
  });
  card.append(open);
  return card;
}

function renderSettings(section, rows) {
  section.replaceChildren();
  let platform = null;
  for (const row of rows) {
    if (row.platform !== platform) {
      platform = row.platform;
      section.append(el('h3', 'platform', row.platform_name));
    }
    section.append(renderSetting(row));
  }
}

async function main() {
  const hostSection = document.getElementById('host');
  const settingsSection = document.getElementById('settings');
  document.getElementById('open-options')?.addEventListener('click', async () => {
    await openOptionsPage();
    window.close();
  });
  const dueSection = document.getElementById('due');
  if (dueSection) {
    loadDue(dueSection); // issue 5: what is due, at the top (popup/due-list.js)
  }
  const reply = await sendRuntimeMessage({ type: MSG.POPUP_STATE });
  if (!reply?.ok) {
    hostSection.className = 'host error';
    hostSection.replaceChildren(el('p', 'host-line', `OptGuard could not load its state: ${reply?.error?.message ?? 'no reply'}`));
    return;
  }
  renderHost(hostSection, reply.host, reply.catalog_version);
  renderSettings(settingsSection, reply.settings);
  document.body.dataset.ready = 'true';
}

if (typeof document !== 'undefined') {
  main();
}
