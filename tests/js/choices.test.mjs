import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';

import { fakeChrome } from './helpers/fake-chrome.mjs';
import { fileFetch, resolveExtensionUrl } from './helpers/paths.mjs';

const chrome = fakeChrome();
globalThis.chrome = chrome;
let managed = {};
chrome.storage.managed = { get: async () => structuredClone(managed) };
const { CHOICE_CACHE_KEY, PENDING_KEY, POLICY_CACHE_KEY, onLatePolicy, applyManagedPolicy, buildOptionsState, effectiveExpected, flushPending, readPolicy, saveChoice, validateChange, withoutIgnored } = await import(
  '../../extension/background/choices.js'
);
const { HostReplyError, HostUnavailableError } = await import('../../extension/shared/errors.js');
const { createRouter } = await import('../../extension/background/router.js');
const { loadCatalog } = await import('../../extension/shared/catalog.js');
const { MSG } = await import('../../extension/shared/protocol.js');

const catalog = await loadCatalog(resolveExtensionUrl, fileFetch);
const LI = 'linkedin/generative-ai-training';

// A host that keeps a config like the real one: effective watch/expected per setting.
function fakeHost({ missing = false, refuse = null } = {}) {
  const config = {};
  const requests = [];
  const port = {
    requests,
    config,
    missing,
    hostInfo: { host: 'optguard-host', version: '0.1.0', protocol: 1, catalog_version: catalog.version },
    async request(type, fields = {}) {
      requests.push({ type, ...fields });
      if (port.missing) {
        throw new HostUnavailableError('Specified native messaging host not found.', { notInstalled: true });
      }
      if (refuse) {
        throw new HostReplyError(refuse, `${refuse} from the host`);
      }
      if (type === 'set_choice') {
        const key = `${fields.platform}/${fields.setting}`;
        const entry = { ...config[key] };
        for (const name of ['watch', 'expected']) {
          if (fields[name] === null) {
            delete entry[name];
          } else if (fields[name] !== undefined) {
            entry[name] = fields[name];
          }
        }
        config[key] = entry;
        return { ok: true, watch: entry.watch ?? true, expected: entry.expected ?? 'off', override: entry };
      }
      if (type === 'status') {
        return {
          ok: true,
          settings: catalog.platforms.flatMap((p) =>
            p.settings.map((s) => {
              const entry = config[`${p.platform}/${s.id}`] ?? {};
              return {
                platform: p.platform,
                setting: s.id,
                watch: entry.watch ?? true,
                expected: entry.expected ?? s.expected,
                state: null,
                verdict: null,
                verified_at: null,
              };
            }),
          ),
        };
      }
      throw new Error(`unexpected ${type}`);
    },
  };
  return port;
}

beforeEach(() => {
  managed = {};
  delete chrome.storage.local.data[PENDING_KEY];
  delete chrome.storage.local.data.observations;
  delete chrome.storage.local.data[CHOICE_CACHE_KEY];
});

describe('validateChange', () => {
  const base = { type: MSG.SET_CHOICE, platform: 'linkedin', setting: 'generative-ai-training' };
  it('accepts watch and expected, null meaning back to the catalog’s', () => {
    assert.deepEqual(validateChange({ ...base, watch: false, expected: null }, catalog), {
      platform: 'linkedin',
      setting: 'generative-ai-training',
      watch: false,
      expected: null,
    });
  });
  it('refuses unknown settings, extra fields, bad values and empty changes', () => {
    assert.match(validateChange({ ...base, setting: 'nope', watch: true }, catalog), /catalog entry/);
    assert.match(validateChange({ ...base, watch: true, url: 'x' }, catalog), /only platform, setting/);
    assert.match(validateChange({ ...base, watch: 'yes' }, catalog), /watch must be/);
    assert.match(validateChange({ ...base, expected: 'maybe' }, catalog), /expected must be/);
    assert.match(validateChange(base, catalog), /needs watch, expected or interval_days/);
    for (const bad of [0, 366, 7.5, '7', true]) {
      assert.match(validateChange({ ...base, interval_days: bad }, catalog), /interval_days must be an integer from 1 to 365 or null/);
    }
    assert.match(validateChange({ ...base, not_applicable: null, interval_days: 3 }, catalog), /goes alone/);
  });
  it('accepts an interval of the person\'s own, null meaning back to the default', () => {
    assert.deepEqual(validateChange({ ...base, interval_days: 3 }, catalog), { platform: 'linkedin', setting: 'generative-ai-training', interval_days: 3 });
    assert.deepEqual(validateChange({ ...base, interval_days: null }, catalog), { platform: 'linkedin', setting: 'generative-ai-training', interval_days: null });
  });
  it('"does not apply to me" takes only the reasons the catalog gives, and is a watch choice', () => {
    // LinkedIn's switch is offered everywhere, to members from 18: "under 18" applies, "region" does not.
    assert.deepEqual(validateChange({ ...base, not_applicable: 'age' }, catalog),
      { platform: 'linkedin', setting: 'generative-ai-training', watch: false, not_applicable: 'age' });
    assert.deepEqual(validateChange({ ...base, not_applicable: null }, catalog),
      { platform: 'linkedin', setting: 'generative-ai-training', watch: null, not_applicable: null });
    assert.match(validateChange({ ...base, not_applicable: 'region' }, catalog), /one of: age/);
    assert.match(validateChange({ ...base, not_applicable: 'age', watch: true }, catalog), /goes alone/);
  });
});

