// scripts/catalog-watch: drafts new `policy_events` for the catalog's platforms from Open Terms
// Archive (https://opentermsarchive.org), which records every version of the terms of digital
// services. It reads, offline, either
//   - a clone of a versions repository (e.g. OpenTermsArchive/contrib-versions,
//     OpenTermsArchive/genai-eu-versions): SERVICE/TERMS TYPE.md, one git commit per recorded
//     version, its subject "First record of …", "Record new changes of …" or "Apply technical or
//     declaration upgrade on …", its date the day the version was fetched; or
//   - a dataset (one of those repositories' release downloads), unzipped or as the .zip:
//     SERVICE/TERMS TYPE/YYYY-MM-DDTHH-MM-SSZ.md, one file per version;
// and prints, as JSON, one draft per platform, document and day on which a new version was recorded
// after the newest policy event the catalog already has for that platform (or --since). A person
// reads the change, writes the one-line summary, picks the settings and regions, and adds the event
// to extension/catalog/ (docs/catalog-format.md). It never changes the catalog, never uses the
// network and never publishes anything.
//
//   scripts/catalog-watch SOURCE [--catalog DIR] [--since YYYY-MM-DD] [--types REGEXP]
//                                [--services FILE] [--out FILE]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ATTRIBUTION =
  'Versions recorded by Open Terms Archive (https://opentermsarchive.org), shared under the ODC-BY 1.0 licence by its contributors';
// Documents that can carry a change in how members' data trains AI, by default.
const DEFAULT_TYPES = 'privacy|terms|generative|\\bai\\b|artificial intelligence|machine learning';
const VERSION_FILE = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z\.md$/;

const CHANGE = 'change';
const FIRST = 'first_record';
const TECHNICAL = 'technical_upgrade';

class UsageError extends Error {}

function parseArgs(argv) {
  const options = {
    catalog: join(repo, 'extension', 'catalog'),
    services: join(repo, 'scripts', 'catalog-watch.services.json'),
    types: DEFAULT_TYPES,
    since: null,
    out: null,
    source: null,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) {
        throw new UsageError(`${arg} needs a value`);
      }
      i += 1;
      return argv[i];
    };
    if (arg === '--catalog') {
      options.catalog = value();
    } else if (arg === '--services') {
      options.services = value();
    } else if (arg === '--types') {
      options.types = value();
    } else if (arg === '--since') {
      options.since = value();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(options.since)) {
        throw new UsageError('--since must be a date written YYYY-MM-DD');
      }
    } else if (arg === '--out') {
      options.out = value();
    } else if (arg === '-h' || arg === '--help') {
      throw new UsageError('');
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg}`);
    } else if (options.source === null) {
      options.source = arg;
    } else {
      throw new UsageError(`one SOURCE only, got ${arg} too`);
    }
  }
  if (options.source === null) {
    throw new UsageError('no SOURCE given');
  }
  return options;
}

/** The catalog's platforms: id, name, settings and the policy-event dates it already has. */
function readCatalog(dir) {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  return index.platforms.map((file) => {
    const platform = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const known = new Set();
    for (const setting of platform.settings) {
      for (const event of setting.policy_events ?? []) {
        known.add(event.date);
      }
    }
    return {
      id: platform.platform,
      name: platform.name,
      settings: platform.settings.map((setting) => setting.id),
      known,
      newest: [...known].sort().at(-1) ?? null,
    };
  });
}

function normalise(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** service id (normalised) -> platform, from the services file and the platforms' own ids and names. */
function serviceMap(platforms, servicesFile) {
  const configured = JSON.parse(readFileSync(servicesFile, 'utf8')).services ?? {};
  const map = new Map();
  for (const platform of platforms) {
    for (const service of configured[platform.id] ?? []) {
      map.set(normalise(service), platform);
    }
  }
  for (const platform of platforms) {
    for (const name of [platform.id, platform.name]) {
      if (!map.has(normalise(name))) {
        map.set(normalise(name), platform);
      }
    }
  }
  return map;
}

/** A terms file name: "Privacy Policy.md" or "Privacy Policy #2.md" (several documents of one type). */
function termsType(fileName) {
  return fileName.replace(/\.md$/, '').split(' #')[0];
}

function kindOfSubject(subject) {
  if (/^(First record of|Start tracking)\b/.test(subject)) {
    return FIRST;
  }
  if (/^(Apply technical or declaration upgrade on|Refilter)\b/.test(subject)) {
    return TECHNICAL;
  }
  return CHANGE; // "Record new changes of …", the older "Update …", or anything else: a person looks
}

/** A GitHub address for a commit, from the clone's own remote (no network). */
function commitUrlBase(dir) {
  try {
    const url = execFileSync('git', ['-C', dir, 'remote', 'get-url', 'origin'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const match = /github\.com[:/]([^/]+\/[^/]+?)(?:\.git)?$/.exec(url);
    return match ? `https://github.com/${match[1]}/commit/` : null;
  } catch {
    return null;
  }
}

