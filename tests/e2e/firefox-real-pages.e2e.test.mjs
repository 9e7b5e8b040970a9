// Firefox ESR: every readable catalog entry in every label of its history, on its 2026-style
// fixture, served at the entry's real address through the local HTTPS proxy; the sole-control rule
// on a LinkedIn page in a language the catalog lacks. The host's SQLite file is the witness, and
// each wait takes only rows stored after its own step (rowid above the last one seen before).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { AI_PAGE, HOST_BIN, eventually } from './helpers/browser.mjs';
import { FIREFOX, launchFirefox } from './helpers/firefox.mjs';
import { hostRows, sqlText } from './helpers/host-database.mjs';
import { sampled } from './helpers/sample.mjs';
import { PAGES, labelVariants, readableEntries } from './helpers/variants.mjs';

/** Rows stored after `afterRowid` for one setting: [{rowid, state}]. */
const rowsAfter = (stateHome, platform, setting, afterRowid) => hostRows(stateHome,
  `SELECT rowid, state FROM observations WHERE platform = ${sqlText(platform)} AND setting = ${sqlText(setting)} AND rowid > ${Math.trunc(afterRowid)} ORDER BY rowid`);

const lastRowid = async (stateHome) =>
  (await hostRows(stateHome, 'SELECT COALESCE(MAX(rowid), 0) AS last FROM observations'))[0]?.last ?? 0;

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
