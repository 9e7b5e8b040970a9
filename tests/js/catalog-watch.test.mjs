// scripts/catalog-watch on the stored Open Terms Archive samples (tests/fixtures/ota, made by its
// make-sample.sh): a versions repository (a git bundle, cloned here), the same versions as an
// unzipped dataset and as the dataset's zip. Drafts only, for the catalog's platforms.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { REPO } from './helpers/paths.mjs';

const OTA = join(REPO, 'tests', 'fixtures', 'ota');
const CATALOG = join(OTA, 'catalog');
const WATCH = join(REPO, 'scripts', 'catalog-watch');

function watch(...args) {
  const run = spawnSync(WATCH, [...args, '--catalog', CATALOG], { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr, result: run.status === 0 && run.stdout ? JSON.parse(run.stdout) : null };
}

function summary(result) {
  return result.drafts.map((d) => `${d.platform} ${d.document} ${d.date} x${d.versions}`);
}

describe('catalog-watch', () => {
  let work;
  let clone;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'optguard-watch-'));
    clone = join(work, 'contrib-versions');
    execFileSync('git', ['clone', '-q', join(OTA, 'versions.bundle'), clone]);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('drafts one event per platform, document and day of a recorded change in a versions repository', () => {
    const { status, result, stderr } = watch(clone);
    assert.equal(status, 0, stderr);
    assert.equal(result.source.layout, 'versions repository');
    // LinkedIn's newest known event is 2025-11-03: the 2025 changes are known or older; the
    // technical upgrade of 2026-10-01, the first records, Brand Guidelines and other services are
    // no policy change; two versions on 2026-11-20 make one draft.
    assert.deepEqual(summary(result), [
      'chatgpt Privacy Policy 2026-10-20 x1',
      'linkedin Privacy Policy 2026-09-10 x1',
      'linkedin Privacy Policy 2026-11-20 x2',
    ]);
    assert.deepEqual(result.skipped, { first_record: 3, technical_upgrade: 1, other_service: 2, other_document: 2, known_or_older: 2 });
    const linkedin = result.drafts[1];
    assert.deepEqual(linkedin.settings, ['generative-ai-training', 'data-processing-objection']);
    assert.equal(linkedin.policy_event.date, '2026-09-10');
    assert.deepEqual(linkedin.policy_event.regions, ['TODO']);
    assert.match(linkedin.policy_event.summary, /^TODO: one line, written by a person/);
    assert.match(result.attribution, /Open Terms Archive/);
    assert.match(linkedin.origin, /^commit [0-9a-f]{40}$/);
  });

  it('names the commit on GitHub when the clone came from there (read from its remote, no network)', () => {
    execFileSync('git', ['-C', clone, 'remote', 'set-url', 'origin', 'https://github.com/OpenTermsArchive/contrib-versions.git']);
    const { result } = watch(clone);
    const [draft] = result.drafts;
    assert.match(draft.policy_event.source, /^https:\/\/github\.com\/OpenTermsArchive\/contrib-versions\/commit\/[0-9a-f]{40}$/);
  });

  it('reads the dataset layout, unzipped or zipped, the same way (every version after the first is a change)', () => {
    const folder = watch(join(OTA, 'dataset'));
    const zipped = watch(join(OTA, 'dataset.zip'));
    assert.equal(folder.status, 0, folder.stderr);
    assert.equal(zipped.status, 0, zipped.stderr);
    assert.equal(folder.result.source.layout, 'dataset folder');
    assert.equal(zipped.result.source.layout, 'dataset zip');
    // A dataset cannot tell a technical upgrade from a change: 2026-10-01 is drafted too.
    const expected = [
      'chatgpt Privacy Policy 2026-10-20 x1',
      'linkedin Privacy Policy 2026-09-10 x1',
      'linkedin Privacy Policy 2026-10-01 x1',
      'linkedin Privacy Policy 2026-11-20 x2',
    ];
    assert.deepEqual(summary(folder.result), expected);
    assert.deepEqual(summary(zipped.result), expected);
    assert.match(zipped.result.drafts[0].origin, /^dataset\.zip: ChatGPT\/Privacy Policy\/2026-10-20T09-00-00Z\.md$/);
  });

  it('--since and --types narrow the drafts', () => {
    assert.deepEqual(summary(watch(clone, '--since', '2026-11-01').result), ['linkedin Privacy Policy 2026-11-20 x2']);
    assert.deepEqual(summary(watch(clone, '--since', '2026-11-01', '--types', 'brand').result), ['linkedin Brand Guidelines 2026-11-12 x1']);
  });

  it('writes only its drafts: never into the catalog, and it refuses what it cannot read', () => {
    const catalogBefore = readFileSync(join(CATALOG, 'linkedin.json'), 'utf8');
    const inside = watch(clone, '--out', join(CATALOG, 'drafts.json'));
    assert.equal(inside.status, 2);
    assert.match(inside.stderr, /must not be inside the catalog/);
    assert.equal(existsSync(join(CATALOG, 'drafts.json')), false);
    const out = join(work, 'drafts.json');
    assert.equal(watch(clone, '--out', out).status, 0);
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).drafts.length, 3);
    assert.equal(readFileSync(join(CATALOG, 'linkedin.json'), 'utf8'), catalogBefore);
    assert.equal(watch(join(work, 'missing')).status, 2);
    assert.equal(watch(join(OTA, 'make-sample.sh')).status, 2);
    assert.equal(watch(work).status, 2); // neither layout
    assert.equal(watch().status, 2);
  });
});
