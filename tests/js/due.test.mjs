// extension/shared/due.js: the host's reminder rules computed in the browser when the host is
// missing, with a fixed `now`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { computeDue, durationMs, evaluateSetting, severityOf } from '../../extension/shared/due.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const DAY = 24 * 3600 * 1000;
const ago = (days) => new Date(NOW.getTime() - days * DAY).toISOString();

const catalog = {
  platforms: [
    {
      platform: 'linkedin',
      name: 'LinkedIn',
      settings: [
        {
          id: 'ai', title: 'Use my data for AI', kind: 'toggle', interval_days: 30, opt_out_url: 'https://www.linkedin.com/ai',
          policy_events: [{ date: '2026-11-01', summary: 'Training switched on by default.' }, { date: '2026-12-15', summary: 'Later.' }],
        },
        { id: 'form', title: 'Object by form', kind: 'form', interval_days: 90, opt_out_url: 'https://www.linkedin.com/form' },
      ],
    },
    {
      platform: 'x',
      name: 'X',
      settings: [{ id: 'grok', title: 'Grok training', kind: 'toggle', interval_days: 30, opt_out_url: 'https://x.com/grok' }],
    },
  ],
};
const AI = catalog.platforms[0].settings[0];
const GROK = catalog.platforms[1].settings[0];
const codes = (r) => r.reasons.map((x) => x.code);

describe('evaluateSetting (one setting, the host rules)', () => {
  it('a setting never verified is due, with since null in the reply', () => {
    const r = evaluateSetting(GROK, undefined, undefined, NOW.getTime());
    assert.deepEqual(codes(r), ['never_verified']);
    assert.equal(r.severity, 'normal');
  });

  it('an "unknown" reading is not a verification', () => {
    assert.deepEqual(codes(evaluateSetting(GROK, { verdict: 'unknown', observed_at: ago(1) }, undefined, NOW.getTime())), ['never_verified']);
  });

  it('within its interval nothing is due and next is the interval end', () => {
    const r = evaluateSetting(GROK, { verdict: 'compliant', observed_at: ago(10) }, undefined, NOW.getTime());
    assert.deepEqual(r.reasons, []);
    assert.equal(r.next, NOW.getTime() + 20 * DAY);
  });

  it('older than its interval: interval_elapsed since the interval end, once however many were missed', () => {
    const r = evaluateSetting(GROK, { verdict: 'compliant', observed_at: ago(95) }, undefined, NOW.getTime());
    assert.deepEqual(codes(r), ['interval_elapsed']);
    assert.equal(r.reasons[0].sinceMs, NOW.getTime() - 65 * DAY);
  });

  it('a policy event after the last verification makes it due (high); a later one sets next', () => {
    const r = evaluateSetting(AI, { verdict: 'compliant', observed_at: '2026-10-30T09:00:00.000Z' }, undefined, NOW.getTime());
    assert.deepEqual(codes(r), ['policy_event']);
    assert.equal(r.severity, 'high');
    assert.equal(r.reasons[0].policy_date, '2026-11-01');
    assert.match(r.reasons[0].message, /policy change of 2026-11-01 took effect after your last check: Training switched on/);
  });

  it('verified after the policy event: not due; next is the earlier of interval end and the future event', () => {
    const r = evaluateSetting(AI, { verdict: 'compliant', observed_at: '2026-11-20T00:00:00.000Z' }, undefined, NOW.getTime());
    assert.deepEqual(r.reasons, []);
    assert.equal(r.next, Date.parse('2026-12-15T00:00:00.000Z'));
  });

  it('last seen in violation is critical', () => {
    const r = evaluateSetting(GROK, { verdict: 'violation', observed_at: ago(1) }, undefined, NOW.getTime());
    assert.deepEqual(codes(r), ['violation']);
    assert.equal(r.severity, 'critical');
  });

  it('an acknowledgement silences the reasons true when it was given and restarts the interval', () => {
    const local = { acknowledged_at: ago(0.5) };
    const r = evaluateSetting(GROK, { verdict: 'violation', observed_at: ago(1) }, local, NOW.getTime());
    assert.deepEqual(r.reasons, []);
    assert.equal(r.next, Date.parse(local.acknowledged_at) + 30 * DAY);
    assert.deepEqual(evaluateSetting(GROK, undefined, local, NOW.getTime()).reasons, []);
  });

  it('a new violation after the acknowledgement is due again', () => {
    const r = evaluateSetting(GROK, { verdict: 'violation', observed_at: ago(0.1) }, { acknowledged_at: ago(0.5) }, NOW.getTime());
    assert.deepEqual(codes(r), ['violation']);
  });

  it('a snooze hides normal reasons until it ends, then they come back', () => {
    const local = { snoozed_at: ago(1), until: new Date(NOW.getTime() + 6 * DAY).toISOString() };
    const during = evaluateSetting(GROK, undefined, local, NOW.getTime());
    assert.deepEqual(during.reasons, []);
    assert.equal(during.next, Date.parse(local.until));
    assert.deepEqual(codes(evaluateSetting(GROK, undefined, local, NOW.getTime() + 7 * DAY)), ['never_verified']);
  });

  it('a violation that arose during a snooze breaks through it; one from before does not', () => {
    const local = { snoozed_at: ago(2), until: new Date(NOW.getTime() + 5 * DAY).toISOString() };
    assert.deepEqual(codes(evaluateSetting(GROK, { verdict: 'violation', observed_at: ago(1) }, local, NOW.getTime())), ['violation']);
    assert.deepEqual(evaluateSetting(GROK, { verdict: 'violation', observed_at: ago(3) }, local, NOW.getTime()).reasons, []);
  });
});

