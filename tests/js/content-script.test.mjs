// content-main.js + in-page-alert.js on jsdom, talking to a stand-in worker that follows the same
// rules as background/router.js (settings from the catalog for the page's URL).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';

import { REPO, fileFetch, resolveExtensionUrl } from './helpers/paths.mjs';
import { findDocumentsForUrl, findSettingsForUrl, loadCatalog, stripQueryAndFragment } from '../../extension/shared/catalog.js';
import { countObservers, makeWindow, tick, waitFor } from './helpers/dom.mjs';
import { computeVerdict } from '../../extension/shared/verdict.js';

const catalog = await loadCatalog(resolveExtensionUrl, fileFetch);
const FIXTURE = readFileSync(`${REPO}tests/fixtures/pages/linkedin-generative-ai-training.html`, 'utf8');
const AI_PAGE = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';
const KEY = 'linkedin/generative-ai-training';

function workerFor(getWindow, { why } = {}) {
  const messages = [];
  const api = {
    runtime: {
      async sendMessage(message) {
        messages.push(structuredClone(message));
        let url;
        try {
          url = getWindow().location.href;
        } catch {
          return { ok: false, error: { code: 'host_disconnected', message: 'the test closed the window' } };
        }
        const entries = findSettingsForUrl(catalog, url).filter((e) => e.setting.detect);
        if (message.type === 'optguard/page-settings') {
          return {
            ok: true,
            page_url: stripQueryAndFragment(url),
            documents: findDocumentsForUrl(catalog, url).map(({ platform, document }) => ({ platform: platform.platform, document: document.id })),
            settings: entries.map(({ platform, setting }) => ({
              platform: platform.platform,
              setting: setting.id,
              title: setting.title,
              why: why ?? setting.why,
              kind: setting.kind,
              expected: setting.expected,
              opt_out_url: setting.opt_out_url,
              detect: setting.detect,
            })),
          };
        }
        if (message.type === 'optguard/state') {
          const entry = entries.find((e) => e.platform.platform === message.platform && e.setting.id === message.setting);
          if (!entry) {
            return { ok: false, error: { code: 'untrusted_sender', message: 'not on this page' } };
          }
          return { ok: true, ...message, verdict: computeVerdict(message.state, entry.setting.expected), expected: entry.setting.expected, source: 'local' };
        }
        return { ok: true };
      },
    },
  };
  return { api, messages, states: () => messages.filter((m) => m.type === 'optguard/state') };
}

function open(url, options = {}) {
  const holder = {};
  const worker = workerFor(() => holder.window, options);
  const page = makeWindow(options.html ?? FIXTURE, { url, scripts: 'dangerously', api: worker.api, beforeScripts: options.beforeScripts });
  holder.window = page.window;
  /** Stops the content script and lets in-flight work settle before the window goes away. */
  const close = async () => {
    page.ns.stop();
    await tick(400);
    page.window.close();
  };
  return { ...page, worker, close };
}

/** Counts the content scripts' MutationObserver.observe calls (the page's own fixture script makes none). */
function countObserve(window) {
  const counter = { calls: 0 };
  const observe = window.MutationObserver.prototype.observe;
  window.MutationObserver.prototype.observe = function (...args) {
    counter.calls += 1;
    return observe.apply(this, args);
  };
  window.__observeCounter = counter;
}

const alertHost = (document) => document.querySelector(`optguard-alert[data-optguard-alert="${KEY}"]`);

