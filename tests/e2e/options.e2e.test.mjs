// The options page end to end: real headless Chromium, the real extension and the real host. A
// choice made on the page lands in config.json, where the CLI sees it; without the host it waits in
// the browser; an administrator's policy locks the controls. Screenshots of the three states.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';

import { AI_PAGE, EXTENSION_ID, HOST_BIN, IMAGES_DIR, launch, linkedinBadge } from './helpers/browser.mjs';
import { afterStep, eventually, mark, observationSince } from './helpers/wait.mjs';
import { editHostDatabase, sqlText } from './helpers/host-database.mjs';
import { MSG } from '../../extension/shared/protocol.js';
import { storeScreenshot } from './helpers/store-screenshots.mjs';

const run = promisify(execFile);
const OPTIONS = `chrome-extension://${EXTENSION_ID}/options/options.html`;
const LINKEDIN_KEY = 'linkedin/generative-ai-training';
const LI = `[data-key="${LINKEDIN_KEY}"]`;
const POPUP = `chrome-extension://${EXTENSION_ID}/popup/popup.html`;

await mkdir(IMAGES_DIR, { recursive: true });

async function openOptions(context) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1000, height: 900 });
  await page.goto(OPTIONS);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

async function screenshot(page, file) {
  await page.screenshot({ path: join(IMAGES_DIR, file), clip: { x: 0, y: 0, width: 1000, height: 900 } });
}

/** Runs `step` on a freshly opened page and returns the status line it caused (empty before it). */
function savedAfter(page, step) {
  return afterStep(step, () => page.locator('#saved').innerText(), (text) => text !== '', { what: 'the status line' });
}

