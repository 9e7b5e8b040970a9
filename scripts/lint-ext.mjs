// `npm run lint:ext`: Mozilla's add-on linter (`web-ext lint`, the checks addons.mozilla.org runs on
// an upload) over the source folder and over each store zip that scripts/build-ext.mjs makes.
//
//   node scripts/lint-ext.mjs          builds the zips into a temporary folder, lints them
//   node scripts/lint-ext.mjs DIST     lints the zips already built in DIST (scripts/test.sh)
//
// What passes (ACCEPTED below says why each exception is there):
//   extension/   no errors; no warnings but Firefox's note on the Chromium-only service_worker key
//   Firefox zip  nothing at all: no error, warning or notice (it is what AMO receives)
//   Chromium zip no errors, warnings or notices but the three that only say "this is not a Firefox
//                manifest" (it is the Chrome Web Store / Edge upload); every other check (code, files,
//                content security policy) applies to it as to the Firefox zip
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import webExt from 'web-ext';

import { artifactName, buildStoreArtifacts } from './build-ext.mjs';

const repo = path.resolve(import.meta.dirname, '..');

/** Findings each subject may have (code and message), with the reason. Anything else fails. */
export const ACCEPTED = {
  source: [
    { code: 'MANIFEST_FIELD_UNSUPPORTED', message: /"\/background\/service_worker" is not supported/,
      why: 'service_worker is for Chromium; Firefox runs background.scripts (the Firefox zip has no service_worker)' },
  ],
  firefox: [],
  chromium: [
    { code: 'MANIFEST_FIELD_UNSUPPORTED', message: /"\/background\/service_worker" is not supported/,
      why: 'service_worker is what Chromium runs' },
    { code: 'EXTENSION_ID_REQUIRED', message: /./,
      why: 'a Firefox id (browser_specific_settings.gecko.id) has no place in the Chromium upload' },
    { code: 'MISSING_DATA_COLLECTION_PERMISSIONS', message: /./,
      why: 'a Firefox-only declaration (browser_specific_settings.gecko), kept in the Firefox zip' },
  ],
};

/**
 * The findings of one lint report that are not accepted for `subject`.
 * @param {'source'|'firefox'|'chromium'} subject
 * @param {{errors: {code: string, message: string, file?: string}[],
 *   warnings: {code: string, message: string, file?: string}[],
 *   notices: {code: string, message: string, file?: string}[]}} report addons-linter's result
 * @returns {string[]} one line per finding that fails
 */
export function problems(subject, report) {
  const accepted = ACCEPTED[subject];
  const all = [
    ...report.errors.map((m) => ['error', m]),
    ...report.warnings.map((m) => ['warning', m]),
    ...report.notices.map((m) => ['notice', m]),
  ];
  return all
    .filter(([, m]) => !accepted.some((a) => a.code === m.code && a.message.test(m.message)))
    .map(([kind, m]) => `${kind} ${m.code}: ${m.message}${m.file ? ` (${m.file})` : ''}`);
}

async function lint(sourceDir, ignoreFiles) {
  return webExt.cmd.lint({ sourceDir, ignoreFiles, output: 'none' }, { shouldExitProgram: false });
}

if (process.argv[1] === import.meta.filename) {
  const given = process.argv[2] && path.resolve(process.argv[2]);
  const dist = given ?? fs.mkdtempSync(path.join(os.tmpdir(), 'optguard-lint-ext-'));
  try {
    if (!given) {
      await buildStoreArtifacts(dist);
    }
    const { version } = JSON.parse(fs.readFileSync(path.join(repo, 'extension/manifest.json'), 'utf8'));
    const subjects = [
      ['source', path.join(repo, 'extension'), ['tools/**']],
      ['firefox', path.join(dist, artifactName('firefox', version)), []],
      ['chromium', path.join(dist, artifactName('chromium', version)), []],
    ];
    let failed = 0;
    for (const [subject, where, ignore] of subjects) {
      const report = await lint(where, ignore);
      const found = problems(subject, report);
      const { errors, warnings, notices } = report.summary;
      console.log(`${found.length ? 'FAIL' : 'ok  '}  ${subject === 'source' ? 'extension/' : path.basename(where)}: ${errors} errors, ${warnings} warnings, ${notices} notices`);
      for (const line of found) {
        console.log(`        ${line}`);
      }
      failed += found.length;
    }
    process.exitCode = failed ? 1 : 0;
  } finally {
    if (!given) {
      fs.rmSync(dist, { recursive: true, force: true });
    }
  }
}