describe('not applicable', () => {
  it('is saved as watch=false in the host, its reason kept here and shown on the options page', async () => {
    const port = fakeHost();
    const change = validateChange({ type: MSG.SET_CHOICE, platform: 'linkedin', setting: 'generative-ai-training', not_applicable: 'age' }, catalog);
    const reply = await saveChoice(port, change, await readPolicy());
    assert.equal(reply.ok, true);
    assert.deepEqual(port.requests, [{ type: 'set_choice', platform: 'linkedin', setting: 'generative-ai-training', watch: false }]);
    assert.deepEqual(chrome.storage.local.data.notApplicable, { 'linkedin/generative-ai-training': 'age' });
    await saveChoice(port, validateChange({ type: MSG.SET_CHOICE, platform: 'linkedin', setting: 'generative-ai-training', not_applicable: null }, catalog), await readPolicy());
    assert.deepEqual(chrome.storage.local.data.notApplicable, {});
    assert.equal(port.requests.at(-1).watch, null);
  });
});

describe('saveChoice', () => {
  it('saves through the host and answers the host’s effective values', async () => {
    const port = fakeHost();
    const reply = await saveChoice(port, { platform: 'linkedin', setting: 'generative-ai-training', expected: 'on' }, await readPolicy());
    assert.deepEqual(reply, { ok: true, saved: 'host', watch: true, expected: 'on', override: { expected: 'on' } });
    assert.deepEqual(port.requests, [{ type: 'set_choice', platform: 'linkedin', setting: 'generative-ai-training', expected: 'on' }]);
  });

  it('keeps the choice in this browser while the host is missing, then sends it once it answers', async () => {
    const port = fakeHost({ missing: true });
    const policy = await readPolicy();
    assert.deepEqual(await saveChoice(port, { platform: 'linkedin', setting: 'generative-ai-training', watch: false }, policy), {
      ok: true,
      saved: 'browser',
    });
    await saveChoice(port, { platform: 'linkedin', setting: 'generative-ai-training', expected: 'on' }, policy);
    assert.deepEqual(chrome.storage.local.data[PENDING_KEY], { [LI]: { watch: false, expected: 'on' } });

    const waiting = await buildOptionsState(port, catalog, policy);
    assert.equal(waiting.host.status, 'missing');
    assert.equal(waiting.pending_count, 1);
    const row = waiting.settings.find((r) => r.key === LI);
    assert.equal(row.watch, false);
    assert.equal(row.expected, 'on');
    assert.equal(row.override_expected, true);
    assert.equal(row.pending, true);

    port.missing = false;
    const connected = await buildOptionsState(port, catalog, policy);
    assert.equal(connected.host.status, 'connected');
    assert.equal(connected.pending_count, 0);
    assert.deepEqual(port.config[LI], { watch: false, expected: 'on' });
    assert.equal(connected.settings.find((r) => r.key === LI).pending, false);
  });

  it('a broken config is the person’s to see, not kept for later', async () => {
    const port = fakeHost({ refuse: 'config_invalid' });
    const reply = await saveChoice(port, { platform: 'linkedin', setting: 'generative-ai-training', watch: false }, await readPolicy());
    assert.equal(reply.ok, false);
    assert.equal(reply.error.code, 'config_invalid');
    assert.equal(chrome.storage.local.data[PENDING_KEY], undefined);
  });

  it('refuses to change what the organisation set, and sends nothing', async () => {
    managed = { settings: { [LI]: { expected: 'off' } } };
    const port = fakeHost();
    const reply = await saveChoice(port, { platform: 'linkedin', setting: 'generative-ai-training', expected: 'on' }, await readPolicy());
    assert.equal(reply.ok, false);
    assert.equal(reply.error.code, 'managed');
    assert.deepEqual(port.requests, []);
    // The other field stays the person's.
    assert.equal((await saveChoice(port, { platform: 'linkedin', setting: 'generative-ai-training', watch: false }, await readPolicy())).ok, true);
  });
});

