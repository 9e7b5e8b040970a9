import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SENDER, classifySender, createRouter } from '../../extension/background/router.js';
import { fileFetch, resolveExtensionUrl } from './helpers/paths.mjs';
import { MSG } from '../../extension/shared/protocol.js';
import { loadCatalog } from '../../extension/shared/catalog.js';

const SELF = { extensionId: 'cmijejphlnikkmemcggjhadjlmobjaie', extensionOrigin: 'chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie' };
const AI_PAGE = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';
const catalog = await loadCatalog(resolveExtensionUrl, fileFetch);

const contentSender = (url, extra = {}) => ({
  id: SELF.extensionId,
  url,
  origin: new URL(url).origin,
  frameId: 0,
  tab: { id: 7, url },
  ...extra,
});
const popupSender = { id: SELF.extensionId, url: `${SELF.extensionOrigin}/popup/popup.html`, origin: SELF.extensionOrigin };

function setup() {
  const calls = [];
  const route = createRouter({
    getCatalog: async () => catalog,
    self: SELF,
    handlers: {
      pageSettings: async (entries, sender) => {
        calls.push(['pageSettings', entries.map((e) => e.setting.id), sender.tabId]);
        return { ok: true, settings: entries.map((e) => e.setting.id) };
      },
      state: async (entry, state, sender) => {
        calls.push(['state', entry.setting.id, state, sender.pageUrl]);
        return { ok: true, verdict: 'violation' };
      },
      pageLeft: async (sender) => {
        calls.push(['pageLeft', sender.tabId]);
        return { ok: true };
      },
      policyDate: async (shown, date, sender) => {
        calls.push(['policyDate', shown.platform.platform, shown.document.id, date, sender.tabId]);
        return { ok: true };
      },
      popupState: async () => {
        calls.push(['popupState']);
        return { ok: true, host: {} };
      },
    },
  });
  return { route, calls };
}

describe('router: sender classification', () => {
  it('extension pages by origin, content scripts by top frame and tab, anything else untrusted', () => {
    assert.equal(classifySender(popupSender, SELF).kind, SENDER.EXTENSION_PAGE);
    assert.equal(classifySender({ ...popupSender, origin: undefined }, SELF).kind, SENDER.EXTENSION_PAGE, 'Firefox: no sender.origin');
    const content = classifySender(contentSender(AI_PAGE), SELF);
    assert.deepEqual(content, { kind: SENDER.CONTENT_SCRIPT, tabId: 7, pageUrl: AI_PAGE });
    assert.equal(classifySender(contentSender(AI_PAGE, { frameId: 3 }), SELF).kind, SENDER.UNTRUSTED, 'sub-frames are not ours');
    assert.equal(classifySender(contentSender(AI_PAGE, { id: 'someoneelse' }), SELF).kind, SENDER.UNTRUSTED);
    assert.equal(classifySender(undefined, SELF).kind, SENDER.UNTRUSTED);
    assert.equal(
      classifySender(contentSender(AI_PAGE, { origin: 'https://evil.test' }), SELF).kind,
      SENDER.UNTRUSTED,
      'a frame whose origin differs from its tab is not trusted',
    );
  });
});

