import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fakeChrome } from './helpers/fake-chrome.mjs';
import { fileFetch, resolveExtensionUrl } from './helpers/paths.mjs';

const chrome = fakeChrome();
globalThis.chrome = chrome;
const { recordObservation, forgetTab } = await import('../../extension/background/observations.js');
const { buildPopupState } = await import('../../extension/background/popup-state.js');
const { localDue } = await import('../../extension/background/due-source.js');
const { HostDisconnectedError, HostProtocolError, HostReplyError, HostTimeoutError, HostUnavailableError } = await import('../../extension/shared/errors.js');
const { loadCatalog, findSetting } = await import('../../extension/shared/catalog.js');
const { badgeFor, worstVerdict } = await import('../../extension/background/badge.js');

const catalog = await loadCatalog(resolveExtensionUrl, fileFetch);
const entry = findSetting(catalog, 'linkedin', 'generative-ai-training');
const AI_PAGE = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';
const sender = { tabId: 5, pageUrl: `${AI_PAGE}?trk=a#b` };

function fakeHostPort({ fail } = {}) {
  const requests = [];
  return {
    requests,
    hostInfo: { host: 'optguard-host', version: '0.1.0', protocol: 1, catalog_version: '2026.11.23' },
    async request(type, fields = {}) {
      requests.push({ type, ...fields });
      if (fail) {
        throw fail;
      }
      if (type === 'report') {
        return { id: 1, type, ok: true, ...fields, verdict: fields.state === 'on' ? 'violation' : 'compliant', expected: 'off', observed_at: '2026-11-23T11:15:02.123Z' };
      }
      return {
        id: 2,
        type,
        ok: true,
        settings: [{ platform: 'linkedin', setting: 'generative-ai-training', expected: 'off', watch: true, interval_days: 30, state: 'off', verdict: 'compliant', verified_at: '2026-11-23T11:00:00.000Z', due: false, reasons: [] }],
      };
    },
  };
}

describe('badge', () => {
  it('each verdict has its own text and colour', () => {
    const looks = ['violation', 'compliant', 'unknown'].map((v) => badgeFor(v, 'T'));
    assert.equal(new Set(looks.map((l) => l.text)).size, 3);
    assert.equal(new Set(looks.map((l) => l.color)).size, 3);
    assert.match(badgeFor('violation', 'Use my data').title, /ON.*Use my data/);
  });

  it('the worst verdict wins on a page with several settings', () => {
    assert.equal(worstVerdict(['compliant', 'violation', 'unknown']), 'violation');
    assert.equal(worstVerdict(['compliant', 'unknown']), 'unknown');
    assert.equal(worstVerdict(['compliant']), 'compliant');
    assert.equal(worstVerdict([]), null);
  });
});

