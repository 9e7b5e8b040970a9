// The OptGuard benchmark orchestrator; `bench/run` builds the C programs and then runs this.
//
// Every figure is measured against a baseline IN THE SAME RUN, the pair is repeated (alternating
// which goes first), and the table shows min/median/max over the repetitions of both values and of
// their ratio. Nothing asserts on time: goals are printed as met / not met and the exit status is 0
// unless the harness itself broke. See bench/README.md for what each figure means.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCatalog, platformId, settingId, pageOf } from './catalog-gen.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const benchDir = path.resolve(here, '..');
const root = path.resolve(benchDir, '..');

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2);
const opt = { quick: false, build: path.join(root, 'build'), only: null, out: path.join(benchDir, 'results.json') };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--quick') opt.quick = true;
  else if (a === '--build') opt.build = path.resolve(argv[++i]);
  else if (a === '--only') opt.only = new Set(argv[++i].split(','));
  else if (a === '--out') opt.out = path.resolve(argv[++i]);
  else if (a === '--host') opt.host = path.resolve(argv[++i]);
  else if (a === '--tools') opt.tools = path.resolve(argv[++i]);
  else if (a === '-h' || a === '--help') {
    console.log(`usage: bench/run [--quick] [--only 1,2,...] [--no-build] [--build DIR] [--out FILE]
  --quick      fewer repetitions and requests (CI: keeps the command from rotting, < 2 min)
  --only LIST  run only these figures (1 cold, 2 warm, 3 durable, 4 memory, 5 scale, 6 content, 7 busy pages)
  --no-build   use the binaries already in the build folder (bench/run only)
  --build DIR  the CMake build folder (default: build/)
  --out FILE   where to write the results (default: bench/results.json)`);
    process.exit(0);
  } else {
    console.error(`bench: unknown option ${a} (try --help)`);
    process.exit(2);
  }
}

const Q = opt.quick;
const cfg = {
  reps: Q ? 3 : 5,
  coldIters: Q ? 10 : 30,
  warmN: Q ? 2000 : 10000,
  warmReportN: Q ? 300 : 10000,
  warmReportReps: Q ? 2 : 3,
  warmup: Q ? 100 : 500,
  durable: Q
    ? [{ procs: 1, n: 150 }, { procs: 4, n: 40 }, { procs: 16, n: 10 }]
    : [{ procs: 1, n: 1000 }, { procs: 4, n: 250 }, { procs: 16, n: 256 }],
  durableReps: Q ? 2 : 3,
  memN: 10000,
  memReps: Q ? 1 : 3,
  scaleBig: Q ? 100000 : 1000000,
  scaleSmall: 1000,
  scaleN: Q ? 100 : 500,
  scaleReps: Q ? 2 : 5,
  contentReps: Q ? 2 : 5,
  contentSeconds: Q ? 2 : 5,
  pageCostReps: Q ? 1 : 3,
  pageCostSeconds: Q ? 4 : 20,
};

// Warm round trips pin the driver and the hosts to one CPU: on a VM a cross-CPU wake-up costs tens of
// µs and lands on one process or the other at random, which would swamp what the host itself adds.
const PIN = String(os.cpus().length - 1);
const ORIGIN = 'chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/';
const tools = opt.tools ?? path.join(opt.build, 'bench');
const bin = {
  host: opt.host ?? path.join(opt.build, 'host', 'optguard-host'),
  driver: path.join(tools, 'og-bench'),
  echo: path.join(tools, 'og-echo-host'),
  fsync: path.join(tools, 'og-fsync-host'),
  echoCxx: path.join(tools, 'og-echo-host-cxx'),
};
for (const k of ['driver', 'echo', 'fsync', 'echoCxx']) {
  if (!fs.existsSync(bin[k])) {
    console.error(`bench: ${bin[k]} is missing; run bench/run (it builds the bench programs)`);
    process.exit(2);
  }
}
const hostPresent = fs.existsSync(bin.host);
const builtCatalog = path.join(opt.build, 'share', 'optguard', 'catalog');
const catalogDir = fs.existsSync(path.join(builtCatalog, 'index.json')) ? builtCatalog : path.join(root, 'extension', 'catalog');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'optguard-bench-'));
const stderrLog = path.join(tmp, 'stderr.log');
const logFd = fs.openSync(stderrLog, 'a');

// ---------------------------------------------------------------- helpers

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) => (xs.length && xs.every(Number.isFinite) ? { min: Math.min(...xs), median: median(xs), max: Math.max(...xs), n: xs.length } : null);
const log = (...a) => process.stderr.write(a.join(' ') + '\n');