describe('options page with the helper app', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('lists every catalog setting by platform, with the last verified state from the host', async () => {
    const settingsPage = await browser.context.newPage();
    await afterStep(() => settingsPage.goto(AI_PAGE), () => linkedinBadge(browser.worker), (b) => b.text === '!', { what: 'violation badge' });
    await settingsPage.close();

    const page = await openOptions(browser.context);
    assert.match(await page.locator('#host').innerText(), /Helper app connected/);
    const catalog = JSON.parse(await readFile(new URL('../../extension/catalog/index.json', import.meta.url), 'utf8'));
    assert.equal(await page.locator('.platform-card').count(), catalog.platforms.length);
    const facts = await page.locator(`${LI} .choice-facts`).innerText();
    assert.match(facts, /Known-good: Off/);
    assert.match(facts, /Last verified: On just now/);
    // The stores' third screenshot: the options page as a person first sees it, 1280×800.
    await storeScreenshot(page, 'store-3-options.png');
    await page.close();
  });

  it('the popup links to the options page', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup/popup.html`);
    await popup.waitForSelector('body[data-ready="true"]');
    const [opened] = await Promise.all([browser.context.waitForEvent('page'), popup.locator('#open-options').click()]);
    await opened.waitForSelector('body[data-ready="true"]');
    assert.equal(opened.url(), OPTIONS);
    await opened.close();
    await popup.close().catch(() => {});
  });

  it('a choice is saved by the host in config.json (0600) and the CLI follows it', async () => {
    const page = await openOptions(browser.context);
    assert.equal(await page.locator(`${LI} .tag.own`).count(), 0, 'no choice of the person yet');
    assert.equal(await savedAfter(page, () => page.locator(`${LI} select[data-control="expected"]`).selectOption('on')), 'Saved. The helper app uses it from now on.');
    await page.waitForFunction((sel) => document.querySelector(`${sel} .tag.own`)?.textContent === 'Your choice: On', LI);
    assert.equal(await page.locator('[data-key="x/grok-training"] [role="switch"]').getAttribute('aria-checked'), 'true');
    await page.locator('[data-key="x/grok-training"] [role="switch"]').click();
    await page.waitForFunction(() => document.querySelector('[data-key="x/grok-training"] [role="switch"]').getAttribute('aria-checked') === 'false');

    const file = join(browser.env.XDG_CONFIG_HOME, 'optguard', 'config.json');
    const config = JSON.parse(await readFile(file, 'utf8'));
    assert.deepEqual(config.settings['linkedin/generative-ai-training'], { expected: 'on' });
    assert.deepEqual(config.settings['x/grok-training'], { watch: false });
    assert.equal((await stat(file)).mode & 0o777, 0o600);

    const { stdout } = await run(HOST_BIN, ['status', '--json'], { env: browser.env });
    const row = JSON.parse(stdout).settings.find((r) => r.platform === 'linkedin' && r.setting === 'generative-ai-training');
    assert.equal(row.expected, 'on');
    assert.equal(row.verdict, 'compliant'); // the last report (on) judged against the new choice
    await screenshot(page, 'options.png');
    await page.close();
  });

  it('welcome: one switch per platform stops watching a service the person does not use', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.goto(`${OPTIONS}#welcome`);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.locator('#welcome').isVisible(), true);
    const dueBefore = JSON.parse((await run(HOST_BIN, ['due', '--json'], { env: browser.env })).stdout);
    assert.ok(dueBefore.platforms.some((p) => p.platform === 'quora'), 'a fresh Quora is due (never checked)');

    const uses = page.locator('[data-platform="quora"] [data-control="platform-watch"]');
    assert.equal(await uses.getAttribute('aria-checked'), 'true');
    assert.equal(await savedAfter(page, () => uses.click()), 'Saved. The helper app uses it from now on.');
    await page.waitForFunction(
      () => document.querySelector('[data-platform="quora"] [data-control="platform-watch"]').getAttribute('aria-checked') === 'false',
    );
    const config = JSON.parse(await readFile(join(browser.env.XDG_CONFIG_HOME, 'optguard', 'config.json'), 'utf8'));
    assert.deepEqual(config.settings['quora/llm-training'], { watch: false });
    const dueAfter = JSON.parse((await run(HOST_BIN, ['due', '--json'], { env: browser.env })).stdout);
    assert.equal(dueAfter.platforms.some((p) => p.platform === 'quora'), false, 'an unused service is no longer due');
    await page.locator('[data-platform="quora"]').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'options-welcome.png');
    await page.close();
  });

  it('an administrator’s policy is applied over the person’s choice and locks the controls', async () => {
    // Headless e2e cannot install a browser policy without changing the whole machine, so the
    // worker's storage.managed answers with a policy as Chromium would deliver it.
    await browser.worker.evaluate(() => {
      const policy = { hideIgnoreSwitch: true, settings: { 'linkedin/generative-ai-training': { expected: 'off' } } };
      chrome.storage.managed.get = async () => structuredClone(policy);
    });
    const page = await openOptions(browser.context);
    assert.match(await page.locator('#managed').innerText(), /set by your organisation/);
    assert.match(await page.locator(`${LI} .tags`).innerText(), /Set by your organisation/);
    assert.equal(await page.locator(`${LI} select[data-control="expected"]`).isDisabled(), true);
    assert.equal(await page.locator('[role="switch"]').count(), 0);
    // The host's config now holds the policy's values, for the CLI too.
    const config = JSON.parse(await readFile(join(browser.env.XDG_CONFIG_HOME, 'optguard', 'config.json'), 'utf8'));
    assert.deepEqual(config.settings['linkedin/generative-ai-training'], { expected: 'off' }); // watch was on already
    assert.equal(config.settings['x/grok-training'].watch, true);
    await screenshot(page, 'options-managed.png');
    await page.close();
  });
});

