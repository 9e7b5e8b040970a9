// What the popup and options page say about the last catalog update check (shared/catalog-view.js)
// and a due reason from a policy page the member opened (shared/due-text.js): sentences, not codes.
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { describe, it } from 'node:test';

import { fakeChrome } from './helpers/fake-chrome.mjs';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/options/options.html' });
globalThis.chrome = fakeChrome();
globalThis.document = dom.window.document;
const { lastCheckLine, refusalText } = await import('../../extension/shared/catalog-view.js');
const { reasonText } = await import('../../extension/shared/due-text.js');

const NOW = new Date('2026-11-30T12:00:00Z');
const REASONS = ['too_large', 'bad_signature_file', 'untrusted_key', 'bad_signature', 'invalid', 'unsupported'];

describe('a refused catalog update, in words', () => {
  it('each refusal reason of install_catalog has its own sentence; anything else a general one', () => {
    const sentences = REASONS.map(refusalText);
    assert.equal(new Set(sentences).size, REASONS.length);
    for (const sentence of sentences) {
      assert.match(sentence, /^[A-Z].*\.$/);
      assert.doesNotMatch(sentence, /_/);
    }
    assert.equal(refusalText('storage_error'), 'The helper app could not install it.');
    assert.equal(refusalText(null), 'The helper app could not install it.');
  });

  it('the last-check line says the sentence, never the code (the code stays in a data attribute)', () => {
    const line = lastCheckLine({ at: '2026-11-30T10:00:00Z', result: 'refused', reason: 'bad_signature' }, NOW);
    assert.match(line.textContent, /the update was refused\. Its signature does not match: the file was changed or damaged on the way\. The catalog in use stays\./);
    assert.doesNotMatch(line.textContent, /bad_signature/);
    assert.equal(line.dataset.reason, 'bad_signature');
    const installed = lastCheckLine({ at: '2026-11-30T10:00:00Z', result: 'installed', version: '2026.11.29' }, NOW);
    assert.match(installed.textContent, /2026\.11\.29/);
  });
});

describe('a due reason from a policy page the member opened', () => {
  it('names the platform, the document and the date', () => {
    const reason = { code: 'policy_event', policy_date: '2026-11-29', document: 'privacy-policy', document_kind: 'privacy', message: 'x' };
    assert.equal(reasonText(reason, 'LinkedIn'), "LinkedIn's privacy policy changed on Nov 29, 2026 (seen when you opened it)");
    assert.equal(reasonText({ ...reason, document_kind: 'terms' }, 'X'), "X's terms changed on Nov 29, 2026 (seen when you opened them)");
    assert.equal(reasonText({ code: 'policy_event', policy_date: '2026-11-29' }, 'LinkedIn'), 'Policy changed on Nov 29, 2026 after your last check');
  });
});
