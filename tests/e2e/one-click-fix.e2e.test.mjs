// "Switch it off for me" end to end on the LinkedIn fixture: a real (trusted) mouse click on the
// button inside the closed shadow root switches the control through the page's own handlers, the
// badge turns green and the host records "off".
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';

import { AI_PAGE, IMAGES_DIR, alertButtonCenter, alertText, launch, linkedinBadge } from './helpers/browser.mjs';
import { afterStep, expectChange } from './helpers/wait.mjs';

await mkdir(IMAGES_DIR, { recursive: true });

describe('one-click fix on the LinkedIn fixture', () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
    page = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
  });

  it('a page script’s click on the button switches nothing', async () => {
    await afterStep(() => page.goto(AI_PAGE), () => linkedinBadge(browser.worker), (b) => b.text === '!', { what: 'violation badge' });
    await page.waitForSelector('optguard-alert', { state: 'attached' });
    assert.match((await alertText(browser.context, page)).text, /Switch it off for me/);
    await page.screenshot({ path: join(IMAGES_DIR, 'in-page-alert-fix.png'), clip: { x: 270, y: 60, width: 960, height: 560 } });
    // The page cannot even find the button (closed root); dispatching on the host does nothing.
    await page.evaluate(() => document.querySelector('optguard-alert').click());
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await page.locator('#gai-toggle').isChecked(), true);
  });

  it('a person’s click switches the control off, the badge turns green and the host records off', async () => {
    const center = await alertButtonCenter(browser.context, page, 'Switch it off for me');
    assert.ok(center, 'the alert offers the fix');
    const controlOff = await expectChange(() => page.locator('#gai-toggle').isChecked(), (checked) => checked === false, { what: 'control off' });
    const compliantBadge = await expectChange(() => linkedinBadge(browser.worker), (b) => b.text === 'OK', { what: 'compliant badge' });
    await page.mouse.click(center.x, center.y);
    await controlOff();
    await compliantBadge();
    await page.waitForSelector('optguard-alert', { state: 'detached' });
    const rows = await browser.worker.evaluate(async () => (await globalThis.optguard.port.request('status')).settings);
    const row = rows.find((r) => r.platform === 'linkedin' && r.setting === 'generative-ai-training');
    assert.equal(row.state, 'off');
    assert.equal(row.verdict, 'compliant');
  });
});
