// The catalog against its JSON Schemas (extension/catalog/schema/), and what the schemas cannot say:
// every platform file is in service (listed in index.json), and every control OptGuard reads has
// an offline fixture page (tests/fixtures/pages/<platform>-<setting>.html) that tests read it on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import { REPO } from './helpers/paths.mjs';

const CATALOG = `${REPO}extension/catalog/`;
const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }) // required inside if/then names keys defined beside it;
addFormats(ajv);
const validatePlatform = ajv.compile(read(`${CATALOG}schema/platform.schema.json`));
const validateIndex = ajv.compile(read(`${CATALOG}schema/index.schema.json`));
const platformFiles = readdirSync(CATALOG).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();
const index = read(`${CATALOG}index.json`);
const explain = (errors) => ajv.errorsText(errors, { separator: '\n' });

describe('catalog JSON Schemas', () => {
  it('index.json is valid', () => {
    assert.ok(validateIndex(index), explain(validateIndex.errors));
  });

  for (const file of platformFiles) {
    it(`${file} is valid`, () => {
      assert.ok(validatePlatform(read(CATALOG + file)), explain(validatePlatform.errors));
    });
  }

  it('the schemas refuse what the format forbids', () => {
    const linkedin = read(`${CATALOG}linkedin.json`);
    const withTypo = structuredClone(linkedin);
    withTypo.settings[0].expcted = 'off';
    assert.equal(validatePlatform(withTypo), false, 'an unknown key');
    const toggleWithoutDetect = structuredClone(linkedin);
    delete toggleWithoutDetect.settings.find((s) => s.kind === 'toggle').detect;
    assert.equal(validatePlatform(toggleWithoutDetect), false, 'a toggle without detect');
    const formWithDetect = structuredClone(linkedin);
    formWithDetect.settings.find((s) => s.kind === 'form').detect = { roles: ['switch'], labels: [{ text: 'x', lang: 'en', source: 'https://a.example', checked: '2026-11-29' }] };
    assert.equal(validatePlatform(formWithDetect), false, 'a form with detect');
  });
});

describe('catalog in service', () => {
  it('index.json lists every platform file once, in display order', () => {
    const first = ['linkedin', 'chatgpt', 'x', 'meta', 'anthropic', 'google-gemini', 'microsoft-copilot'].map((p) => `${p}.json`);
    const rest = platformFiles.filter((f) => !first.includes(f)).sort();
    assert.deepEqual(index.platforms, [...first, ...rest]);
  });

  it('every toggle/checkbox entry has a fixture page', () => {
    const missing = [];
    for (const file of platformFiles) {
      const platform = read(CATALOG + file);
      for (const setting of platform.settings) {
        if (setting.kind === 'toggle' || setting.kind === 'checkbox') {
          const fixture = `tests/fixtures/pages/${platform.platform}-${setting.id}.html`;
          if (!existsSync(REPO + fixture) || !readFileSync(REPO + fixture, 'utf8').includes('data-optguard-target')) {
            missing.push(fixture);
          }
        }
      }
    }
    assert.deepEqual(missing, [], 'fixtures missing or without a data-optguard-target control');
  });
});