describe('ignored settings are not read on pages', () => {
  const entriesOf = (platformId) => {
    const platform = catalog.platforms.find((p) => p.platform === platformId);
    return platform.settings.map((setting) => ({ platform, setting }));
  };
  const ids = (entries) => entries.map((e) => e.setting.id);

  it('a setting ignored through the host, or while the host is missing, drops out; watching again brings it back', async () => {
    const all = entriesOf('linkedin');
    assert.deepEqual(ids(await withoutIgnored(all)), ids(all));
    await saveChoice(fakeHost(), { platform: 'linkedin', setting: 'generative-ai-training', watch: false }, await readPolicy());
    assert.ok(!ids(await withoutIgnored(all)).includes('generative-ai-training'));
    await saveChoice(fakeHost({ missing: true }), { platform: 'linkedin', setting: 'generative-ai-training', watch: null }, await readPolicy());
    assert.deepEqual(ids(await withoutIgnored(all)), ids(all));
    await saveChoice(fakeHost({ missing: true }), { platform: 'linkedin', setting: 'microsoft-affiliate-ads', watch: false }, await readPolicy());
    assert.ok(!ids(await withoutIgnored(all)).includes('microsoft-affiliate-ads'));
  });

  it('the expected state is the policy’s, else the person’s choice, else the catalog’s', async () => {
    const entries = entriesOf('linkedin');
    assert.equal((await effectiveExpected(entries)).get(LI), 'off');
    await saveChoice(fakeHost(), { platform: 'linkedin', setting: 'generative-ai-training', expected: 'on' }, await readPolicy());
    assert.equal((await effectiveExpected(entries)).get(LI), 'on');
    managed = { settings: { [LI]: { expected: 'off' } } };
    assert.equal((await effectiveExpected(entries)).get(LI), 'off');
    managed = {};
  });

  it('the options state refreshes what is ignored, and the policy’s watch wins', async () => {
    const port = fakeHost();
    port.config[LI] = { watch: false };
    await buildOptionsState(port, catalog, await readPolicy());
    assert.ok(!ids(await withoutIgnored(entriesOf('linkedin'))).includes('generative-ai-training'));
    managed = { hideIgnoreSwitch: true };
    assert.ok(ids(await withoutIgnored(entriesOf('linkedin'))).includes('generative-ai-training'));
  });
});

describe('flushPending', () => {
  it('sends what waits, drops what the host refuses for good, keeps all while the host is away', async () => {
    chrome.storage.local.data[PENDING_KEY] = { [LI]: { watch: false }, 'x/grok-training': { expected: 'on' } };
    const away = fakeHost({ missing: true });
    assert.deepEqual(await flushPending(away), { sent: 0, left: 2 });
    assert.equal(away.requests.length, 1); // stopped at the first failure
    const refusing = fakeHost({ refuse: 'unknown_setting' });
    assert.deepEqual(await flushPending(refusing), { sent: 0, left: 0 });
    chrome.storage.local.data[PENDING_KEY] = { [LI]: { watch: false } };
    const port = fakeHost();
    assert.deepEqual(await flushPending(port), { sent: 1, left: 0 });
    assert.deepEqual(port.config[LI], { watch: false });
  });
});