/** Versions in a versions-repository clone: one per file changed by a commit. */
function versionsFromGit(dir) {
  const log = execFileSync(
    'git',
    ['-C', dir, 'log', '--reverse', '--no-renames', '-z', '--format=%x1e%H%x1f%aI%x1f%s', '--name-only'],
    { encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  const urlBase = commitUrlBase(dir);
  const versions = [];
  for (const record of log.split('\x1e').slice(1)) {
    const [header, ...rest] = record.split('\n');
    const [hash, date, subject] = header.split('\x1f');
    const files = rest.join('\n').split('\0').map((file) => file.trim()).filter(Boolean);
    for (const file of files) {
      const parts = file.split('/');
      if (parts.length !== 2 || !parts[1].endsWith('.md')) {
        continue; // README.md, snapshots, anything not SERVICE/TYPE.md
      }
      versions.push({
        service: parts[0],
        document: termsType(parts[1]),
        recordedAt: new Date(date).toISOString(),
        kind: kindOfSubject(subject),
        source: urlBase ? `${urlBase}${hash}` : `commit ${hash}`,
      });
    }
  }
  return versions;
}

/** Versions from dataset paths: …/SERVICE/TERMS TYPE/YYYY-MM-DDTHH-MM-SSZ.md. */
function versionsFromPaths(paths, origin) {
  const versions = [];
  for (const path of paths) {
    const parts = path.split('/').filter(Boolean);
    const match = parts.length >= 3 ? VERSION_FILE.exec(parts.at(-1)) : null;
    if (!match) {
      continue;
    }
    versions.push({
      service: parts.at(-3),
      document: termsType(`${parts.at(-2)}.md`),
      recordedAt: `${match[1]}T${match[2]}:${match[3]}:${match[4]}.000Z`,
      kind: CHANGE,
      source: `${origin}: ${parts.slice(-3).join('/')}`,
    });
  }
  // In a dataset, the first version of each document is its first record.
  versions.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  const seen = new Set();
  for (const version of versions) {
    const key = `${version.service}\0${version.document}`;
    if (!seen.has(key)) {
      version.kind = FIRST;
      seen.add(key);
    }
  }
  return versions;
}

function walk(dir, depth) {
  const paths = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && depth > 0 && entry.name !== '.git') {
      paths.push(...walk(path, depth - 1));
    } else if (entry.isFile()) {
      paths.push(path);
    }
  }
  return paths;
}

/** The entry names of a zip file, from its central directory (no decompression needed). */
function zipEntryNames(file) {
  const data = readFileSync(file);
  const EOCD = 0x06054b50;
  let end = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i -= 1) {
    if (data.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) {
    throw new Error(`${file}: not a zip file (no end of central directory)`);
  }
  const count = data.readUInt16LE(end + 10);
  let offset = data.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    throw new Error(`${file}: a ZIP64 archive; unzip it and pass the folder`);
  }
  const names = [];
  for (let n = 0; n < count; n += 1) {
    if (data.readUInt32LE(offset) !== 0x02014b50) {
      throw new Error(`${file}: damaged central directory`);
    }
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    names.push(data.subarray(offset + 46, offset + 46 + nameLength).toString('utf8'));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function isGitWorkTree(dir) {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', '--is-inside-work-tree'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'true';
  } catch {
    return false;
  }
}

