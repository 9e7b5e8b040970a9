// The e2e suites' waits (helpers/wait.mjs) without a browser: an observation stored before the
// step, whatever it says, is never taken for the step's answer (the race a slow machine lost in
// catalog-fixtures: the previous page had stored the same setting, off, and the wait took it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { afterStep, expectChange, isAfter, mark, observationSince } from './helpers/wait.mjs';

/** A stand-in for the extension's service worker: evaluate() answers from `store`. */
function fakeWorker(store) {
  return { evaluate: async (_fn, key) => store[key] ?? null };
}

const KEY = 'microsoft-copilot/model-training-voice';
const FAST = { timeoutMs: 300 };

describe('waits take only what their step caused', () => {
  it('an observation stored before the mark is not an answer, even one the test would accept', async () => {
    const store = { [KEY]: { state: 'off', verdict: 'compliant', source: 'host', observed_at: new Date().toISOString() } };
    const opened = await mark();
    const stale = store[KEY];
    // What the old wait did: take any stored observation the predicate accepts.
    const oldAccept = (o) => o && o.source === 'host' && o.state !== 'unknown';
    assert.equal(oldAccept(stale), true, 'the old wait would have ended on the stale observation');
    await assert.rejects(observationSince(fakeWorker(store), KEY, opened, oldAccept, FAST), /timed out/);

    // The page's own report arrives later: that one is the answer.
    setTimeout(() => {
      store[KEY] = { state: 'on', verdict: 'violation', source: 'host', observed_at: new Date().toISOString() };
    }, 50);
    const first = await observationSince(fakeWorker(store), KEY, opened, oldAccept, FAST);
    assert.equal(first.state, 'on');
  });

  it('mark() returns only after its millisecond: a record from that millisecond is older', async () => {
    const since = await mark();
    assert.ok(Date.now() > since);
    assert.equal(isAfter(new Date(since).toISOString(), since), false);
    assert.equal(isAfter(since, since), false);
    assert.equal(isAfter(new Date(since + 1).toISOString(), since), true);
    assert.equal(isAfter('not a date', since), false);
    assert.equal(isAfter(undefined, since), false);
  });

  it('a wait for a value that already holds refuses to start', async () => {
    let badge = '!';
    await assert.rejects(expectChange(async () => badge, (b) => b === '!', { what: 'violation badge' }), /already holds before the step/);
    const value = await afterStep(async () => {
      badge = 'OK';
    }, async () => badge, (b) => b === 'OK', FAST);
    assert.equal(value, 'OK');
  });
});
