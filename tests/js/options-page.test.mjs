import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';

import { EXTENSION } from './helpers/paths.mjs';
import { fakeI18n } from './helpers/i18n.mjs';

const html = readFileSync(`${EXTENSION}options/options.html`, 'utf8');
const dom = new JSDOM(html, { url: 'chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/options/options.html' });
globalThis.chrome = { runtime: { id: 'x' }, i18n: fakeI18n('en') };
// Imported before `document` exists, so the page's main() does not run; rendering uses it later.
const { platformWatchChanges, renderOptions, savedMessage } = await import('../../extension/options/options.js');
globalThis.document = dom.window.document;

const NOW = new Date('2026-11-23T12:00:00Z');

function row(overrides) {
  return {
    key: 'linkedin/generative-ai-training',
    platform: 'linkedin',
    platform_name: 'LinkedIn',
    setting: 'generative-ai-training',
    title: 'Use my data for training content creation AI models',
    kind: 'toggle',
    known_good: 'off',
    watch: true,
    expected: 'off',
    override_expected: false,
    interval_days: 30,
    catalog_interval_days: 30,
    forced: {},
    pending: false,
    last: { state: 'off', verdict: 'compliant', at: '2026-11-23T11:57:00Z', source: 'host' },
    ...overrides,
  };
}

function state(settings, extra = {}) {
  return {
    ok: true,
    host: { status: 'connected', version: '0.1.0' },
    managed: { active: false, hideIgnoreSwitch: false, problems: [] },
    pending_count: 0,
    settings,
    ...extra,
  };
}

function render(s) {
  const document = dom.window.document;
  const sections = {
    host: document.getElementById('host'),
    managed: document.getElementById('managed'),
    platforms: document.getElementById('platforms'),
  };
  const changes = [];
  const platformWatches = [];
  renderOptions(sections, s, {
    onChange: (r, change) => changes.push([r.key, change]),
    onPlatformWatch: (rows, watch) => platformWatches.push([rows.map((r) => r.key), watch]),
    now: NOW,
  });
  return { document, sections, changes, platformWatches };
}

