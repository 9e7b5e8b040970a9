import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';

import { REPO, readJson } from './helpers/paths.mjs';
import { DETECTOR_SCRIPTS, makeWindow, tick } from './helpers/dom.mjs';
import { matchesPattern } from '../../extension/shared/catalog.js';

const linkedin = await readJson('extension/catalog/linkedin.json');
const CATALOG_DETECT = linkedin.settings.find((s) => s.id === 'generative-ai-training').detect;
// The label rule alone (the catalog also declares sole_control for this page: tested on its own below).
const { sole_control: _sole, ...DETECT } = CATALOG_DETECT;
const LABEL = DETECT.labels[0].text;

function detect(body, rule = DETECT) {
  const { document, ns, window } = makeWindow(`<!doctype html><html><head><style>.gone{display:none}.ghost{visibility:hidden}</style></head><body>${body}</body></html>`, {
    only: DETECTOR_SCRIPTS,
  });
  return { result: ns.detector.findControl(document, rule), document, window, ns };
}

describe('detector: finding the control by role and label', () => {
  it('role=switch named by aria-labelledby, on and off', () => {
    let { result } = detect(`<h3 id="t">${LABEL}</h3><div role="switch" aria-checked="true" aria-labelledby="t"></div>`);
    assert.equal(result.state, 'on');
    assert.equal(result.count, 1);
    ({ result } = detect(`<h3 id="t">${LABEL}</h3><div role="switch" aria-checked="false" aria-labelledby="t"></div>`));
    assert.equal(result.state, 'off');
  });

  it('aria-labelledby with several ids joins their text', () => {
    const [first, ...rest] = LABEL.split(' ');
    const { result } = detect(`<span id="a">${first}</span><span id="b">${rest.join(' ')}</span><div role="switch" aria-checked="true" aria-labelledby="a b"></div>`);
    assert.equal(result.state, 'on');
  });

  it('a native checkbox named by <label for>, read from its checked property', () => {
    const { result, document, ns } = detect(`<label for="c">${LABEL}</label><input id="c" type="checkbox" checked>`);
    assert.equal(result.state, 'on');
    assert.equal(result.element.id, 'c');
    document.getElementById('c').click(); // changes the property, not the attribute
    assert.equal(ns.detector.findControl(document, DETECT).state, 'off');
  });

  it('a role=switch div named by <label for>', () => {
    const { result } = detect(`<label for="s">${LABEL}</label><div id="s" role="switch" aria-checked="false"></div>`);
    assert.equal(result.state, 'off');
  });

  it('a native checkbox inside a wrapping label', () => {
    const { result } = detect(`<label>${LABEL} <input type="checkbox"></label>`);
    assert.equal(result.state, 'off');
  });

  it('aria-label names the control', () => {
    const { result } = detect(`<button role="switch" aria-checked="true" aria-label="${LABEL}"></button>`);
    assert.equal(result.state, 'on');
  });

  it('ignores case, runs of white space and typographic quotes; matches every catalog language', () => {
    const french = DETECT.labels.map((l) => l.text).find((l) => l.includes('’'));
    assert.ok(french, 'the catalog has a label with a typographic apostrophe');
    const page = french.replace('’', "'").toUpperCase().replaceAll(' ', ' \n\t ');
    let { result } = detect(`<span id="t">  ${page}  </span><div role="switch" aria-checked="true" aria-labelledby="t"></div>`);
    assert.equal(result.state, 'on');
    ({ result } = detect(`<div role="switch" aria-checked="true" aria-label="${DETECT.labels[1].text}"></div>`));
    assert.equal(result.state, 'on', 'German label');
    const { ns } = detect('');
    assert.equal(ns.detector.normalizeLabel('  “Don’t”\u00a0 TRAIN  '), '"don\'t" train');
  });

  it('does not take a neighbouring toggle with similar words', () => {
    const { result } = detect(`
      <span id="d">Use my data for training content moderation AI models</span><div role="switch" aria-checked="true" aria-labelledby="d"></div>
      <span id="e">${LABEL} for ads</span><div role="switch" aria-checked="true" aria-labelledby="e"></div>`);
    assert.equal(result.state, 'unknown');
    assert.equal(result.reason, 'no_match');
  });

  it('ignores hidden duplicates: hidden, display:none, visibility:hidden, aria-hidden, inert', () => {
    const duplicate = (wrapperAttrs) => `<div ${wrapperAttrs}><label>${LABEL}<input type="checkbox"></label></div>`;
    const { result } = detect(`
      <span id="t">${LABEL}</span><div role="switch" aria-checked="true" aria-labelledby="t"></div>
      ${duplicate('hidden')}
      ${duplicate('class="gone"')}
      ${duplicate('style="display:none"')}
      ${duplicate('class="ghost"')}
      ${duplicate('aria-hidden="true"')}
      ${duplicate('inert')}`);
    assert.equal(result.state, 'on');
    assert.equal(result.count, 1);
  });

  it('zero matching controls: unknown, never a guess', () => {
    const { result } = detect(`<p>${LABEL}</p><div class="toggle toggle--on artdeco-toggle" aria-checked="true"></div>`);
    assert.deepEqual({ state: result.state, reason: result.reason, count: result.count }, { state: 'unknown', reason: 'not_rendered', count: 0 });
  });

  it('several visible matching controls: unknown, even when they agree', () => {
    const { result } = detect(`
      <label>${LABEL}<input type="checkbox" checked></label>
      <div role="switch" aria-checked="true" aria-label="${LABEL}"></div>`);
    assert.deepEqual({ state: result.state, reason: result.reason, count: result.count }, { state: 'unknown', reason: 'ambiguous', count: 2 });
  });

  it('a role the catalog does not list is not the control', () => {
    const { result } = detect(`<div role="switch" aria-checked="true" aria-label="${LABEL}"></div>`, { roles: ['checkbox'], labels: [LABEL] });
    assert.equal(result.reason, 'not_rendered', 'no control of the roles it may have');
    const native = detect(`<label>${LABEL}<input type="checkbox" role="switch" checked></label>`, { roles: ['checkbox'], labels: [LABEL] });
    assert.equal(native.result.reason, 'not_rendered', 'role=switch on an input makes it a switch');
    const text = detect(`<label>${LABEL}<input type="text"></label>`);
    assert.equal(text.result.reason, 'not_rendered', 'a text input is no toggle');
  });

  it('unreadable states are unknown: no aria-checked, mixed, native and ARIA disagreeing, indeterminate', () => {
    for (const markup of [
      `<div role="switch" aria-label="${LABEL}"></div>`,
      `<div role="checkbox" aria-checked="mixed" aria-label="${LABEL}"></div>`,
      `<input type="checkbox" checked aria-checked="false" aria-label="${LABEL}">`,
      `<input type="checkbox" aria-checked="mixed" aria-label="${LABEL}">`,
    ]) {
      const { result } = detect(markup);
      assert.equal(result.state, 'unknown', markup);
      assert.equal(result.reason, 'unreadable', markup);
    }
    const { document, ns } = detect(`<input id="i" type="checkbox" aria-label="${LABEL}">`);
    document.getElementById('i').indeterminate = true;
    assert.equal(ns.detector.findControl(document, DETECT).state, 'unknown');
  });

  it('native checkbox with agreeing aria-checked is read', () => {
    const { result } = detect(`<input type="checkbox" role="switch" checked aria-checked="true" aria-label="${LABEL}">`);
    assert.equal(result.state, 'on');
  });

  it('finds a control inside an open shadow root, labelled there', () => {
    const { document, ns, window } = detect('<div id="host"></div>');
    const root = document.getElementById('host').attachShadow({ mode: 'open' });
    root.innerHTML = `<span id="t">${LABEL}</span><div role="switch" aria-checked="false" aria-labelledby="t"></div>`;
    assert.equal(ns.detector.findControl(document, DETECT).state, 'off');
    assert.ok(window);
  });
});

