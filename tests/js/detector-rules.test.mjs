// The catalog's declared rules, read by the one generic detector: the page's sole control, the
// switch inside a named dialog, a state shown as a button's text; label normalisation; why a state
// is unknown; and the diagnostic skeleton, proven free of the page's personal data.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { readJson } from './helpers/paths.mjs';
import { DETECTOR_SCRIPTS, makeWindow } from './helpers/dom.mjs';

const linkedin = await readJson('extension/catalog/linkedin.json');
const GAI = linkedin.settings.find((s) => s.id === 'generative-ai-training').detect;
const chatgpt = await readJson('extension/catalog/chatgpt.json');
const IMPROVE = chatgpt.settings.find((s) => s.detect?.state_text || s.detect?.dialog).detect;

function page(body, scripts = DETECTOR_SCRIPTS) {
  return makeWindow(`<!doctype html><html><head><style>.gone{display:none}</style></head><body>${body}</body></html>`, { only: scripts });
}

function read(body, detect) {
  const { document, ns } = page(body);
  return ns.detector.findControl(document, detect);
}

describe('detector: exact matching after normalisation', () => {
  it('NFC, soft hyphens, zero-width characters and dashes do not hide a label; other words do', () => {
    const { ns } = page('');
    const n = ns.detector.normalizeLabel;
    assert.equal(n('Daten\u00ADschutz'), 'datenschutz');
    assert.equal(n('e\u0301'), n('\u00e9'));
    assert.equal(n('AI\u2011models \u2014 on'), 'ai-models - on');
    assert.equal(n('a\u200Bb'), 'ab');
    assert.notEqual(n('Use my data for training'), n('Use my data for training content creation AI models'));
  });

  it('labels are catalog objects with a language; each one matches, none fuzzily', () => {
    assert.ok(GAI.labels.length >= 5, 'LinkedIn carries its EU languages');
    for (const label of GAI.labels) {
      const found = read(`<main><span id="t">${label.text}</span><button role="switch" aria-checked="true" aria-labelledby="t"></button><div role="switch" aria-checked="false" aria-label="Other"></div></main>`, { roles: GAI.roles, labels: GAI.labels });
      assert.equal(found.state, 'on', `${label.lang}: ${label.text}`);
      assert.equal(found.label, label.text);
    }
    const near = read(`<main><span id="t">${GAI.labels[0].text} now</span><button role="switch" aria-checked="true" aria-labelledby="t"></button><div role="switch" aria-checked="false" aria-label="x"></div></main>`, { roles: GAI.roles, labels: GAI.labels });
    assert.equal(near.state, 'unknown');
    assert.equal(near.reason, 'no_match');
  });
});

describe('detector: the sole-control rule', () => {
  it('reads the one switch in <main> whatever its label says (a language the catalog lacks)', () => {
    const found = read('<header><input type="checkbox" aria-label="Dark mode"></header><main><h1>Tietojen käyttö</h1><span id="t">Käytä tietojani sisällöntuotannon tekoälymallien kouluttamiseen</span><button role="switch" aria-checked="true" aria-labelledby="t"></button></main>', GAI);
    assert.deepEqual([found.state, found.rule, found.reason], ['on', 'sole_control', 'found']);
  });

  it('refuses two unknown switches, and ignores hidden ones', () => {
    const two = read('<main><div role="switch" aria-checked="true" aria-label="Eins"></div><div role="switch" aria-checked="false" aria-label="Zwei"></div></main>', GAI);
    assert.deepEqual([two.state, two.reason, two.count], ['unknown', 'ambiguous', 2]);
    const hidden = read('<main><div role="switch" aria-checked="true" aria-label="Eins"></div><div class="gone"><div role="switch" aria-checked="false" aria-label="Zwei"></div></div></main>', GAI);
    assert.equal(hidden.state, 'on');
  });

  it('is off unless the catalog declares it', () => {
    const { sole_control: _s, ...labelOnly } = GAI;
    const found = read('<main><div role="switch" aria-checked="true" aria-label="Eins"></div></main>', labelOnly);
    assert.deepEqual([found.state, found.reason], ['unknown', 'no_match']);
  });

  it('says not_rendered when no control of its kind is on the page yet', () => {
    assert.equal(read('<main><p>Loading…</p></main>', GAI).reason, 'not_rendered');
  });
});

