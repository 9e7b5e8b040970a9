// Firefox ESR: every readable catalog entry in every label of its history, on its 2026-style
// fixture, served at the entry's real address through the local HTTPS proxy; the sole-control rule
// on a LinkedIn page in a language the catalog lacks. The host's SQLite file is the witness, and
// each wait takes only rows stored after its own step (rowid above the last one seen before).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { AI_PAGE, HOST_BIN, eventually } from './helpers/browser.mjs';
import { FIREFOX, launchFirefox } from './helpers/firefox.mjs';
import { sampled } from './helpers/sample.mjs';
import { PAGES, labelVariants, readableEntries } from './helpers/variants.mjs';

const run = promisify(execFile);

/** Runs Python's sqlite3 read-only; a database whose tables the host has not made yet reads as `empty`. */
async function readOnly(args, empty) {
  try {
    return (await run('python3', ['-c', ...args])).stdout;
  } catch (error) {
    if (/no such table/.test(String(error.stderr ?? error.message))) {
      return empty;
    }
    throw error;
  }
}

/** Rows stored after `afterRowid` for one setting: [{rowid, state}]. */
async function rowsAfter(stateHome, platform, setting, afterRowid) {
  const db = join(stateHome, 'optguard', 'state.sqlite3');
  if (!existsSync(db)) {
    return [];
  }
  const sql = `SELECT rowid, state FROM observations WHERE platform = ? AND setting = ? AND rowid > ? ORDER BY rowid`;
  const stdout = await readOnly([
    'import json,sqlite3,sys; c=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True); print(json.dumps(c.execute(sys.argv[2], (sys.argv[3], sys.argv[4], int(sys.argv[5]))).fetchall()))',
    db, sql, platform, setting, String(afterRowid)], '[]');
  return JSON.parse(stdout).map(([rowid, state]) => ({ rowid, state }));
}

async function lastRowid(stateHome) {
  const db = join(stateHome, 'optguard', 'state.sqlite3');
  if (!existsSync(db)) {
    return 0;
  }
  const stdout = await readOnly(['import sqlite3,sys; c=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True); print(c.execute("SELECT COALESCE(MAX(rowid),0) FROM observations").fetchone()[0])', db], '0');
  return Number(stdout.trim());
}

describe('Firefox ESR: today’s pages in every label of their history', {
  skip: (!existsSync(FIREFOX) && `no Firefox at ${FIREFOX}`)
    || (!process.env.OPTGUARD_HOST_BIN && !existsSync(HOST_BIN) && `no host binary at ${HOST_BIN} (build it first)`),
}, () => {
  let ff;

  before(async () => {
    ff = await launchFirefox({ hostBin: HOST_BIN });
  });

  after(async () => {
    await ff?.close();
  });

  /** Opens `url` serving `html`, returns the first state stored after this step. */
  async function readOn(platform, setting, url, html, what) {
    const since = await lastRowid(ff.env.XDG_STATE_HOME);
    ff.proxy.serve(() => html);
    const page = await ff.browser.newPage();
    try {
      await page.goto(url);
      const rows = await eventually(() => rowsAfter(ff.env.XDG_STATE_HOME, platform, setting, since), (r) => r.some((row) => row.state !== 'unknown'),
        { what, timeoutMs: 20000 });
      return rows.find((row) => row.state !== 'unknown').state;
    } finally {
      await page.close();
      ff.proxy.serve(null);
    }
  }

  for (const entry of sampled(readableEntries())) {
    const variants = labelVariants(entry);
    it(`${entry.key}: every label (${variants.length})`, { skip: variants.length === 0 && 'read by a declared rule' }, async () => {
      for (const { label, html, url } of variants) {
        const state = await readOn(entry.platform.platform, entry.setting.id, url, html, `${entry.key} [${label.lang}] "${label.text}"`);
        assert.equal(state, 'on', `${entry.key} [${label.lang}] "${label.text}"`);
      }
    });
  }

  it('the sole-control rule reads a LinkedIn page in a language the catalog does not have', async () => {
    const html = readFileSync(join(PAGES, 'rules/linkedin-sole-control-unknown-language.html'), 'utf8');
    assert.equal(await readOn('linkedin', 'generative-ai-training', AI_PAGE, html, 'the sole control'), 'on');
  });
});
