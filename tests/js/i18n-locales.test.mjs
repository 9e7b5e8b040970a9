// The extension's languages (issue 16): every locale has exactly English's keys (plural forms per
// the language's own plural categories), no key goes unused in extension/, placeholders match
// English, nothing is a leftover copy of English, and the manifest takes its name, description and
// title from the messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { EXTENSION, readJson } from './helpers/paths.mjs';
import { LOCALES_DIR, localeNames, readMessages } from './helpers/i18n.mjs';

/** Typed by hand: the languages issue 16 asks for, and Brazilian Portuguese beside European. */
const LANGUAGES = ['de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'pt', 'pt_BR', 'sv'];
/** The BCP 47 tag each folder's `localeCode` must name (Intl formats in it). */
const LOCALE_CODES = { de: 'de', en: 'en', es: 'es', fr: 'fr', it: 'it', nl: 'nl', pl: 'pl', pt: 'pt-PT', pt_BR: 'pt-BR', sv: 'sv' };
/** A message may equal English's when the word is the language's own. */
const SAME_AS_ENGLISH = { fr: ['optionsSources'] };
const PLURAL = /^(.*)_(zero|one|two|few|many|other)$/;

const manifest = await readJson('extension/manifest.json');
const english = readMessages('en');

/** Plural families of English: base → its placeholders (from base_other). */
const families = new Map();
for (const key of Object.keys(english)) {
  const match = PLURAL.exec(key);
  if (match) {
    families.set(match[1], english[`${match[1]}_other`]);
  }
}

/**
 * The plural keys a language needs: `other` (the fallback) and every category an integer count up
 * to 10 000 falls in; categories only huge numbers reach (French "many": 1 000 000) may be given.
 */
function pluralCategories(code) {
  const rules = new Intl.PluralRules(code);
  const required = new Set(['other']);
  for (let n = 0; n <= 10000; n += 1) {
    required.add(rules.select(n));
  }
  return { required, allowed: new Set(rules.resolvedOptions().pluralCategories) };
}

/** The $NAME$ placeholders a message uses (lower case), and the $1…$9 it uses directly. */
function placeholderUse(message) {
  return {
    named: new Set([...message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1].toLowerCase())),
    positional: new Set([...message.replace(/\$\$/g, '').replace(/\$[A-Za-z0-9_@]+\$/g, '').matchAll(/\$([1-9])/g)].map((m) => m[1])),
  };
}

function placeholderDefinitions(entry) {
  return Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
}

/** Every file of extension/ but the messages, as text. */
function extensionSources() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== '_locales' && name !== 'catalog' && name !== 'icons') {
          walk(path);
        }
      } else if (/\.(js|html|json)$/.test(name)) {
        files.push({ path: relative(EXTENSION, path), text: readFileSync(path, 'utf8') });
      }
    }
  };
  walk(EXTENSION);
  return files;
}

const sources = extensionSources();
const allSource = sources.map((f) => f.text).join('\n');

/** A key is used when some file names it: t('key'), plural('key', …), data-i18n="key", __MSG_key__, a key table. */
function isReferenced(key) {
  const quoted = new RegExp(`['"\`]${key}['"\`]`);
  return quoted.test(allSource) || allSource.includes(`__MSG_${key}__`);
}