describe('observations', () => {
  it('asks the host, stores the verdict, sets the tab badge and replies', async () => {
    const port = fakeHostPort();
    const reply = await recordObservation(port, entry, 'on', sender, () => assert.fail('the host judges: no local expected state is read'));
    assert.deepEqual(port.requests, [{ type: 'report', platform: 'linkedin', setting: 'generative-ai-training', state: 'on', url: AI_PAGE }]);
    assert.equal(reply.ok, true);
    assert.equal(reply.verdict, 'violation');
    assert.equal(reply.source, 'host');
    assert.equal(chrome.badges[5].text, '!');
    assert.equal(chrome.storage.local.data.observations['linkedin/generative-ai-training'].verdict, 'violation');
    assert.deepEqual(chrome.storage.session.data.tabs['5'], { 'linkedin/generative-ai-training': { verdict: 'violation', title: entry.setting.title } });
  });

  it('falls back to a local verdict when the host is missing, and says so', async () => {
    const port = fakeHostPort({ fail: new HostUnavailableError('Specified native messaging host not found.', { notInstalled: true }) });
    const reply = await recordObservation(port, entry, 'off', sender);
    assert.equal(reply.verdict, 'compliant');
    assert.equal(reply.source, 'local');
    assert.deepEqual(reply.host_error, { code: 'host_unavailable', message: 'Specified native messaging host not found.' });
    assert.equal(chrome.badges[5].text, 'OK');
    assert.equal(chrome.storage.local.data.observations['linkedin/generative-ai-training'].host_error, undefined, 'errors are not stored');
  });

  it('the local verdict judges against the state the person chose, not only the catalog', async () => {
    const port = fakeHostPort({ fail: new HostUnavailableError('Specified native messaging host not found.', { notInstalled: true }) });
    const chosenOn = await recordObservation(port, entry, 'on', sender, async () => 'on');
    assert.equal(chosenOn.verdict, 'compliant');
    assert.equal(chosenOn.expected, 'on');
    const catalogDefault = await recordObservation(port, entry, 'on', sender);
    assert.equal(catalogDefault.verdict, 'violation');
    assert.equal(catalogDefault.expected, 'off');
  });

  it('a host that answers with an error gets no local verdict: the error is the reply, nothing is stored', async () => {
    const before = structuredClone(chrome.storage.local.data.observations);
    const badge = chrome.badges[5].text;
    for (const fail of [new HostReplyError('storage_error', 'disk full'), new HostReplyError('bad_request', 'field state'), new HostProtocolError('reply to report has no "ok"')]) {
      const port = fakeHostPort({ fail });
      await assert.rejects(recordObservation(port, entry, 'on', sender), (error) => error === fail);
    }
    assert.deepEqual(chrome.storage.local.data.observations, before);
    assert.equal(chrome.badges[5].text, badge);
  });

  it('a host that went away or stays silent is absent: a local verdict', async () => {
    for (const fail of [new HostDisconnectedError('the port dropped'), new HostTimeoutError('no reply to report #1 within 1000 ms')]) {
      const reply = await recordObservation(fakeHostPort({ fail }), entry, 'unknown', sender);
      assert.equal(reply.verdict, 'unknown');
      assert.equal(reply.source, 'local');
      assert.equal(reply.host_error.code, fail.code);
    }
    assert.equal(chrome.badges[5].text, '?');
  });

  it('forgetting a tab clears its badge and its session entry', async () => {
    await forgetTab(5);
    assert.equal(chrome.badges[5].text, '');
    assert.equal(chrome.storage.session.data.tabs['5'], undefined);
  });
});

