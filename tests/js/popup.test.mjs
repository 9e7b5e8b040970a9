// The popup's settings part: full cards only for what needs attention (and the active tab's
// platform); everything else one line each, in a closed <details> per platform with a count summary.
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';

import { EXTENSION } from './helpers/paths.mjs';
import { fakeI18n } from './helpers/i18n.mjs';

const html = readFileSync(`${EXTENSION}popup/popup.html`, 'utf8');
const dom = new JSDOM(html, { url: 'chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/popup/popup.html' });
globalThis.chrome = { runtime: { id: 'x' }, i18n: fakeI18n('en') };
// Imported before `document` exists, so the page's main() does not run; rendering uses it later.
const { arrangeSettings, countSummary, renderSettings } = await import('../../extension/popup/popup.js');
globalThis.document = dom.window.document;

function row(platform, setting, overrides = {}) {
  return {
    platform,
    platform_name: platform === 'linkedin' ? 'LinkedIn' : platform.toUpperCase(),
    setting,
    title: `${platform} ${setting} <b>title</b>`,
    kind: 'toggle',
    expected: 'off',
    watch: true,
    opt_out_url: `https://www.${platform}.com/settings/${setting}`,
    path: ['Settings', setting],
    interval_days: 30,
    state: null,
    verdict: null,
    verified_at: null,
    source: null,
    due: false,
    ...overrides,
  };
}

const ROWS = [
  row('linkedin', 'gen-ai', { state: 'on', verdict: 'violation', verified_at: '2026-11-23T11:00:00Z', source: 'host' }),
  row('linkedin', 'objection', { kind: 'form' }),
  row('linkedin', 'partners', { state: 'off', verdict: 'compliant', verified_at: '2026-11-23T11:00:00Z', source: 'host' }),
  row('quora', 'ai', { state: null, verdict: 'unknown', verified_at: '2026-11-23T11:00:00Z', source: 'local' }),
  row('quora', 'other', {}),
  row('tumblr', 'third-party', { state: 'off', verdict: 'compliant' }),
  row('tumblr', 'ignored', { state: 'on', verdict: 'violation', watch: false }),
];

describe('popup settings layout', () => {
  it('arranges violations and unreadable settings first, the rest by platform in catalog order', () => {
    const { attention, here, groups } = arrangeSettings(ROWS);
    assert.deepEqual(attention.map((r) => `${r.platform}/${r.setting}`), ['linkedin/gen-ai', 'quora/ai']);
    assert.deepEqual(here, []);
    assert.deepEqual(groups.map((g) => [g.platform, g.rows.map((r) => r.setting)]), [
      ['linkedin', ['objection', 'partners']],
      ['quora', ['other']],
      ['tumblr', ['third-party', 'ignored']],
    ]);
  });

  it('shows the active tab\'s platform as full cards when the popup knows its URL', () => {
    const { attention, here, groups } = arrangeSettings(ROWS, 'https://www.tumblr.com/dashboard');
    assert.equal(attention.length, 2);
    assert.deepEqual(here.map((r) => r.setting), ['third-party', 'ignored']);
    assert.deepEqual(groups.map((g) => g.platform), ['linkedin', 'quora']);
    assert.deepEqual(arrangeSettings(ROWS, 'https://example.org/').here, []);
  });

  it('summarises a group\'s statuses', () => {
    assert.equal(countSummary([ROWS[1], ROWS[2], ROWS[4], row('a', 'b')]), '1 opted out · 2 not checked · 1 one-off');
    assert.equal(countSummary([ROWS[6], ROWS[5]]), '1 AI training on · 1 opted out');
  });

  it('renders cards for attention and closed, keyboard-reachable groups of one-line settings', () => {
    const section = dom.window.document.getElementById('settings');
    renderSettings(section, ROWS);
    const cards = [...section.querySelectorAll('#attention article.setting')];
    assert.deepEqual(cards.map((c) => `${c.dataset.setting}:${c.dataset.verdict}`), ['gen-ai:violation', 'ai:unknown']);
    assert.equal(cards[0].querySelector('button.open.primary').textContent, 'Open opt-out page');
    assert.equal(cards[0].querySelector('button.open').title, 'https://www.linkedin.com/settings/gen-ai');

    const groups = [...section.querySelectorAll('#groups details.group')];
    assert.deepEqual(groups.map((g) => g.dataset.platform), ['linkedin', 'quora', 'tumblr']);
    assert.ok(groups.every((g) => !g.open), 'closed by default');
    const summary = groups[0].querySelector('summary');
    assert.equal(summary.querySelector('.group-name').textContent, 'LinkedIn');
    assert.equal(summary.querySelector('.group-count').textContent, '1 opted out · 1 one-off');

    const lines = [...groups[0].querySelectorAll('li.row')];
    assert.deepEqual(lines.map((l) => l.querySelector('.pill').textContent), ['↗One-off request', '✓Opted out']);
    const title = lines[1].querySelector('button.row-open');
    assert.equal(title.type, 'button');
    assert.equal(title.textContent, 'linkedin partners <b>title</b>', 'titles are text, never markup');
    assert.equal(title.querySelector('b'), null);
    assert.equal(title.title, 'https://www.linkedin.com/settings/partners');
    assert.equal(section.querySelectorAll('article.setting').length, 2, 'no full card for the rest');
  });

  it('says so when nothing needs attention', () => {
    const section = dom.window.document.getElementById('settings');
    renderSettings(section, [ROWS[2], ROWS[4]]);
    assert.match(section.querySelector('#attention .all-clear').textContent, /Nothing is switched on or unreadable/);
    assert.equal(section.querySelector('#groups .section-title').textContent, 'All settings');
  });

  it('says in words why a setting could not be read, and offers a diagnostic on its own page only', () => {
    const section = dom.window.document.getElementById('settings');
    const unknown = row('linkedin', 'gen-ai', {
      state: 'unknown', verdict: 'unknown', reason: 'ambiguous', verified_at: '2026-11-23T11:00:00Z', source: 'host',
      pages: ['https://www.linkedin.com/settings/gen-ai*'],
    });
    renderSettings(section, [unknown], 'https://www.linkedin.com/settings/gen-ai', 7);
    const card = section.querySelector('#attention .setting');
    assert.match(card.querySelector('.reason').textContent, /more than one switch that could be this setting, so it did not guess/);
    assert.equal(card.querySelector('button.save-diagnostic').textContent, 'Save a diagnostic');
    renderSettings(section, [unknown], 'https://www.linkedin.com/feed/', 7);
    assert.equal(section.querySelector('button.save-diagnostic'), null, 'not on another page');
    renderSettings(section, [{ ...unknown, reason: 'unreadable' }], 'https://www.linkedin.com/settings/gen-ai', 7);
    assert.match(section.querySelector('.reason').textContent, /could not tell whether it is on or off/);
    assert.equal(section.querySelector('button.save-diagnostic'), null, 'the page did not change: no diagnostic');
  });
});
