import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fakeChrome } from './helpers/fake-chrome.mjs';
import { fileFetch, resolveExtensionUrl } from './helpers/paths.mjs';

const chrome = fakeChrome();
globalThis.chrome = chrome;
const { recordObservation, forgetTab } = await import('../../extension/background/observations.js');
const { buildPopupState } = await import('../../extension/background/popup-state.js');
const { HostUnavailableError, HostReplyError } = await import('../../extension/shared/errors.js');
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
        settings: [{ platform: 'linkedin', setting: 'generative-ai-training', expected: 'off', watch: true, state: 'off', verdict: 'compliant', verified_at: '2026-11-23T11:00:00.000Z' }],
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

  it('falls back locally when the host answers with an error too', async () => {
    const port = fakeHostPort({ fail: new HostReplyError('storage_error', 'disk full') });
    const reply = await recordObservation(port, entry, 'unknown', sender);
    assert.equal(reply.verdict, 'unknown');
    assert.equal(reply.source, 'local');
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

  it('with the host, "due" on a card is the host’s due list, the same the popup’s list shows', async () => {
    const kept = chrome.storage.local.data.observations;
    chrome.storage.local.data.observations = {};
    const port = fakeHostPort();
    const answer = port.request.bind(port);
    let dueList = [];
    port.request = async (type, fields) => (type === 'due'
      ? { ok: true, count: dueList.length, platforms: [{ platform: 'linkedin', settings: dueList }] }
      : answer(type, fields));
    // Verified long ago: the bundled 30-day rule would say due, but the host (a longer interval the
    // person chose, a snooze) says not.
    const old = new Date('2027-06-01T12:00:00Z');
    let row = (await buildPopupState(port, catalog, old)).settings.find((r) => r.setting === 'generative-ai-training');
    assert.equal(row.due, false, 'the host did not list it');
    dueList = [{ platform: 'linkedin', setting: 'generative-ai-training', reasons: [{ code: 'policy_event' }] }];
    row = (await buildPopupState(port, catalog, new Date('2026-11-23T12:00:00Z'))).settings.find((r) => r.setting === 'generative-ai-training');
    assert.equal(row.due, true, 'the host listed it');
    chrome.storage.local.data.observations = kept;
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
