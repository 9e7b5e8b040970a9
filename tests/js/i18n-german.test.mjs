// A German browser (issue 16): the popup, the in-page alert, notifications and the badge title in
// German, with the setting named by the label the member saw on the (German) page, in its language,
// and the catalog's English explanation marked as English. jsdom with the German messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';

import { EXTENSION, REPO, fileFetch, resolveExtensionUrl } from './helpers/paths.mjs';
import { fakeChrome } from './helpers/fake-chrome.mjs';
import { fakeI18n } from './helpers/i18n.mjs';
import { findSettingsForUrl, loadCatalog, stripQueryAndFragment } from '../../extension/shared/catalog.js';
import { makeWindow, tick, waitFor } from './helpers/dom.mjs';
import { computeVerdict } from '../../extension/shared/verdict.js';

const chrome = fakeChrome();
chrome.i18n = fakeI18n('de', { uiLanguage: 'de-DE' });
globalThis.chrome = chrome;
// Imported before `document` exists, so the popup's main() does not run.
const { renderSettings } = await import('../../extension/popup/popup.js');
const { planNotifications } = await import('../../extension/background/reminder-notifications.js');
const { withLabels } = await import('../../extension/background/due-source.js');
const { badgeFor } = await import('../../extension/background/badge.js');
const dom = new JSDOM(readFileSync(`${EXTENSION}popup/popup.html`, 'utf8'), { url: 'chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/popup/popup.html' });
globalThis.document = dom.window.document;

const catalog = await loadCatalog(resolveExtensionUrl, fileFetch);
const GAI = catalog.platforms.find((p) => p.platform === 'linkedin').settings.find((s) => s.id === 'generative-ai-training');
const GERMAN = GAI.detect.labels.find((l) => l.lang === 'de').text;
const ENGLISH = GAI.detect.labels.find((l) => l.lang === 'en').text;
const AI_PAGE = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';
const KEY = 'linkedin/generative-ai-training';
// LinkedIn's page as a German member sees it: the fixture with the German label.
const FIXTURE = readFileSync(`${REPO}tests/fixtures/pages/linkedin-generative-ai-training.html`, 'utf8')
  .replaceAll(ENGLISH, GERMAN).replace(/<html lang="[^"]*"/, '<html lang="de"');

describe('OptGuard in a German browser', () => {
  it('the popup: German words, the setting named by the German page\'s label, the why marked English', () => {
    const section = dom.window.document.getElementById('settings');
    renderSettings(section, [{
      platform: 'linkedin', platform_name: 'LinkedIn', setting: 'generative-ai-training', title: GAI.title, label: GERMAN, label_lang: 'de',
      why: GAI.why, kind: 'toggle', expected: 'off', watch: true, opt_out_url: GAI.opt_out_url, pages: GAI.pages, path: GAI.path,
      interval_days: 30, state: 'on', verdict: 'violation', verified_at: new Date(Date.now() - 3 * 60000).toISOString(), source: 'host', due: false,
    }]);
    const card = section.querySelector('#attention article.setting');
    const name = card.querySelector('h2');
    assert.equal(name.textContent, GERMAN);
    assert.equal(name.lang, 'de');
    assert.equal(section.querySelector('#attention .section-title').firstChild.textContent, 'Handlungsbedarf');
    assert.equal(card.querySelector('.pill .label').textContent, 'KI-Training an');
    assert.deepEqual([...card.querySelectorAll('.facts dt')].map((dt) => dt.textContent), ['Jetzt', 'Soll sein', 'Zuletzt geprüft']);
    assert.deepEqual([...card.querySelectorAll('.facts dd')].map((dd) => dd.textContent), ['An', 'Aus', 'vor 3 Minuten']);
    assert.equal(card.querySelector('button.open').textContent, 'Einstellungsseite öffnen');
    assert.equal(card.querySelector('.why summary').textContent, 'Warum das wichtig ist');
    assert.equal(card.querySelector('.why p').lang, 'en');
    assert.equal(card.querySelector('.why p').textContent, GAI.why);
  });

  it('notifications and the badge title: German, naming the setting as the page did', () => {
    const due = withLabels({
      platforms: [{ platform: 'linkedin', name: 'LinkedIn', severity: 'critical', settings: [{
        platform: 'linkedin', setting: 'generative-ai-training', title: GAI.title, severity: 'critical', opt_out_url: AI_PAGE,
        reasons: [{ code: 'violation', since: '2026-11-22T10:00:00.000Z', policy_date: null, message: 'last seen ON' }],
      }] }],
    }, catalog, { [KEY]: { label: GERMAN } });
    const [notification] = planNotifications(due);
    assert.equal(notification.title, 'LinkedIn: KI-Training ist eingeschaltet');
    assert.equal(notification.message, `${GERMAN}: Zuletzt eingeschaltet gesehen: Ihre Daten werden womöglich für KI-Training verwendet`);
    assert.equal(badgeFor('violation', GERMAN).title, `OptGuard: KI-Training ist eingeschaltet bei „${GERMAN}“`);
    // A label that is no catalog label of the setting is not used.
    const [english] = planNotifications(withLabels(structuredClone(due), catalog, { [KEY]: { label: 'Free page text' } }));
    assert.ok(english.message.startsWith(`${GAI.title}: `), english.message);
  });

  it('the in-page alert on LinkedIn\'s German page: German text, the German label, the English why', async () => {
    const reported = [];
    const holder = {};
    const api = {
      runtime: {
        async sendMessage(message) {
          const entries = findSettingsForUrl(catalog, holder.window.location.href).filter((e) => e.setting.detect);
          if (message.type === 'optguard/page-settings') {
            return {
              ok: true,
              page_url: stripQueryAndFragment(holder.window.location.href),
              settings: entries.map(({ platform, setting }) => ({
                platform: platform.platform, setting: setting.id, title: setting.title, why: setting.why, kind: setting.kind,
                expected: setting.expected, opt_out_url: setting.opt_out_url, detect: setting.detect,
              })),
            };
          }
          if (message.type === 'optguard/state') {
            reported.push(message);
            return { ok: true, ...message, verdict: computeVerdict(message.state, 'off'), expected: 'off', source: 'local' };
          }
          return { ok: true };
        },
      },
    };
    const page = makeWindow(FIXTURE, { url: AI_PAGE, scripts: 'dangerously', api, locale: 'de' });
    holder.window = page.window;
    const host = () => page.document.querySelector(`optguard-alert[data-optguard-alert="${KEY}"]`);
    await waitFor(() => host(), { what: 'alert' });
    const root = page.shadowRoots.findLast((s) => s.host === host()).root;
    assert.equal(reported[0].label, GERMAN, 'the report carries the German catalog label');
    assert.equal(root.querySelector('.card').lang, 'de');
    assert.equal(root.querySelector('h2').textContent, 'Ihre Daten werden zum Trainieren von KI verwendet');
    assert.equal(root.querySelector('.what').textContent,
      `„${GERMAN}“ ist eingeschaltet. Damit Ihre Daten nicht ins KI-Training fließen, sollte die Einstellung ausgeschaltet sein.`);
    assert.equal(root.querySelector('.what .name').lang, 'de');
    assert.equal(root.querySelector('.why').lang, 'en');
    assert.equal(root.querySelector('.why').textContent, GAI.why);
    assert.deepEqual([...root.querySelectorAll('button')].map((b) => b.textContent), ['Ausblenden', 'Für mich ausschalten']);
    page.ns.stop();
    await tick(300);
    page.window.close();
  });
});
