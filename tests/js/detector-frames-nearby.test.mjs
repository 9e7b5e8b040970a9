// Detector gaps (issue 4 §2): controls inside same-origin iframes, read by the top frame's content
// script, and switches named only by the text of their row ("nearby text").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';

import { REPO } from './helpers/paths.mjs';
import { DETECTOR_SCRIPTS, makeWindow, tick } from './helpers/dom.mjs';

const fixture = (name) => readFileSync(`${REPO}tests/fixtures/pages/detector/${name}`, 'utf8');
const GAI = { roles: ['switch'], labels: ['Use my data for training content creation AI models'] };

function open(name) {
  return makeWindow(fixture(name), { url: 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement', scripts: 'dangerously', only: DETECTOR_SCRIPTS });
}

describe('detector: same-origin iframes', () => {
  it('least privilege: content scripts stay in top frames (no all_frames, no match_about_blank)', () => {
    const manifest = JSON.parse(readFileSync(`${REPO}extension/manifest.json`, 'utf8'));
    for (const script of manifest.content_scripts) {
      assert.equal(script.all_frames, undefined);
      assert.equal(script.match_about_blank, undefined);
      assert.equal(script.match_origin_as_fallback, undefined);
    }
  });

  it('finds the one visible control inside a same-origin frame; the hidden frame’s copy does not count', () => {
    const { document, ns, window } = open('same-origin-iframe.html');
    const panel = document.getElementById('panel').contentDocument;
    const found = ns.detector.findControl(document, GAI);
    assert.equal(found.reason, 'found');
    assert.equal(found.count, 1);
    assert.equal(found.element, panel.getElementById('gai'));
    assert.equal(found.state, 'on');
    window.close();
  });

  it('follows a flip inside the frame, tells its watchers, and sees the frame hidden', async () => {
    const { document, ns, window } = open('same-origin-iframe.html');
    const panelFrame = document.getElementById('panel');
    let notified = 0;
    ns.detector.watch(document, () => {
      notified += 1;
    });
    assert.equal(ns.detector.findControl(document, GAI).state, 'on');
    panelFrame.contentDocument.getElementById('gai').click();
    assert.equal(ns.detector.findControl(document, GAI).state, 'off');
    assert.ok(notified > 0, 'a click inside the frame reaches the watchers');
    panelFrame.style.display = 'none';
    await tick(0);
    assert.equal(ns.detector.findControl(document, GAI).reason, 'no_match', 'a hidden frame hides its controls');
    window.close();
  });

  it('a control in a frame is found when the frame is added after the first search', () => {
    const { document, ns, window } = makeWindow('<main id="m"></main>', { url: 'https://www.linkedin.com/', scripts: 'dangerously', only: DETECTOR_SCRIPTS });
    assert.equal(ns.detector.findControl(document, GAI).reason, 'not_rendered');
    const frame = document.createElement('iframe');
    document.getElementById('m').append(frame);
    frame.contentDocument.body.innerHTML = '<div role="switch" aria-checked="false" aria-label="Use my data for training content creation AI models"></div>';
    const found = ns.detector.findControl(document, GAI);
    assert.equal(found.state, 'off');
    assert.equal(found.element.ownerDocument, frame.contentDocument);
    window.close();
  });
});

describe('detector: nearby text labels a switch without a name', () => {
  const IMPROVE = { roles: ['switch'], labels: ['Improve the model for everyone'] };

  it('the row’s title names its only switch; the similar row’s switch is not taken', () => {
    const { document, ns, window } = open('nearby-text.html');
    const found = ns.detector.findControl(document, IMPROVE);
    assert.equal(found.count, 1);
    assert.equal(found.element, document.querySelector('[data-optguard-target]'));
    assert.equal(found.state, 'on');
    found.element.click();
    assert.equal(ns.detector.findControl(document, IMPROVE).state, 'off');
    window.close();
  });

  it('never guesses: one text with two switches, or text beyond three levels up, names nothing', () => {
    const { document, ns, window } = open('nearby-text.html');
    assert.equal(ns.detector.findControl(document, { roles: ['switch'], labels: ['Share usage data with partners'] }).reason, 'no_match');
    assert.equal(ns.detector.findControl(document, { roles: ['switch'], labels: ['Use my voice recordings for training'] }).reason, 'no_match');
    window.close();
  });

  it('a control with a name of its own is not renamed by its row', () => {
    const { document, ns, window } = makeWindow(
      '<div class="row"><span>Improve the model for everyone</span><div role="switch" aria-checked="true" aria-label="Dark mode"></div></div>',
      { url: 'https://chatgpt.com/', scripts: 'dangerously', only: DETECTOR_SCRIPTS },
    );
    assert.equal(ns.detector.findControl(document, IMPROVE).reason, 'no_match');
    assert.deepEqual([...ns.detector.labelsOf(document.querySelector('[role=switch]'))], ['Dark mode']);
    window.close();
  });

  it('the index follows the row: a text edit, and a second switch added to the row', () => {
    const { document, ns, window } = open('nearby-text.html');
    const row = document.querySelector('[data-optguard-target]').parentElement;
    assert.equal(ns.detector.findControl(document, IMPROVE).count, 1);
    row.querySelector('.title').textContent = 'Something else';
    assert.equal(ns.detector.findControl(document, IMPROVE).reason, 'no_match');
    row.querySelector('.title').textContent = 'Improve the model for everyone';
    assert.equal(ns.detector.findControl(document, IMPROVE).count, 1);
    const second = document.createElement('div');
    second.setAttribute('role', 'switch');
    second.setAttribute('aria-checked', 'false');
    row.append(second);
    assert.equal(ns.detector.findControl(document, IMPROVE).reason, 'no_match', 'two switches share the text now');
    window.close();
  });
});
