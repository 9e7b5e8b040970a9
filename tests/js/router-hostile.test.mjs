// Hostile senders against the service worker's router (issue 8): what a web page, a page's frame,
// another extension or a lying message can get through. Complements router.test.mjs and the
// "choices only from OptGuard's own pages" cases in choices.test.mjs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fileFetch, resolveExtensionUrl } from './helpers/paths.mjs';
import { MSG } from '../../extension/shared/protocol.js';
import { createRouter } from '../../extension/background/router.js';
import { loadCatalog } from '../../extension/shared/catalog.js';

const SELF = { extensionId: 'cmijejphlnikkmemcggjhadjlmobjaie', extensionOrigin: 'chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie' };
const AI_PAGE = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';
const catalog = await loadCatalog(resolveExtensionUrl, fileFetch);

const contentSender = (url, extra = {}) => ({ id: SELF.extensionId, url, origin: new URL(url).origin, frameId: 0, tab: { id: 7, url }, ...extra });
const STATE = { type: MSG.STATE, platform: 'linkedin', setting: 'generative-ai-training', state: 'on' };

function setup() {
  const calls = [];
  const record = (name) => async (...args) => {
    calls.push(name, args.length);
    return { ok: true };
  };
  const route = createRouter({
    getCatalog: async () => catalog,
    self: SELF,
    handlers: {
      pageSettings: record('pageSettings'),
      state: record('state'),
      pageLeft: record('pageLeft'),
      popupState: record('popupState'),
      optionsState: record('optionsState'),
      setChoice: record('setChoice'),
    },
  });
  return { route, calls };
}

async function refused(message, sender, code) {
  const { route, calls } = setup();
  const reply = await route(message, sender);
  assert.equal(reply.ok, false, JSON.stringify(reply));
  assert.equal(reply.error.code, code, JSON.stringify(reply));
  assert.deepEqual(calls, [], 'no handler ran');
}

describe('router: hostile senders', () => {
  it('the genuine content script on the setting page is accepted (the control case)', async () => {
    const { route, calls } = setup();
    assert.equal((await route(STATE, contentSender(AI_PAGE))).ok, true);
    assert.deepEqual(calls, ['state', 5]);
  });

  it('a label goes through only when it is one of the setting\'s own catalog labels, exactly', async () => {
    const linkedin = catalog.platforms.find((p) => p.platform === 'linkedin');
    const labels = linkedin.settings.find((s) => s.id === 'generative-ai-training').detect.labels.map((l) => l.text);
    const german = labels.find((text, i) => linkedin.settings.find((s) => s.id === 'generative-ai-training').detect.labels[i].lang === 'de');
    const seen = [];
    const route = createRouter({
      getCatalog: async () => catalog,
      self: SELF,
      handlers: { state: async (_entry, _state, _sender, _reason, label) => (seen.push(label), { ok: true }) },
    });
    assert.equal((await route({ ...STATE, label: german }, contentSender(AI_PAGE))).ok, true);
    assert.deepEqual(seen, [german], 'the catalog label reaches the worker');
    const other = catalog.platforms.flatMap((p) => p.settings).find((s) => s.id !== 'generative-ai-training' && s.detect?.labels?.length).detect.labels[0].text;
    for (const label of [
      'Use my data for training content creation AI models <img src=x onerror=alert(1)>', // free page text
      `${labels[0]} `, // not exactly the catalog's text
      labels[0].toUpperCase(),
      other, // another setting's label
      42,
      null,
    ]) {
      await refused({ ...STATE, label }, contentSender(AI_PAGE), 'bad_message');
    }
    await refused({ ...STATE, state: 'unknown', label: labels[0] }, contentSender(AI_PAGE), 'bad_message');
  });

  it('another extension sending what our content script would is ignored', async () => {
    await refused(STATE, contentSender(AI_PAGE, { id: 'aaaabbbbccccddddeeeeffffgggghhhh' }), 'untrusted_sender');
    await refused(STATE, contentSender(AI_PAGE, { id: undefined }), 'untrusted_sender');
  });

  it('a frame inside the setting page (an ad or an embed) is ignored', async () => {
    await refused(STATE, contentSender(AI_PAGE, { frameId: 3 }), 'untrusted_sender');
    await refused(STATE, contentSender(AI_PAGE, { frameId: undefined }), 'untrusted_sender');
  });

  it('a sender whose origin is not the tab\'s page is ignored', async () => {
    await refused(STATE, contentSender(AI_PAGE, { origin: 'https://evil.example' }), 'untrusted_sender');
    await refused(STATE, { ...contentSender(AI_PAGE), tab: { id: 7, url: 'https://evil.example/' } }, 'untrusted_sender');
    await refused(STATE, { ...contentSender(AI_PAGE), tab: undefined }, 'untrusted_sender');
  });

  it('look-alike hosts, plain http and other schemes are not catalog pages', async () => {
    for (const url of [
      'https://www.linkedin.com.evil.example/mypreferences/d/settings/data-for-ai-improvement',
      'https://evil-www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement',
      'http://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement',
      'https://linkedin.com@evil.example/mypreferences/d/settings/data-for-ai-improvement',
    ]) {
      const { route, calls } = setup();
      const reply = await route(STATE, contentSender(url));
      assert.equal(reply.ok, false, url);
      assert.deepEqual(calls, [], url);
    }
  });

  it('a catalog page claiming a setting of another platform is ignored', async () => {
    await refused(STATE, contentSender('https://x.com/settings/grok_settings'), 'untrusted_sender');
    await refused({ ...STATE, platform: 'x' }, contentSender(AI_PAGE), 'untrusted_sender');
  });

  it('state messages carrying anything but the enumerated fields are refused', async () => {
    for (const message of [
      { ...STATE, state: 'ON' },
      { ...STATE, state: { toString: () => 'on' } },
      { ...STATE, state: ['on'] },
      { ...STATE, label: 'Jane Q. Example' },
      { ...STATE, url: AI_PAGE },
      JSON.parse('{"type":"optguard/state","platform":"linkedin","setting":"generative-ai-training","state":"on","__proto__":{"x":1}}'),
    ]) {
      await refused(message, contentSender(AI_PAGE), 'bad_message');
    }
  });

  it('a web page or content script cannot ask for the popup state or change configuration', async () => {
    for (const type of [MSG.POPUP_STATE, MSG.OPTIONS_STATE, MSG.SET_CHOICE]) {
      await refused({ type }, contentSender(AI_PAGE), 'untrusted_sender');
      await refused({ type }, { url: AI_PAGE, origin: 'https://www.linkedin.com' }, 'untrusted_sender');
      await refused({ type }, undefined, 'untrusted_sender');
    }
  });
});
