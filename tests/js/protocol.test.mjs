import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import {
  ERROR_CODES,
  EXTENSION_ERROR_CODES,
  HOST_REQUEST,
  HOST_REQUEST_FIELDS,
  MSG,
} from '../../extension/shared/protocol.js';
import { REPO } from './helpers/paths.mjs';

/** The codes in the table under "## Error codes" of docs/protocol.md, in order. */
function codesFromProtocolDoc() {
  const text = readFileSync(join(REPO, 'docs/protocol.md'), 'utf8');
  const section = text.split(/^## Error codes\s*$/m)[1]?.split(/^## /m)[0];
  assert.ok(section, 'docs/protocol.md has an "Error codes" section');
  const codes = [];
  for (const line of section.split('\n')) {
    const match = /^\|\s*`([a-z_]+)`\s*\|/.exec(line);
    if (match) {
      codes.push(match[1]);
    }
  }
  return codes;
}

function sourceFiles(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      files.push(...sourceFiles(path));
    } else if (/\.(cpp|hpp|h|cc)$/.test(name)) {
      files.push(path);
    }
  }
  return files;
}

describe('protocol mirror', () => {
  it('ERROR_CODES equals the error-code table of docs/protocol.md, in order', () => {
    const documented = codesFromProtocolDoc();
    assert.ok(documented.length >= 10, `parsed ${documented.length} codes`);
    assert.deepEqual([...ERROR_CODES], documented);
  });

  it('ERROR_CODES equals the codes the host puts on the wire (host/src)', (t) => {
    const hostSrc = join(REPO, 'host/src');
    if (!existsSync(hostSrc)) {
      t.skip('host/src does not exist yet');
      return;
    }
    const files = sourceFiles(hostSrc);
    const all = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const code of ERROR_CODES) {
      assert.ok(all.includes(`"${code}"`), `host/src spells "${code}"`);
    }
    // The style guide keeps the one code↔string table in protocol/error_code.cpp: it must hold
    // exactly the documented codes, no more.
    const table = files.find((f) => /error_code\.(cpp|hpp)$/.test(f) && /"bad_json"/.test(readFileSync(f, 'utf8')));
    if (table) {
      const literals = new Set([...readFileSync(table, 'utf8').matchAll(/"([a-z]+(?:_[a-z]+)*)"/g)].map((m) => m[1]));
      assert.deepEqual([...literals].sort(), [...ERROR_CODES].sort(), `string literals of ${table}`);
    }
  });

  it('extension-side codes never collide with wire codes', () => {
    for (const code of EXTENSION_ERROR_CODES) {
      assert.ok(!ERROR_CODES.includes(code), code);
    }
  });

  it('every host request lists its allowed fields, and a report carries only the enumerated ones', () => {
    assert.deepEqual(Object.values(HOST_REQUEST).sort(), Object.keys(HOST_REQUEST_FIELDS).sort());
    assert.deepEqual([...HOST_REQUEST_FIELDS.report], ['id', 'type', 'platform', 'setting', 'state', 'url']);
  });

  it('content-main.js mirrors the content-script message types of shared/protocol.js', () => {
    const source = readFileSync(join(REPO, 'extension/content/content-main.js'), 'utf8');
    const block = /const MSG = Object\.freeze\(\{([\s\S]*?)\}\);/.exec(source)?.[1];
    assert.ok(block, 'content-main.js declares MSG');
    const mirrored = Object.fromEntries([...block.matchAll(/(\w+):\s*'([^']+)'/g)].map((m) => [m[1], m[2]]));
    assert.deepEqual(mirrored, { PAGE_SETTINGS: MSG.PAGE_SETTINGS, STATE: MSG.STATE, PAGE_LEFT: MSG.PAGE_LEFT, URL_CHANGED: MSG.URL_CHANGED, POLICY_DATE: MSG.POLICY_DATE });
    const diagnostic = readFileSync(join(REPO, 'extension/content/diagnostic.js'), 'utf8');
    assert.match(diagnostic, new RegExp(`const DESCRIBE = '${MSG.DESCRIBE}'`), 'diagnostic.js mirrors MSG.DESCRIBE');
  });
});
