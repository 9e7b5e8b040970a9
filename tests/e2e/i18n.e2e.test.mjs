// OptGuard in a German Chromium (issue 16): with the browser's UI language German (LANGUAGE=de,
// --lang=de, Debian's chromium-l10n), the extension's i18n follows it: the in-page alert on
// LinkedIn's German page, the badge title, the popup and a reminder notification are German, and
// the setting is named by the label the member saw on the page. Real headless Chromium, the real
// host. Screenshots: popup-de.png and in-page-alert-de.png (OPTGUARD_SCREENSHOT_DIR=docs/images).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';

import { AI_PAGE, EXTENSION_ID, IMAGES_DIR, NO_HOST_BINARY, alertButtonCenter, alertText, eventually, launch, linkedinBadge, watchOnly } from './helpers/browser.mjs';
import { linkedinIn } from './helpers/variants.mjs';

const POPUP = `chrome-extension://${EXTENSION_ID}/popup/popup.html`;
const KEY = 'linkedin/generative-ai-training';
const { html: GERMAN_PAGE, label: GERMAN, setting: GAI } = linkedinIn('de');
/** Kept watched (two platforms: one notification each); every other setting is ignored. */
const WATCHED = [KEY, 'chatgpt/improve-the-model'];

await mkdir(IMAGES_DIR, { recursive: true });

describe('OptGuard in a German Chromium', { skip: NO_HOST_BINARY }, () => {
  let browser;
  let page;

  before(async () => {
    browser = await launch({ uiLanguage: 'de' });
    const { context, worker } = browser;
    // Later routes win: every LinkedIn page is the German one.
    await context.route('https://www.linkedin.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: GERMAN_PAGE }));
    // Notifications cannot be read back in Chromium (getAll gives ids only): record what the
    // extension hands the real API.
    await worker.evaluate(() => {
      const create = chrome.notifications.create.bind(chrome.notifications);
      globalThis.shownNotifications = [];
      chrome.notifications.create = (id, options) => {
        globalThis.shownNotifications.push({ id, ...options });
        return create(id, options);
      };
    });
    await watchOnly(worker, WATCHED);
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  it('the browser\'s UI is German and the extension speaks it', async () => {
    const seen = await browser.worker.evaluate(() => ({
      ui: chrome.i18n.getUILanguage(),
      messages: chrome.i18n.getMessage('localeCode'),
      name: chrome.i18n.getMessage('extName'),
    }));
    assert.match(seen.ui, /^de\b/);
    assert.equal(seen.messages, 'de');
    assert.equal(seen.name, 'OptGuard');
  });

  it('the in-page alert on LinkedIn\'s German page is German and names the setting as the page does', async () => {
    await page.goto(AI_PAGE);
    await page.waitForSelector(`optguard-alert[data-optguard-alert="${KEY}"]`, { state: 'attached' });
    const alert = await alertText(browser.context, page);
    assert.equal(alert.shadowRootType, 'closed');
    assert.match(alert.text, /Ihre Daten werden zum Trainieren von KI verwendet/);
    // The name is a node of its own inside the sentence (marked lang="de"); the text is read node by
    // node, joined with spaces.
    assert.ok(alert.text.includes(`„ ${GERMAN} “ ist eingeschaltet. Damit Ihre Daten nicht ins KI-Training fließen, sollte die Einstellung ausgeschaltet sein.`), alert.text);
    assert.ok(alert.text.includes(GAI.why), 'the catalog\'s explanation, in English');
    assert.ok(await alertButtonCenter(browser.context, page, 'Ausblenden'), 'a German Dismiss button');
    assert.ok(await alertButtonCenter(browser.context, page, 'Für mich ausschalten'), 'a German one-click fix');
    const observation = await browser.worker.evaluate(async (key) => (await chrome.storage.local.get('observations')).observations[key], KEY);
    assert.equal(observation.verdict, 'violation');
    assert.equal(observation.label, GERMAN, 'the worker kept the catalog label the page showed');
    await page.screenshot({ path: join(IMAGES_DIR, 'in-page-alert-de.png'), clip: { x: 270, y: 60, width: 960, height: 560 } });
  });

  it('the toolbar button\'s title is German', async () => {
    const badge = await eventually(() => linkedinBadge(browser.worker), (b) => b.text === '!', { what: 'violation badge' });
    assert.equal(badge.title, `OptGuard: KI-Training ist eingeschaltet bei „${GERMAN}“`);
  });

  it('the popup is German, with the German label and the reminders', async () => {
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.goto(POPUP);
    await popup.waitForSelector('body[data-ready="true"]');
    await popup.waitForSelector('#due[data-ready="true"]');
    assert.equal(await popup.evaluate(() => document.documentElement.lang), 'de');
    assert.equal(await popup.locator('.tagline').innerText(), 'Damit Ihre Daten nicht ins KI-Training fließen');
    assert.match(await popup.locator('#host').innerText(), /Hilfsprogramm verbunden/);
    const card = popup.locator(`#attention article[data-setting="generative-ai-training"]`);
    assert.equal(await card.locator('h2').innerText(), GERMAN);
    assert.equal(await card.locator('h2').getAttribute('lang'), 'de');
    assert.equal(await card.locator('.pill .label').innerText(), 'KI-Training an');
    assert.match(await card.locator('.facts').innerText(), /Zuletzt geprüft\s+(gerade eben|vor \d+ Minuten?)/);
    assert.equal(await card.locator('button.open').innerText(), 'Einstellungsseite öffnen');
    assert.equal(await popup.locator('#due h2').innerText(), 'Erneut zu prüfen');
    assert.match(await popup.locator('#due').innerText(), /1 Tag zurückstellen/);
    assert.equal(await popup.locator('#open-options').innerText(), 'Festlegen, was OptGuard überwacht');
    const height = await popup.evaluate(() => Math.ceil(document.documentElement.scrollHeight));
    await popup.setViewportSize({ width: 380, height });
    await popup.screenshot({ path: join(IMAGES_DIR, 'popup-de.png') });
    await popup.close();
  });

  it('a reminder notification is German and names the setting as the page did', async () => {
    const { worker } = browser;
    await worker.evaluate(async () => {
      await chrome.storage.local.remove('reminderNotifications'); // show again what was shown
      globalThis.shownNotifications.length = 0;
      await globalThis.optguard.checkReminders();
    });
    const shown = await worker.evaluate(() => globalThis.shownNotifications);
    const linkedin = shown.find((n) => n.id === 'optguard-due:linkedin');
    assert.ok(linkedin, JSON.stringify(shown));
    assert.equal(linkedin.title, 'LinkedIn: KI-Training ist eingeschaltet');
    assert.equal(linkedin.message, `${GERMAN}: Zuletzt eingeschaltet gesehen: Ihre Daten werden womöglich für KI-Training verwendet`);
    const chatgpt = shown.find((n) => n.id === 'optguard-due:chatgpt');
    assert.equal(chatgpt.title, 'ChatGPT: eine Einstellung erneut prüfen');
    assert.match(chatgpt.message, /: Nie geprüft: Öffnen Sie die Seite einmal$/);
    const ids = Object.keys(await worker.evaluate(() => chrome.notifications.getAll())).sort();
    assert.deepEqual(ids, ['optguard-due:chatgpt', 'optguard-due:linkedin'], 'the browser shows them');
    const badgeTitle = await worker.evaluate(() => chrome.action.getTitle({}));
    assert.equal(badgeTitle, 'OptGuard: 2 Einstellungen erneut prüfen');
  });
});