describe('managed policy in the worker', () => {
  it('writes forced values over the person’s into the host config, only where they differ', async () => {
    const port = fakeHost();
    port.config[LI] = { watch: false, expected: 'on' };
    managed = { settings: { [LI]: { watch: true, expected: 'off' }, 'chatgpt/improve-the-model': { expected: 'off' } } };
    assert.equal(await applyManagedPolicy(port), 1);
    assert.deepEqual(port.config[LI], { watch: true, expected: 'off' });
    assert.equal(port.config['chatgpt/improve-the-model'], undefined);
  });

  it('does nothing, not even a status request, without a policy or managed storage', async () => {
    const port = fakeHost();
    assert.equal(await applyManagedPolicy(port), 0);
    const saved = chrome.storage.managed;
    chrome.storage.managed = { get: async () => Promise.reject(new Error('Managed storage manifest not found')) };
    try {
      assert.equal(await applyManagedPolicy(port), 0);
    } finally {
      chrome.storage.managed = saved;
    }
    assert.deepEqual(port.requests, []);
  });

  it('never waits long on managed storage: the last policy read serves, the late one is announced', async () => {
    managed = { settings: { [LI]: { expected: 'off' } } };
    await readPolicy(); // read once: remembered
    const saved = chrome.storage.managed;
    let answer;
    chrome.storage.managed = { get: () => new Promise((resolve) => { answer = resolve; }) };
    const arrived = [];
    const stop = onLatePolicy(() => arrived.push('late'));
    try {
      const started = Date.now();
      const policy = await readPolicy({ waitMs: 50 });
      assert.ok(Date.now() - started < 1000, 'answered without the browser');
      assert.deepEqual(policy.settings[LI], { expected: 'off' }, 'the last policy read');
      assert.deepEqual(arrived, []);
      answer({ settings: { [LI]: { expected: 'on' } } });
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(arrived, ['late'], 'the late answer is announced so it gets applied');
      assert.deepEqual(chrome.storage.local.data[POLICY_CACHE_KEY], { settings: { [LI]: { expected: 'on' } } });
    } finally {
      stop();
      chrome.storage.managed = saved;
      managed = {};
    }
  });

  it('options state marks forced settings and carries hideIgnoreSwitch and policy problems', async () => {
    managed = { hideIgnoreSwitch: true, settings: { [LI]: { expected: 'off' }, 'bad key': {} } };
    const port = fakeHost();
    const state = await buildOptionsState(port, catalog, await readPolicy());
    assert.deepEqual(state.managed, { active: true, hideIgnoreSwitch: true, problems: ['settings["bad key"]: key must be "platform/setting"'] });
    const row = state.settings.find((r) => r.key === LI);
    assert.deepEqual(row.forced, { expected: 'off', watch: true });
    assert.equal(row.set_by_org, true);
    assert.equal(state.settings.find((r) => r.key === 'x/grok-training').set_by_org, false);
    assert.deepEqual(
      state.settings.map((r) => r.key),
      catalog.platforms.flatMap((p) => p.settings.map((s) => `${p.platform}/${s.id}`)),
    );
  });
});

describe('router: choices only from OptGuard’s own pages', () => {
  const SELF = { extensionId: chrome.runtime.id, extensionOrigin: `chrome-extension://${chrome.runtime.id}` };
  const page = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';
  const calls = [];
  const route = createRouter({
    getCatalog: async () => catalog,
    self: SELF,
    handlers: {
      optionsState: async () => {
        calls.push('optionsState');
        return { ok: true };
      },
      setChoice: async (message) => {
        calls.push(['setChoice', message.platform]);
        return { ok: true };
      },
    },
  });
  const optionsPage = { id: SELF.extensionId, url: `${SELF.extensionOrigin}/options/options.html`, origin: SELF.extensionOrigin };
  const contentScript = { id: SELF.extensionId, url: page, origin: 'https://www.linkedin.com', frameId: 0, tab: { id: 3, url: page } };
  const message = { type: MSG.SET_CHOICE, platform: 'linkedin', setting: 'generative-ai-training', watch: false };

  it('the options page may read and change choices', async () => {
    calls.length = 0;
    assert.deepEqual(await route({ type: MSG.OPTIONS_STATE }, optionsPage), { ok: true });
    assert.deepEqual(await route(message, optionsPage), { ok: true });
    assert.deepEqual(calls, ['optionsState', ['setChoice', 'linkedin']]);
  });

  it('a content script, another extension or a web page may not', async () => {
    calls.length = 0;
    for (const sender of [contentScript, { ...optionsPage, id: 'someone-else' }, { url: page, origin: 'https://www.linkedin.com' }]) {
      for (const sent of [message, { type: MSG.OPTIONS_STATE }]) {
        const reply = await route(sent, sender);
        assert.equal(reply.ok, false);
        assert.equal(reply.error.code, 'untrusted_sender');
      }
    }
    assert.deepEqual(calls, []);
  });
});
