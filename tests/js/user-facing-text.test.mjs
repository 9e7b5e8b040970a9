// What a person reads speaks of the product, never of our issue tracker: no "issue 5" in the
// extension's pages (popup, options), in the strings its scripts show (in-page alert,
// notifications, badge titles, messages), in the catalog's texts, the manifest or the managed
// policy schema, nor in the documentation written for users. Code comments may keep their
// references: strings are found with ESLint's parser, so comments are not read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

import { Linter } from 'eslint';

import { EXTENSION, REPO } from './helpers/paths.mjs';

const ISSUE = /\bissues?\s*#?\s*\d+/i;
const USER_DOCS = ['README.md', 'docs/install.md', 'docs/enterprise.md', 'docs/permissions.md'];

function filesUnder(dir, ext) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith(ext))
    .map((d) => join(d.parentPath ?? d.path, d.name))
    .filter((path) => !relative(EXTENSION, path).startsWith('tools/')); // build tools, not the extension
}

const linter = new Linter({ configType: 'flat' });

/** "line:column text" for every string literal or template text in `code` that names an issue. */
function issueStrings(code, sourceType) {
  const message = 'names an issue';
  const messages = linter.verify(code, [{
    languageOptions: { ecmaVersion: 2023, sourceType },
    rules: {
      'no-restricted-syntax': ['error',
        { selector: `Literal[value=${ISSUE}]`, message },
        { selector: `TemplateElement[value.cooked=${ISSUE}]`, message }],
    },
  }]);
  const fatal = messages.find((m) => m.fatal);
  assert.equal(fatal, undefined, fatal?.message);
  return messages.map((m) => `${m.line}:${m.column} ${code.split('\n')[m.line - 1].trim()}`);
}

/** The text of an HTML page without its comments. */
const htmlText = (html) => html.replace(/<!--[\s\S]*?-->/g, '');

/** Every string value in a JSON document, with its path. */
function jsonStrings(value, path = '$') {
  if (typeof value === 'string') {
    return [[path, value]];
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => jsonStrings(child, `${path}.${key}`));
  }
  return [];
}

describe('user-facing text names no issue', () => {
  it('the check finds an issue in a string and not in a comment', () => {
    assert.deepEqual(issueStrings("// issue 5: a comment\nconst title = 'Reminders (issue 5)';\nconst t = `see Issue #12`;", 'module').length, 2);
    assert.deepEqual(issueStrings('/* issue 8 */ const ok = "Reminders";', 'module'), []);
    assert.ok(ISSUE.test(htmlText('<p>Due (issue 5)</p>')));
    assert.ok(!ISSUE.test(htmlText('<!-- issue 5 --><p>Due</p>')));
  });

  it('extension pages (html)', () => {
    const pages = filesUnder(EXTENSION, '.html');
    assert.ok(pages.length >= 2, pages.join(', '));
    for (const page of pages) {
      const text = htmlText(readFileSync(page, 'utf8'));
      assert.ok(!ISSUE.test(text), `${relative(REPO, page)}: ${text.match(ISSUE)?.[0]}`);
    }
  });

  it('strings in the extension\'s scripts (popup, options, in-page alert, notifications, worker)', () => {
    const scripts = filesUnder(EXTENSION, '.js');
    for (const dir of ['popup/', 'options/', 'content/', 'background/']) {
      assert.ok(scripts.some((s) => relative(EXTENSION, s).startsWith(dir)), `scripts in ${dir}`);
    }
    for (const script of scripts) {
      const sourceType = relative(EXTENSION, script).startsWith('content/') ? 'script' : 'module';
      assert.deepEqual(issueStrings(readFileSync(script, 'utf8'), sourceType), [], relative(REPO, script));
    }
  });

  it('the catalog, the manifest and the managed policy schema', () => {
    const files = [...filesUnder(join(EXTENSION, 'catalog'), '.json'), join(EXTENSION, 'manifest.json'), join(EXTENSION, 'managed-schema.json')];
    for (const file of files) {
      const named = jsonStrings(JSON.parse(readFileSync(file, 'utf8'))).filter(([, text]) => ISSUE.test(text));
      assert.deepEqual(named, [], relative(REPO, file));
    }
  });

  it('the documentation written for users', () => {
    for (const doc of USER_DOCS) {
      const lines = readFileSync(join(REPO, doc), 'utf8').split('\n');
      const named = lines.map((line, i) => `${i + 1}: ${line}`).filter((line) => ISSUE.test(line.replace(/^\d+: /, '')));
      assert.deepEqual(named, [], doc);
    }
  });
});
