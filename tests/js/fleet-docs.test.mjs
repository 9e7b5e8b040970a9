// docs/fleet.md and the files it documents agree: the status document's example validates against
// its JSON Schema (the host's output is pinned to that example by tests/unit/status_report_test.cpp),
// the page's field tables list exactly the schema's fields and the view's columns, and the Intune
// script and rules shown on the page are the files in docs/fleet/intune/.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';

import { fencedBlock, tableNames } from './helpers/markdown.mjs';

const repo = path.resolve(import.meta.dirname, '../..');
const read = (file) => fs.readFileSync(path.join(repo, file), 'utf8');
const page = read('docs/fleet.md');
const schema = JSON.parse(read('docs/fleet/status-v1.schema.json'));
const example = JSON.parse(read('docs/fleet/status-v1.example.json'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

describe('optguard status --json, schema version 1 (docs/fleet/)', () => {
  test('the pinned example validates against the schema', () => {
    assert.ok(validate(example), JSON.stringify(validate.errors, null, 2));
    assert.equal(example.schema, 'optguard-status');
    assert.equal(example.schema_version, 1);
  });

  test('the schema refuses what version 1 does not have: a new field, a renamed one, another type', () => {
    assert.equal(validate({ ...example, extra: 1 }), false);
    const { verdict: _verdict, ...renamed } = example.settings[0];
    assert.equal(validate({ ...example, settings: [{ ...renamed, result: 'compliant' }] }), false);
    assert.equal(validate({ ...example, settings: [{ ...example.settings[0], due: 'yes' }] }), false);
    assert.equal(validate({ ...example, schema_version: 2 }), false);
  });

  test('the page\'s tables list exactly the schema\'s fields', () => {
    assert.deepEqual(tableNames(page, 'Top level:').sort(), Object.keys(schema.properties).sort());
    assert.deepEqual(tableNames(page, 'Each row of `settings`:').sort(),
      Object.keys(schema.$defs.setting.properties).sort());
    for (const key of Object.keys(schema.properties.summary.properties)) {
      assert.ok(page.includes(`\`${key}\``), `the page explains summary.${key}`);
    }
  });

  test('the example shows each kind of row: compliant, violation and never checked', () => {
    assert.deepEqual(example.settings.map((s) => s.verdict), ['compliant', 'violation', null]);
    assert.deepEqual(example.summary, { settings: 3, watched: 3, compliant: 1, violation: 1, unknown: 0, not_checked: 1, due: 2 });
  });
});

describe('the osquery snippets and the view (docs/fleet.md)', () => {
  const snippets = ['osquery-linux', 'osquery-macos', 'osquery-windows']
    .map((name) => JSON.parse(fencedBlock(page, name)).auto_table_construction.optguard_settings);

  test('the three operating systems read the same query and columns, each from its own path', () => {
    for (const s of snippets) {
      assert.equal(s.query, snippets[0].query);
      assert.deepEqual(s.columns, snippets[0].columns);
    }
    assert.deepEqual(snippets.map((s) => s.platform), ['linux', 'darwin', 'windows']);
    assert.deepEqual(snippets.map((s) => s.path), ['/home/%/.local/state/optguard/state.sqlite3',
      '/Users/%/.local/state/optguard/state.sqlite3', 'C:\\Users\\%\\AppData\\Local\\OptGuard\\state\\state.sqlite3']);
  });

  test('the query selects exactly the columns it declares, from the versioned view, and only reads', () => {
    const { query, columns } = snippets[0];
    const match = /^SELECT (.+) FROM optguard_fleet_v1$/.exec(query);
    assert.ok(match, query);
    assert.deepEqual(match[1].split(', '), columns);
    assert.doesNotMatch(query, /\b(INSERT|UPDATE|DELETE|CREATE|DROP|ATTACH|PRAGMA)\b/i);
  });

  test('the page\'s view table lists exactly those columns', () => {
    assert.deepEqual(tableNames(page, 'never changes silently: a change to its columns').sort(), [...snippets[0].columns].sort());
  });
});

describe('the Intune discovery script and rules (docs/fleet/intune/)', () => {
  test('the page shows exactly the files', () => {
    assert.equal(fencedBlock(page, 'intune-script'), read('docs/fleet/intune/optguard-discovery.ps1'));
    assert.deepEqual(JSON.parse(fencedBlock(page, 'intune-rules')), JSON.parse(read('docs/fleet/intune/optguard-rules.json')));
  });
});
