// The policy page's date line (extension/content/policy-date.js): real pages' structure, decoys, and
// the phrases of every language the extension carries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';

import { REPO } from './helpers/paths.mjs';
import { makeWindow } from './helpers/dom.mjs';

function find(body) {
  const { ns, document } = makeWindow(`<!doctype html><html><body>${body}</body></html>`, {
    url: 'https://www.linkedin.com/legal/privacy-policy',
    only: ['content/policy-date.js'],
  });
  return ns.policyDate.findEffectiveDate(document)?.date ?? null;
}

function line(text) {
  const { ns } = makeWindow('<!doctype html><html><body></body></html>', { only: ['content/policy-date.js'] });
  return ns.policyDate.dateInLine(text)?.date ?? null;
}

describe('policy date: real pages (fixtures after Open Terms Archive copies)', () => {
  const dir = `${REPO}/tests/fixtures/pages/policies`;
  const expected = JSON.parse(readFileSync(`${dir}/expected.json`, 'utf8'));
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.html'))) {
    it(file, () => {
      assert.ok(Object.hasOwn(expected, file), `${file} has an expected date in expected.json`);
      assert.equal(find(readFileSync(`${dir}/${file}`, 'utf8')), expected[file]);
    });
  }
});

describe('policy date: structure', () => {
  it('LinkedIn: the effective line after an announcement of a coming change', () => {
    assert.equal(find(`<h1>Privacy Policy</h1>
      <h3>Update to our terms</h3><p>We're updating our terms on November 3, 2025. See here for what's coming.</p>
      <p><em><a href="https://www.linkedin.com/help/linkedin/answer/a1341216">Effective September 18, 2024</a></em></p>
      <h2>Your Privacy Matters</h2><p>LinkedIn's mission is to connect the world's professionals.</p>`), '2024-09-18');
  });

  it('X: "Effective: January 15, 2026" in bold', () => {
    assert.equal(find('<h1>X Privacy Policy</h1><p><strong>Effective: January 15, 2026</strong></p>'), '2026-01-15');
  });

  it('a <time datetime> in the date line wins over its written date, and completes a partial one', () => {
    assert.equal(find('<p>Last updated <time datetime="2025-11-03T00:00:00Z">November 3, 2025</time></p>'), '2025-11-03');
    assert.equal(find('<p>Last updated <time datetime="2025-11-03">3 Nov</time></p>'), '2025-11-03');
  });

  it('decoys: a copyright year, a blog post date, a news date, a date in running text, a footer', () => {
    assert.equal(find(`<header><p>Posted on March 3, 2026</p></header>
      <article><time datetime="2026-03-03">March 3, 2026</time><p>Blog: what changed</p></article>
      <p>${'This policy was updated because of many reasons. '.repeat(6)} It was effective 2019-01-01.</p>
      <footer><p>© 2025 LinkedIn Corporation</p><p>Last updated 2020-01-01</p></footer>`), null);
  });

  it('the first date line in document order', () => {
    assert.equal(find('<p>Effective 2025-11-03</p><p>Previous version effective 2024-09-18</p>'), '2025-11-03');
  });

  it('hidden blocks are not read', () => {
    assert.equal(find('<div hidden><p>Effective 2027-01-01</p></div><p>Effective 2025-11-03</p>'), '2025-11-03');
  });

  it('nothing at all', () => {
    assert.equal(find('<h1>Privacy Policy</h1><p>Hello.</p>'), null);
  });
});

describe('policy date: lines in the ten languages', () => {
  const cases = [
    ['Effective November 3, 2025', '2025-11-03'],
    ['Last updated: 3 November 2025', '2025-11-03'],
    ['Last updated 11/03/2025', '2025-11-03'],
    ['Effective date: Nov. 3rd, 2025', '2025-11-03'],
    ['Zuletzt aktualisiert: 3. November 2025', '2025-11-03'],
    ['Gültig ab 03.11.2025', '2025-11-03'],
    ['Stand: 1. März 2026', '2026-03-01'],
    ['Dernière mise à jour : 1er novembre 2025', '2025-11-01'],
    ["Date d’entrée en vigueur : 03/11/2025", '2025-11-03'],
    ['Última actualización: 3 de noviembre de 2025', '2025-11-03'],
    ['Ultimo aggiornamento: 3 novembre 2025', '2025-11-03'],
    ['Laatst bijgewerkt: 3 november 2025', '2025-11-03'],
    ['Ostatnia aktualizacja: 3 listopada 2025', '2025-11-03'],
    ['Data wejścia w życie: 03.11.2025', '2025-11-03'],
    ['Última atualização: 3 de novembro de 2025', '2025-11-03'],
    ['Data de vigência: 3 de novembro de 2025', '2025-11-03'],
    ['Senast uppdaterad: 3 november 2025', '2025-11-03'],
    ['Gäller från 2025-11-03', '2025-11-03'],
  ];
  for (const [text, date] of cases) {
    it(text, () => assert.equal(line(text), date));
  }

  it('not a date: an impossible day, a year alone, a date far from its phrase, a word inside another', () => {
    assert.equal(line('Effective February 30, 2025'), null);
    assert.equal(line('Updated © 2025'), null);
    assert.equal(line(`Effective ${'as described in the section about your choices and rights '.repeat(1)}on 2025-11-03`), null);
    assert.equal(line("We're updating our terms on November 3, 2025."), null);
    assert.equal(line('Outstanding 2025-11-03'), null);
  });

  it('every language the extension carries has phrases', () => {
    const { ns } = makeWindow('<!doctype html><html><body></body></html>', { only: ['content/policy-date.js'] });
    const locales = readdirSync(`${REPO}/extension/_locales`).map((l) => l.split('_')[0]);
    for (const lang of new Set(locales)) {
      assert.ok(ns.policyDate.PHRASES[lang]?.length > 0, `phrases for ${lang}`);
    }
  });
});
