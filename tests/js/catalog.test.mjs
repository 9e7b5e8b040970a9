import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CatalogError,
  findSetting,
  findSettingsForUrl,
  hostMatches,
  hostPatterns,
  isCatalogHost,
  loadCatalog,
  matchesPattern,
  parsePattern,
  stripQueryAndFragment,
} from '../../extension/shared/catalog.js';
import { fileFetch, resolveExtensionUrl } from './helpers/paths.mjs';

const AI_PAGE = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';

function memoryFetch(files) {
  return async (url) => {
    const name = url.replace('mem:/', '');
    if (!(name in files)) {
      return { ok: false, status: 404, json: async () => null };
    }
    return { ok: true, status: 200, json: async () => JSON.parse(files[name]) };
  };
}
const memUrl = (path) => `mem:/${path}`;

describe('match patterns', () => {
  it('a trailing * matches the bare page, a query and a longer path', () => {
    const pattern = `${AI_PAGE}*`;
    assert.ok(matchesPattern(pattern, AI_PAGE));
    assert.ok(matchesPattern(pattern, `${AI_PAGE}?trk=settings`));
    assert.ok(matchesPattern(pattern, `${AI_PAGE}/`));
    assert.ok(matchesPattern(pattern, `${AI_PAGE}#section`), 'the fragment is ignored');
  });

  it('* matches any run in the middle, including an empty one', () => {
    assert.ok(matchesPattern('https://example.com/a/*/c', 'https://example.com/a/b/x/c'));
    assert.ok(matchesPattern('https://example.com/a*c', 'https://example.com/ac'));
    assert.ok(!matchesPattern('https://example.com/a*c', 'https://example.com/acd'));
  });

  it('without * the path must match exactly', () => {
    assert.ok(matchesPattern(AI_PAGE, AI_PAGE));
    assert.ok(!matchesPattern(AI_PAGE, `${AI_PAGE}?x=1`));
    assert.ok(!matchesPattern(AI_PAGE, 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai'));
  });

  it('regex characters in the pattern are literal', () => {
    assert.ok(matchesPattern('https://example.com/a.b?c=(1)', 'https://example.com/a.b?c=(1)'));
    assert.ok(!matchesPattern('https://example.com/a.b', 'https://example.com/aXb'));
  });

  it('the host is compared exactly and * never widens it', () => {
    assert.ok(!matchesPattern(`${AI_PAGE}*`, 'https://linkedin.com/mypreferences/d/settings/data-for-ai-improvement'));
    assert.ok(!matchesPattern(`${AI_PAGE}*`, 'https://www.linkedin.com.evil.test/mypreferences/d/settings/data-for-ai-improvement'));
    assert.ok(!matchesPattern('https://www.linkedin.com/*', 'https://evil.test/https://www.linkedin.com/'));
    assert.equal(parsePattern('https://www.*.com/*'), null, 'a * inside a host is not a valid pattern');
    assert.equal(parsePattern('https://*/*'), null);
  });

  it('a wildcard host *.x matches x and every subdomain, nothing else (docs/catalog-format.md)', () => {
    const pattern = 'https://*.substack.com/publish/settings*';
    assert.equal(parsePattern(pattern).host, '*.substack.com');
    assert.ok(matchesPattern(pattern, 'https://someone.substack.com/publish/settings?tab=x'));
    assert.ok(matchesPattern(pattern, 'https://a.b.substack.com/publish/settings'));
    assert.ok(matchesPattern(pattern, 'https://substack.com/publish/settings'));
    assert.ok(!matchesPattern(pattern, 'https://evilsubstack.com/publish/settings'));
    assert.ok(!matchesPattern(pattern, 'https://substack.com.evil.test/publish/settings'));
    assert.ok(!matchesPattern(pattern, 'https://someone.substack.com/p/post'));
    assert.ok(hostMatches('*.substack.com', 'X.Substack.com'));
    assert.ok(!hostMatches('www.x.com', 'x.com'));
  });

  it('only https pages match; ports and credentials are refused', () => {
    assert.ok(!matchesPattern(`${AI_PAGE}*`, AI_PAGE.replace('https:', 'http:')));
    assert.ok(!matchesPattern(`${AI_PAGE}*`, AI_PAGE.replace('www.linkedin.com', 'www.linkedin.com:8443')));
    assert.ok(!matchesPattern(`${AI_PAGE}*`, AI_PAGE.replace('www.linkedin.com', 'user:pw@www.linkedin.com')));
    assert.ok(!matchesPattern(`${AI_PAGE}*`, 'not a url'));
  });

  it('host names compare case-insensitively, as URLs do', () => {
    assert.ok(matchesPattern(`${AI_PAGE}*`, AI_PAGE.replace('www.linkedin.com', 'WWW.LinkedIn.com')));
  });

  it('stripQueryAndFragment keeps scheme, host and path', () => {
    assert.equal(stripQueryAndFragment(`${AI_PAGE}?trk=a&b=c#x`), AI_PAGE);
    assert.equal(stripQueryAndFragment('http://www.linkedin.com/'), null);
  });
});

// Settings on a page per account, site or organisation (a Substack publication, a Tumblr blog, a
// WordPress.com or Squarespace site, an Atlassian organisation) or in a dialog with no route of its own.
const PER_ACCOUNT_PAGES = new Set(['substack/block-ai-training', 'tumblr/prevent-third-party-sharing', 'wordpress-com/prevent-third-party-sharing',
  'squarespace/block-ai-crawlers', 'atlassian/in-app-data-contribution', 'character-ai/improve-the-model']);

describe('catalog loading', () => {
  it('loads the bundled catalog through runtime-style URLs', async () => {
    const catalog = await loadCatalog(resolveExtensionUrl, fileFetch);
    assert.equal(catalog.format, 2);
    assert.match(catalog.version, /^\d{4}\.\d{2}\.\d{2}$/);
    assert.ok(catalog.platforms.length >= 1);
    const linkedin = catalog.platforms.find((p) => p.platform === 'linkedin');
    assert.ok(linkedin, 'linkedin is in the catalog');
    assert.ok(linkedin.settings.some((s) => s.id === 'generative-ai-training'));
  });

  it('finds the LinkedIn setting for its page and nothing for other pages', async () => {
    const catalog = await loadCatalog(resolveExtensionUrl, fileFetch);
    const found = findSettingsForUrl(catalog, `${AI_PAGE}?trk=nav`).map(({ platform, setting }) => `${platform.platform}/${setting.id}`);
    assert.ok(found.includes('linkedin/generative-ai-training'), found.join());
    for (const key of found) {
      assert.ok(key.startsWith('linkedin/'), `${key} belongs to the page's platform`);
    }
    assert.deepEqual(findSettingsForUrl(catalog, 'https://www.linkedin.com/feed/'), []);
    assert.equal(findSetting(catalog, 'linkedin', 'generative-ai-training').setting.expected, 'off');
    assert.equal(findSetting(catalog, 'linkedin', 'nope'), null);
    assert.equal(findSetting(catalog, 'nope', 'generative-ai-training'), null);
    assert.ok(isCatalogHost(catalog, 'https://www.linkedin.com/feed/'));
    assert.ok(!isCatalogHost(catalog, 'https://example.com/'));
    assert.ok(hostPatterns(catalog).includes('https://www.linkedin.com/*'));
    assert.ok(hostPatterns(catalog).includes('https://*.substack.com/*'));
    assert.ok(isCatalogHost(catalog, 'https://someone.substack.com/publish/settings'));
  });

  it('every page pattern of the bundled catalog is valid and on one of its hosts', async () => {
    const catalog = await loadCatalog(resolveExtensionUrl, fileFetch);
    for (const platform of catalog.platforms) {
      for (const setting of platform.settings) {
        for (const page of setting.pages) {
          assert.ok(platform.hosts.includes(parsePattern(page)?.host), `${platform.platform}/${setting.id}: ${page}`);
        }
        // Settings that live on a page per account (a Substack publication's subdomain, a Tumblr
        // blog's /settings/blog/NAME) have no single deep link: opt_out_url is the nearest page
        // every user can open, and absence there is never taken as evidence.
        const perAccount = PER_ACCOUNT_PAGES.has(`${platform.platform}/${setting.id}`);
        if (setting.detect && !perAccount) {
          // content-main.js treats a control missing from its opt-out page as unknown: that page
          // must be one of the pages the control is read on.
          assert.ok(setting.pages.some((p) => matchesPattern(p, setting.opt_out_url)),
            `${platform.platform}/${setting.id}: opt_out_url is one of its pages`);
        }
      }
    }
  });

  const platform = {
    platform: 'demo',
    name: 'Demo',
    hosts: ['demo.test'],
    settings: [{ id: 'a', expected: 'off', kind: 'toggle', pages: ['https://demo.test/s*'] }],
  };

  it('rejects a format it does not know', async () => {
    const fetchImpl = memoryFetch({ 'catalog/index.json': '{"format":1,"version":"x","platforms":[]}' });
    await assert.rejects(loadCatalog(memUrl, fetchImpl), (e) => e instanceof CatalogError && /format: must be 2/.test(e.message));
  });

  it('names the file when a platform file is missing or not JSON', async () => {
    let fetchImpl = memoryFetch({ 'catalog/index.json': '{"format":2,"version":"x","platforms":["demo.json"]}' });
    await assert.rejects(loadCatalog(memUrl, fetchImpl), /demo\.json: could not be read \(HTTP 404\)/);
    fetchImpl = memoryFetch({
      'catalog/index.json': '{"format":2,"version":"x","platforms":["demo.json"]}',
      'catalog/demo.json': '{nope',
    });
    await assert.rejects(loadCatalog(memUrl, fetchImpl), /demo\.json: not valid JSON/);
  });

  it('refuses a page pattern on a host the platform does not list, and a bad expected', async () => {
    const files = (p) => ({
      'catalog/index.json': '{"format":2,"version":"x","platforms":["demo.json"]}',
      'catalog/demo.json': JSON.stringify(p),
    });
    const offHost = structuredClone(platform);
    offHost.settings[0].pages = ['https://other.test/s*'];
    await assert.rejects(loadCatalog(memUrl, memoryFetch(files(offHost))), /settings\[0\]\.pages/);
    const badExpected = structuredClone(platform);
    badExpected.settings[0].expected = 'maybe';
    await assert.rejects(loadCatalog(memUrl, memoryFetch(files(badExpected))), /settings\[0\]\.expected: must be "on" or "off"/);
    const ok = await loadCatalog(memUrl, memoryFetch(files(platform)));
    assert.equal(ok.platforms[0].platform, 'demo');
  });

  it('refuses a platform file name that could leave the catalog folder', async () => {
    const fetchImpl = memoryFetch({ 'catalog/index.json': '{"format":2,"version":"x","platforms":["../manifest.json"]}' });
    await assert.rejects(loadCatalog(memUrl, fetchImpl), /bad file name/);
  });
});
