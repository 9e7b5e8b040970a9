// background/catalog-update.js and active-catalog.js with a fake chrome, a fake fetch and a fake
// host port: a daily check, the person's and the organisation's off switch, a mirror, the bytes
// handed to the host unchanged, and every failure leaving the catalog in use as it was.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';

import { fakeChrome } from './helpers/fake-chrome.mjs';
import { fileFetch, resolveExtensionUrl } from './helpers/paths.mjs';

const chrome = fakeChrome();
globalThis.chrome = chrome;
const alarms = {};
chrome.alarms = {
  create: async (name, info) => {
    alarms[name] = { name, scheduledTime: info.when };
  },
  get: async (name) => alarms[name],
};
const update = await import('../../extension/background/catalog-update.js');
const { ActiveCatalog, RELEASE_KEY, catalogFromHost, catalogFromRelease } = await import('../../extension/background/active-catalog.js');
const { CATALOG_UPDATE_URL } = await import('../../extension/shared/catalog-update-source.js');
const { emptyPolicy } = await import('../../extension/shared/managed-policy.js');
const { HostReplyError, HostUnavailableError } = await import('../../extension/shared/errors.js');
const { loadCatalog } = await import('../../extension/shared/catalog.js');

const bundled = await loadCatalog(resolveExtensionUrl, fileFetch);
const NOW = new Date('2026-12-05T08:00:00.000Z');
const DAY = 24 * 3600 * 1000;
const NEWER = '2099.01.01';

/** A release file of the bundled catalog with a newer version, as bytes (a BOM-free UTF-8 file). */
function releaseBytes(version = NEWER) {
  const platforms = {};
  const files = bundled.platforms.map((p) => `${p.platform}.json`);
  bundled.platforms.forEach((p, i) => {
    platforms[files[i]] = p;
  });
  const text = JSON.stringify({ optguard_catalog_release: 1, version, date: version.replaceAll('.', '-'),
    index: { format: 2, version, platforms: files }, platforms });
  return new TextEncoder().encode(text);
}
const SIGNATURE = 'untrusted comment: OptGuard catalog\nRUQ=\ntrusted comment: optguard catalog\nAAA=\n';

function fakeFetch(routes) {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, init });
    const route = routes[url];
    if (route instanceof Error) {
      throw route;
    }
    if (!route) {
      return { ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) };
    }
    const bytes = typeof route === 'string' ? new TextEncoder().encode(route) : route;
    return { ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer };
  };
  return { fetchImpl, calls };
}

function fakePort({ install, connectError } = {}) {
  const requests = [];
  return {
    requests,
    async connect() {
      if (connectError) {
        throw connectError;
      }
      return { catalog_info: { version: bundled.version, date: '2026-11-29', source: 'bundled' } };
    },
    async request(type, fields) {
      requests.push({ type, fields });
      if (install instanceof Error) {
        throw install;
      }
      return install ?? { ok: true, version: NEWER, previous_version: bundled.version, new_policy_events: [{}],
        catalog_info: { version: NEWER, date: '2099-01-01', source: 'installed' } };
    },
  };
}

const served = (url = CATALOG_UPDATE_URL, bytes = releaseBytes()) => ({ [url]: bytes, [`${url}.minisig`]: SIGNATURE });
const policyOf = (fields = {}) => async () => ({ ...emptyPolicy(), ...fields });

function run({ port = fakePort(), routes = served(), policy = policyOf(), now = NOW, force = false, afterInstall } = {}) {
  const net = fakeFetch(routes);
  const installed = [];
  return update.checkCatalogUpdate({ port, readPolicy: policy, fetchImpl: net.fetchImpl, now, force,
    afterInstall: afterInstall ?? (async (reply) => installed.push(reply)) })
    .then((status) => ({ status, net, port, installed }));
}

