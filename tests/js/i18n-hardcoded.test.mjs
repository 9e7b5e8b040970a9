// No UI text left in English in the code (issue 16): the popup, the options page, the in-page
// alert, notifications, badge titles and the host diagnosis take every word from the messages. An
// ESLint rule (the project's own parser, no extra dependency) finds string literals that reach the
// page — el()'s text, textContent, title, aria-label, append(), a notification's or badge's
// title/message — and any literal in these files that reads like an English sentence. The pages'
// HTML holds no text of its own either.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JSDOM } from 'jsdom';
import { Linter } from 'eslint';
import { readFileSync } from 'node:fs';

import { EXTENSION } from './helpers/paths.mjs';
import { readMessages } from './helpers/i18n.mjs';

/** The files that put words in front of the member. */
const UI_FILES = [
  'popup/popup.js', 'popup/due-list.js', 'options/options.js',
  'content/in-page-alert.js', 'content/content-main.js',
  'background/reminders.js', 'background/badge.js', 'background/host-diagnosis.js', 'background/popup-state.js',
  'background/observations.js',
  'shared/unknown-reasons.js', 'shared/due-text.js', 'shared/setting-name.js', 'shared/i18n.js', 'shared/dom.js',
];
/** Text that is the same in every language: the product's name, symbols, the badge's "OK". */
const ALLOWED = new Set(['OptGuard', 'OK']);
/** Properties whose string value is shown: a notification's or a badge's title and message, … */
const SHOWN_PROPERTIES = new Set(['title', 'message', 'detail', 'text', 'label', 'contextMessage']);
const SHOWN_ASSIGNMENTS = new Set(['textContent', 'innerText', 'innerHTML', 'title', 'placeholder', 'alt']);
const SHOWN_ATTRIBUTES = new Set(['aria-label', 'title', 'alt', 'placeholder', 'aria-description']);
const DOM_INSERTS = new Set(['append', 'prepend', 'replaceChildren', 'after', 'before', 'replaceWith']);
/** Words that give away an English sentence (two of them in one literal, with a space between words). */
const ENGLISH = /\b(the|is|it|to|your|you|this|not|and|of|for|can|could|was|be|with|from|open|check|cannot|can’t|isn’t|no|any|been|has|have|will)\b/gi;

/** The static text of a string literal or template literal (placeholders left out), else null. */
function staticText(node) {
  if (node?.type === 'Literal' && typeof node.value === 'string') {
    return node.value;
  }
  if (node?.type === 'TemplateLiteral') {
    return node.quasis.map((q) => q.value.cooked).join(' ');
  }
  return null;
}

/** Literals that end up as the value of an expression (a ? 'x' : 'y', a ?? 'x', 'a' + b). */
function valueLiterals(node) {
  if (!node) {
    return [];
  }
  switch (node.type) {
    case 'Literal':
    case 'TemplateLiteral':
      return [node];
    case 'ConditionalExpression':
      return [...valueLiterals(node.consequent), ...valueLiterals(node.alternate)];
    case 'LogicalExpression':
      return [...valueLiterals(node.left), ...valueLiterals(node.right)];
    case 'BinaryExpression':
      return node.operator === '+' ? [...valueLiterals(node.left), ...valueLiterals(node.right)] : [];
    default:
      return [];
  }
}

const MESSAGE_KEYS = new Set(Object.keys(readMessages('en')));
/** Words a person would read: letters, not the product's name, not a message key (a table of keys). */
const hasWords = (text) => /\p{L}{2,}/u.test(text.replace(/OptGuard/g, '')) && !ALLOWED.has(text.trim()) && !MESSAGE_KEYS.has(text);

const rule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const report = (node, why) => {
      for (const literal of valueLiterals(node)) {
        const text = staticText(literal);
        if (text !== null && hasWords(text)) {
          context.report({ node: literal, message: `${why}: ${JSON.stringify(text)} is not a message lookup` });
        }
      }
    };
    const name = (node) => (node?.type === 'Identifier' ? node.name : node?.type === 'Literal' ? String(node.value) : null);
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type === 'Identifier' && callee.name === 'el') {
          // el(tag, class, text) on extension pages; el(doc, tag, class, text) in the alert.
          const textIndex = node.arguments[0]?.type === 'Identifier' ? 3 : 2;
          report(node.arguments[textIndex], 'el() text');
        }
        if (callee.type === 'MemberExpression') {
          const method = name(callee.property);
          if (method === 'setAttribute' && SHOWN_ATTRIBUTES.has(staticText(node.arguments[0]))) {
            report(node.arguments[1], `${staticText(node.arguments[0])} attribute`);
          }
          if (DOM_INSERTS.has(method)) {
            for (const argument of node.arguments) {
              report(argument, `${method}()`);
            }
          }
        }
      },
      AssignmentExpression(node) {
        if (node.left.type === 'MemberExpression' && SHOWN_ASSIGNMENTS.has(name(node.left.property))) {
          report(node.right, name(node.left.property));
        }
      },
      Property(node) {
        if (SHOWN_PROPERTIES.has(name(node.key))) {
          report(node.value, `${name(node.key)}:`);
        }
      },
      'Literal, TemplateLiteral'(node) {
        const text = staticText(node);
        if (text === null) {
          return;
        }
        const ancestors = context.sourceCode.getAncestors(node);
        // The alert's stylesheet is CSS, not words.
        if (ancestors.findLast((a) => a.type === 'VariableDeclarator')?.id?.name === 'STYLE') {
          return;
        }
        // A validator's refusal answers a malformed message from code (bad_message), never a person;
        // thrown errors and console lines are for developers.
        if (ancestors.some((a) => (a.type === 'FunctionDeclaration' && /^validate/.test(a.id?.name ?? '')) ||
            (a.type === 'NewExpression' && /Error$/.test(a.callee.name ?? '')) ||
            (a.type === 'CallExpression' && a.callee.object?.name === 'console'))) {
          return;
        }
        const words = text.match(ENGLISH) ?? [];
        if (/\p{L}+ \p{L}+/u.test(text) && words.length >= 2) {
          context.report({ node, message: `reads like English: ${JSON.stringify(text)}` });
        }
      },
    };
  },
};

