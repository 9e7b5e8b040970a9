// The catalog on pages that look like today's real ones, in every language of each label history:
// each label served in its entry's fixture (the fixture's own label text replaced), the declared
// rules (the sole control of a LinkedIn page in a language the catalog lacks, two unknown switches
// refused, a state shown as a row button's text), and "Save a diagnostic" on a page with planted
// personal data. Real headless Chromium, the real extension, the real optguard-host.
// Every wait waits for what its own step caused: the observation is removed from the store (and
// the removal awaited) before the page is opened, and only an observation made after that counts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { mkdir } from 'node:fs/promises';

import { AI_PAGE, EXTENSION_ID, IMAGES_DIR, NO_HOST_BINARY, launch } from './helpers/browser.mjs';
import { sampled } from './helpers/sample.mjs';
import { forgetObservation, mark, observationSince } from './helpers/wait.mjs';
import { PAGES, labelVariants, readableEntries } from './helpers/variants.mjs';
import { hostMatches } from '../../extension/shared/catalog.js';

const readable = readableEntries();

describe('today’s pages, every label in its language, the declared rules', { skip: NO_HOST_BINARY }, () => {
  let browser;

  before(async () => {
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  /**
   * Forgets the stored observation and makes sure it is gone; returns a mark() taken after that, so
   * only a report of the page opened next counts (a closing page's late report does not).
   */
  async function forget(key) {
    await forgetObservation(browser.worker, key);
    return mark();
  }

  /** The first observation of `key` stored after `since` (a mark()) that `accept` takes. */
  function observed(key, since, accept, what) {
    return observationSince(browser.worker, key, since, accept, { what, timeoutMs: 15000 });
  }

  /** Serves `html` for every address on the pattern's host, opens `url`; returns the page. */
  async function serve(url, html) {
    const host = new URL(url).hostname;
    const page = await browser.context.newPage();
    await page.route((u) => hostMatches(host, u.hostname) || u.hostname === host, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await page.goto(url);
    return page;
  }

  for (const entry of sampled(readable)) {
    const { key, setting } = entry;
    const variants = labelVariants(entry);
    it(`${key}: read in every label of its history (${setting.detect.labels.length})`, { skip: variants.length === 0 && 'the fixture shows no catalog label (a declared rule reads it)' }, async () => {
      for (const { label, html, url } of variants) {
        const since = await forget(key);
        const page = await serve(url, html);
        try {
          const first = await observed(key, since, (o) => o.source === 'host' && o.state !== 'unknown', `${key} [${label.lang}] "${label.text}"`);
          assert.equal(first.state, 'on', `${key} [${label.lang}] "${label.text}": the fixture starts on`);
        } finally {
          await page.close();
        }
      }
    });
  }

  const GAI = 'linkedin/generative-ai-training';

  it('the sole-control rule reads a LinkedIn page in a language the catalog does not have', async () => {
    const html = readFileSync(join(PAGES, 'rules/linkedin-sole-control-unknown-language.html'), 'utf8');
    const since = await forget(GAI);
    const page = await serve(AI_PAGE, html);
    try {
      const first = await observed(GAI, since, (o) => o.state !== 'unknown', 'the sole control read');
      assert.deepEqual([first.state, first.verdict, first.source], ['on', 'violation', 'host']);
    } finally {
      await page.close();
    }
  });

  it('two unknown switches stay unknown, and the popup’s diagnostic holds none of the planted personal data', async () => {
    const planted = ['Jane Q. Example', 'jane.example@mail.test', '+44 20 7946 0958', 'My secret post about my health'];
    const html = readFileSync(join(PAGES, 'rules/linkedin-two-unknown-switches.html'), 'utf8')
      .replace('<body>', `<body><header><span>${planted[0]}</span> <a href="mailto:${planted[1]}">${planted[1]}</a></header><article><p>${planted[3]}</p><p>Call ${planted[2]}</p></article>`);
    const since = await forget(GAI);
    const page = await serve(AI_PAGE, html);
    try {
      const seen = await observed(GAI, since, (o) => o.state === 'unknown', 'an unknown report (after the grace period)');
      assert.equal(seen.reason, 'ambiguous');
      const tabId = await browser.worker.evaluate(async (href) => (await chrome.tabs.query({})).find((t) => t.url === href)?.id, page.url());
      assert.ok(Number.isInteger(tabId));
      const popup = await browser.context.newPage();
      try {
        await popup.goto(`chrome-extension://${EXTENSION_ID}/popup/popup.html`);
        const reply = await popup.evaluate((message) => chrome.runtime.sendMessage(message),
          { type: 'optguard/diagnostic', tabId, platform: 'linkedin', setting: 'generative-ai-training' });
        assert.equal(reply.ok, true, JSON.stringify(reply.error));
        const file = JSON.stringify(reply.diagnostic);
        for (const secret of planted) {
          assert.ok(!file.toLowerCase().includes(secret.toLowerCase()), `${secret} reached the diagnostic`);
        }
        assert.equal(reply.diagnostic.page_pattern, 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement*');
        assert.equal(reply.diagnostic.last_state.reason, 'ambiguous');
        assert.ok(reply.diagnostic.page.controls.filter((c) => c.role === 'switch' || c.role === 'checkbox').length >= 2);
        // What the person reads: the card says why OptGuard did not guess.
        await popup.reload();
        await popup.waitForSelector('body[data-ready="true"]');
        const card = popup.locator('#attention .setting[data-setting="generative-ai-training"]');
        assert.match(await card.locator('.reason').textContent(), /more than one switch that could be this setting, so it did not guess/);
        await mkdir(IMAGES_DIR, { recursive: true });
        await popup.setViewportSize({ width: 380, height: 800 });
        await card.scrollIntoViewIfNeeded();
        await card.screenshot({ path: join(IMAGES_DIR, 'popup-unknown-reason.png') });
      } finally {
        await popup.close();
      }
    } finally {
      await page.close();
    }
  });

  it('a state shown as a row button’s text is read (ChatGPT data controls)', async () => {
    const key = 'chatgpt/improve-the-model';
    const { setting } = readable.find((e) => e.key === key);
    const html = readFileSync(join(PAGES, 'rules/chatgpt-row-state-text.html'), 'utf8');
    const since = await forget(key);
    const page = await serve(setting.opt_out_url, html);
    try {
      const first = await observed(key, since, (o) => o.state !== 'unknown', 'the row button read');
      assert.equal(first.state, 'on');
      const clicked = Date.now();
      await page.locator('[data-optguard-target]').click();
      const flipped = await observed(key, clicked, (o) => o.state === 'off', 'the new text read');
      assert.equal(flipped.verdict, 'compliant');
    } finally {
      await page.close();
    }
  });

  it('the options page names the sources and what no source confirms', async () => {
    const page = await browser.context.newPage();
    try {
      await page.setViewportSize({ width: 1000, height: 900 });
      await page.goto(`chrome-extension://${EXTENSION_ID}/options/options.html`);
      await page.waitForSelector('body[data-ready="true"]');
      const card = page.locator('[data-key="linkedin/generative-ai-training"]');
      await card.locator('details.sources summary').click();
      const text = await card.locator('details.sources').textContent();
      assert.match(text, /Read in: English, German, French/); // language names through Intl.DisplayNames
      assert.match(text, /Not confirmed: the label “Usar mis datos/);
      await mkdir(IMAGES_DIR, { recursive: true });
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: join(IMAGES_DIR, 'options-sources.png') });
    } finally {
      await page.close();
    }
  });

  it('a settings page is read while the browser holds managed storage back', async () => {
    const held = await browser.worker.evaluate(() => {
      const managed = chrome.storage.managed;
      globalThis.__realManagedGet = managed.get;
      managed.get = () => new Promise(() => {}); // pending, as seen for 40 s after a browser start
      return managed.get !== globalThis.__realManagedGet;
    });
    assert.ok(held, 'managed storage is held back in the worker');
    try {
      const html = readFileSync(join(PAGES, 'rules/linkedin-sole-control-unknown-language.html'), 'utf8');
      const since = await forget(GAI);
      const page = await serve(AI_PAGE, html);
      try {
        const first = await observed(GAI, since, (o) => o.state !== 'unknown', 'a report without managed storage');
        assert.equal(first.state, 'on');
      } finally {
        await page.close();
      }
    } finally {
      await browser.worker.evaluate(() => {
        chrome.storage.managed.get = globalThis.__realManagedGet;
      });
    }
  });
});