describe('router: messages', () => {
  it('a content script on the setting page gets its settings and may report their state', async () => {
    const { route, calls } = setup();
    const settings = await route({ type: MSG.PAGE_SETTINGS }, contentSender(`${AI_PAGE}?trk=x`));
    assert.ok(settings.ok);
    assert.ok(settings.settings.includes('generative-ai-training'));
    assert.ok(!settings.settings.includes('data-processing-objection'), 'a form is not readable');
    const reply = await route({ type: MSG.STATE, platform: 'linkedin', setting: 'generative-ai-training', state: 'on' }, contentSender(AI_PAGE));
    assert.deepEqual(reply, { ok: true, verdict: 'violation' });
    assert.deepEqual(calls.at(-1), ['state', 'generative-ai-training', 'on', AI_PAGE]);
  });

  it('a page claiming a setting that is not on it (another platform or another page) is ignored', async () => {
    const { route, calls } = setup();
    for (const [url, message] of [
      [AI_PAGE, { type: MSG.STATE, platform: 'x', setting: 'grok-training', state: 'off' }],
      ['https://www.linkedin.com/feed/', { type: MSG.STATE, platform: 'linkedin', setting: 'generative-ai-training', state: 'off' }],
    ]) {
      const reply = await route(message, contentSender(url));
      assert.equal(reply.ok, false);
      assert.equal(reply.error.code, 'untrusted_sender');
    }
    assert.deepEqual(calls, []);
  });

  it('a content-script message from a page outside the catalog hosts is refused', async () => {
    const { route } = setup();
    const reply = await route({ type: MSG.PAGE_SETTINGS }, contentSender('https://evil.test/mypreferences/d/settings/data-for-ai-improvement'));
    assert.equal(reply.error.code, 'untrusted_sender');
  });

  it('state messages must have exactly the enumerated fields and a known state', async () => {
    const { route, calls } = setup();
    for (const message of [
      { type: MSG.STATE, platform: 'linkedin', setting: 'generative-ai-training', state: 'maybe' },
      { type: MSG.STATE, platform: 'linkedin', setting: 'generative-ai-training', state: 'on', profile: 'Jane Doe' },
      { type: MSG.STATE, platform: 'linkedin', setting: 'generative-ai-training' },
      { type: MSG.PAGE_SETTINGS, url: 'https://elsewhere/' },
    ]) {
      const reply = await route(message, contentSender(AI_PAGE));
      assert.equal(reply.error?.code, 'bad_message', JSON.stringify(message));
    }
    assert.deepEqual(calls, []);
  });

  it('only extension pages may ask for the popup state', async () => {
    const { route, calls } = setup();
    const denied = await route({ type: MSG.POPUP_STATE }, contentSender(AI_PAGE));
    assert.equal(denied.error.code, 'untrusted_sender');
    assert.deepEqual(calls, []);
    const allowed = await route({ type: MSG.POPUP_STATE }, popupSender);
    assert.equal(allowed.ok, true);
  });

  it('extension pages cannot send content-script messages', async () => {
    const { route } = setup();
    const reply = await route({ type: MSG.STATE, platform: 'linkedin', setting: 'generative-ai-training', state: 'on' }, popupSender);
    assert.equal(reply.error.code, 'untrusted_sender');
  });

  it('malformed and unknown messages get bad_message; handler errors become {code, message}', async () => {
    const { route } = setup();
    assert.equal((await route(null, popupSender)).error.code, 'bad_message');
    assert.equal((await route({ type: 42 }, popupSender)).error.code, 'bad_message');
    assert.equal((await route({ type: 'optguard/nope' }, popupSender)).error.code, 'bad_message');
    const failing = createRouter({
      getCatalog: async () => catalog,
      self: SELF,
      handlers: { popupState: async () => { throw Object.assign(new Error('boom'), { code: 'internal' }); } },
    });
    assert.deepEqual(await failing({ type: MSG.POPUP_STATE }, popupSender), { ok: false, error: { code: 'internal', message: 'boom' } });
  });

  it('page-left is accepted from a content script on any catalog host page', async () => {
    const { route, calls } = setup();
    assert.deepEqual(await route({ type: MSG.PAGE_LEFT }, contentSender('https://www.linkedin.com/feed/')), { ok: true });
    assert.deepEqual(calls, [['pageLeft', 7]]);
  });
});

describe('router: policy dates', () => {
  const POLICY_PAGE = 'https://www.linkedin.com/legal/privacy-policy';

  it('page-settings lists the policy documents of the page; a policy date for one of them is handed on', async () => {
    const { route, calls } = setup();
    const reply = await route({ type: MSG.PAGE_SETTINGS }, contentSender(`${POLICY_PAGE}?trk=footer`));
    assert.deepEqual(reply.documents, [{ platform: 'linkedin', document: 'privacy-policy' }]);
    assert.deepEqual((await route({ type: MSG.PAGE_SETTINGS }, contentSender(AI_PAGE))).documents, []);
    const sent = await route({ type: MSG.POLICY_DATE, platform: 'linkedin', document: 'privacy-policy', effective_date: '2025-11-03' }, contentSender(POLICY_PAGE));
    assert.equal(sent.ok, true);
    assert.deepEqual(calls.at(-1), ['policyDate', 'linkedin', 'privacy-policy', '2025-11-03', 7]);
  });

  it('refuses page text, other fields, a non-date, another page\'s document and extension pages', async () => {
    const { route, calls } = setup();
    const base = { type: MSG.POLICY_DATE, platform: 'linkedin', document: 'privacy-policy', effective_date: '2025-11-03' };
    const refused = [
      [{ ...base, text: 'Effective November 3, 2025' }, contentSender(POLICY_PAGE), 'bad_message'],
      [{ ...base, effective_date: '2025-02-30' }, contentSender(POLICY_PAGE), 'bad_message'],
      [{ ...base, effective_date: 'November 3, 2025' }, contentSender(POLICY_PAGE), 'bad_message'],
      [base, contentSender(AI_PAGE), 'untrusted_sender'],
      [{ ...base, platform: 'x' }, contentSender(POLICY_PAGE), 'untrusted_sender'],
      [base, contentSender('https://evil.test/legal/privacy-policy'), 'untrusted_sender'],
      [base, popupSender, 'untrusted_sender'],
    ];
    for (const [message, sender, code] of refused) {
      const reply = await route(message, sender);
      assert.equal(reply.ok, false, JSON.stringify(message));
      assert.equal(reply.error.code, code, JSON.stringify(message));
    }
    assert.equal(calls.filter((c) => c[0] === 'policyDate').length, 0);
  });
});