describe('detector on the LinkedIn fixture page', () => {
  const html = readFileSync(`${REPO}tests/fixtures/pages/linkedin-generative-ai-training.html`, 'utf8');
  const url = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';

  it('finds exactly the real toggle (not the decoy, not the hidden mobile duplicate) and follows a click', () => {
    const { document, ns } = makeWindow(html, { url, scripts: 'dangerously', only: DETECTOR_SCRIPTS });
    const result = ns.detector.findControl(document, DETECT);
    assert.equal(result.state, 'on');
    assert.equal(result.element.id, 'gai-toggle');
    document.getElementById('gai-toggle').click();
    assert.equal(ns.detector.findControl(document, DETECT).state, 'off');
    assert.equal(document.getElementById('gai-toggle').getAttribute('aria-checked'), 'false', 'the fixture keeps ARIA in step');
    // Both decoys are in the page.
    assert.ok(document.querySelector('.fake-switch[role="switch"]'));
    assert.ok(document.querySelector('.mobile-layout input[type="checkbox"]'));
  });

  it('finds nothing on the feed view of the same app', () => {
    const { document, ns } = makeWindow(html, { url: 'https://www.linkedin.com/feed/', scripts: 'dangerously', only: DETECTOR_SCRIPTS });
    assert.equal(ns.detector.findControl(document, DETECT).reason, 'not_rendered');
  });
});