describe('locales', () => {
  it('the extension speaks exactly the languages of issue 16, English by default', () => {
    assert.deepEqual(localeNames(), LANGUAGES);
    assert.equal(manifest.default_locale, 'en');
    for (const locale of LANGUAGES) {
      assert.ok(statSync(join(LOCALES_DIR, locale, 'messages.json')).isFile(), locale);
    }
  });

  it('the manifest\'s name, description and button title are messages', () => {
    assert.equal(manifest.name, '__MSG_extName__');
    assert.equal(manifest.description, '__MSG_extDescription__');
    assert.equal(manifest.action.default_title, '__MSG_actionTitle__');
    for (const locale of LANGUAGES) {
      const messages = readMessages(locale);
      assert.equal(messages.extName.message, 'OptGuard', `${locale}: the product name is not translated`);
      // The Chrome Web Store's limits: name 75, description 132 characters.
      assert.ok(messages.extDescription.message.length <= 132, `${locale}: description is ${messages.extDescription.message.length} characters`);
      assert.ok(messages.actionTitle.message.includes('OptGuard'), `${locale}: the button title names OptGuard`);
    }
  });

  it('each messages.json names its own language for Intl', () => {
    for (const locale of LANGUAGES) {
      const code = readMessages(locale).localeCode.message;
      assert.equal(code, LOCALE_CODES[locale], locale);
      assert.deepEqual(Intl.getCanonicalLocales(code), [code]);
      assert.equal(new Intl.PluralRules(code).resolvedOptions().locale.split('-')[0], code.split('-')[0]);
    }
  });

  for (const locale of LANGUAGES) {
    it(`${locale}: has every key, no key English lacks, and the plural forms its language needs`, () => {
      const messages = readMessages(locale);
      const code = readMessages(locale).localeCode.message;
      const { required, allowed } = pluralCategories(code);
      const missing = [];
      const extra = [];
      for (const key of Object.keys(english).filter((k) => !PLURAL.test(k))) {
        if (!Object.hasOwn(messages, key)) {
          missing.push(key);
        }
      }
      for (const base of families.keys()) {
        for (const category of required) {
          if (!Object.hasOwn(messages, `${base}_${category}`)) {
            missing.push(`${base}_${category}`);
          }
        }
      }
      for (const key of Object.keys(messages)) {
        const match = PLURAL.exec(key);
        const known = match ? families.has(match[1]) && allowed.has(match[2]) : Object.hasOwn(english, key);
        if (!known) {
          extra.push(key);
        }
        assert.equal(typeof messages[key].message, 'string', `${locale}/${key}`);
        assert.notEqual(messages[key].message.trim(), '', `${locale}/${key} is empty`);
      }
      assert.deepEqual(missing, [], `${locale} lacks keys`);
      assert.deepEqual(extra, [], `${locale} has keys English does not (or plural forms ${code} has no use for)`);
    });

    it(`${locale}: placeholders are English's, and each one it uses is defined`, () => {
      const messages = readMessages(locale);
      const problems = [];
      for (const [key, entry] of Object.entries(messages)) {
        const match = PLURAL.exec(key);
        const reference = match ? families.get(match[1]) : english[key];
        if (!reference) {
          continue; // reported by the key check
        }
        const mine = placeholderUse(entry.message);
        const theirs = placeholderUse(reference.message);
        const definitions = placeholderDefinitions(entry);
        for (const name of mine.named) {
          if (!Object.hasOwn(definitions, name)) {
            problems.push(`${key}: $${name.toUpperCase()}$ is used but not defined`);
          }
        }
        // A plural form may leave the count out ("a setting"); everything else is as in English.
        const expected = [...theirs.named].filter((name) => !(match && name === 'count' && !mine.named.has('count')));
        if ([...mine.named].sort().join() !== expected.sort().join()) {
          problems.push(`${key}: uses {${[...mine.named].sort()}}, English {${[...theirs.named].sort()}}`);
        }
        if ([...mine.positional].sort().join() !== [...theirs.positional].sort().join()) {
          problems.push(`${key}: uses $${[...mine.positional].join(', $')} directly, English $${[...theirs.positional].join(', $')}`);
        }
        const englishDefinitions = placeholderDefinitions(reference);
        for (const [name, content] of Object.entries(definitions)) {
          if (englishDefinitions[name] !== content) {
            problems.push(`${key}: placeholder ${name} is ${content}, English ${englishDefinitions[name]}`);
          }
        }
      }
      assert.deepEqual(problems, []);
    });
  }

  it('no key is unused: each is referenced somewhere in extension/', () => {
    const unused = Object.keys(english).filter((key) => {
      const match = PLURAL.exec(key);
      return !isReferenced(match ? match[1] : key) && key !== 'localeCode';
    });
    assert.deepEqual(unused, []);
    assert.ok(isReferenced('localeCode'), 'shared/i18n.js reads localeCode');
  });

  it('every key the code names exists in English', () => {
    const named = new Set();
    const patterns = [
      /\b(?:t|plural)\(\s*'([A-Za-z0-9_]+)'/g, // t('key', …), plural('key', n)
      /\bfill\([^,()]+(?:\([^()]*\))?,\s*'([A-Za-z0-9_]+)'/g, // fill(node, 'key', …)
      /\bt\([^'()]*\?\s*'([A-Za-z0-9_]+)'\s*:\s*'([A-Za-z0-9_]+)'/g, // t(x ? 'a' : 'b')
      /data-i18n(?:-[a-z-]+)?="([A-Za-z0-9_]+)"/g,
      /__MSG_([A-Za-z0-9_]+)__/g,
    ];
    for (const { text } of sources) {
      for (const pattern of patterns) {
        for (const match of text.matchAll(pattern)) {
          for (const key of match.slice(1).filter(Boolean)) {
            named.add(key);
          }
        }
      }
    }
    assert.ok(named.size > 100, `found ${named.size} keys`);
    const missing = [...named].filter((key) => key !== 'key' && !Object.hasOwn(english, key) && !families.has(key));
    assert.deepEqual(missing, []);
  });

  it('no message is a copy of English left untranslated', () => {
    const copies = [];
    for (const locale of LANGUAGES.filter((l) => l !== 'en')) {
      const messages = readMessages(locale);
      for (const [key, entry] of Object.entries(messages)) {
        const same = english[key] && entry.message === english[key].message;
        const words = entry.message.replace(/\$[A-Za-z0-9_@]+\$/g, '').replace(/OptGuard/g, '');
        if (same && /\p{L}/u.test(words) && !(SAME_AS_ENGLISH[locale] ?? []).includes(key)) {
          copies.push(`${locale}/${key}`);
        }
      }
    }
    assert.deepEqual(copies, []);
  });
});