function lint(code, sourceType = 'module') {
  const linter = new Linter({ configType: 'flat' });
  return linter.verify(code, [{
    files: ['**/*.js'],
    languageOptions: { ecmaVersion: 2023, sourceType },
    plugins: { i18n: { rules: { 'no-english': rule } } },
    rules: { 'i18n/no-english': 'error' },
  }], { filename: 'ui.js' });
}

describe('no UI text hard-coded in English', () => {
  it('the check finds English where it reaches the page (it can fail)', () => {
    const found = lint(`
      el('p', 'hint', 'Install it from the repository');
      el(doc, 'p', 'what', \`\${name} is On\`);
      node.textContent = ok ? 'Copied' : t('copy');
      button.setAttribute('aria-label', 'Open the page');
      section.append('Last verified: ', b);
      const n = { title: 'OptGuard: 2 settings to re-check', message: list };
      const WORDS = { violation: 'AI training is on for this one' };
    `);
    assert.deepEqual([...new Set(found.map((m) => m.line))], [2, 3, 4, 5, 6, 7, 8], JSON.stringify(found.map((m) => m.message)));
    const clean = lint(`
      el('p', 'hint', t('hostInstallHint'));
      node.textContent = t(ok ? 'copied' : 'copy');
      button.setAttribute('aria-label', t('rowAriaLabel', name, status));
      const badge = { text: 'OK', color: '#2E7D32', title: t('badgeCompliant', name) };
      el('span', 'brand', 'OptGuard');
      const STYLE = \`.card { font: 13px/1.45 system-ui; } .why is the explanation and it is for you\`;
    `);
    assert.deepEqual(clean.map((m) => m.message), []);
  });

  for (const file of UI_FILES) {
    it(`${file} takes its words from the messages`, () => {
      const code = readFileSync(`${EXTENSION}${file}`, 'utf8');
      const found = lint(code, file.startsWith('content/') ? 'script' : 'module');
      assert.deepEqual(found.map((m) => `${file}:${m.line}: ${m.message}`), []);
    });
  }

  for (const page of ['popup/popup.html', 'options/options.html']) {
    it(`${page} holds no text of its own: data-i18n fills it`, () => {
      const english = readMessages('en');
      const { document } = new JSDOM(readFileSync(`${EXTENSION}${page}`, 'utf8')).window;
      const walker = document.createTreeWalker(document.body, 4 /* NodeFilter.SHOW_TEXT */);
      const texts = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.nodeValue.trim();
        if (text && !ALLOWED.has(text) && /\p{L}/u.test(text)) {
          texts.push(text);
        }
      }
      assert.deepEqual(texts, [], 'text in the HTML would stay English');
      for (const element of document.querySelectorAll('[title], [alt], [aria-label], [placeholder]')) {
        for (const attribute of ['title', 'alt', 'aria-label', 'placeholder']) {
          const value = element.getAttribute(attribute);
          assert.ok(value === null || value === '' || ALLOWED.has(value), `${attribute}="${value}" on <${element.localName}>`);
        }
      }
      const keys = [...document.querySelectorAll('*')].flatMap((element) =>
        Object.entries(element.dataset).filter(([name]) => name.startsWith('i18n')).map(([, key]) => key));
      assert.ok(keys.length >= 4, `${keys.length} data-i18n keys`);
      for (const key of keys) {
        assert.ok(Object.hasOwn(english, key), `data-i18n key ${key} is in the English messages`);
      }
      // The strict CSP stays: one module script by URL, nothing inline.
      const scripts = [...document.querySelectorAll('script')];
      assert.deepEqual(scripts.map((s) => [s.type, s.getAttribute('src') !== null, s.textContent.trim()]), [['module', true, '']]);
      assert.equal(document.querySelectorAll('[onclick], [onload], [onerror]').length, 0);
    });
  }
});
