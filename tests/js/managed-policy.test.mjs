import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { applyForced, emptyPolicy, forcedField, forcedFor, parsePolicy } from '../../extension/shared/managed-policy.js';
import { readJson } from './helpers/paths.mjs';

describe('managed policy', () => {
  it('no managed storage, or an empty one, forces nothing', () => {
    assert.deepEqual(parsePolicy(undefined), emptyPolicy());
    assert.deepEqual(parsePolicy({}), emptyPolicy());
    assert.deepEqual(forcedFor(parsePolicy({}), 'linkedin/generative-ai-training'), {});
  });

  it('keeps valid entries and names each invalid one, which is dropped', () => {
    const policy = parsePolicy({
      hideIgnoreSwitch: 'yes',
      settings: {
        'linkedin/generative-ai-training': { watch: true, expected: 'off' },
        'chatgpt/improve-the-model': { expected: 'maybe', watch: false },
        'not a key': { watch: true },
        'x/grok-training': 'off',
      },
    });
    assert.deepEqual(policy.settings, {
      'linkedin/generative-ai-training': { watch: true, expected: 'off' },
      'chatgpt/improve-the-model': { watch: false },
    });
    assert.equal(policy.hideIgnoreSwitch, false);
    assert.deepEqual(policy.problems, [
      'hideIgnoreSwitch: must be true or false',
      'settings["chatgpt/improve-the-model"].expected: must be "on" or "off"',
      'settings["not a key"]: key must be "platform/setting"',
      'settings["x/grok-training"]: must be an object',
    ]);
  });

  it('hiding the ignore switch forces watch on every setting the policy leaves open', () => {
    const policy = parsePolicy({ hideIgnoreSwitch: true, settings: { 'x/grok-training': { watch: false } } });
    assert.deepEqual(forcedFor(policy, 'chatgpt/improve-the-model'), { watch: true });
    assert.deepEqual(forcedFor(policy, 'x/grok-training'), { watch: false });
  });

  it('forced values win over the person’s, the rest is theirs', () => {
    assert.deepEqual(applyForced({ watch: false, expected: 'on' }, { expected: 'off' }), { watch: false, expected: 'off' });
    assert.deepEqual(applyForced({ watch: false, expected: 'on' }, {}), { watch: false, expected: 'on' });
  });

  it('a change touching a forced field is named; one that does not is allowed', () => {
    assert.equal(forcedField({ watch: false }, { watch: true }), 'watch');
    assert.equal(forcedField({ expected: null }, { expected: 'off' }), 'expected');
    assert.equal(forcedField({ expected: 'on' }, { watch: true }), null);
  });

  it('the manifest points storage.managed_schema at a schema describing exactly these keys', async () => {
    const manifest = await readJson('extension/manifest.json');
    assert.equal(manifest.storage.managed_schema, 'managed-schema.json');
    const schema = await readJson('extension/managed-schema.json');
    assert.deepEqual(Object.keys(schema.properties).sort(), ['catalogUpdateUrl', 'catalogUpdates', 'hideIgnoreSwitch', 'settings']);
    assert.equal(schema.properties.catalogUpdates.type, 'boolean');
    assert.equal(schema.properties.catalogUpdateUrl.type, 'string');
    const entry = schema.properties.settings.additionalProperties;
    assert.deepEqual(Object.keys(entry.properties).sort(), ['expected', 'watch']);
    assert.deepEqual(entry.properties.expected.enum, ['on', 'off']);
  });

  it('catalog updates: off or on by the organisation, a mirror only at an https address', () => {
    const policy = parsePolicy({ catalogUpdates: false, catalogUpdateUrl: 'https://mirror.example.org/optguard-catalog.json' });
    assert.equal(policy.catalogUpdates, false);
    assert.equal(policy.catalogUpdateUrl, 'https://mirror.example.org/optguard-catalog.json');
    assert.deepEqual(policy.problems, []);
    const bad = parsePolicy({ catalogUpdates: 'no', catalogUpdateUrl: 'http://mirror.example.org/c.json' });
    assert.equal(bad.catalogUpdates, null);
    assert.equal(bad.catalogUpdateUrl, null);
    assert.equal(bad.problems.length, 2);
    assert.equal(parsePolicy({ catalogUpdateUrl: 'https://user:pw@mirror.example.org/c.json' }).catalogUpdateUrl, null);
    assert.equal(parsePolicy({ catalogUpdateUrl: 'http://127.0.0.1:8080/c.json' }).catalogUpdateUrl, 'http://127.0.0.1:8080/c.json', 'a test server on this machine');
  });
});