function sandbox(name, catalog = catalogDir) {
  const dir = path.join(tmp, name);
  const env = {
    ...process.env,
    XDG_STATE_HOME: path.join(dir, 'state'),
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    XDG_CACHE_HOME: path.join(dir, 'cache'), // the host's catalog cache, per sandbox
    OPTGUARD_CATALOG_DIR: catalog,
  };
  fs.mkdirSync(env.XDG_STATE_HOME, { recursive: true });
  fs.mkdirSync(env.XDG_CONFIG_HOME, { recursive: true });
  return { dir, env };
}

function driver(args, env) {
  fs.writeSync(logFd, `\n--- og-bench ${args.join(' ').slice(0, 300)}\n`);
  const r = spawnSync(bin.driver, [...args, '--origin', ORIGIN], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', logFd],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    const tail = fs.readFileSync(stderrLog, 'utf8').split('\n').slice(-8).join('\n');
    throw new Error(`og-bench ${args[0]} failed (status ${r.status}):\n${tail}`);
  }
  return JSON.parse(r.stdout);
}

/** One request to a fresh host; returns the parsed answer. */
function ask(env, request) {
  const body = Buffer.from(JSON.stringify(request));
  const head = Buffer.alloc(4);
  if (os.endianness() === 'LE') head.writeUInt32LE(body.length); // the protocol's native byte order
  else head.writeUInt32BE(body.length);
  const r = spawnSync(bin.host, [ORIGIN], { env, input: Buffer.concat([head, body]), stdio: ['pipe', 'pipe', logFd], maxBuffer: 64 << 20 });
  if (r.stdout.length < 4) throw new Error(`optguard-host gave no answer to ${request.type} (status ${r.status})`);
  const len = os.endianness() === 'LE' ? r.stdout.readUInt32LE(0) : r.stdout.readUInt32BE(0);
  return JSON.parse(r.stdout.subarray(4, 4 + len).toString('utf8'));
}

function firstSetting(catalog) {
  const index = JSON.parse(fs.readFileSync(path.join(catalog, 'index.json'), 'utf8'));
  const p = JSON.parse(fs.readFileSync(path.join(catalog, index.platforms[0]), 'utf8'));
  const s = p.settings[0];
  return { platform: p.platform, setting: s.id, url: s.pages[0].replaceAll('*', '') };
}

const reqs = (() => {
  const fs0 = firstSetting(catalogDir);
  const report = (id, state) => JSON.stringify({ id, type: 'report', platform: fs0.platform, setting: fs0.setting, state, url: fs0.url });
  return {
    hello: [JSON.stringify({ id: 1, type: 'hello' })],
    status: [JSON.stringify({ id: 2, type: 'status' })],
    catalog: [JSON.stringify({ id: 3, type: 'catalog' })],
    report: [report(4, 'on'), report(5, 'off')],
    mixed: [
      JSON.stringify({ id: 'm1', type: 'hello' }),
      JSON.stringify({ id: 'm2', type: 'status' }),
      report('m3', 'on'),
      JSON.stringify({ id: 'm4', type: 'catalog' }),
      JSON.stringify({ id: 'm5', type: 'status' }),
      report('m6', 'off'),
      JSON.stringify({ id: 'm7', type: 'status' }),
      JSON.stringify({ id: 'm8', type: 'hello' }),
      JSON.stringify({ id: 'm9', type: 'status' }),
      JSON.stringify({ id: 'm10', type: 'catalog' }),
    ],
  };
})();
const reqArgs = (list) => list.flatMap((r) => ['--req', r]);

const rows = [];
const figures = {};
/** Adds a table row from per-repetition pairs {host, base}. ratio = host / base per repetition. */
function addRow(fig, metric, unit, pairs, extra = {}) {
  const host = pairs.map((p) => p.host);
  const base = pairs.map((p) => p.base);
  const ratio = pairs.filter((p) => p.base > 0).map((p) => p.host / p.base); // an empty baseline has no ratio
  const delta = pairs.map((p) => p.host - p.base);
  const row = { figure: fig, metric, unit, baseline: extra.baseline, host: stats(host), base: stats(base), ratio: stats(ratio), delta: stats(delta), goal: extra.goal ?? null, met: null, note: extra.note ?? null };
  if (extra.judge) row.met = extra.judge(row);
  rows.push(row);
  return row;
}
function skipFigure(fig, title, reason) {
  figures[fig] = { title, skipped: reason };
  rows.push({ figure: fig, metric: title, skipped: reason });
  log(`  skipped: ${reason}`);
}

// ---------------------------------------------------------------- figure 1: cold round trip

