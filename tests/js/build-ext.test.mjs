// `npm run build:ext` (scripts/build-ext.mjs, web-ext build) and `npm run lint:ext`
// (scripts/lint-ext.mjs): the two store zips carry the manifests scripts/store-manifest.mjs derives,
// the same files and no dev tools, a SHA256SUMS that `sha256sum -c` accepts, and they pass Mozilla's
// add-on linter as scripts/lint-ext.mjs requires.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import webExt from 'web-ext';

import { ACCEPTED, problems } from '../../scripts/lint-ext.mjs';
import { storeManifest } from '../../scripts/store-manifest.mjs';

const repo = path.resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'extension/manifest.json'), 'utf8'));

const listZip = (zip) => execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n').sort();
const readZip = (zip, file) => execFileSync('unzip', ['-p', zip, file], { encoding: 'utf8' });
const lint = (zip) => webExt.cmd.lint({ sourceDir: zip, output: 'none' }, { shouldExitProgram: false });

describe('store manifests (scripts/store-manifest.mjs)', () => {
  test('Firefox: the repo manifest without `key` and without the Chromium-only service_worker', () => {
    const firefox = storeManifest(manifest, 'firefox');
    const { key, ...rest } = manifest;
    assert.ok(key, 'the repo manifest keeps its key for the fixed unpacked id');
    assert.deepEqual(firefox, { ...rest, background: { scripts: ['background/service-worker.js'], type: 'module' } });
    assert.equal(firefox.browser_specific_settings.gecko.id, 'optguard@optguard.dev');
    assert.deepEqual(firefox.browser_specific_settings.gecko.data_collection_permissions, { required: ['none'] });
  });

  test('Chromium: without `key` (the Chrome Web Store refuses it), the gecko settings and background.scripts', () => {
    const chromium = storeManifest(manifest, 'chromium');
    const { key: _key, browser_specific_settings: _gecko, ...rest } = manifest;
    assert.deepEqual(chromium, { ...rest, background: { service_worker: 'background/service-worker.js', type: 'module' } });
  });

  test('the repo manifest is left as it was, and an unknown target is refused', () => {
    const original = JSON.stringify(manifest);
    storeManifest(manifest, 'firefox');
    storeManifest(manifest, 'chromium');
    assert.equal(JSON.stringify(manifest), original);
    assert.throws(() => storeManifest(manifest, 'safari'), /unknown store target "safari"/);
  });
});

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

  test('each zip carries its store manifest', () => {
    assert.deepEqual(JSON.parse(readZip(firefox, 'manifest.json')), storeManifest(manifest, 'firefox'));
    assert.deepEqual(JSON.parse(readZip(chromium, 'manifest.json')), storeManifest(manifest, 'chromium'));
  });

  test('both zips hold every extension file but tools/, and the same files', () => {
    const files = listZip(firefox);
    assert.ok(files.includes('background/service-worker.js'));
    assert.ok(files.includes('catalog/linkedin.json'));
    assert.ok(!files.some((f) => f.startsWith('tools/')), files.join(' '));
    assert.deepEqual(listZip(chromium), files);
  });

  test('SHA256SUMS names both zips and `sha256sum -c` accepts it', () => {
    const sums = fs.readFileSync(path.join(out, 'SHA256SUMS'), 'utf8');
    assert.match(sums, new RegExp(`^[0-9a-f]{64}  optguard-firefox-${manifest.version}\\.zip\\n[0-9a-f]{64}  optguard-chromium-${manifest.version}\\.zip\\n$`));
    const check = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' });
    assert.match(check, /optguard-firefox-.*: OK\n.*optguard-chromium-.*: OK/);
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'optguard-sums-'));
    try {
      fs.cpSync(out, copy, { recursive: true });
      fs.appendFileSync(path.join(copy, path.basename(firefox)), 'x'); // a changed zip no longer matches
      assert.throws(() => execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: copy, stdio: 'pipe' }));
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  test('web-ext lint: the Firefox zip has no error, warning or notice', async () => {
    const report = await lint(firefox);
    assert.deepEqual(report.summary, { errors: 0, notices: 0, warnings: 0 }, JSON.stringify(report.errors.concat(report.warnings, report.notices)));
  });

  test('web-ext lint: the Chromium zip has only the findings that say it is not a Firefox manifest', async () => {
    const report = await lint(chromium);
    assert.deepEqual(problems('chromium', report), []);
    assert.deepEqual([...report.errors, ...report.warnings, ...report.notices].map((m) => m.code).sort(),
      ACCEPTED.chromium.map((a) => a.code).sort());
  });
});

describe('npm run lint:ext judges findings (scripts/lint-ext.mjs)', () => {
  const finding = (code, message) => ({ code, message });
  const report = ({ errors = [], warnings = [], notices = [] }) => ({ errors, warnings, notices });

  test('the Firefox zip accepts nothing: a missing data_collection_permissions notice fails', () => {
    const missing = finding('MISSING_DATA_COLLECTION_PERMISSIONS', 'The "data_collection_permissions" property is missing.');
    assert.deepEqual(problems('firefox', report({ notices: [missing] })),
      ['notice MISSING_DATA_COLLECTION_PERMISSIONS: The "data_collection_permissions" property is missing.']);
    assert.deepEqual(problems('chromium', report({ notices: [missing] })), []);
  });

  test('an accepted code with another message still fails (an unsupported key other than service_worker)', () => {
    const other = finding('MANIFEST_FIELD_UNSUPPORTED', '"/side_panel" is not supported.');
    assert.equal(problems('source', report({ warnings: [other] })).length, 1);
    assert.equal(problems('chromium', report({ warnings: [other] })).length, 1);
    const worker = finding('MANIFEST_FIELD_UNSUPPORTED', '"/background/service_worker" is not supported.');
    assert.deepEqual(problems('source', report({ warnings: [worker] })), []);
  });

  test('any code error fails everywhere', () => {
    const unsafe = { ...finding('UNSAFE_VAR_ASSIGNMENT', 'Unsafe assignment to innerHTML'), file: 'popup/popup.js' };
    for (const subject of ['source', 'firefox', 'chromium']) {
      assert.deepEqual(problems(subject, report({ warnings: [unsafe] })),
        ['warning UNSAFE_VAR_ASSIGNMENT: Unsafe assignment to innerHTML (popup/popup.js)']);
    }
  });
});