function readVersions(source) {
  if (!existsSync(source)) {
    throw new UsageError(`${source}: no such file or folder`);
  }
  if (statSync(source).isFile()) {
    if (!source.endsWith('.zip')) {
      throw new UsageError(`${source}: a file must be a dataset .zip`);
    }
    return { layout: 'dataset zip', versions: versionsFromPaths(zipEntryNames(source), basename(source)) };
  }
  const datasetPaths = walk(source, 3).map((path) => relative(source, path).split(sep).join('/'));
  const dataset = versionsFromPaths(datasetPaths, basename(resolve(source)));
  if (dataset.length > 0) {
    return { layout: 'dataset folder', versions: dataset };
  }
  if (isGitWorkTree(source)) {
    return { layout: 'versions repository', versions: versionsFromGit(source) };
  }
  throw new UsageError(`${source}: neither a versions repository clone (git, SERVICE/TYPE.md) nor a dataset (SERVICE/TYPE/DATE.md)`);
}

export function draft(options) {
  const platforms = readCatalog(options.catalog);
  const services = serviceMap(platforms, options.services);
  const types = new RegExp(options.types, 'i');
  const { layout, versions } = readVersions(options.source);
  const drafts = new Map();
  const skipped = { first_record: 0, technical_upgrade: 0, other_service: 0, other_document: 0, known_or_older: 0 };
  for (const version of versions) {
    const platform = services.get(normalise(version.service));
    if (!platform) {
      skipped.other_service += 1;
      continue;
    }
    if (!types.test(version.document)) {
      skipped.other_document += 1;
      continue;
    }
    if (version.kind !== CHANGE) {
      skipped[version.kind] += 1;
      continue;
    }
    const date = version.recordedAt.slice(0, 10);
    const since = options.since ?? platform.newest;
    if (platform.known.has(date) || (since !== null && date <= since)) {
      skipped.known_or_older += 1;
      continue;
    }
    const key = `${platform.id}\0${version.service}\0${version.document}\0${date}`;
    const existing = drafts.get(key);
    if (existing) {
      existing.versions += 1;
      continue;
    }
    const source = /^https:\/\//.test(version.source) ? version.source : null;
    drafts.set(key, {
      platform: platform.id,
      service: version.service,
      document: version.document,
      date,
      recorded_at: version.recordedAt,
      versions: 1,
      origin: version.source,
      settings: platform.settings,
      policy_event: {
        date,
        regions: ['TODO'],
        summary: `TODO: one line, written by a person who read the change to ${platform.name}'s ${version.document}`,
        source: source ?? 'TODO: the https address of the document or of the change',
      },
    });
  }
  const sorted = [...drafts.values()].sort(
    (a, b) => a.platform.localeCompare(b.platform) || a.date.localeCompare(b.date) || a.document.localeCompare(b.document),
  );
  return {
    generated_by: 'scripts/catalog-watch',
    note:
      'Drafts only. date is the day Open Terms Archive recorded the new version, not necessarily the day it took effect: check the document. Keep the settings it concerns, write the summary and regions, then add policy_event to those settings in extension/catalog/.',
    attribution: ATTRIBUTION,
    source: { path: resolve(options.source), layout },
    since: options.since ?? 'the newest policy event of each platform',
    skipped,
    drafts: sorted,
  };
}

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
    const catalogDir = resolve(options.catalog);
    if (options.out && resolve(options.out).startsWith(catalogDir + sep)) {
      throw new UsageError('--out must not be inside the catalog: catalog-watch only drafts');
    }
    const result = draft(options);
    const text = `${JSON.stringify(result, null, 2)}\n`;
    if (options.out) {
      writeFileSync(options.out, text);
    } else {
      process.stdout.write(text);
    }
    process.stderr.write(`catalog-watch: ${result.drafts.length} draft(s) from ${result.source.layout} ${result.source.path}\n`);
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) {
        process.stderr.write(`catalog-watch: ${error.message}\n`);
      }
      process.stderr.write('usage: scripts/catalog-watch SOURCE [--catalog DIR] [--since YYYY-MM-DD] [--types REGEXP] [--services FILE] [--out FILE]\n');
      process.exit(2);
    }
    process.stderr.write(`catalog-watch: ${error.message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