function figCold() {
  const title = 'Cold round trip: spawn, hello, answer, close stdin, exit';
  log(`[1] ${title}`);
  if (!hostPresent) return skipFigure('1', title, `no host binary at ${bin.host}`);
  const sb = sandbox('cold');
  const reps = [];
  for (let r = 0; r < cfg.reps; r++) {
    const out = driver(['cold', '--host', bin.host, '--base', bin.echo, '--base', bin.echoCxx, '--iters', String(cfg.coldIters), ...reqArgs(reqs.hello)], sb.env);
    if (out.host_errors || out.host_bad_exits) throw new Error(`host answered hello with an error or exited non-zero (${JSON.stringify(out)})`);
    reps.push(out);
    log(`  rep ${r + 1}: host p50 ${out.host.p50_us.toFixed(0)} µs, echo p50 ${out.base.p50_us.toFixed(0)} µs, C++ echo p50 ${out.base_2.p50_us.toFixed(0)} µs`);
  }
  figures['1'] = { title, config: { iters_per_rep: cfg.coldIters, reps: cfg.reps }, raw: reps };
  addRow('1', 'cold hello, median of runs', 'ms', reps.map((o) => ({ host: o.host.p50_us / 1000, base: o.base.p50_us / 1000 })), {
    baseline: 'echo host',
    goal: 'ratio ≤ 1.2',
    judge: (row) => row.ratio.median <= 1.2,
  });
  addRow('1', 'cold hello, p90 of runs', 'ms', reps.map((o) => ({ host: o.host.p90_us / 1000, base: o.base.p90_us / 1000 })), { baseline: 'echo host' });
  addRow('1', 'cold hello, median of runs', 'ms', reps.map((o) => ({ host: o.host.p50_us / 1000, base: o.base_2.p50_us / 1000 })), {
    baseline: 'C++ echo host (diagnostic)',
    note: 'the same echo loop built as C++ and linked like optguard-host (libstdc++, libsqlite3): start-up floor of the toolchain',
  });
  addRow('1', 'C++ echo: cold, median of runs', 'ms', reps.map((o) => ({ host: o.base_2.p50_us / 1000, base: o.base.p50_us / 1000 })), {
    baseline: 'echo host',
    note: 'what dynamic libstdc++ + libsqlite3 cost at start-up, before any OptGuard code runs',
  });
}

// ---------------------------------------------------------------- figure 2: warm round trip

function figWarm() {
  const title = 'Warm round trip on a persistent pipe';
  log(`[2] ${title}`);
  if (!hostPresent) return skipFigure('2', title, `no host binary at ${bin.host}`);
  const raw = {};
  for (const type of ['hello', 'status', 'report']) {
    const sb = sandbox(`warm-${type}`);
    const n = type === 'report' ? cfg.warmReportN : cfg.warmN;
    const nreps = type === 'report' ? cfg.warmReportReps : cfg.reps;
    const warmup = type === 'report' ? Math.min(cfg.warmup, 50) : cfg.warmup;
    const pairs = [];
    for (let r = 0; r < nreps; r++) {
      const out = driver(['warm', '--cmd', bin.host, '--base', bin.echo, '--cpu', PIN, '--n', String(n), '--warmup', String(warmup), ...reqArgs(reqs[type])], sb.env);
      const { host, base } = out;
      if (host.errors) throw new Error(`${host.errors} ${type} requests were answered with an error (see ${stderrLog})`);
      pairs.push({ host, base });
      log(`  ${type} rep ${r + 1}: host p50 ${host.latency.p50_us.toFixed(1)} µs p99 ${host.latency.p99_us.toFixed(1)} µs ${host.msgs_per_s.toFixed(0)}/s; echo p50 ${base.latency.p50_us.toFixed(1)} µs`);
    }
    raw[type] = { n, reps: nreps, pairs };
    const durableNote = type === 'report' ? 'durable (the log is synced before the answer): bound by fsync, see figure 3' : null;
    addRow('2', `${type} p50`, 'µs', pairs.map((p) => ({ host: p.host.latency.p50_us, base: p.base.latency.p50_us })), {
      baseline: 'echo host, same pipe',
      goal: 'p50 < 50 µs over echo',
      judge: (row) => row.delta.median < 50,
      note: durableNote,
    });
    addRow('2', `${type} p99`, 'µs', pairs.map((p) => ({ host: p.host.latency.p99_us, base: p.base.latency.p99_us })), { baseline: 'echo host, same pipe' });
    addRow('2', `${type} messages/s`, '1/s', pairs.map((p) => ({ host: p.host.msgs_per_s, base: p.base.msgs_per_s })), { baseline: 'echo host, same pipe' });
  }
  figures['2'] = { title, raw };
}

// ---------------------------------------------------------------- figure 3: durable report