describe('a re-check interval set on the options page: the popup\'s card and its due list agree', () => {
  const KEY = { platform: 'linkedin', setting: 'generative-ai-training' };
  const CARD = `#settings article.setting[data-platform="${KEY.platform}"][data-setting="${KEY.setting}"]`;
  const ITEM = `#due .due-item[data-platform="${KEY.platform}"][data-setting="${KEY.setting}"]`;
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  /** A fresh popup: does its card say due (and what), does its due list hold the setting? */
  async function popupView() {
    const popup = await browser.context.newPage();
    await popup.goto(POPUP);
    await popup.waitForSelector('body[data-ready="true"]');
    await popup.waitForSelector('#due[data-ready="true"]');
    const card = popup.locator(`${CARD} dd.due`);
    const view = {
      card: (await card.count()) > 0 ? await card.innerText() : null,
      list: (await popup.locator(ITEM).count()) > 0,
    };
    return { popup, view };
  }

  /** The host's records of the setting moved `days` into the past, as if that time had gone by. */
  async function daysGoBy(days) {
    const ms = days * 86400000;
    const where = `platform = ${sqlText(KEY.platform)} AND setting = ${sqlText(KEY.setting)}`;
    await editHostDatabase(browser.env.XDG_STATE_HOME, `UPDATE observations SET observed_at = observed_at - ${ms} WHERE ${where}; UPDATE acknowledgements SET acknowledged_at = acknowledged_at - ${ms} WHERE ${where}`);
  }

  async function chooseInterval(text) {
    const page = await openOptions(browser.context);
    const input = page.locator(`${LI} input[data-control="interval"]`);
    await input.fill(text);
    const saved = await savedAfter(page, () => input.dispatchEvent('change'));
    await page.close();
    return saved;
  }

  it('both say due, both stop after Done, both follow the person\'s interval as time goes by', async () => {
    // LinkedIn's toggle is ON in the fixture: a violation, due at once in both places.
    const settingsPage = await browser.context.newPage();
    const opened = await mark();
    await settingsPage.goto(AI_PAGE);
    await observationSince(browser.worker, LINKEDIN_KEY, opened, (o) => o.verdict === 'violation', { what: 'the LinkedIn violation stored' });
    await settingsPage.close();
    let { popup, view } = await popupView();
    assert.deepEqual(view, { card: 'Due (every 30 days)', list: true });
    await popup.close();

    // The person's own interval, 2 days, on the options page: in config.json for the host.
    assert.equal(await chooseInterval('2'), 'Saved. The helper app uses it from now on.');
    const config = JSON.parse(await readFile(join(browser.env.XDG_CONFIG_HOME, 'optguard', 'config.json'), 'utf8'));
    assert.equal(config.settings[LINKEDIN_KEY].interval_days, 2);

    // Done in the popup's due list: the card stops saying due too.
    ({ popup } = await popupView());
    await popup.locator(ITEM).getByRole('button', { name: 'Done' }).click();
    await popup.waitForSelector(ITEM, { state: 'detached' });
    await popup.close();
    ({ popup, view } = await popupView());
    assert.deepEqual(view, { card: null, list: false });
    await popup.close();

    // Three days on: past the person's 2 days (not the catalog's 30), due in both places again.
    await daysGoBy(3);
    ({ popup, view } = await popupView());
    assert.deepEqual(view, { card: 'Due (every 2 days)', list: true });
    assert.match(await popup.locator(ITEM).innerText(), /interval/i);
    await popup.close();

    // Back to the catalog's 30 days (the field emptied): due in neither.
    assert.equal(await chooseInterval(''), 'Saved. The helper app uses it from now on.');
    ({ popup, view } = await popupView());
    assert.deepEqual(view, { card: null, list: false });
    await popup.close();
  });
});

describe('options page without the helper app', () => {
  let browser;
  before(async () => {
    browser = await launch({ hostPath: '/nonexistent/optguard-host' });
  });
  after(async () => {
    await browser?.close();
  });

  it('says so, keeps the choice in this browser and shows it as waiting', async () => {
    const page = await openOptions(browser.context);
    assert.match(await page.locator('#host').innerText(), /isn’t installed: choices are kept in this browser/);
    assert.equal(await savedAfter(page, () => page.locator(`${LI} [role="switch"]`).click()), 'Saved in this browser. It goes to the helper app once it is installed.');
    await page.waitForFunction((sel) => document.querySelector(`${sel} .tag.waiting`) !== null, LI);
    assert.match(await page.locator('#host').innerText(), /1 choice is waiting in this browser/);
    const pending = await browser.worker.evaluate(async () => (await chrome.storage.local.get('pendingChoices')).pendingChoices);
    assert.deepEqual(pending, { 'linkedin/generative-ai-training': { watch: false } });
    await screenshot(page, 'options-host-missing.png');
    await page.close();
  });

  it('an ignored setting is not read on its page: no alert, no observation', async () => {
    // Absence proves something only once the page's content script has run: wait for its request
    // for the page's settings (seen by a listener beside the worker's own, which answers it
    // without the ignored setting), then give a wrong report time to show.
    await browser.worker.evaluate((type) => {
      globalThis.e2ePageSettingsAsked = 0;
      chrome.runtime.onMessage.addListener((message) => {
        if (message?.type === type) {
          globalThis.e2ePageSettingsAsked += 1;
        }
      });
    }, MSG.PAGE_SETTINGS);
    const page = await browser.context.newPage();
    await page.goto(AI_PAGE);
    await page.locator('#gai-toggle').waitFor({ state: 'attached' });
    await eventually(() => browser.worker.evaluate(() => globalThis.e2ePageSettingsAsked), (n) => n > 0, { what: 'the content script asking for the page’s settings' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(await page.locator('optguard-alert').count(), 0);
    const observations = await browser.worker.evaluate(async () => (await chrome.storage.local.get('observations')).observations ?? {});
    assert.equal(observations['linkedin/generative-ai-training'], undefined);
    await page.close();
  });
});
