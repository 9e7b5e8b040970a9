// The content scripts' one MutationObserver (extension/content/dom-watch.js), on jsdom: nothing is
// observed before start(), each subscriber hears of a batch once, stop() disconnects; and the
// detector, which keeps its index from it, stays right across a stop and a new start.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DETECTOR_SCRIPTS, countObservers, makeWindow, tick } from './helpers/dom.mjs';

function page(body = '<main id="m"></main>', scripts = ['content/dom-watch.js']) {
  const { document, ns, window } = makeWindow(`<!doctype html><html><body>${body}</body></html>`, { only: scripts, beforeScripts: countObservers });
  return { document, window, watch: ns.domWatch.of(document), counter: window.__observers, ns };
}

/** Subscribes and keeps every call: [{records, taken}]. */
function listen(watch) {
  const calls = [];
  const stops = [];
  const unsubscribe = watch.subscribe((records, { taken }) => calls.push({ records, taken }), { onStop: () => stops.push(true) });
  return { calls, stops, unsubscribe };
}

describe('dom-watch: the one observer', () => {
  it('observes nothing before start(): no observer is even created, and mutations are not heard', async () => {
    const { document, watch, counter } = page();
    const heard = listen(watch);
    assert.equal(watch.observing, false);
    assert.equal(watch.add(document.body), false, 'no root is added while stopped');
    document.getElementById('m').append(document.createElement('p'));
    await tick(10);
    assert.deepEqual(counter, { created: 0, observe: 0, disconnect: 0, batches: 0 });
    assert.equal(heard.calls.length, 0);
  });

  it('one watch per root: the detector and content-main share it', () => {
    const { document, ns, watch } = page();
    assert.equal(ns.domWatch.of(document), watch);
  });

  it('every subscriber hears of a batch once, with all its records', async () => {
    const { document, watch, counter } = page();
    const a = listen(watch);
    const b = listen(watch);
    assert.equal(watch.start(), true);
    assert.equal(watch.start(), false, 'a second start changes nothing');
    const main = document.getElementById('m');
    for (let i = 0; i < 5; i += 1) {
      main.append(document.createElement('p')); // five records, one batch
    }
    main.setAttribute('aria-hidden', 'true');
    await tick(10);
    assert.equal(counter.created, 1);
    assert.equal(counter.batches, 1);
    for (const heard of [a, b]) {
      assert.equal(heard.calls.length, 1);
      assert.equal(heard.calls[0].records.length, 6);
      assert.equal(heard.calls[0].taken, false);
    }
  });

  it('watches only the attributes the detector reads, and keeps their old values', async () => {
    const { document, watch } = page('<main id="m" data-x="1"></main>');
    const heard = listen(watch);
    watch.start();
    const main = document.getElementById('m');
    main.setAttribute('data-x', '2'); // not watched
    main.id = 'n';
    await tick(10);
    assert.equal(heard.calls.length, 1);
    assert.deepEqual(heard.calls[0].records.map((r) => [r.attributeName, r.oldValue]), [['id', 'm']]);
  });

  it('flush() hands pending records to every subscriber at once (taken), and they are not delivered again', async () => {
    const { document, watch } = page();
    const a = listen(watch);
    const b = listen(watch);
    watch.start();
    document.getElementById('m').append(document.createElement('p'));
    watch.flush();
    assert.deepEqual([a.calls.length, b.calls.length], [1, 1]);
    assert.equal(a.calls[0].taken, true);
    await tick(10);
    assert.deepEqual([a.calls.length, b.calls.length], [1, 1]);
    watch.flush();
    assert.equal(a.calls.length, 1, 'nothing pending: no call');
  });

  it('stop() disconnects and tells the subscribers; a new start() observes again', async () => {
    const { document, watch, counter } = page();
    const heard = listen(watch);
    watch.start();
    watch.stop();
    assert.equal(watch.observing, false);
    assert.equal(counter.disconnect, 1);
    assert.equal(heard.stops.length, 1);
    document.getElementById('m').append(document.createElement('p'));
    await tick(10);
    assert.equal(counter.batches, 0);
    assert.equal(heard.calls.length, 0);
    watch.stop();
    assert.equal(heard.stops.length, 1, 'stopping a stopped watch tells no one');

    watch.start();
    document.getElementById('m').append(document.createElement('p'));
    await tick(10);
    assert.equal(heard.calls.length, 1, 'the subscription outlives stop and start');
    heard.unsubscribe();
    document.getElementById('m').append(document.createElement('p'));
    await tick(10);
    assert.equal(heard.calls.length, 1);
  });

  it('add() observes an open shadow root, which an observer of the document does not see into', async () => {
    const { document, watch } = page();
    const heard = listen(watch);
    watch.start();
    const shadow = document.getElementById('m').attachShadow({ mode: 'open' });
    await tick(10);
    const before = heard.calls.length;
    shadow.append(document.createElement('p'));
    await tick(10);
    assert.equal(heard.calls.length, before, 'not seen before add()');
    assert.equal(watch.add(shadow), true);
    assert.equal(watch.add(shadow), false);
    shadow.append(document.createElement('p'));
    await tick(10);
    assert.equal(heard.calls.length, before + 1);
  });

  it('a subscriber that throws does not keep the others from hearing of the batch', async () => {
    const { document, window, watch } = page();
    const errors = [];
    window.addEventListener('error', (event) => errors.push(event.error));
    watch.subscribe(() => {
      throw new Error('boom');
    });
    const heard = listen(watch);
    watch.start();
    document.getElementById('m').append(document.createElement('p'));
    await tick(10);
    assert.equal(heard.calls.length, 1);
    assert.deepEqual(errors.map((e) => e?.message), ['boom'], 'the failure is reported, not swallowed');
  });
});

describe('dom-watch and the detector', () => {
  const DETECT = { roles: ['switch'], labels: ['Use my data'] };
  const SWITCH = (state) => `<div role="switch" aria-checked="${state}" aria-label="Use my data"></div>`;

  it('the detector used on its own starts the watch, and builds on the one observer only', () => {
    const { document, ns, watch, counter } = page(`<main id="m">${SWITCH(true)}</main>`, DETECTOR_SCRIPTS);
    assert.equal(ns.detector.findControl(document, DETECT).state, 'on');
    assert.equal(watch.observing, true);
    assert.equal(counter.created, 1);
  });

  it('after stop() the index is dropped, and the next search reads the page as it is now', async () => {
    const { document, ns, watch, counter } = page(`<main id="m">${SWITCH(true)}</main>`, DETECTOR_SCRIPTS);
    let notified = 0;
    ns.detector.watch(document, () => {
      notified += 1;
    });
    assert.equal(ns.detector.findControl(document, DETECT).state, 'on');
    watch.stop();
    // Changed while nothing observes: no record will ever tell the index.
    document.getElementById('m').innerHTML = SWITCH(false);
    await tick(10);
    assert.equal(counter.batches, 0);
    assert.equal(watch.observing, false, 'a stopped watch stays stopped until someone searches');
    assert.equal(ns.detector.findControl(document, DETECT).state, 'off');
    assert.equal(watch.observing, true);
    assert.equal(counter.created, 2, 'a new observer for the new start, never two at once');
    // The listeners of watch() carry over to the new index.
    document.getElementById('m').firstElementChild.setAttribute('aria-checked', 'true');
    await tick(10);
    assert.ok(notified >= 1, 'the listener hears of the change after the restart');
  });
});