/** An address the setting is read on: its opt-out page when that is one of its pages. */
function pageUrlOf(setting) {
  if (setting.pages.some((p) => matchesPattern(p, setting.opt_out_url))) {
    return setting.opt_out_url;
  }
  return setting.pages[0].replace('://*.', '://someone.').replaceAll('*', '');
}

describe('detector on every catalog fixture page (tests/fixtures/pages)', async () => {
  const catalogDir = `${REPO}extension/catalog/`;
  const settings = new Map();
  for (const file of readdirSync(catalogDir).filter((f) => f.endsWith('.json') && f !== 'index.json')) {
    const platform = JSON.parse(readFileSync(catalogDir + file, 'utf8'));
    for (const setting of platform.settings ?? []) {
      if (setting.detect) {
        settings.set(`${platform.platform}-${setting.id}`, setting);
      }
    }
  }
  // Today's pages, and the pages of earlier labels kept as regression cases (legacy/).
  const fixtures = ['', 'legacy/'].flatMap((dir) =>
    readdirSync(`${REPO}tests/fixtures/pages/${dir}`).filter((f) => f.endsWith('.html')).map((f) => dir + f));
  for (const fixture of fixtures) {
    const name = fixture.replace(/\.html$/, '').replace(/^legacy\//, '');
    const setting = settings.get(name);
    const html = readFileSync(`${REPO}tests/fixtures/pages/${fixture}`, 'utf8');
    if (!setting || !html.includes('data-optguard-target')) {
      continue;
    }
    it(`${fixture.replace(/\.html$/, '')}: finds the marked target and follows a flip`, async () => {
      // A fixture whose page names its subject (a blog) says at which address it is served.
      const url = /<meta name="optguard-fixture-url" content="([^"]+)">/.exec(html)?.[1] ?? pageUrlOf(setting);
      const { document, ns, window } = makeWindow(html, { url, scripts: 'dangerously', only: DETECTOR_SCRIPTS });
      const target = () => ns.detector.openRoots(document).map((r) => r.querySelector('[data-optguard-target]')).find(Boolean);
      for (let i = 0; i < 100 && !target(); i += 1) {
        await tick(20); // late-rendered pages mount after a timeout
      }
      assert.ok(target(), 'the fixture mounted its target');
      const first = ns.detector.findControl(document, setting.detect);
      assert.equal(first.count, 1, `exactly one match (${first.reason})`);
      assert.equal(first.element, target(), 'the match is the marked target');
      assert.notEqual(first.state, 'unknown');
      target().click();
      const second = ns.detector.findControl(document, setting.detect);
      assert.equal(second.state, first.state === 'on' ? 'off' : 'on');
      window.close();
    });
  }
});