describe('computeDue (the whole catalog, shaped like the host reply)', () => {
  it('batches due settings per platform in catalog order with the highest severity per platform', () => {
    const due = computeDue({
      catalog,
      observations: {
        'linkedin/ai': { verdict: 'violation', observed_at: ago(1) },
        'x/grok': { verdict: 'compliant', observed_at: ago(2) },
      },
      now: NOW,
    });
    assert.equal(due.source, 'local');
    assert.equal(due.now, NOW.toISOString());
    assert.equal(due.count, 2);
    assert.deepEqual(due.platforms.map((p) => [p.platform, p.severity, p.settings.map((s) => s.setting)]), [
      ['linkedin', 'critical', ['ai', 'form']],
    ]);
    const ai = due.platforms[0].settings[0];
    assert.equal(ai.opt_out_url, 'https://www.linkedin.com/ai');
    assert.equal(ai.verified_at, ago(1));
    assert.deepEqual(ai.reasons.map((r) => [r.code, r.since]), [['violation', ago(1)]]);
    const form = due.platforms[0].settings[1];
    assert.deepEqual(form.reasons, [{ code: 'never_verified', since: null, policy_date: null, message: 'never checked' }]);
    assert.equal(due.next_due_at, new Date(NOW.getTime() + 28 * DAY).toISOString(), 'x/grok interval end');
  });

  it('leaves out settings the person ignores', () => {
    const due = computeDue({ catalog, observations: {}, isWatched: (key) => key === 'x/grok', now: NOW });
    assert.deepEqual(due.platforms.map((p) => p.platform), ['x']);
    assert.equal(due.count, 1);
  });

  it('nothing due and nothing ahead: count 0, next_due_at null', () => {
    const due = computeDue({ catalog, observations: {}, isWatched: () => false, now: NOW });
    assert.deepEqual({ count: due.count, next: due.next_due_at, platforms: due.platforms }, { count: 0, next: null, platforms: [] });
  });
});

describe('helpers', () => {
  it('severity of each reason code', () => {
    assert.deepEqual(['never_verified', 'interval_elapsed', 'policy_event', 'form_predates_policy', 'violation', 'drift'].map(severityOf),
      ['normal', 'normal', 'high', 'high', 'critical', 'critical']);
  });

  it('durations as the host accepts them', () => {
    assert.equal(durationMs('1d'), DAY);
    assert.equal(durationMs('1w'), 7 * DAY);
    assert.equal(durationMs('12h'), DAY / 2);
    assert.equal(durationMs('0d'), null);
    assert.equal(durationMs('366d'), null);
    assert.equal(durationMs('1y'), null);
  });
});

describe('computeDue: policy dates the member saw (background/policy-notices.js)', () => {
  const withDocs = {
    platforms: [
      { ...catalog.platforms[0], policy_documents: [{ id: 'privacy-policy', kind: 'privacy', title: 'Privacy Policy', pages: [] }] },
      catalog.platforms[1],
    ],
  };
  const observations = {
    'linkedin/ai': { verdict: 'compliant', observed_at: ago(5) },
    'linkedin/form': { verdict: 'compliant', observed_at: ago(5) },
    'x/grok': { verdict: 'compliant', observed_at: ago(5) },
  };

  it('a date newer than the last check makes every setting of that platform due, naming the document', () => {
    const seen = ago(2).slice(0, 10);
    const due = computeDue({ catalog: withDocs, observations, notices: { 'linkedin/privacy-policy': { effective_date: seen } }, now: NOW });
    assert.deepEqual(due.platforms.map((p) => p.platform), ['linkedin']);
    assert.equal(due.count, 2);
    const reason = due.platforms[0].settings[0].reasons[0];
    assert.equal(reason.code, 'policy_event');
    assert.equal(reason.policy_date, seen);
    assert.equal(reason.document, 'privacy-policy');
    assert.equal(reason.document_kind, 'privacy');
    assert.equal(reason.message, `LinkedIn's privacy policy changed on ${seen} (seen when you opened it)`);
    assert.equal(due.platforms[0].severity, 'high');
  });

  it('a date older than the last check, a date in the future, or a document the catalog lacks: nothing due', () => {
    for (const notices of [
      { 'linkedin/privacy-policy': { effective_date: ago(9).slice(0, 10) } },
      { 'linkedin/privacy-policy': { effective_date: '2026-12-01' } },
      { 'linkedin/terms': { effective_date: ago(2).slice(0, 10) } },
    ]) {
      assert.equal(computeDue({ catalog: withDocs, observations, notices, now: NOW }).count, 0, JSON.stringify(notices));
    }
  });

  it('a seen date the catalog already carries as a policy event is one reason, not two', () => {
    const recent = { 'linkedin/ai': { verdict: 'compliant', observed_at: '2026-10-30T00:00:00.000Z' } };
    const due = computeDue({ catalog: withDocs, observations: recent, notices: { 'linkedin/privacy-policy': { effective_date: '2026-11-01' } }, now: NOW });
    const ai = due.platforms[0].settings.find((s) => s.setting === 'ai');
    assert.deepEqual(ai.reasons.map((r) => [r.code, r.policy_date, r.document ?? null]), [['policy_event', '2026-11-01', null]]);
  });
});