describe('detector: the dialog and state-text rules (ChatGPT)', () => {
  const title = IMPROVE.dialog?.titles?.[0]?.text;
  const rowLabel = IMPROVE.labels[0].text;

  it('reads the only switch inside the named dialog when its own label is unknown', { skip: !title }, () => {
    const found = read(`<main><div role="dialog" aria-labelledby="h"><h2 id="h">${title}</h2><button role="switch" aria-checked="true" aria-label="x"></button></div></main>`, IMPROVE);
    assert.deepEqual([found.state, found.rule], ['on', 'dialog']);
    const two = read(`<div role="dialog" aria-labelledby="h"><h2 id="h">${title}</h2><button role="switch" aria-checked="true"></button><button role="switch" aria-checked="false"></button></div>`, IMPROVE);
    assert.equal(two.reason, 'ambiguous');
    const other = read('<div role="dialog" aria-label="Something else"><button role="switch" aria-checked="true" aria-label="y"></button></div>', IMPROVE);
    assert.equal(other.state, 'unknown');
  });

  it('reads the state a row button shows, and only in the row named by a label', { skip: !IMPROVE.state_text }, () => {
    const [on] = IMPROVE.state_text.on;
    const [off] = IMPROVE.state_text.off;
    const { document, ns } = page(`<main><div class="row"><div>${rowLabel}</div><button id="b">${on}</button></div><div class="row"><div>Shared links</div><button>${off}</button></div></main>`);
    const found = ns.detector.findControl(document, IMPROVE);
    assert.deepEqual([found.state, found.rule], ['on', 'state_text']);
    document.getElementById('b').textContent = off;
    assert.equal(ns.detector.stateOf(found), 'off', 'the text is read again');
    const elsewhere = read(`<main><div><div>Memory</div><button>${on}</button></div></main>`, IMPROVE);
    assert.equal(elsewhere.state, 'unknown');
    // A panel of rows, each with its own value: only the named row counts, never the whole panel.
    const panel = read(`<main><section><div><div>${rowLabel}</div><button>${on}</button></div><div><div>Location</div><button>${off}</button></div></section></main>`, IMPROVE);
    assert.deepEqual([panel.state, panel.count], ['on', 1]);
    // The row is one button named by the label and the value.
    const oneButton = read(`<main><button>${rowLabel} ${off}</button><button>Location ${on}</button></main>`, IMPROVE);
    assert.deepEqual([oneButton.state, oneButton.rule], ['off', 'state_text']);
  });
});

describe('diagnostic skeleton', () => {
  it('holds roles, states and control labels, and none of the page’s personal data', () => {
    const secrets = ['Jane Q. Example', 'jane.example@mail.test', '+44 20 7946 0958', 'My secret post about my health', 'Acme Widgets Ltd'];
    const { document, ns } = page(`
      <header><img alt="Jane Q. Example"><span>Jane Q. Example</span><a href="mailto:jane.example@mail.test">jane.example@mail.test</a></header>
      <main><article><p>My secret post about my health</p><p>Call me on +44 20 7946 0958</p><p>Works at Acme Widgets Ltd</p></article>
      <section><span id="t">Käytä tietojani</span><button role="switch" aria-checked="true" aria-labelledby="t"></button>
      <label><input type="checkbox" checked> Send updates to jane.example@mail.test</label></section></main>
      <div role="dialog" aria-label="Profile of Jane Q. Example" class="gone"></div>`, [...DETECTOR_SCRIPTS, 'content/diagnostic.js']);
    const skeleton = ns.describeControls(document);
    const text = JSON.stringify(skeleton);
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
      assert.ok(!text.toLowerCase().includes(secret.toLowerCase()), secret);
    }
    const sw = skeleton.controls.find((c) => c.role === 'switch');
    assert.deepEqual(JSON.parse(JSON.stringify([sw.state, sw.in_main, sw.labels])), ['on', true, ['käytä tietojani']]);
    assert.ok(skeleton.controls.some((c) => c.labels.some((l) => l.includes('[e-mail]'))));
  });
});
