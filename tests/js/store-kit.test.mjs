// The store listing kit (docs/store/) against what it describes: the manifest's description and
// permissions, docs/permissions.md, the screenshots the e2e run makes, the extension-id build options.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { markedText } from './helpers/markdown.mjs';

const repo = path.resolve(import.meta.dirname, '../..');
const read = (file) => fs.readFileSync(path.join(repo, file), 'utf8');
const manifest = JSON.parse(read('extension/manifest.json'));
const englishMessages = JSON.parse(read('extension/_locales/en/messages.json'));
/** The manifest's text in English: `__MSG_name__` resolved through _locales/en. */
const inEnglish = (text) => text.replace(/^__MSG_(\w+)__$/, (_, key) => englishMessages[key].message);
const listing = read('docs/store/listing.en.md');
const justifications = read('docs/store/permissions.md');
const screenshots = read('docs/store/screenshots.md');

describe('docs/store/listing.en.md', () => {
  test('the short description is the manifest\'s, within the Chrome Web Store\'s 132 characters', () => {
    const short = markedText(listing, 'short');
    assert.equal(short, inEnglish(manifest.description));
    assert.ok(short.length <= 132, `${short.length} characters`);
  });

  test('the long description fits every store: at least 250 characters (Edge), at most 10 000', () => {
    const long = markedText(listing, 'long');
    assert.ok(long.length >= 250 && long.length <= 10000, `${long.length} characters`);
    assert.match(long, /collects nothing and sends nothing/);
  });

  test('other languages have their place, and every listing present has both texts', () => {
    assert.match(read('docs/store/README.md'), /`listing\.<lang>\.md`/);
    for (const file of fs.readdirSync(path.join(repo, 'docs/store')).filter((f) => /^listing\.[a-z]{2}(-[A-Z]{2})?\.md$/.test(f))) {
      const text = read(`docs/store/${file}`);
      assert.ok(markedText(text, 'short').length <= 132, file);
      assert.ok(markedText(text, 'long').length >= 250, file);
    }
  });
});

describe('docs/store/permissions.md', () => {
  const justified = [...justifications.matchAll(/<!-- store: permission (\S+) -->/g)].map((m) => m[1]);

  test('one justification per permission the manifest asks for, and for its host permissions; no others', () => {
    assert.deepEqual([...justified].sort(), [...manifest.permissions, 'host_permissions'].sort());
    for (const name of justified) {
      assert.ok(markedText(justifications, `permission ${name}`).length > 80, `${name} says why`);
    }
  });

  test('each permission is the one docs/permissions.md explains', () => {
    const explained = read('docs/permissions.md');
    for (const permission of manifest.permissions) {
      assert.ok(explained.includes(`| \`${permission}\` |`), `docs/permissions.md has a row for ${permission}`);
    }
    assert.ok(explained.includes('| `host_permissions`'));
  });

  test('the data-use answer is the manifest\'s Firefox declaration: no data collected', () => {
    assert.ok(markedText(justifications, 'data-use').includes('`data_collection_permissions` is `{"required": ["none"]}`'));
    assert.deepEqual(manifest.browser_specific_settings.gecko.data_collection_permissions, { required: ['none'] });
    assert.match(markedText(justifications, 'remote-code'), /^No\./);
  });
});

describe('docs/store/screenshots.md', () => {
  const files = [...screenshots.matchAll(/^\| `(store-[a-z0-9-]+\.png)` \|/gm)].map((m) => m[1]);

  test('lists exactly the screenshots the e2e run makes', () => {
    const e2e = fs.readdirSync(path.join(repo, 'tests/e2e')).filter((f) => f.endsWith('.mjs'))
      .map((f) => read(`tests/e2e/${f}`)).join('\n');
    const made = [...e2e.matchAll(/'(store-[a-z0-9-]+\.png)'/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(made)].sort(), [...files].sort());
    assert.ok(files.length >= 1 && files.length <= 5, 'the Chrome Web Store takes 1 to 5');
  });

  test('the kit\'s copies exist and are 1280×800 PNGs', () => {
    for (const file of files) {
      const bytes = fs.readFileSync(path.join(repo, 'docs/images/store', file));
      assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
      assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [1280, 800], file);
    }
  });
});

describe('docs/store/README.md: the store ids', () => {
  test('names the build option cmake/ExtensionIds.cmake makes for each store row of installer/extension-ids.tsv', () => {
    const readme = read('docs/store/README.md');
    const rows = read('installer/extension-ids.tsv').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'));
    const stores = rows.filter(([family, where]) => family === 'chromium' && where !== 'unpacked');
    assert.deepEqual(stores.map(([, where]) => where), ['chrome-web-store', 'edge-add-ons']);
    for (const [, where, , id] of stores) {
      assert.ok(readme.includes(`-DOPTGUARD_EXTENSION_ID_${where.toUpperCase().replaceAll('-', '_')}=<id>`), where);
      assert.ok(id === '-' || /^[a-p]{32}$/.test(id), `${where}: '-' until the store gives the id, then the id`);
    }
    assert.ok(read('cmake/ExtensionIds.cmake').includes('string(REPLACE "-" "_" option "OPTGUARD_EXTENSION_ID_${option}")'));
  });
});
