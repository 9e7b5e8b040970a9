// The shared rule vectors (tests/fixtures/rules/*.json) against the extension's rules, the ones it
// keeps for when the host is absent. The host runs the same files (tests/unit/rule_vectors_test.cpp),
// so a rule changed on one side only fails a test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { computeVerdict } from '../../extension/shared/verdict.js';
import { computeDue } from '../../extension/shared/due.js';
import { matchesPattern } from '../../extension/shared/catalog.js';

function vectors(file) {
  const { cases } = JSON.parse(readFileSync(new URL(`../fixtures/rules/${file}`, import.meta.url), 'utf8'));
  assert.ok(cases.length > 0);
  return cases;
}

describe('shared vectors: the verdict', () => {
  for (const test of vectors('verdict.json')) {
    it(`${test.state} where ${test.expected} is expected: ${test.verdict}`, () => {
      assert.equal(computeVerdict(test.state, test.expected), test.verdict);
    });
  }
});

/** One case through computeDue, the function the worker uses, on a one-setting catalog. */
function localAnswer(test) {
  const { setting, history } = test;
  const catalog = { platforms: [{ platform: 'p', name: 'P', settings: [{ id: 's', title: 'S', kind: 'toggle', opt_out_url: 'https://p.test/', interval_days: setting.interval_days, policy_events: setting.policy_events }] }] };
  const observations = history.verified_at ? { 'p/s': { verdict: history.verdict, observed_at: history.verified_at } } : {};
  const local = {};
  if (history.acknowledged_at) {
    local.acknowledged_at = history.acknowledged_at;
  }
  if (history.snooze) {
    local.snoozed_at = history.snooze.set_at;
    local.until = history.snooze.until;
  }
  const due = computeDue({ catalog, observations, local: { 'p/s': local }, isWatched: () => setting.watch, now: new Date(test.now) });
  const entry = due.platforms[0]?.settings[0];
  return {
    due: Boolean(entry),
    severity: entry?.severity ?? null,
    reasons: (entry?.reasons ?? []).map(({ code, since, policy_date: policyDate }) => ({ code, since, policy_date: policyDate })),
    next_due_at: due.next_due_at,
  };
}

describe('shared vectors: is it due', () => {
  const cases = vectors('due.json');
  it('most cases run on both sides', () => {
    assert.ok(cases.filter((test) => !test.only).length > 20);
  });
  for (const test of cases) {
    if (test.only && test.only !== 'browser') {
      continue;
    }
    it(test.name, () => {
      assert.deepEqual(localAnswer(test), test.expect);
    });
  }
});

describe('shared vectors: is this URL one of the setting\'s pages', () => {
  for (const test of vectors('page-match.json')) {
    it(`${test.name}: ${test.url} ${test.matches ? 'matches' : 'does not match'} ${test.pattern}`, () => {
      assert.equal(matchesPattern(test.pattern, test.url), test.matches);
    });
  }
});