describe('options page', () => {
  it('has a strict CSP-friendly page: one module script of our own, no inline code, no remote resources', () => {
    assert.doesNotMatch(html, /<script>|\son[a-z]+=|https?:\/\//);
    assert.match(html, /<script type="module" src="options.js"><\/script>/);
  });

  it('groups settings by platform with known-good, last verified state and time', () => {
    const { sections } = render(
      state([
        row({}),
        row({ key: 'linkedin/data-processing-objection', setting: 'data-processing-objection', kind: 'form', title: 'Objection form', last: null }),
        row({ key: 'x/grok-training', platform: 'x', platform_name: 'X', setting: 'grok-training', title: 'Grok', last: null }),
      ]),
    );
    const cards = [...sections.platforms.querySelectorAll('.platform-card')];
    assert.deepEqual(cards.map((c) => c.querySelector('h2').textContent), ['LinkedIn', 'X']);
    assert.equal(cards[0].querySelectorAll('.choice').length, 2);
    const facts = cards[0].querySelector('.choice-facts').textContent;
    assert.equal(facts, 'Known-good: OffLast verified: Off 3 minutes ago');
    assert.equal(cards[1].querySelector('.choice-facts').textContent, 'Known-good: OffLast verified: never');
    // A form has no state to choose.
    assert.equal(cards[0].querySelectorAll('.choice')[1].querySelector('select'), null);
    assert.match(sections.host.textContent, /Helper app connected/);
  });

  it('turns the switch and the select into set-choice changes (null = back to known-good)', () => {
    const { sections, changes } = render(state([row({ expected: 'on', override_expected: true })]));
    const choice = sections.platforms.querySelector('.choice');
    assert.match(choice.querySelector('.tags').textContent, /Your choice: On/);
    const select = choice.querySelector('select');
    assert.equal(select.value, 'on');
    select.value = 'default';
    select.dispatchEvent(new dom.window.Event('change'));
    const watch = choice.querySelector('[role="switch"]');
    assert.equal(watch.getAttribute('aria-checked'), 'true');
    watch.click();
    assert.deepEqual(changes, [
      ['linkedin/generative-ai-training', { expected: null }],
      ['linkedin/generative-ai-training', { watch: false }],
    ]);
  });

  it('a re-check interval of the person\'s own: the number as it is, emptied back to the default', () => {
    const { sections, changes } = render(state([row({ interval_days: 14 })]));
    const input = sections.platforms.querySelector('.choice input[data-control="interval"]');
    assert.equal(input.value, '14');
    assert.equal(input.placeholder, '30', 'the catalog\'s interval shows when emptied');
    assert.match(input.getAttribute('aria-label'), /Use my data for training/);
    assert.equal(sections.platforms.querySelector(`label[for="${input.id}"]`).textContent, 'Re-check every (days)');
    input.value = '3';
    input.dispatchEvent(new dom.window.Event('change'));
    input.value = '';
    input.dispatchEvent(new dom.window.Event('change'));
    assert.deepEqual(changes, [
      ['linkedin/generative-ai-training', { interval_days: 3 }],
      ['linkedin/generative-ai-training', { interval_days: null }],
    ]);
  });

  it('names the sources, the languages read, and every fact no source confirms', () => {
    const facts = {
      source: 'https://www.linkedin.com/help/linkedin/answer/a6278444', checked: '2026-11-29', languages: ['en', 'de', 'es'],
      unconfirmed: [
        { field: 'path', why: 'No source gives the menu path.' },
        { field: 'label (es)', text: 'Usar mis datos', why: 'Reported second-hand only.' },
      ],
    };
    const { sections } = render(state([row({ facts, not_applicable_reasons: ['age'] })]));
    const details = sections.platforms.querySelector('details.sources');
    assert.match(details.querySelector('summary').textContent, /2 not confirmed/);
    // Dates and language names through Intl in the UI language (English here).
    assert.match(details.textContent, /From www\.linkedin\.com, checked Nov 29, 2026\./);
    assert.match(details.textContent, /Read in: English, German, and Spanish\./);
    const items = [...details.querySelectorAll('.unconfirmed li')].map((li) => li.textContent);
    assert.deepEqual(items, ['Not confirmed: the menu path. No source gives the menu path.', 'Not confirmed: the label “Usar mis datos” (Spanish). Reported second-hand only.']);
  });

  it('lets a person say a setting does not apply to them, with the catalog’s reasons only', () => {
    const { sections, changes } = render(state([row({ not_applicable_reasons: ['region', 'age'] })]));
    const select = sections.platforms.querySelector('select[data-control="not-applicable"]');
    assert.deepEqual([...select.options].map((o) => o.textContent), ['Applies to me', 'Not offered where I live', 'I am under 18']);
    select.value = 'age';
    select.dispatchEvent(new dom.window.Event('change'));
    assert.deepEqual(changes, [['linkedin/generative-ai-training', { not_applicable: 'age' }]]);
    const marked = render(state([row({ watch: false, not_applicable: 'age', not_applicable_reasons: ['age'] })]));
    assert.match(marked.sections.platforms.querySelector('.tag.na').textContent, /I am under 18: not checked/);
    assert.equal(render(state([row({})])).sections.platforms.querySelector('select[data-control="not-applicable"]'), null, 'no select without a reason');
  });

  it('says plainly when the helper app is missing and choices wait in this browser', () => {
    const { sections } = render(
      state([row({ pending: true, watch: false })], { host: { status: 'missing', error: { code: 'host_unavailable' } }, pending_count: 1 }),
    );
    assert.match(sections.host.textContent, /isn’t installed: choices are kept in this browser/);
    assert.match(sections.host.textContent, /1 choice is waiting in this browser/);
    const choice = sections.platforms.querySelector('.choice');
    assert.match(choice.className, /ignored/);
    assert.match(choice.querySelector('.tags').textContent, /waiting for the helper app/);
  });

  it('shows what the organisation set, disables those controls and hides the ignore switch', () => {
    const { sections } = render(
      state([row({ forced: { expected: 'off', watch: true }, set_by_org: true }), row({ key: 'x/grok-training', platform: 'x', platform_name: 'X', forced: { watch: true } })], {
        managed: { active: true, hideIgnoreSwitch: true, problems: ['settings["bad"]: key must be "platform/setting"'] },
      }),
    );
    assert.equal(sections.managed.hidden, false);
    assert.match(sections.managed.textContent, /set by your organisation/);
    assert.match(sections.managed.textContent, /Ignored policy entry: settings\["bad"\]/);
    const [forced, watchOnly] = sections.platforms.querySelectorAll('.choice');
    assert.match(forced.querySelector('.tags').textContent, /Set by your organisation/);
    assert.equal(forced.querySelector('select').disabled, true);
    assert.equal(forced.querySelector('[role="switch"]'), null);
    assert.match(forced.querySelector('.controls').textContent, /Always watched/);
    assert.equal(sections.platforms.querySelector('[data-control="platform-watch"]'), null, 'no platform-wide ignore either');
    assert.equal(watchOnly.querySelector('select').disabled, false);
    // Always watched because the switch is hidden, but nothing else set: no organisation tag.
    assert.equal(watchOnly.querySelector('.tag.org'), null);
  });

  it('without a policy the managed banner stays hidden and nothing is disabled', () => {
    const { sections } = render(state([row({})]));
    assert.equal(sections.managed.hidden, true);
    assert.equal(sections.platforms.querySelector('select').disabled, false);
    assert.equal(sections.platforms.querySelector('[role="switch"]').disabled, false);
  });

  it('one "I use this" switch per platform ignores or watches all of its settings at once', () => {
    const objection = row({ key: 'linkedin/objection', setting: 'objection', kind: 'form', last: null });
    const forced = row({ key: 'linkedin/partners', setting: 'partners', forced: { watch: true } });
    const ignoredX = row({ key: 'x/grok', platform: 'x', platform_name: 'X', setting: 'grok', watch: false });
    const { sections, platformWatches } = render(state([row({}), objection, forced, ignoredX]));
    const [linkedin, x] = [...sections.platforms.querySelectorAll('.platform-card [data-control="platform-watch"]')];
    assert.equal(linkedin.getAttribute('aria-checked'), 'true');
    assert.equal(linkedin.getAttribute('aria-label'), 'I use LinkedIn');
    assert.equal(linkedin.textContent, 'I use this');
    assert.equal(x.getAttribute('aria-checked'), 'false');
    assert.equal(x.textContent, 'Not using');
    linkedin.click();
    x.click();
    assert.deepEqual(platformWatches, [
      [['linkedin/generative-ai-training', 'linkedin/objection', 'linkedin/partners'], false],
      [['x/grok'], true],
    ]);
    // What a switch-off changes: not the setting the organisation forces, not what is already there.
    assert.deepEqual(platformWatchChanges([row({}), objection, forced], false).map((r) => r.key), ['linkedin/generative-ai-training', 'linkedin/objection']);
    assert.deepEqual(platformWatchChanges([row({})], true), []);
  });

  it('the platform switch is disabled when the organisation forces every setting of it', () => {
    const { sections } = render(state([row({ forced: { watch: true } })]));
    assert.equal(sections.platforms.querySelector('[data-control="platform-watch"]').disabled, true);
  });

  it('reports where a change was saved, or why not', () => {
    assert.deepEqual(savedMessage({ ok: true, saved: 'host' }), { text: 'Saved. The helper app uses it from now on.', error: false });
    assert.match(savedMessage({ ok: true, saved: 'browser' }).text, /Saved in this browser/);
    assert.deepEqual(savedMessage({ ok: false, error: { code: 'managed', message: 'expected of x/y is set by your organisation' } }), {
      text: 'Not saved: expected of x/y is set by your organisation',
      error: true,
    });
  });
});