describe('popup state', () => {
  it('with the host: connected, rows from status, newer local observations win', async () => {
    chrome.storage.local.data.observations = {};
    const state = await buildPopupState(fakeHostPort(), catalog, new Date('2026-11-23T12:00:00Z'));
    assert.equal(state.host.status, 'connected');
    assert.equal(state.host.version, '0.1.0');
    assert.equal(state.catalog_version, catalog.version);
    const row = state.settings.find((r) => r.setting === 'generative-ai-training');
    assert.deepEqual(
      { state: row.state, verdict: row.verdict, verified_at: row.verified_at, source: row.source, due: row.due },
      { state: 'off', verdict: 'compliant', verified_at: '2026-11-23T11:00:00.000Z', source: 'host', due: false },
    );
    assert.equal(row.opt_out_url, AI_PAGE);
    assert.equal(state.settings.length, catalog.platforms.flatMap((p) => p.settings).length, 'every catalog setting has a row');

    chrome.storage.local.data.observations = {
      'linkedin/generative-ai-training': { state: 'on', verdict: 'violation', observed_at: '2026-11-23T11:30:00.000Z', source: 'local' },
    };
    const newer = await buildPopupState(fakeHostPort(), catalog, new Date('2026-11-23T12:00:00Z'));
    const newerRow = newer.settings.find((r) => r.setting === 'generative-ai-training');
    assert.equal(newerRow.verdict, 'violation');
    assert.equal(newerRow.source, 'local');
  });

  it('with the host, "due" on a card is the host’s word in its status row, not a rule of the extension', async () => {
    const kept = chrome.storage.local.data.observations;
    chrome.storage.local.data.observations = {};
    const port = fakeHostPort();
    const answer = port.request.bind(port);
    let row = { due: false, interval_days: 90, reasons: [] };
    port.request = async (type, fields) => {
      const reply = await answer(type, fields);
      if (type === 'status') {
        Object.assign(reply.settings[0], row);
      }
      return reply;
    };
    // Verified long ago: the bundled 30-day interval would say due, but the host (the person's
    // 90 days, a snooze) says not; and it asks nothing else.
    const old = new Date('2027-06-01T12:00:00Z');
    let card = (await buildPopupState(port, catalog, old)).settings.find((r) => r.setting === 'generative-ai-training');
    assert.equal(card.due, false, 'the host says not due');
    assert.equal(card.interval_days, 90, 'the person\'s interval, as the host applies it');
    assert.ok(port.requests.every((r) => r.type === 'status'), 'only status is asked');
    row = { due: true, interval_days: 3, reasons: [{ code: 'interval_elapsed', since: '2026-11-26T11:00:00.000Z', policy_date: null }] };
    card = (await buildPopupState(port, catalog, new Date('2026-11-23T12:00:00Z'))).settings.find((r) => r.setting === 'generative-ai-training');
    assert.equal(card.due, true, 'the host says due, though the bundled interval says not');
    assert.deepEqual(card.reasons.map((r) => r.code), ['interval_elapsed']);
    chrome.storage.local.data.observations = kept;
  });

  it('without the host, a card is due exactly when the local due list lists it (snoozes, acks, ignored settings)', async () => {
    const kept = structuredClone(chrome.storage.local.data);
    const absent = fakeHostPort({ fail: new HostUnavailableError('Specified native messaging host not found.', { notInstalled: true }) });
    const now = new Date('2026-11-23T12:00:00Z');
    chrome.storage.local.data.observations = {
      'linkedin/generative-ai-training': { state: 'off', verdict: 'compliant', observed_at: '2026-09-01T00:00:00.000Z', source: 'local' },
    };
    chrome.storage.local.data.localReminders = {
      [`x/${catalog.platforms.find((p) => p.platform === 'x').settings[0].id}`]: { snoozed_at: now.toISOString(), until: '2026-11-30T12:00:00.000Z' },
    };
    chrome.storage.local.data.choiceCache = { 'chatgpt/improve-the-model': { watch: false } };
    const state = await buildPopupState(absent, catalog, now);
    const due = await localDue(catalog, now);
    const listed = new Set(due.platforms.flatMap((p) => p.settings.map((s) => `${s.platform}/${s.setting}`)));
    for (const card of state.settings) {
      assert.equal(card.due, listed.has(`${card.platform}/${card.setting}`), `${card.platform}/${card.setting}`);
    }
    const card = (key) => state.settings.find((r) => `${r.platform}/${r.setting}` === key);
    assert.equal(card('linkedin/generative-ai-training').due, true, 'older than 30 days');
    assert.equal(card('chatgpt/improve-the-model').due, false, 'ignored');
    for (const key of Object.keys(chrome.storage.local.data)) {
      delete chrome.storage.local.data[key];
    }
    Object.assign(chrome.storage.local.data, kept);
  });

  it('a host that answers with an error says nothing about what is due', async () => {
    const state = await buildPopupState(fakeHostPort({ fail: new HostReplyError('storage_error', 'disk full') }), catalog);
    assert.equal(state.host.status, 'error');
    assert.ok(state.settings.every((r) => r.due === null));
  });

  it('without the host: missing, with rows from the worker\'s memory', async () => {
    const state = await buildPopupState(fakeHostPort({ fail: new HostUnavailableError('Failed to start native messaging host.', { notInstalled: true }) }), catalog);
    assert.equal(state.host.status, 'missing');
    assert.equal(state.host.error.code, 'host_unavailable');
    assert.equal(state.settings.find((r) => r.setting === 'generative-ai-training').verdict, 'violation');
    const broken = await buildPopupState(fakeHostPort({ fail: new HostUnavailableError('Native host has exited.') }), catalog);
    assert.equal(broken.host.status, 'error');
  });
});