describe('content script on the LinkedIn fixture', () => {
  it('reports {platform, setting, state} once, shows the alert, and follows the person\'s clicks', async () => {
    const { document, worker, shadowRoots, close } = open(`${AI_PAGE}?trk=x`);
    await waitFor(() => worker.states().length === 1, { what: 'first report' });
    assert.deepEqual(worker.states()[0], { type: 'optguard/state', platform: 'linkedin', setting: 'generative-ai-training', state: 'on', label: 'Use my data for training content creation AI models' });
    await waitFor(() => alertHost(document), { what: 'alert' });

    // The alert: a closed shadow root outside the page's flow, with the catalog's why.
    const shadow = shadowRoots.find((s) => s.host === alertHost(document));
    assert.equal(shadow.mode, 'closed');
    assert.equal(alertHost(document).shadowRoot, null, 'the page cannot reach in');
    assert.equal(alertHost(document).parentElement, document.documentElement);
    assert.equal(alertHost(document).style.getPropertyValue('position'), 'absolute');
    const text = shadow.root.textContent;
    assert.ok(text.includes(catalog.platforms[0].settings[0].why));
    assert.match(text, /is On\. To keep your data out of AI training it should be Off\./);

    // Unrelated page changes do not repeat the report.
    document.body.append(document.createElement('div'));
    document.querySelector('.fake-switch').click(); // the decoy
    await tick(400);
    assert.equal(worker.states().length, 1, 'same state, no second report');

    // The person flips it off: one report, alert removed.
    document.getElementById('gai-toggle').click();
    await waitFor(() => worker.states().length === 2, { what: 'second report' });
    assert.equal(worker.states()[1].state, 'off');
    await waitFor(() => !alertHost(document), { what: 'alert removed' });

    // And on again: the alert comes back.
    document.getElementById('gai-toggle').click();
    await waitFor(() => alertHost(document), { what: 'alert back' });
    assert.deepEqual(worker.states().map((m) => m.state), ['on', 'off', 'on']);

    // A page script's synthetic click on Dismiss does nothing.
    const again = shadowRoots.findLast((s) => s.host === alertHost(document));
    again.root.querySelector('button').click();
    await tick(50);
    assert.ok(alertHost(document), 'an untrusted click does not dismiss');

    // Only the three enumerated fields plus the type ever leave the page, and with a state read by
    // its label that label as the catalog writes it (the popup names the setting by it).
    const labels = catalog.platforms[0].settings[0].detect.labels.map((label) => label.text);
    for (const message of worker.messages) {
      assert.ok(['optguard/page-settings', 'optguard/state', 'optguard/page-left'].includes(message.type));
      if (message.type === 'optguard/state') {
        assert.deepEqual(Object.keys(message).sort(), ['label', 'platform', 'setting', 'state', 'type']);
        assert.equal(message.label, 'Use my data for training content creation AI models');
        assert.ok(labels.includes(message.label), 'one of the catalog\'s labels');
      } else {
        assert.deepEqual(Object.keys(message), ['type']);
      }
    }
    await close();
  });

  it('does not report "unknown" for a setting whose control is simply on another page of its pattern', async (t) => {
    const others = findSettingsForUrl(catalog, AI_PAGE).filter((e) => e.setting.detect && e.setting.id !== 'generative-ai-training');
    if (others.length === 0) {
      t.skip('no other readable setting shares this page in the catalog');
      return;
    }
    const { worker, close } = open(AI_PAGE);
    await waitFor(() => worker.states().length === 1);
    await tick(2300); // past the unknown grace period
    assert.deepEqual(worker.states().map((m) => m.setting), ['generative-ai-training']);
    await close();
  });

  it('reports "unknown" when the control is missing from its own opt-out page, after a grace period', async () => {
    const { document, worker, close } = open(AI_PAGE);
    await waitFor(() => worker.states().length === 1);
    // Every control goes (the catalog declares this page's only control as the setting).
    document.querySelectorAll('[role="switch"], input[type="checkbox"]').forEach((control) => control.remove());
    await tick(500);
    assert.equal(worker.states().length, 1, 'not at once: pages re-render');
    await waitFor(() => worker.states().length === 2, { timeoutMs: 4000, what: 'unknown report' });
    assert.equal(worker.states()[1].state, 'unknown');
    assert.equal(worker.states()[1].reason, 'not_rendered', 'the report says why');
    assert.equal(alertHost(document), null, 'no alert without a control');
    await close();
  });

  it('follows in-app navigation (pushState) from the feed to the setting and back', async () => {
    const { document, worker, window, close } = open('https://www.linkedin.com/feed/');
    await waitFor(() => worker.messages.length >= 1);
    await tick(300);
    assert.equal(worker.states().length, 0, 'nothing to read on the feed');
    document.getElementById('go-ai-settings').click(); // the fixture app pushes the new URL
    assert.equal(window.location.href, AI_PAGE);
    await waitFor(() => worker.states().length === 1, { what: 'report after pushState' });
    assert.equal(worker.states()[0].state, 'on');
    await waitFor(() => alertHost(document));

    window.history.back();
    await waitFor(() => window.location.pathname === '/feed/', { what: 'back' });
    await waitFor(() => worker.messages.some((m) => m.type === 'optguard/page-left'), { what: 'page-left' });
    assert.equal(alertHost(document), null);
    await close();
  });

  it('puts catalog text into the alert as text, never as HTML', async () => {
    const why = '<img src=x onerror="window.pwned=1"><b>bold</b>';
    const { document, worker, shadowRoots, window, close } = open(AI_PAGE, { why });
    await waitFor(() => worker.states().length === 1);
    await waitFor(() => alertHost(document));
    const shadow = shadowRoots.find((s) => s.host === alertHost(document));
    assert.equal(shadow.root.querySelector('img, b'), null);
    assert.ok(shadow.root.textContent.includes(why));
    assert.equal(window.pwned, undefined);
    await close();
  });
});