describe('catalog updates: the daily fetch', () => {
  beforeEach(() => {
    for (const key of Object.keys(chrome.storage.local.data)) {
      delete chrome.storage.local.data[key];
    }
    for (const key of Object.keys(alarms)) {
      delete alarms[key];
    }
  });

  it('fetches the release and its signature from the one update address and hands the bytes to the host unchanged', async () => {
    const bytes = releaseBytes();
    const { status, net, port, installed } = await run({ routes: served(CATALOG_UPDATE_URL, bytes) });
    assert.deepEqual(net.calls.map((c) => c.url).sort(), [CATALOG_UPDATE_URL, `${CATALOG_UPDATE_URL}.minisig`]);
    assert.equal(net.calls[0].init.credentials, 'omit', 'no cookies go with the download');
    assert.equal(port.requests.length, 1);
    assert.equal(port.requests[0].type, 'install_catalog');
    assert.deepEqual(Object.keys(port.requests[0].fields).sort(), ['catalog_base64', 'signature']);
    assert.deepEqual(new Uint8Array(Buffer.from(port.requests[0].fields.catalog_base64, 'base64')), bytes, 'byte for byte');
    assert.equal(port.requests[0].fields.signature, SIGNATURE);
    assert.equal(status.result, 'installed');
    assert.equal(installed.length, 1, 'the worker refreshes its catalog and reminders after the install');
    assert.equal(chrome.storage.local.data[RELEASE_KEY].version, NEWER, 'the extension keeps the file the host verified');
  });

  it('checks once a day: a second check the same day fetches nothing; the alarm is a day ahead', async () => {
    await run();
    assert.equal(alarms[update.UPDATE_ALARM].scheduledTime, NOW.getTime() + DAY);
    const again = await run({ now: new Date(NOW.getTime() + 3600 * 1000) });
    assert.equal(again.net.calls.length, 0);
    const nextDay = await run({ now: new Date(NOW.getTime() + DAY + 1000) });
    assert.equal(nextDay.net.calls.length, 2);
  });

  it('the person\'s off switch: nothing is fetched', async () => {
    await update.setPersonEnabled(false);
    const { status, net, port } = await run({ force: true });
    assert.equal(net.calls.length, 0);
    assert.equal(port.requests.length, 0);
    assert.equal(status.result, 'off');
    assert.equal(status.off_by, 'person');
  });

  it('the organisation\'s off switch wins over the person\'s choice', async () => {
    await update.setPersonEnabled(true);
    const { status, net } = await run({ policy: policyOf({ catalogUpdates: false }), force: true });
    assert.equal(net.calls.length, 0);
    assert.equal(status.off_by, 'organisation');
  });

  it('an organisation\'s mirror replaces the address', async () => {
    const mirror = 'https://mirror.example.org/optguard/optguard-catalog.json';
    const { status, net } = await run({ policy: policyOf({ catalogUpdateUrl: mirror }), routes: served(mirror) });
    assert.deepEqual(net.calls.map((c) => c.url).sort(), [mirror, `${mirror}.minisig`]);
    assert.equal(status.result, 'installed');
    assert.equal(status.mirror, true);
  });

  it('without the host nothing is downloaded and the bundled catalog stays', async () => {
    const port = fakePort({ connectError: new HostUnavailableError('not found', { notInstalled: true }) });
    const { status, net } = await run({ port });
    assert.equal(net.calls.length, 0);
    assert.equal(status.result, 'no_host');
    assert.equal(chrome.storage.local.data[RELEASE_KEY], undefined);
  });

  it('a 404 or a network error keeps the old catalog and backs off: one day, then two, four, at most seven', async () => {
    const first = await run({ routes: {} });
    assert.equal(first.status.result, 'fetch_failed');
    assert.equal(first.port.requests.length, 0, 'nothing reaches the host');
    assert.equal(first.installed.length, 0);
    assert.equal(Date.parse(first.status.next_at), NOW.getTime() + DAY);
    let now = new Date(NOW.getTime() + DAY);
    const second = await run({ routes: { [CATALOG_UPDATE_URL]: new TypeError('Failed to fetch') }, now });
    assert.equal(second.status.failures, 2);
    assert.equal(Date.parse(second.status.next_at), now.getTime() + 2 * DAY);
    assert.equal(update.nextDelay(3), 4 * DAY);
    assert.equal(update.nextDelay(9), 7 * DAY);
    now = new Date(now.getTime() + 2 * DAY);
    const ok = await run({ now });
    assert.equal(ok.status.failures, 0, 'a success resets the backoff');
    assert.equal(chrome.storage.local.data[RELEASE_KEY].version, NEWER);
  });

  it('a release the host refuses (damaged, tampered, wrong key) is not kept, and nothing is refreshed', async () => {
    for (const reason of ['bad_signature', 'untrusted_key', 'bad_signature_file', 'invalid']) {
      delete chrome.storage.local.data[update.STATUS_KEY];
      const port = fakePort({ install: new HostReplyError('catalog_rejected', `refused: ${reason}`, reason) });
      const { status, installed } = await run({ port });
      assert.equal(status.result, 'refused');
      assert.equal(status.reason, reason);
      assert.equal(installed.length, 0);
      assert.equal(chrome.storage.local.data[RELEASE_KEY], undefined);
    }
  });

  it('an older or the same version is "up to date", not a failure', async () => {
    const port = fakePort({ install: new HostReplyError('catalog_rejected', 'not newer', 'not_newer') });
    const { status, installed } = await run({ port });
    assert.equal(status.result, 'up_to_date');
    assert.equal(status.failures, 0);
    assert.equal(installed.length, 0);
  });

  it('a download over 640 KiB is refused before it reaches the host', async () => {
    const { status, port } = await run({ routes: served(CATALOG_UPDATE_URL, new Uint8Array(640 * 1024 + 1)) });
    assert.equal(status.result, 'fetch_failed');
    assert.equal(port.requests.length, 0);
  });
});

