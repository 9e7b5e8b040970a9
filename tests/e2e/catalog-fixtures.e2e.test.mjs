// End to end over every readable catalog entry (toggle/checkbox): its offline fixture page
// (tests/fixtures/pages/<platform>-<setting>.html) served at an address its `pages` match, real
// headless Chromium, the real unpacked extension, the real optguard-host. One browser for the
// file, a new page per entry. The fixture marks its real control with data-optguard-target (only
// tests use it; the detector must not).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { NO_HOST_BINARY, REPO, launch } from './helpers/browser.mjs';
import { sampled } from './helpers/sample.mjs';
import { eventually, expectChange, forgetObservation, hostRowsSince, mark, observationSince } from './helpers/wait.mjs';
import { hostMatches, matchesPattern, parsePattern } from '../../extension/shared/catalog.js';

const CATALOG = join(REPO, 'extension/catalog');
const index = JSON.parse(readFileSync(join(CATALOG, 'index.json'), 'utf8'));
const platforms = index.platforms.map((file) => JSON.parse(readFileSync(join(CATALOG, file), 'utf8')));
const readable = platforms.flatMap((platform) =>
  platform.settings.filter((s) => s.kind === 'toggle' || s.kind === 'checkbox').map((setting) => ({ platform, setting })));
const pageOf = (href) => {
  const url = new URL(href);
  return `${url.protocol}//${url.host}${url.pathname}`;
};

/** An address the entry's pages match: the fixture's own (a page named for a blog), else its opt-out page when that is one of them. */
function addressOf({ setting }, fixture = '') {
  const declared = /<meta name="optguard-fixture-url" content="([^"]+)">/.exec(fixture)?.[1];
  if (declared) {
    return declared;
  }
  if (setting.pages.some((p) => matchesPattern(p, setting.opt_out_url))) {
    return setting.opt_out_url;
  }
  return setting.pages[0].replace('://*.', '://someone.').replaceAll('*', '');
}

/** Other readable entries whose pages also match `url` (they may add their own verdict to the badge). */
const neighboursAt = (entry, url) =>
  readable.filter((other) => other !== entry && other.setting.pages.some((p) => matchesPattern(p, url)));

async function badgeOf(worker, url) {
  return worker.evaluate(async (href) => {
    const tabs = (await chrome.tabs.query({})).filter((t) => t.url === href);
    if (tabs.length !== 1) {
      return { error: `expected one tab at ${href}, found ${tabs.length}` };
    }
    return { text: await chrome.action.getBadgeText({ tabId: tabs[0].id }) };
  }, url);
}

describe('every readable catalog entry on its fixture page', {
  skip: NO_HOST_BINARY,
}, () => {
  let browser;

  before(async () => {
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  it('covers every readable entry of index.json with a fixture', () => {
    const fixtures = new Set(readdirSync(join(REPO, 'tests/fixtures/pages')));
    assert.ok(readable.length >= 17, `${readable.length} entries`);
    for (const { platform, setting } of readable) {
      assert.ok(fixtures.has(`${platform.platform}-${setting.id}.html`), `${platform.platform}/${setting.id}`);
    }
  });

  for (const entry of sampled(readable)) {
    const { platform, setting } = entry;
    const key = `${platform.platform}/${setting.id}`;
    it(`${key}: violation is shown and recorded, a click on the real control makes it compliant`, async () => {
      const fixture = readFileSync(join(REPO, 'tests/fixtures/pages', `${platform.platform}-${setting.id}.html`), 'utf8');
      const url = addressOf(entry, fixture);
      const host = new URL(url).hostname;
      const catalogHost = parsePattern(setting.pages[0]).host;
      assert.ok(hostMatches(catalogHost, host));
      // This step's first report only: forget what an earlier page stored for this setting (a
      // neighbouring fixture may hold the same switch), and wait until it is gone.
      await forgetObservation(browser.worker, key);
      const page = await browser.context.newPage();
      try {
        await page.route((u) => hostMatches(catalogHost, u.hostname), (route) =>
          route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: fixture }));
        // Earlier cases leave their observations in the store, some of this very setting (the
        // text switch's page also holds a voice switch, set off): only what this page reported
        // after `opened` counts.
        const opened = await mark();
        await page.goto(url);
        const target = page.locator('[data-optguard-target]');
        await target.waitFor({ state: 'attached' });
        const click = async () => {
          await target.scrollIntoViewIfNeeded().catch(() => {});
          await target.click({ timeout: 3000 }).catch(() => target.click({ force: true }));
        };
        const fromHost = (o) => o.source === 'host';
        const { XDG_STATE_HOME: stateHome } = browser.env;

        // The fixture starts "on": a violation, unless "on" is the known-good state (then one
        // click makes the violation and the next one puts it right).
        const first = await observationSince(browser.worker, key, opened, (o) => fromHost(o) && o.state !== 'unknown', { what: `${key} first report` });
        assert.equal(first.state, 'on', 'the fixture starts on');
        if (first.verdict !== 'violation') {
          assert.equal(setting.expected, 'on');
          const clicked = await mark();
          await click();
          await observationSince(browser.worker, key, clicked, (o) => fromHost(o) && o.verdict === 'violation', { what: `${key} violation after the first click` });
        }
        // A tab of its own: its badge shows what this page reported, nothing older.
        const badge = await eventually(() => badgeOf(browser.worker, page.url()), (b) => b.text === '!', { what: `${key} violation badge` });
        assert.equal(badge.text, '!');
        const recorded = await hostRowsSince(stateHome, platform.platform, setting.id, opened);
        assert.ok(recorded.some((row) => row.verdict === 'violation'), `host rows: ${JSON.stringify(recorded)}`);

        const badgeLeaves = await expectChange(() => badgeOf(browser.worker, page.url()), (b) => typeof b.text === 'string' && b.text !== '!', { what: `${key} badge after the click` });
        const clicked = await mark();
        await click();
        const fixed = await observationSince(browser.worker, key, clicked, (o) => fromHost(o) && o.verdict === 'compliant', { what: `${key} compliant after the click` });
        assert.equal(fixed.state, setting.expected);
        const rows = await eventually(() => hostRowsSince(stateHome, platform.platform, setting.id, clicked), (r) => r.at(-1)?.verdict === 'compliant', { what: `${key} host row` });
        assert.deepEqual([rows.at(-1).state, rows.at(-1).verdict], [setting.expected, 'compliant']);
        // Alone on its page the badge turns OK; beside another entry it shows the worst of the others.
        const others = neighboursAt(entry, page.url()).filter((o) => pageOf(o.setting.opt_out_url) === pageOf(page.url()));
        const final = await badgeLeaves();
        assert.ok(others.length > 0 ? ['OK', '?'].includes(final.text) : final.text === 'OK', `badge ${final.text}`);
      } finally {
        await page.close();
      }
    });
  }
});