describe('content script: the page\'s one observer', () => {
  it('one MutationObserver for detector and content-main; it stops when navigation leaves the setting', async () => {
    // The fixture app, kept busy (a chat streaming) on every view.
    const busy = FIXTURE.replace('</body>', `<script>
      let n = 0; setInterval(() => { const p = document.createElement('p'); p.textContent = 'token ' + (n++); document.body.append(p); }, 5);
    </script></body>`);
    const { document, window, worker, close } = open('https://www.linkedin.com/feed/', { html: busy, beforeScripts: countObservers });
    await waitFor(() => worker.messages.some((m) => m.type === 'optguard/page-settings'), { what: 'the feed asked once' });
    await tick(100);
    assert.equal(window.__observers.created, 0, 'nothing observed on the feed');

    document.getElementById('go-ai-settings').click(); // pushState in the fixture app
    window.dispatchEvent(new window.PopStateEvent('popstate')); // what the worker's URL_CHANGED causes
    await waitFor(() => worker.states().length === 1, { what: 'the report on the settings page' });
    assert.equal(worker.states()[0].state, 'on');
    assert.equal(window.__observers.created, 1, 'the detector\'s index and content-main share one observer');

    window.history.back();
    await waitFor(() => worker.messages.some((m) => m.type === 'optguard/page-left'), { what: 'page-left' });
    const batches = window.__observers.batches;
    await tick(300); // ~60 mutation batches of the busy page
    assert.equal(window.__observers.batches, batches, 'no batch delivered after leaving the setting');

    // Back to the setting: observing again, the index built afresh, the state read and reported.
    window.history.forward();
    await waitFor(() => worker.states().length === 2, { what: 'the report after coming back' });
    assert.equal(worker.states()[1].state, 'on');
    assert.equal(window.__observers.created, 2, 'one new observer for the new start');
    await close();
  });
});

