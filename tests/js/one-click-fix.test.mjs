// The in-page alert's "Switch it off for me": content-main.js + in-page-alert.js on jsdom with the
// LinkedIn fixture and a stand-in worker (the same rules as background/router.js).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';

import { REPO, fileFetch, resolveExtensionUrl } from './helpers/paths.mjs';
import { findSettingsForUrl, loadCatalog, stripQueryAndFragment } from '../../extension/shared/catalog.js';
import { makeWindow, tick, waitFor } from './helpers/dom.mjs';
import { computeVerdict } from '../../extension/shared/verdict.js';

const catalog = await loadCatalog(resolveExtensionUrl, fileFetch);
const FIXTURE = readFileSync(`${REPO}tests/fixtures/pages/linkedin-generative-ai-training.html`, 'utf8');
const AI_PAGE = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';
const KEY = 'linkedin/generative-ai-training';

function open({ expected } = {}) {
  const states = [];
  const holder = {};
  const api = {
    runtime: {
      async sendMessage(message) {
        const entries = findSettingsForUrl(catalog, holder.window.location.href).filter((e) => e.setting.detect);
        const expectedOf = (setting) => expected ?? setting.expected;
        if (message.type === 'optguard/page-settings') {
          return {
            ok: true,
            page_url: stripQueryAndFragment(holder.window.location.href),
            settings: entries.map(({ platform, setting }) => ({
              platform: platform.platform,
              setting: setting.id,
              title: setting.title,
              why: setting.why,
              kind: setting.kind,
              expected: expectedOf(setting),
              opt_out_url: setting.opt_out_url,
              detect: setting.detect,
            })),
          };
        }
        if (message.type === 'optguard/state') {
          states.push(message.state);
          const entry = entries.find((e) => e.platform.platform === message.platform && e.setting.id === message.setting);
          const want = expectedOf(entry.setting);
          return { ok: true, ...message, verdict: computeVerdict(message.state, want), expected: want, source: 'local' };
        }
        return { ok: true };
      },
    },
  };
  const page = makeWindow(FIXTURE, { url: AI_PAGE, scripts: 'dangerously', api });
  holder.window = page.window;
  const host = () => page.document.querySelector(`optguard-alert[data-optguard-alert="${KEY}"]`);
  const shadow = () => page.shadowRoots.findLast((s) => s.host === host())?.root;
  const close = async () => {
    page.ns.stop();
    await tick(300);
    page.window.close();
  };
  return { ...page, states, host, shadow, close };
}

describe('one-click fix in the in-page alert', () => {
  it('offers "Switch it off for me"; a page script’s click on it switches nothing', async () => {
    const { document, states, host, shadow, close } = open();
    await waitFor(() => host(), { what: 'alert' });
    const fix = shadow().querySelector('button[data-action="fix"]');
    assert.equal(fix.textContent, 'Switch it off for me');
    assert.equal([...shadow().querySelectorAll('button')].map((b) => b.textContent).join('|'), 'Dismiss|Switch it off for me');
    fix.click(); // untrusted
    await tick(300);
    assert.equal(document.getElementById('gai-toggle').checked, true, 'nothing switched without a person’s click');
    assert.deepEqual(states, ['on']);
    assert.ok(host());
    await close();
  });

  it('after a person’s click, clicks the control, reads it back, reports it, and the alert goes', async () => {
    const { document, ns, states, host, close } = open();
    await waitFor(() => host(), { what: 'alert' });
    await ns.inPageAlert.runFix(KEY); // what the trusted click runs
    assert.equal(document.getElementById('gai-toggle').checked, false);
    assert.equal(document.getElementById('gai-toggle').getAttribute('aria-checked'), 'false');
    await waitFor(() => states.at(-1) === 'off', { what: 'report of off' });
    await waitFor(() => !host(), { what: 'alert removed' });
    await close();
  });

  it('when the page does not let the control change, says so and leaves the manual path', async () => {
    const { document, ns, states, host, shadow, close } = open();
    await waitFor(() => host(), { what: 'alert' });
    // The page refuses the switch (e.g. a failed save that snaps it back).
    document.getElementById('gai-toggle').addEventListener('click', (event) => event.preventDefault());
    await ns.inPageAlert.runFix(KEY);
    assert.equal(document.getElementById('gai-toggle').checked, true);
    const result = shadow().querySelector('.result');
    assert.equal(result.textContent, 'OptGuard could not switch it: it is still On. Please click the switch yourself, just above this card.');
    assert.equal(shadow().querySelector('button[data-action="fix"]'), null, 'not offered again');
    assert.equal(shadow().querySelector('button').textContent, 'Dismiss');
    assert.deepEqual(states, ['on']);
    await close();
  });

  it('for an expected-on setting the button says "Switch it on for me"', async () => {
    const { document, host, shadow, close } = open({ expected: 'off' });
    await waitFor(() => host(), { what: 'alert' });
    assert.equal(shadow().querySelector('button[data-action="fix"]').textContent, 'Switch it off for me');
    await close();
    const on = open({ expected: 'on' });
    on.document.getElementById('gai-toggle').click(); // off: a violation when "on" is expected
    await waitFor(() => on.host(), { what: 'alert for expected on' });
    assert.equal(on.shadow().querySelector('button[data-action="fix"]').textContent, 'Switch it on for me');
    await on.ns.inPageAlert.runFix(KEY);
    assert.equal(on.document.getElementById('gai-toggle').checked, true);
    assert.ok(document);
    await on.close();
  });
});