function stateDbDir(env) {
  const dir = path.join(env.XDG_STATE_HOME, 'optguard');
  return fs.existsSync(dir) ? dir : env.XDG_STATE_HOME;
}

function findDb(env) {
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(db|sqlite3?)$/.test(e.name)) found.push(p);
    }
  };
  walk(env.XDG_STATE_HOME);
  return found[0] ?? null;
}

function figDurable() {
  const title = 'Durable report: several host processes writing at once';
  log(`[3] ${title}`);
  if (!hostPresent) return skipFigure('3', title, `no host binary at ${bin.host}`);
  const sb = sandbox('durable');
  const first = ask(sb.env, JSON.parse(reqs.report[0])); // the host creates its DB
  if (!first.ok) throw new Error(`report failed: ${JSON.stringify(first)}`);
  const dbDir = stateDbDir(sb.env);
  const env = { ...sb.env, OPTGUARD_BENCH_FSYNC_FILE: path.join(dbDir, 'bench-fsync.log') };
  const raw = [];
  for (const { procs, n } of cfg.durable) {
    const pairs = [];
    for (let r = 0; r < cfg.durableReps; r++) {
      const args = (cmd) => ['durable', '--cmd', cmd, '--procs', String(procs), '--n', String(n), ...reqArgs(reqs.report)];
      let host, base;
      if (r % 2 === 0) { host = driver(args(bin.host), env); base = driver(args(bin.fsync), env); }
      else { base = driver(args(bin.fsync), env); host = driver(args(bin.host), env); }
      pairs.push({ host, base });
      log(`  ${procs} proc rep ${r + 1}: host ${host.ops_per_s.toFixed(0)}/s p50 ${(host.latency.p50_us / 1000).toFixed(2)} ms errors ${host.errors}; write+fsync ${base.ops_per_s.toFixed(0)}/s p50 ${(base.latency.p50_us / 1000).toFixed(2)} ms`);
    }
    const errors = pairs.reduce((a, p) => a + p.host.errors + p.host.broken, 0);
    const note = errors ? `${errors} reports failed (e.g. storage_error under contention): see ${stderrLog}` : null;
    raw.push({ procs, per_proc: n, pairs });
    addRow('3', `${procs} proc: time per report p50`, 'ms', pairs.map((p) => ({ host: p.host.latency.p50_us / 1000, base: p.base.latency.p50_us / 1000 })), { baseline: 'write+fsync', note });
    addRow('3', `${procs} proc: time per report p99`, 'ms', pairs.map((p) => ({ host: p.host.latency.p99_us / 1000, base: p.base.latency.p99_us / 1000 })), { baseline: 'write+fsync' });
    addRow('3', `${procs} proc: reports/s, all processes`, '1/s', pairs.map((p) => ({ host: p.host.ops_per_s, base: p.base.ops_per_s })), { baseline: 'write+fsync', note });
  }
  figures['3'] = { title, db_dir: dbDir, raw };
}

// ---------------------------------------------------------------- figure 4: memory

function figMemory() {
  const title = `Peak RSS after ${cfg.memN} mixed requests`;
  log(`[4] ${title}`);
  if (!hostPresent) return skipFigure('4', title, `no host binary at ${bin.host}`);
  const sb = sandbox('memory');
  const pairs = [];
  for (let r = 0; r < cfg.memReps; r++) {
    const { host, base } = driver(['warm', '--cmd', bin.host, '--base', bin.echo, '--n', String(cfg.memN), '--warmup', '0', '--hwm', ...reqArgs(reqs.mixed)], sb.env);
    if (host.errors) throw new Error(`${host.errors} mixed requests were answered with an error`);
    pairs.push({ host, base });
    log(`  rep ${r + 1}: host VmHWM ${host.vm_hwm_kb} kB (VmRSS ${host.vm_rss_kb} kB), echo VmHWM ${base.vm_hwm_kb} kB`);
  }
  figures['4'] = { title, mix: reqs.mixed.map((r) => JSON.parse(r).type), raw: pairs };
  addRow('4', 'peak RSS (VmHWM)', 'MB', pairs.map((p) => ({ host: p.host.vm_hwm_kb / 1024, base: p.base.vm_hwm_kb / 1024 })), {
    baseline: 'echo host',
    goal: '< 8 MB',
    judge: (row) => row.host.max < 8,
  });
}

// ---------------------------------------------------------------- figure 5: scale

