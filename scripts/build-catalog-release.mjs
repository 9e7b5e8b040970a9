// Builds a catalog release file (docs/catalog-format.md, "Signed catalog releases"): the whole
// catalog, index.json and every platform file it lists, in one JSON document with its version and
// date. scripts/release-catalog.sh runs it and signs the result; the host validates it in full.
//   node scripts/build-catalog-release.mjs CATALOG_DIR DATE OUTPUT_FILE
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RELEASE_FORMAT = 1;

function fail(message) {
  console.error(`build-catalog-release: ${message}`);
  process.exit(1);
}

function isCalendarDate(text, separator) {
  const match = new RegExp(`^(\\d{4})\\${separator}(\\d{2})\\${separator}(\\d{2})$`).exec(text);
  if (!match) {
    return false;
  }
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    fail(`${path}: ${error.message}`);
  }
}

const [dir, date, output] = process.argv.slice(2);
if (!dir || !date || !output) {
  fail('usage: node scripts/build-catalog-release.mjs CATALOG_DIR DATE OUTPUT_FILE');
}
const index = readJson(join(dir, 'index.json'));
if (typeof index.version !== 'string' || !isCalendarDate(index.version, '.')) {
  fail(`${dir}/index.json: version must be a date written YYYY.MM.DD`);
}
if (!isCalendarDate(date, '-')) {
  fail(`the date must be written YYYY-MM-DD, got ${JSON.stringify(date)}`);
}
if (date < index.version.replaceAll('.', '-')) {
  fail(`the date ${date} is before the catalog's version ${index.version}`);
}
if (!Array.isArray(index.platforms) || index.platforms.length === 0) {
  fail(`${dir}/index.json: platforms must list the platform files`);
}
const platforms = {};
for (const file of index.platforms) {
  if (typeof file !== 'string' || !/^[a-z0-9-]+\.json$/.test(file) || file === 'index.json') {
    fail(`${dir}/index.json: ${JSON.stringify(file)} is not a platform file name`);
  }
  platforms[file] = readJson(join(dir, file));
}
const release = {
  optguard_catalog_release: RELEASE_FORMAT,
  version: index.version,
  date,
  index,
  platforms,
};
// Compact: a release travels in one native-messaging frame (docs/protocol.md, install_catalog).
writeFileSync(output, `${JSON.stringify(release)}\n`);
console.log(index.version);
