// Detector gaps in real Chromium with the real extension and host: a control inside a same-origin
// iframe (read by the top frame's content script; no content script runs in the frame) and a
// switch named only by the text of its row.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';

import { AI_PAGE, REPO, launch } from './helpers/browser.mjs';
import { mark, observationSince } from './helpers/wait.mjs';

const fixture = (name) => readFile(join(REPO, 'tests/fixtures/pages/detector', name), 'utf8');

describe('detector gaps in headless Chromium', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('a toggle inside a same-origin iframe: violation, then a real click inside the frame makes it compliant', async () => {
    const body = await fixture('same-origin-iframe.html');
    const page = await browser.context.newPage();
    try {
      await page.route('https://www.linkedin.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }));
      const key = 'linkedin/generative-ai-training';
      const opened = await mark();
      await page.goto(AI_PAGE);
      await observationSince(browser.worker, key, opened, (o) => o.source === 'host' && o.verdict === 'violation', { what: 'violation from the frame' });
      const clicked = await mark();
      await page.frameLocator('#panel').locator('#gai').click();
      const fixed = await observationSince(browser.worker, key, clicked, (o) => o.verdict === 'compliant', { what: 'compliant after a click in the frame' });
      assert.equal(fixed.state, 'off');
    } finally {
      await page.close();
    }
  });

  it('a switch with no accessible name, named by its row: read and followed', async () => {
    const body = await fixture('nearby-text.html');
    const page = await browser.context.newPage();
    try {
      await page.route('https://chatgpt.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }));
      const key = 'chatgpt/improve-the-model';
      const opened = await mark();
      await page.goto('https://chatgpt.com/settings/data-controls'); // where the catalog reads the setting
      await observationSince(browser.worker, key, opened, (o) => o.source === 'host' && o.verdict === 'violation', { what: 'violation by nearby text' });
      const clicked = await mark();
      await page.locator('[data-optguard-target]').click();
      const fixed = await observationSince(browser.worker, key, clicked, (o) => o.verdict === 'compliant', { what: 'compliant after the click' });
      assert.equal(fixed.state, 'off');
    } finally {
      await page.close();
    }
  });
});