function sql(db, text) {
  return execFileSync('sqlite3', ['-batch', db], { input: text, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Fills the observation table the host created up to `total` rows, spread over every catalog setting.
 *  The host's own row is the template: columns that name the platform, the setting or a time are
 *  generated, the rest (state, verdict, url, ...) copied; an INTEGER PRIMARY KEY is left to SQLite. */
function bulkFill(db, total, platforms, settingsPer) {
  const tables = sql(db, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%';").trim().split('\n').filter(Boolean);
  let target = null;
  for (const t of tables) {
    const cols = JSON.parse(sql(db, `.mode json\nPRAGMA table_info("${t}");`) || '[]');
    const count = Number(sql(db, `SELECT count(*) FROM "${t}";`).trim());
    const names = cols.map((c) => c.name.toLowerCase());
    const hasPlat = names.some((n) => n.includes('platform'));
    const hasSet = names.some((n) => n.includes('setting'));
    const score = (hasPlat && hasSet ? 2 : 0) + (/observ|report|history|event/.test(t.toLowerCase()) ? 1 : 0);
    if (count >= 1 && hasPlat && hasSet && (!target || score > target.score)) target = { t, cols, score };
  }
  if (!target) throw new Error(`no table with platform and setting columns and a row in it (tables: ${tables.join(', ')})`);
  const { t, cols } = target;
  const tmpl = JSON.parse(sql(db, `.mode json\nSELECT ${cols.map((c) => `typeof("${c.name}") AS "${c.name}"`).join(', ')} FROM "${t}" LIMIT 1;`))[0];
  const value = JSON.parse(sql(db, `.mode json\nSELECT * FROM "${t}" LIMIT 1;`))[0];
  const n = settingsPer * platforms;
  const pick = [];
  const used = [];
  for (const c of cols) {
    const name = c.name.toLowerCase();
    const q = `"${c.name}"`;
    if (c.pk && /int/i.test(c.type)) continue; // rowid alias
    used.push(q);
    if (name.includes('platform')) pick.push(`printf('bench-p%02d', (i % ${n}) / ${settingsPer})`);
    else if (name.includes('setting')) pick.push(`printf('setting-%02d', (i % ${n}) % ${settingsPer})`);
    else if (/url/.test(name)) pick.push(`printf('https://www.bench-p%02d.example/settings/privacy/setting-%02d', (i % ${n}) / ${settingsPer}, (i % ${n}) % ${settingsPer})`);
    else if (/(_at|time|date|when|ts)$/.test(name) || /observed|verified/.test(name)) {
      // older than the template row, one second apart, in the template's own representation
      if (tmpl[c.name] === 'integer' || tmpl[c.name] === 'real') {
        const v = Number(value[c.name]);
        const unit = v > 1e14 ? 1e6 : v > 1e11 ? 1000 : 1; // µs, ms or s since the epoch
        pick.push(`${v} - (${total} - i) * ${unit}`);
      } else {
        pick.push(`strftime('%Y-%m-%dT%H:%M:%fZ', ${q}, printf('-%d seconds', ${total} - i))`);
      }
    } else pick.push(q);
  }
  const script = `PRAGMA journal_mode=${sql(db, 'PRAGMA journal_mode;').trim()};
PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${total - 1})
INSERT INTO "${t}" (${used.join(', ')})
SELECT ${pick.join(', ')} FROM seq, (SELECT * FROM "${t}" LIMIT 1);
COMMIT;
SELECT count(*) FROM "${t}";`;
  const count = Number(sql(db, script).trim().split('\n').pop());
  return { table: t, rows: count, schema: sql(db, '.schema') };
}

function figScale() {
  const title = 'Scale: 1 000 catalog settings, history of 10^6 vs 10^3 observations';
  log(`[5] ${title}`);
  if (!hostPresent) return skipFigure('5', title, `no host binary at ${bin.host}`);
  const cat = path.join(tmp, 'catalog-1000');
  const shape = writeCatalog(cat, 50, 20);
  const probe = sandbox('scale-probe', cat);
  const hello = ask(probe.env, { id: 1, type: 'hello' });
  if (hello.catalog_error) throw new Error(`the host rejected the generated catalog: ${hello.catalog_error}`);
  const due = ask(probe.env, { id: 2, type: 'due' });
  const hasDue = !(due.ok === false && due.error?.code === 'unknown_type');
  const sizes = { small: cfg.scaleSmall, big: cfg.scaleBig };
  const sbs = {};
  const fill = {};
  for (const [k, total] of Object.entries(sizes)) {
    const sb = (sbs[k] = sandbox(`scale-${k}`, cat));
    const r = ask(sb.env, { id: 1, type: 'report', platform: platformId(0), setting: settingId(0), state: 'off', url: pageOf(0, 0) });
    if (!r.ok) throw new Error(`report into the generated catalog failed: ${JSON.stringify(r)}`);
    const db = findDb(sb.env);
    if (!db) throw new Error(`no SQLite file under ${sb.env.XDG_STATE_HOME} after a report`);
    const t0 = Date.now();
    fill[k] = { db, ...bulkFill(db, total, shape.platforms, shape.settings) };
    fill[k].fill_s = (Date.now() - t0) / 1000;
    fill[k].db_bytes = fs.statSync(db).size;
    log(`  ${k}: ${fill[k].rows} rows in ${fill[k].table} (${(fill[k].db_bytes / 1e6).toFixed(1)} MB, filled in ${fill[k].fill_s.toFixed(1)} s)`);
  }
  const types = hasDue ? ['status', 'due'] : ['status'];
  const raw = {};
  for (const type of types) {
    const req = JSON.stringify({ id: 9, type });
    const pairs = [];
    for (let r = 0; r < cfg.scaleReps; r++) {
      const args = ['warm', '--cmd', bin.host, '--cpu', PIN, '--n', String(cfg.scaleN), '--warmup', '20', '--req', req];
      let big, small;
      if (r % 2 === 0) { big = driver(args, sbs.big.env).host; small = driver(args, sbs.small.env).host; }
      else { small = driver(args, sbs.small.env).host; big = driver(args, sbs.big.env).host; }
      if (big.errors || small.errors) throw new Error(`${type} answered with an error (see ${stderrLog})`);
      pairs.push({ host: big, base: small });
      log(`  ${type} rep ${r + 1}: ${fill.big.rows} obs p50 ${big.latency.p50_us.toFixed(0)} µs; ${fill.small.rows} obs p50 ${small.latency.p50_us.toFixed(0)} µs; answer ${big.answer_bytes_mean.toFixed(0)} B`);
    }
    raw[type] = pairs;
    const judge = (row) => row.ratio.median <= 2;
    addRow('5', `${type} p50, ${fill.big.rows.toLocaleString('en')} obs`, 'µs', pairs.map((p) => ({ host: p.host.latency.p50_us, base: p.base.latency.p50_us })), {
      baseline: `${fill.small.rows.toLocaleString('en')} obs`,
      goal: 'ratio ≤ 2 (log growth)',
      judge,
    });
    addRow('5', `${type} p99, ${fill.big.rows.toLocaleString('en')} obs`, 'µs', pairs.map((p) => ({ host: p.host.latency.p99_us, base: p.base.latency.p99_us })), {
      baseline: `${fill.small.rows.toLocaleString('en')} obs`,
    });
  }
  // How status grows with the catalog (not with history): 1 000 settings against the real catalog.
  const real = sandbox('scale-real-catalog');
  const realSettings = ask(real.env, { id: 1, type: 'status' }).settings?.length ?? null;
  const catPairs = [];
  for (let r = 0; r < cfg.scaleReps; r++) {
    const args = ['warm', '--cmd', bin.host, '--cpu', PIN, '--n', String(cfg.scaleN), '--warmup', '20', '--req', JSON.stringify({ id: 9, type: 'status' })];
    const big = driver(args, sbs.small.env).host;
    const small = driver(args, real.env).host;
    catPairs.push({ host: big.latency.p50_us, base: small.latency.p50_us });
  }
  addRow('5', `status p50, ${shape.total.toLocaleString('en')} settings`, 'µs', catPairs, {
    baseline: `real catalog (${realSettings} settings)`,
    note: 'informational: status answers one row per setting, so it grows with the catalog',
  });
  figures['5'] = {
    title,
    catalog: shape,
    due: hasDue ? 'measured' : 'skipped: the host answers unknown_type to "due"',
    fill: Object.fromEntries(Object.entries(fill).map(([k, v]) => [k, { table: v.table, rows: v.rows, db_bytes: v.db_bytes, fill_s: v.fill_s }])),
    schema: fill.big.schema,
    raw,
  };
  if (!hasDue) rows.push({ figure: '5', metric: 'due', skipped: 'the host has no "due" request (unknown_type)' });
}

// ---------------------------------------------------------------- figure 6: content script

function figContent() {
  const title = 'Content script: detector time per DOM mutation batch (5 000 nodes, constant churn)';
  log(`[6] ${title}`);
  const r = spawnSync(process.execPath, [path.join(here, 'content-bench.mjs'), '--reps', String(cfg.contentReps), '--seconds', String(cfg.contentSeconds)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: root,
    timeout: 10 * 60 * 1000,
  });
  if (r.status !== 0) throw new Error(`content-bench.mjs failed (status ${r.status})`);
  const out = JSON.parse(r.stdout);
  if (out.skipped) return skipFigure('6', title, out.skipped);
  figures['6'] = { title, ...out };
  const pairs = out.reps;
  const cb = 'empty subscriber of the one observer';
  addRow('6', 'detector per batch, median', 'ms', pairs.map((p) => ({ host: p.detector.p50_ms, base: p.empty.p50_ms })), {
    baseline: cb,
    goal: '< 0.5 ms',
    judge: (row) => row.host.median < 0.5,
  });
  addRow('6', 'detector per batch, p99', 'ms', pairs.map((p) => ({ host: p.detector.p99_ms, base: p.empty.p99_ms })), {
    baseline: cb,
    goal: '< 0.5 ms',
    judge: (row) => row.host.median < 0.5,
  });
  addRow('6', 'detector per batch, max', 'ms', pairs.map((p) => ({ host: p.detector.max_ms, base: p.empty.max_ms })), { baseline: cb });
  addRow('6', 'detector per batch, median', 'ms', pairs.map((p) => ({ host: p.detector.p50_ms, base: p.style.p50_ms })), {
    baseline: 'subscriber that only brings style up to date (diagnostic)',
    note: 'separates the detector\'s own work from the style recalculation the churn forces on any reader',
  });
  addRow('6', 'long tasks (≥ 50 ms) per run', 'count', pairs.map((p) => ({ host: p.detector.long_tasks, base: p.empty.long_tasks })), {
    baseline: cb,
    goal: 'none caused by OptGuard',
    judge: () => pairs.every((p) => p.detector.long_tasks <= p.empty.long_tasks && p.detector.callbacks_over_50ms === 0),
    note: out.note ?? null,
  });
}

// ---------------------------------------------------------------- figure 7: busy pages without a setting

function figPageCost() {
  const title = 'Busy pages without a setting: renderer script time with the extension vs without';
  log(`[7] ${title}`);
  const r = spawnSync(process.execPath, [path.join(here, 'page-cost-bench.mjs'), '--reps', String(cfg.pageCostReps), '--seconds', String(cfg.pageCostSeconds)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: root,
    timeout: 15 * 60 * 1000,
  });
  if (r.status !== 0) throw new Error(`page-cost-bench.mjs failed (status ${r.status})`);
  const out = JSON.parse(r.stdout);
  if (out.skipped) return skipFigure('7', title, out.skipped);
  figures['7'] = { title, ...out };
  for (const [id, runs] of Object.entries(out.results)) {
    addRow('7', `${id}: script time per second`, 'ms/s', runs.map((run) => ({
      host: run.optguard.script_ms / run.optguard.elapsed_s,
      base: run.baseline.script_ms / run.baseline.elapsed_s,
    })), {
      baseline: 'the same page without the extension',
      goal: '< 5 ms/s over the page (0.5% of a core)',
      judge: (row) => row.delta.median < 5,
    });
    addRow('7', `${id}: long tasks (≥ 50 ms)`, 'count', runs.map((run) => ({ host: run.optguard.long_tasks, base: run.baseline.long_tasks })), {
      baseline: 'the same page without the extension',
      goal: 'none caused by OptGuard',
      judge: () => runs.every((run) => run.optguard.long_tasks <= run.baseline.long_tasks),
    });
  }
}

// ---------------------------------------------------------------- machine

function sh(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model;
  const mem = /MemTotal:\s*(\d+)/.exec(fs.readFileSync('/proc/meminfo', 'utf8'))?.[1];
  const fsType = (sh('findmnt', ['-n', '-o', 'FSTYPE,SOURCE,OPTIONS', '-T', tmp]) ?? sh('df', ['-T', tmp])?.split('\n')[1])?.replace(/\s+/g, ' ');
  let chromium = sh('/usr/bin/chromium', ['--version']);
  if (chromium) chromium = chromium.split('\n').pop();
  return {
    cpu: model,
    cores: os.cpus().length,
    memory_gb: mem ? Math.round((Number(mem) / 1048576) * 10) / 10 : null,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    state_dir_filesystem: fsType,
    os: sh('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"']),
    load_average_at_start: os.loadavg().map((x) => Math.round(x * 100) / 100),
    sqlite: sh('sqlite3', ['--version'])?.split(' ')[0] ?? null,
    node: process.version,
    chromium,
    hostname: os.hostname(),
  };
}

// ---------------------------------------------------------------- table

const fmt = (x) => {
  if (x == null || Number.isNaN(x)) return '—';
  const a = Math.abs(x);
  if (a >= 10000) return Math.round(x).toLocaleString('en').replaceAll(',', ' ');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toFixed(3);
};
const mmm = (s) => (s ? `${fmt(s.median)} [${fmt(s.min)}–${fmt(s.max)}]` : '—');

function tableRows() {
  const head = ['#', 'metric', 'unit', 'OptGuard median [min–max]', 'baseline', 'baseline median [min–max]', 'ratio median [min–max]', 'Δ median', 'goal', 'met'];
  const body = rows.map((r) =>
    r.skipped
      ? [r.figure, r.metric, '', `skipped: ${r.skipped}`, '', '', '', '', '', '']
      : [r.figure, r.metric, r.unit, mmm(r.host), r.baseline ?? '', mmm(r.base), mmm(r.ratio), ['µs', 'ms', 'MB'].includes(r.unit) ? fmt(r.delta?.median) : '', r.goal ?? '', r.met == null ? '' : r.met ? 'met' : 'NOT met'],
  );
  return { head, body };
}

function markdownTable() {
  const { head, body } = tableRows();
  const esc = (c) => String(c).replaceAll('|', '\\|');
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...body.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

function textTable() {
  const { head, body } = tableRows();
  const all = [head, ...body];
  const w = head.map((_, i) => Math.min(60, Math.max(...all.map((r) => String(r[i]).length))));
  const line = (r) => r.map((c, i) => String(c).padEnd(w[i])).join('  ').trimEnd();
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...body.map(line)].join('\n');
}

// ---------------------------------------------------------------- main

const started = new Date();
const info = machine();
let hostVersion = null;
if (hostPresent) {
  try {
    const h = ask(sandbox('version').env, { id: 1, type: 'hello' });
    hostVersion = `${h.host} ${h.version} (protocol ${h.protocol}, catalog ${h.catalog_version})`;
  } catch (e) {
    hostVersion = `hello failed: ${e.message}`;
  }
}
log(`OptGuard benchmarks (${Q ? 'quick' : 'full'}) on ${info.cpu}, ${info.cores} cores, ${info.kernel}, ${info.state_dir_filesystem}`);
log(`host: ${hostPresent ? bin.host : 'MISSING'} ${hostVersion ?? ''}; catalog ${catalogDir}; scratch ${tmp}`);

const all = [['1', figCold], ['2', figWarm], ['3', figDurable], ['4', figMemory], ['5', figScale], ['6', figContent], ['7', figPageCost]];
let harnessFailed = false;
for (const [id, fn] of all) {
  if (opt.only && !opt.only.has(id)) continue;
  const t0 = Date.now();
  try {
    fn();
  } catch (e) {
    harnessFailed = true;
    log(`  FAILED: ${e.message}`);
    figures[id] = { ...(figures[id] ?? {}), failed: e.message };
    rows.push({ figure: id, metric: `figure ${id}`, skipped: `FAILED: ${e.message.split('\n')[0]}` });
  }
  if (figures[id]) figures[id].seconds = (Date.now() - t0) / 1000;
}
info.load_average_at_end = os.loadavg().map((x) => Math.round(x * 100) / 100);

const gitRev = sh('git', ['-C', root, 'rev-parse', '--short', 'HEAD']);
const dirty = sh('git', ['-C', root, 'status', '--porcelain', '--', 'host', 'bench', 'extension']);
const results = {
  generated_by: 'bench/run',
  mode: Q ? 'quick' : 'full',
  started_at: started.toISOString(),
  seconds: (Date.now() - started.getTime()) / 1000,
  git: `${gitRev}${dirty ? ' (with uncommitted changes)' : ''}`,
  host: hostVersion,
  host_binary: hostPresent ? bin.host : null,
  catalog_dir: catalogDir,
  config: cfg,
  machine: info,
  rows,
  figures,
  table_markdown: markdownTable(),
};
fs.writeFileSync(`${opt.out}.tmp`, JSON.stringify(results, null, 2) + '\n');
fs.renameSync(`${opt.out}.tmp`, opt.out);

console.log(`\nOptGuard benchmarks — ${results.mode} run, ${started.toISOString()}, git ${results.git}, ${results.seconds.toFixed(0)} s`);
console.log(`machine: ${info.cpu}, ${info.cores} cores, ${info.memory_gb} GB, ${info.kernel}; state dir on ${info.state_dir_filesystem}`);
console.log(`load average ${info.load_average_at_start.join(' ')} at start, ${info.load_average_at_end.join(' ')} at end; ratio = OptGuard / baseline per repetition\n`);
console.log(textTable());
console.log(`\nwritten: ${path.relative(process.cwd(), opt.out) || opt.out}`);
fs.closeSync(logFd);
if (!harnessFailed) fs.rmSync(tmp, { recursive: true, force: true });
else console.log(`scratch files and host stderr kept in ${tmp}`);
process.exit(harnessFailed ? 1 : 0);