describe('detector index: answers stay right as the page changes (issue 7)', () => {
  it('findControls: one pass answers every rule, each as findControl would', () => {
    const other = { roles: ['checkbox'], labels: ['Share my data with affiliates'] };
    const { document, ns } = detect(`<h3 id="t">${LABEL}</h3><div role="switch" aria-checked="true" aria-labelledby="t"></div>
      <label>Share my data with affiliates <input type="checkbox"></label>`);
    const [a, b, c] = ns.detector.findControls(document, [DETECT, other, { roles: ['switch'], labels: ['nothing'] }]);
    assert.equal(a.state, 'on');
    assert.equal(b.state, 'off');
    assert.equal(c.reason, 'no_match');
  });

  it('a re-render that replaces the control, a label text edit and a new duplicate are all seen', () => {
    const { document, ns } = detect(`<main id="m"><h3 id="t">${LABEL}</h3><div id="s" role="switch" aria-checked="true" aria-labelledby="t"></div></main>`);
    const find = () => ns.detector.findControl(document, DETECT);
    assert.equal(find().state, 'on');
    document.getElementById('m').innerHTML = `<h3 id="t">${LABEL}</h3><div id="s2" role="switch" aria-checked="false" aria-labelledby="t"></div>`;
    assert.equal(find().element.id, 's2');
    assert.equal(find().state, 'off');
    document.getElementById('t').textContent = 'Something else';
    assert.equal(find().reason, 'no_match', 'the label text changed');
    document.getElementById('t').firstChild.data = LABEL;
    assert.equal(find().state, 'off', 'and back, through a text node edit');
    document.getElementById('s2').setAttribute('aria-label', 'x');
    document.getElementById('s2').removeAttribute('aria-label');
    document.body.insertAdjacentHTML('beforeend', `<label>${LABEL}<input type="checkbox"></label>`);
    assert.equal(find().reason, 'ambiguous');
    document.querySelector('label').hidden = true;
    assert.equal(find().state, 'off', 'the duplicate is hidden again');
    document.getElementById('m').style.display = 'none';
    assert.equal(find().reason, 'no_match', 'an ancestor hidden by style');
  });

  it('role and label[for] changes after the first search', () => {
    const { document, ns } = detect(`<label id="l" for="x">${LABEL}</label><div id="c" role="button" aria-checked="true"></div>`);
    const find = () => ns.detector.findControl(document, DETECT);
    assert.equal(find().reason, 'not_rendered');
    document.getElementById('c').setAttribute('role', 'switch');
    assert.equal(find().reason, 'no_match', 'a switch, but not labelled yet');
    document.getElementById('l').htmlFor = 'c';
    assert.equal(find().state, 'on');
  });

  it('with a time budget, a search that runs out answers "deferred" and the next one carries on', () => {
    const many = Array.from({ length: 400 }, (_, i) => `<div role="switch" aria-checked="false" aria-label="Other ${i}"></div>`).join('');
    const { document, ns } = makeWindow(`<!doctype html><body><div role="switch" aria-checked="true" aria-label="${LABEL}"></div></body>`, { only: DETECTOR_SCRIPTS });
    assert.equal(ns.detector.findControl(document, DETECT).state, 'on');
    document.body.insertAdjacentHTML('beforeend', many);
    const first = ns.detector.findControls(document, [DETECT], { budgetMs: 0 });
    assert.equal(first[0].reason, 'deferred');
    let result = first;
    for (let i = 0; i < 100 && result[0].reason === 'deferred'; i += 1) {
      result = ns.detector.findControls(document, [DETECT], { budgetMs: 0 });
    }
    assert.equal(result[0].state, 'on');
  });
});