describe('catalog updates: the catalog the extension judges with', () => {
  function hostPort(info, catalogReply = null) {
    const requests = [];
    return {
      requests,
      connect: async () => ({ catalog_info: info }),
      request: async (type) => {
        requests.push(type);
        return { ok: true, catalog: catalogReply };
      },
    };
  }

  it('the host\'s newer catalog replaces the bundled one: the release the host verified', async () => {
    chrome.storage.local.data[RELEASE_KEY] = JSON.parse(new TextDecoder().decode(releaseBytes()));
    const active = new ActiveCatalog(Promise.resolve(bundled), hostPort({ version: NEWER, date: '2099-01-01', source: 'installed' }));
    assert.equal((await active.current()).version, bundled.version, 'bundled until the host says otherwise');
    assert.equal((await active.refresh()).version, NEWER);
    assert.equal((await active.current()).version, NEWER);
  });

  it('a host on the bundled version, or none at all, leaves the bundled catalog', async () => {
    const same = new ActiveCatalog(Promise.resolve(bundled), hostPort({ version: bundled.version, source: 'bundled' }));
    assert.equal((await same.refresh()).version, bundled.version);
    const none = new ActiveCatalog(Promise.resolve(bundled), { connect: async () => {
      throw new HostUnavailableError('gone');
    } });
    assert.equal((await none.refresh()).version, bundled.version);
  });

  it('a catalog installed elsewhere comes from the host\'s `catalog`, with the catalog\'s own known-good states', async () => {
    delete chrome.storage.local.data[RELEASE_KEY];
    const [first] = bundled.platforms;
    const effective = { version: NEWER, platforms: [{ ...first, settings: first.settings.map((s) => ({ ...s, expected: s.expected === 'on' ? 'off' : 'on', watch: false })) }] };
    const port = hostPort({ version: NEWER, source: 'installed' }, effective);
    const active = new ActiveCatalog(Promise.resolve(bundled), port);
    const catalog = await active.refresh();
    assert.deepEqual(port.requests, ['catalog']);
    assert.equal(catalog.version, NEWER);
    assert.equal(catalog.platforms[0].settings[0].expected, first.settings[0].expected, 'not the person\'s override');
    assert.equal(catalog.platforms[0].settings[0].watch, undefined);
  });

  it('a broken catalog from the host is not used', async () => {
    const port = hostPort({ version: NEWER, source: 'installed' }, { version: NEWER, platforms: [{ platform: 'BAD' }] });
    const active = new ActiveCatalog(Promise.resolve(bundled), port);
    assert.equal((await active.refresh()).version, bundled.version);
    assert.throws(() => catalogFromRelease({ version: NEWER }));
    assert.throws(() => catalogFromHost(null, bundled));
  });
});

describe('catalog updates: the alarm', () => {
  it('a worker without the alarm sets it for ten minutes later, and fetches nothing now', async () => {
    for (const key of Object.keys(alarms)) {
      delete alarms[key];
    }
    await update.ensureScheduled(NOW);
    assert.equal(alarms[update.UPDATE_ALARM].scheduledTime, NOW.getTime() + update.FIRST_CHECK_DELAY_MS);
    await update.ensureScheduled(new Date(NOW.getTime() + 1000));
    assert.equal(alarms[update.UPDATE_ALARM].scheduledTime, NOW.getTime() + update.FIRST_CHECK_DELAY_MS, 'an existing alarm is kept');
  });
});
