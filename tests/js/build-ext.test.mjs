// `npm run build:ext` (scripts/build-ext.mjs, web-ext build): the Firefox add-on carries the repo's
// manifest, the Chromium store zip the same manifest without `key`, and neither ships dev tools.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'extension/manifest.json'), 'utf8'));

const listZip = (zip) => execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n').sort();
const readZip = (zip, file) => execFileSync('unzip', ['-p', zip, file], { encoding: 'utf8' });

describe('npm run build:ext', () => {
  let out;
  let firefox;
  let chromium;
  before(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'optguard-build-ext-'));
    execFileSync(process.execPath, [path.join(repo, 'scripts/build-ext.mjs'), out], { stdio: 'pipe' });
    firefox = path.join(out, `optguard-firefox-${manifest.version}.zip`);
    chromium = path.join(out, `optguard-chromium-${manifest.version}.zip`);
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  test('the Firefox add-on has the repo manifest, with the gecko id, and every extension file but tools/', () => {
    assert.deepEqual(JSON.parse(readZip(firefox, 'manifest.json')), manifest);
    assert.equal(manifest.browser_specific_settings.gecko.id, 'optguard@optguard.dev');
    const files = listZip(firefox);
    assert.ok(files.includes('background/service-worker.js'));
    assert.ok(files.includes('catalog/linkedin.json'));
    assert.ok(!files.some((f) => f.startsWith('tools/')), files.join(' '));
  });

  test('the Chromium store zip has the same manifest minus `key` (the Chrome Web Store rejects it)', () => {
    const store = JSON.parse(readZip(chromium, 'manifest.json'));
    assert.equal('key' in store, false);
    const { key, ...rest } = manifest;
    assert.ok(key, 'the repo manifest keeps its key for the fixed unpacked id');
    assert.deepEqual(store, rest);
    assert.deepEqual(listZip(chromium), listZip(firefox));
  });
});
