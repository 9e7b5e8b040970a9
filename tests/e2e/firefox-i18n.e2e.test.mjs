// OptGuard in a German Firefox ESR (issue 16): intl.locale.requested = "de" with Debian's German
// language pack (firefox-esr-l10n-de) makes Firefox's UI German, and the add-on's i18n follows it:
// the in-page alert on LinkedIn's German page, the popup and a reminder notification are German.
// The real host; the add-on's popup is opened as a tab from the browser window's script (BiDi does
// not navigate to moz-extension:// pages).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';

import { AI_PAGE, HOST_BIN } from './helpers/browser.mjs';
import { FIREFOX, FIREFOX_POPUP, firefoxAlertText, launchFirefox, openExtensionPage } from './helpers/firefox.mjs';
import { linkedinIn } from './helpers/variants.mjs';

const KEY = 'linkedin/generative-ai-training';
const { html: GERMAN_PAGE, label: GERMAN, setting: GAI } = linkedinIn('de');
const WATCHED = [KEY, 'chatgpt/improve-the-model'];
const LANGPACK = '/usr/lib/firefox-esr/browser/extensions/langpack-de@firefox-esr.mozilla.org.xpi';

describe('Firefox ESR in German', {
  skip: (!existsSync(FIREFOX) && `no Firefox at ${FIREFOX}`)
    || (!process.env.OPTGUARD_HOST_BIN && !existsSync(HOST_BIN) && `no host binary at ${HOST_BIN} (build it first)`)
    || (!existsSync(LANGPACK) && `no German language pack at ${LANGPACK} (apt-get install firefox-esr-l10n-de)`),
}, () => {
  let ff;
  let page;
  let popup;

  before(async () => {
    ff = await launchFirefox({ hostBin: HOST_BIN, uiLanguage: 'de', systemAccess: true });
    ff.proxy.serve(({ host }) => (host === 'www.linkedin.com' ? GERMAN_PAGE : '<!doctype html><title>fixture</title>'));
    popup = await openExtensionPage(ff.browser, FIREFOX_POPUP);
    await popup.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
    // Two platforms watched, so each gets its own notification (background/reminders.js).
    await popup.evaluate(async (watched) => {
      const background = await browser.runtime.getBackgroundPage();
      const catalog = await background.optguard.ready;
      for (const platform of catalog.platforms) {
        for (const setting of platform.settings) {
          if (!watched.includes(`${platform.platform}/${setting.id}`)) {
            await background.optguard.port.request('set_choice', { platform: platform.platform, setting: setting.id, watch: false });
          }
        }
      }
    }, WATCHED);
    page = await ff.browser.newPage();
  });

  after(async () => {
    await ff?.close();
  });

  it('Firefox\'s UI is German and the add-on speaks it', async () => {
    const seen = await popup.evaluate(() => ({ ui: browser.i18n.getUILanguage(), messages: browser.i18n.getMessage('localeCode') }));
    assert.match(seen.ui, /^de\b/);
    assert.equal(seen.messages, 'de');
  });

  it('the in-page alert on LinkedIn\'s German page is German and names the setting as the page does', async () => {
    await page.goto(AI_PAGE);
    await page.waitForSelector(`optguard-alert[data-optguard-alert="${KEY}"]`, { timeout: 20000 });
    const alert = await firefoxAlertText(ff.browser, page);
    assert.equal(alert.shadowRootMode, 'closed');
    assert.match(alert.text, /Ihre Daten werden zum Trainieren von KI verwendet/);
    // The name is a node of its own inside the sentence (marked lang="de"); the text is read node by
    // node, joined with spaces.
    assert.ok(alert.text.includes(`„ ${GERMAN} “ ist eingeschaltet. Damit Ihre Daten nicht ins KI-Training fließen, sollte die Einstellung ausgeschaltet sein.`), alert.text);
    assert.ok(alert.text.includes(GAI.why), 'the catalog\'s explanation, in English');
    assert.match(alert.text, /Ausblenden/);
    assert.match(alert.text, /Für mich ausschalten/);
  });

  it('the popup is German, with the German label', async () => {
    const fresh = await openExtensionPage(ff.browser, FIREFOX_POPUP);
    await fresh.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
    const seen = await fresh.evaluate(() => {
      const card = document.querySelector('#attention article[data-setting="generative-ai-training"]');
      return {
        lang: document.documentElement.lang,
        tagline: document.querySelector('.tagline').textContent,
        host: document.getElementById('host').textContent,
        name: card?.querySelector('h2').textContent,
        nameLang: card?.querySelector('h2').lang,
        pill: card?.querySelector('.pill .label').textContent,
        open: card?.querySelector('button.open').textContent,
        options: document.getElementById('open-options').textContent,
      };
    });
    assert.deepEqual(seen, {
      lang: 'de',
      tagline: 'Damit Ihre Daten nicht ins KI-Training fließen',
      host: seen.host, // checked below
      name: GERMAN,
      nameLang: 'de',
      pill: 'KI-Training an',
      open: 'Einstellungsseite öffnen',
      options: 'Festlegen, was OptGuard überwacht',
    });
    assert.match(seen.host, /Hilfsprogramm verbunden/);
  });

  it('a reminder notification is German and names the setting as the page did', async () => {
    // Headless Firefox has no alert service to keep a notification open (notifications.getAll()
    // is empty at once), so record what the add-on hands the real API.
    const shown = await popup.evaluate(async () => {
      const background = await browser.runtime.getBackgroundPage();
      const notifications = background.browser.notifications;
      const create = notifications.create.bind(notifications);
      const seen = [];
      Object.defineProperty(notifications, 'create', {
        configurable: true,
        value: (id, options) => {
          seen.push({ id, title: options.title, message: options.message });
          return create(id, options);
        },
      });
      await browser.storage.local.remove('reminderNotifications'); // show again what was shown
      await background.optguard.checkReminders();
      return seen;
    });
    const linkedin = shown.find((n) => n.id === 'optguard-due:linkedin');
    assert.ok(linkedin, JSON.stringify(shown));
    assert.equal(linkedin.title, 'LinkedIn: KI-Training ist eingeschaltet');
    assert.equal(linkedin.message, `${GERMAN}: Zuletzt eingeschaltet gesehen: Ihre Daten werden womöglich für KI-Training verwendet`);
    assert.equal(shown.find((n) => n.id === 'optguard-due:chatgpt')?.title, 'ChatGPT: eine Einstellung erneut prüfen');
  });
});
