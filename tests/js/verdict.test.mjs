import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { computeVerdict, localReport } from '../../extension/shared/verdict.js';

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
});
