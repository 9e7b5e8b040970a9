import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { computeVerdict, isDue, localReport } from '../../extension/shared/verdict.js';

describe('verdict', () => {
  it('state equal to expected is compliant, the other known state a violation', () => {
    assert.equal(computeVerdict('off', 'off'), 'compliant');
    assert.equal(computeVerdict('on', 'off'), 'violation');
    assert.equal(computeVerdict('on', 'on'), 'compliant');
    assert.equal(computeVerdict('off', 'on'), 'violation');
  });

  it('an unknown or malformed state is unknown, never a guess', () => {
    assert.equal(computeVerdict('unknown', 'off'), 'unknown');
    assert.equal(computeVerdict(undefined, 'off'), 'unknown');
    assert.equal(computeVerdict('ON', 'off'), 'unknown');
  });

  it('a local report is shaped like the host reply and marked local', () => {
    const now = new Date('2026-11-23T11:15:02.123Z');
    const report = localReport(
      { platform: 'linkedin', setting: { id: 'generative-ai-training', expected: 'off', opt_out_url: 'https://x.test/' } },
      'on',
      now,
    );
    assert.deepEqual(report, {
      platform: 'linkedin',
      setting: 'generative-ai-training',
      state: 'on',
      verdict: 'violation',
      expected: 'off',
      opt_out_url: 'https://x.test/',
      observed_at: '2026-11-23T11:15:02.123Z',
      source: 'local',
    });
  });

  it('a setting is due when never verified, past its interval, or older than a policy event', () => {
    const setting = { interval_days: 30, policy_events: [{ date: '2026-06-01' }] };
    const now = new Date('2026-06-10T00:00:00Z');
    assert.equal(isDue(setting, null, now), true);
    assert.equal(isDue(setting, '2026-06-05T00:00:00.000Z', now), false);
    assert.equal(isDue(setting, '2026-05-01T00:00:00.000Z', now), true, 'interval passed');
    assert.equal(isDue(setting, '2026-05-20T00:00:00.000Z', now), true, 'policy event since');
    assert.equal(isDue({ interval_days: 30 }, '2026-05-20T00:00:00.000Z', now), false);
    assert.equal(isDue(setting, 'garbage', now), true);
  });
});