describe('content script on pages without a setting', () => {
  it('observes nothing on a busy page of a catalog host, and starts once navigation reaches a setting', async () => {
    const busy = `<!doctype html><html><body><main id="chat"></main><script>
      let n = 0; const chat = document.getElementById('chat');
      setInterval(() => { const p = document.createElement('p'); p.textContent = 'token ' + (n++); chat.append(p); }, 5);
    </script></body></html>`;
    const { window, worker, close } = open('https://www.linkedin.com/feed/', { html: busy, beforeScripts: countObserve });
    await waitFor(() => worker.messages.some((m) => m.type === 'optguard/page-settings'), { what: 'the page asked once' });
    await tick(400); // ~80 mutation batches
    assert.equal(window.__observeCounter.calls, 0, 'no MutationObserver on a page without a setting');
    assert.equal(worker.messages.filter((m) => m.type === 'optguard/page-settings').length, 1, 'asked once, not per mutation');
    // In-app navigation to the setting (pushState in the page's world), reported by the worker.
    window.history.pushState({}, '', AI_PAGE);
    window.dispatchEvent(new window.PopStateEvent('popstate'));
    await waitFor(() => window.__observeCounter.calls > 0, { what: 'observing on the settings URL' });
    assert.equal(worker.messages.filter((m) => m.type === 'optguard/page-settings').length, 2);
    await close();
  });

  it('follows in-app navigation that happens while the first page-settings request is still in flight', async () => {
    // A slow machine: the page navigates (pushState) before the worker has answered for the feed.
    const holder = {};
    const worker = workerFor(() => holder.window);
    const real = worker.api.runtime.sendMessage;
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    let first = true;
    worker.api.runtime.sendMessage = async (message) => {
      if (message.type === 'optguard/page-settings' && first) {
        first = false;
        const reply = await real(message); // judged on the feed's URL
        await held;
        return reply;
      }
      return real(message);
    };
    const page = makeWindow(FIXTURE, { url: 'https://www.linkedin.com/feed/', scripts: 'dangerously', api: worker.api });
    holder.window = page.window;
    await waitFor(() => worker.messages.some((m) => m.type === 'optguard/page-settings'), { what: 'the first request' });
    page.document.getElementById('go-ai-settings').click(); // pushState while that request is unanswered
    page.window.dispatchEvent(new page.window.PopStateEvent('popstate')); // what the worker's URL_CHANGED causes
    await tick(50);
    release();
    await waitFor(() => worker.states().length === 1, { what: 'a report for the page navigated to' });
    assert.equal(worker.states()[0].state, 'on');
    page.ns.stop();
    await tick(400);
    page.window.close();
  });

  it('asks again when the worker does not answer (managed storage held back at browser start)', async () => {
    const holder = {};
    const worker = workerFor(() => holder.window);
    let silent = 1;
    const real = worker.api.runtime.sendMessage;
    worker.api.runtime.sendMessage = (message) => {
      if (message.type === 'optguard/page-settings' && silent > 0) {
        silent -= 1;
        worker.messages.push(structuredClone(message));
        return new Promise(() => {}); // never answers
      }
      return real(message);
    };
    const page = makeWindow(FIXTURE, { url: AI_PAGE, scripts: 'dangerously', api: worker.api });
    holder.window = page.window;
    await waitFor(() => worker.states().length === 1, { timeoutMs: 12000, what: 'a report after the unanswered request' });
    assert.ok(worker.messages.filter((m) => m.type === 'optguard/page-settings').length >= 2, 'asked again');
    page.ns.stop();
    await tick(400);
    page.window.close();
  });
});

describe('content script on a catalog policy page', () => {
  const POLICY = readFileSync(`${REPO}tests/fixtures/pages/policies/linkedin-privacy-policy-2024.html`, 'utf8');
  const policyDates = (worker) => worker.messages.filter((m) => m.type === 'optguard/policy-date');

  it('reads the effective date once and sends only {platform, document, effective_date}; observes nothing', async () => {
    const { window, worker, close } = open('https://www.linkedin.com/legal/privacy-policy', { html: POLICY, beforeScripts: countObserve });
    await waitFor(() => policyDates(worker).length > 0, { what: 'the policy date sent' });
    assert.deepEqual(policyDates(worker), [
      { type: 'optguard/policy-date', platform: 'linkedin', document: 'privacy-policy', effective_date: '2024-09-18' },
    ]);
    await tick(2500); // past the retry: nothing more is sent
    assert.equal(policyDates(worker).length, 1);
    assert.equal(window.__observeCounter.calls, 0, 'no MutationObserver on a policy page');
    await close();
  });

  it('reads once more when the date line is rendered late, and sends nothing when there is none', async () => {
    const late = `<!doctype html><html><body><main id="m"><h1>Privacy Policy</h1></main><script>
      setTimeout(() => { const p = document.createElement('p'); p.textContent = 'Effective November 3, 2025'; document.getElementById('m').append(p); }, 600);
    </script></body></html>`;
    let page = open('https://www.linkedin.com/legal/privacy-policy', { html: late });
    await waitFor(() => policyDates(page.worker).length > 0, { timeoutMs: 5000, what: 'the late date sent' });
    assert.equal(policyDates(page.worker)[0].effective_date, '2025-11-03');
    await page.close();

    page = open('https://www.linkedin.com/legal/privacy-policy', { html: '<!doctype html><html><body><h1>Privacy Policy</h1><footer>© 2025</footer></body></html>' });
    await waitFor(() => page.worker.messages.some((m) => m.type === 'optguard/page-settings'), { what: 'page-settings asked' });
    await tick(2600);
    assert.equal(policyDates(page.worker).length, 0);
    await page.close();
  });

  it('a page that is no policy document sends no date, even with a date line', async () => {
    const { worker, close } = open('https://www.linkedin.com/feed/', { html: POLICY });
    await waitFor(() => worker.messages.some((m) => m.type === 'optguard/page-settings'), { what: 'page-settings asked' });
    await tick(300);
    assert.equal(policyDates(worker).length, 0);
    await close();
  });
});
