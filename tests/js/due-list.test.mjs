// The popup's due list (popup/due-list.js): most severe first, and the "choose your services" hint
// that a fresh install needs (every catalog service starts never checked).
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';

import { EXTENSION } from './helpers/paths.mjs';
import { fakeChrome } from './helpers/fake-chrome.mjs';

const html = readFileSync(`${EXTENSION}popup/popup.html`, 'utf8');
const dom = new JSDOM(html, { url: 'chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/popup/popup.html' });
const chrome = fakeChrome();
globalThis.chrome = chrome;
const { SERVICES_HINT_AT, dueItems, renderDue } = await import('../../extension/popup/due-list.js');
globalThis.document = dom.window.document;
globalThis.window = { close: () => {} };

function item(platform, code, severity = 'normal') {
  return { platform, setting: 's', title: `${platform} setting`, severity, opt_out_url: `https://${platform}.example/s`, reasons: [{ code, since: null, policy_date: null }] };
}

function due(items) {
  return { ok: true, source: 'host', platforms: items.map((i) => ({ platform: i.platform, name: i.platform.toUpperCase(), settings: [i] })) };
}

function section() {
  const s = dom.window.document.createElement('section');
  dom.window.document.body.append(s);
  return s;
}

describe('popup due list', () => {
  it('puts the most severe first and keeps catalog order within a severity', () => {
    const items = dueItems(due([item('a', 'never_verified'), item('b', 'violation', 'critical'), item('c', 'policy_event', 'high'), item('d', 'never_verified')]));
    assert.deepEqual(items.map((i) => i.platform), ['b', 'c', 'a', 'd']);
  });

  it(`offers to choose the services the person uses once ${SERVICES_HINT_AT} or more were never checked`, async () => {
    const s = section();
    renderDue(s, due([item('a', 'never_verified'), item('b', 'never_verified'), item('c', 'never_verified'), item('d', 'violation', 'critical')]));
    const hint = s.querySelector('.due-services');
    assert.ok(hint, 'the hint is shown');
    assert.match(hint.textContent, /Choose yours \(3 never checked\)/);
    hint.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(chrome.opened, ['chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/options/options.html#welcome']);
  });

  it('no hint when fewer services were never checked', () => {
    const s = section();
    renderDue(s, due([item('a', 'never_verified'), item('b', 'never_verified'), item('c', 'interval_elapsed')]));
    assert.equal(s.querySelector('.due-services'), null);
    assert.equal(s.querySelectorAll('.due-item').length, 3);
  });
});
