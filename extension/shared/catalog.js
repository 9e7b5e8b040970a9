// The bundled catalog (extension/catalog/, docs/catalog-format.md): loading, page matching, lookup.
// Pure apart from the fetch it is given, so it runs in node tests as it does in the worker.

export const CATALOG_FORMAT = 2;

/**
 * @typedef {{id: string, title: string, why: string, kind: string, pages: string[],
 *   opt_out_url: string, path: string[], detect?: {roles: string[], labels: CatalogLabel[],
 *   sole_control?: boolean, dialog?: {titles: CatalogLabel[]}, state_text?: {on: string[], off: string[]}},
 *   expected: 'on'|'off', interval_days: number, policy_events: object[], source: string,
 *   checked: string}} CatalogSetting
 * @typedef {{text: string, lang: string, since?: string, until?: string, source: string,
 *   checked: string, unconfirmed?: string}} CatalogLabel
 * @typedef {{platform: string, name: string, hosts: string[], settings: CatalogSetting[]}}
 *   CatalogPlatform
 * @typedef {{format: number, version: string, platforms: CatalogPlatform[]}} Catalog
 */

export class CatalogError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CatalogError';
    this.code = 'catalog_invalid';
  }
}

const ID_PATTERN = /^[a-z0-9-]+$/;

/**
 * Loads index.json and each platform file it names.
 * @param {(path: string) => string} resolveUrl maps 'catalog/index.json' to a fetchable URL
 *   (runtime.getURL in the extension)
 * @param {typeof fetch} [fetchImpl]
 * @returns {Promise<Catalog>}
 */
export async function loadCatalog(resolveUrl, fetchImpl = globalThis.fetch) {
  const index = await fetchJson(fetchImpl, resolveUrl('catalog/index.json'), 'index.json');
  if (index.format !== CATALOG_FORMAT) {
    throw new CatalogError(`index.json: format: must be ${CATALOG_FORMAT}, got ${index.format}`);
  }
  if (typeof index.version !== 'string' || !Array.isArray(index.platforms)) {
    throw new CatalogError('index.json: needs a string "version" and an array "platforms"');
  }
  const platforms = [];
  for (const file of index.platforms) {
    if (typeof file !== 'string' || !/^[a-z0-9-]+\.json$/.test(file)) {
      throw new CatalogError(`index.json: platforms: bad file name ${JSON.stringify(file)}`);
    }
    platforms.push(checkPlatform(await fetchJson(fetchImpl, resolveUrl(`catalog/${file}`), file), file));
  }
  return { format: index.format, version: index.version, platforms };
}

async function fetchJson(fetchImpl, url, name) {
  let response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new CatalogError(`${name}: could not be read (${error.message})`);
  }
  if (!response.ok) {
    throw new CatalogError(`${name}: could not be read (HTTP ${response.status})`);
  }
  try {
    return await response.json();
  } catch (error) {
    throw new CatalogError(`${name}: not valid JSON (${error.message})`);
  }
}

// The host validates every key (docs/catalog-format.md); here we check only what the extension
// relies on, so a broken file fails loudly instead of silently disabling a check. Also applied to
// a catalog taken from the host (background/active-catalog.js).
export function checkPlatform(platform, file) {
  if (!platform || typeof platform !== 'object' || !ID_PATTERN.test(platform.platform ?? '')) {
    throw new CatalogError(`${file}: platform: must match [a-z0-9-]+`);
  }
  if (!Array.isArray(platform.hosts)) {
    throw new CatalogError(`${file}: hosts: must be an array`);
  }
  if (!Array.isArray(platform.settings) || platform.settings.length === 0) {
    throw new CatalogError(`${file}: settings: must be a non-empty array`);
  }
  platform.settings.forEach((setting, i) => {
    if (!ID_PATTERN.test(setting.id ?? '')) {
      throw new CatalogError(`${file}: settings[${i}].id: must match [a-z0-9-]+`);
    }
    if (setting.expected !== 'on' && setting.expected !== 'off') {
      throw new CatalogError(`${file}: settings[${i}].expected: must be "on" or "off"`);
    }
    if (!Array.isArray(setting.pages)) {
      throw new CatalogError(`${file}: settings[${i}].pages: must be an array`);
    }
    const labels = setting.detect?.labels ?? [];
    if (setting.detect && (!Array.isArray(labels) || labels.length === 0 ||
        !labels.every((label) => typeof label?.text === 'string' && typeof label?.lang === 'string'))) {
      throw new CatalogError(`${file}: settings[${i}].detect.labels: must be {text, lang, ...} objects`);
    }
    for (const page of setting.pages) {
      const parsed = parsePattern(page);
      if (!parsed || !platform.hosts.map((h) => h.toLowerCase()).includes(parsed.host)) {
        throw new CatalogError(`${file}: settings[${i}].pages: ${JSON.stringify(page)} is not https://HOST/PATH for one of hosts`);
      }
    }
  });
  for (const [i, document] of (platform.policy_documents ?? []).entries()) {
    if (!ID_PATTERN.test(document?.id ?? '') || !Array.isArray(document.pages)) {
      throw new CatalogError(`${file}: policy_documents[${i}]: needs an id matching [a-z0-9-]+ and pages`);
    }
    for (const page of document.pages) {
      const parsed = parsePattern(page);
      if (!parsed || !platform.hosts.map((h) => h.toLowerCase()).includes(parsed.host)) {
        throw new CatalogError(`${file}: policy_documents[${i}].pages: ${JSON.stringify(page)} is not https://HOST/PATH for one of hosts`);
      }
    }
  }
  return platform;
}

/**
 * Splits `https://HOST/PATH` into its host and a RegExp for the path (plus query), where `*` in PATH
 * matches any run of characters. The host is compared exactly, so `*` can never widen it.
 * @param {string} pattern
 * @returns {{host: string, path: RegExp} | null}
 */
export function parsePattern(pattern) {
  // The host as the catalog must write it (lower case, the host's domain::is_host_pattern).
  const match = /^https:\/\/((?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*)(\/.*)$/.exec(typeof pattern === 'string' ? pattern : '');
  if (!match) {
    return null;
  }
  const source = match[2]
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return { host: match[1], path: new RegExp(`^${source}$`) };
}

/**
 * True when `url` is an https page that `pattern` covers. The fragment is ignored.
 * @param {string} pattern
 * @param {string} url
 */
export function matchesPattern(pattern, url) {
  const parsed = parsePattern(pattern);
  const target = parseHttpsUrl(url);
  if (!parsed || !target) {
    return false;
  }
  return hostMatches(parsed.host, target.hostname) && parsed.path.test(target.pathname + target.search);
}

/**
 * True when a catalog host (`www.x.com`, or `*.x.com`: x.com and any subdomain) covers `host`.
 * @param {string} catalogHost
 * @param {string} host
 */
export function hostMatches(catalogHost, host) {
  const wanted = catalogHost.toLowerCase();
  const actual = host.toLowerCase();
  if (wanted.startsWith('*.')) {
    const base = wanted.slice(2);
    return actual === base || actual.endsWith(`.${base}`);
  }
  return actual === wanted;
}

function parseHttpsUrl(url) {
  try {
    const parsed = new URL(url);
    // Credentials or a port would make the host compare misleading; catalog pages have neither.
    if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) {
      return null;
    }
    return parsed;
  } catch {
    return null;
  }
}

/**
 * The URL as the host stores it: scheme, host and path; query and fragment dropped.
 * @param {string} url
 * @returns {string|null}
 */
export function stripQueryAndFragment(url) {
  const parsed = parseHttpsUrl(url);
  return parsed ? `${parsed.protocol}//${parsed.host}${parsed.pathname}` : null;
}

/**
 * @param {Catalog} catalog
 * @param {string} url
 * @returns {{platform: CatalogPlatform, setting: CatalogSetting}[]} settings shown on that page
 */
export function findSettingsForUrl(catalog, url) {
  const found = [];
  for (const platform of catalog.platforms) {
    for (const setting of platform.settings) {
      if (setting.pages.some((page) => matchesPattern(page, url))) {
        found.push({ platform, setting });
      }
    }
  }
  return found;
}

/**
 * The catalog's policy documents whose pages include `url` (docs/catalog-format.md, "Policy documents").
 * @param {Catalog} catalog
 * @param {string} url
 * @returns {{platform: CatalogPlatform, document: {id: string, kind: string, title: string, pages: string[]}}[]}
 */
export function findDocumentsForUrl(catalog, url) {
  const found = [];
  for (const platform of catalog.platforms) {
    for (const document of platform.policy_documents ?? []) {
      if (document.pages.some((page) => matchesPattern(page, url))) {
        found.push({ platform, document });
      }
    }
  }
  return found;
}

/**
 * @param {Catalog} catalog
 * @param {string} platformId
 * @param {string} settingId
 * @returns {{platform: CatalogPlatform, setting: CatalogSetting} | null}
 */
export function findSetting(catalog, platformId, settingId) {
  const platform = catalog.platforms.find((p) => p.platform === platformId);
  const setting = platform?.settings.find((s) => s.id === settingId);
  return platform && setting ? { platform, setting } : null;
}

/**
 * Every catalog host as a match pattern: what host_permissions and content_scripts.matches hold.
 * @param {Catalog} catalog
 * @returns {string[]}
 */
export function hostPatterns(catalog) {
  const hosts = new Set(catalog.platforms.flatMap((p) => p.hosts));
  return [...hosts].sort().map((host) => `https://${host}/*`);
}

/**
 * True when `url` is an https page on one of the catalog's hosts.
 * @param {Catalog} catalog
 * @param {string} url
 */
export function isCatalogHost(catalog, url) {
  const parsed = parseHttpsUrl(url);
  return Boolean(parsed) && catalog.platforms.some((p) => p.hosts.some((host) => hostMatches(host, parsed.hostname)));
}

/**
 * One of `setting`'s catalog labels by its exact text, as {text, lang} (lang null for a plain
 * string label), or null when `text` is not one of them.
 * @param {{detect?: {labels?: (string|{text: string, lang?: string})[]}}} setting
 * @param {unknown} text
 */
export function catalogLabel(setting, text) {
  if (typeof text !== 'string') {
    return null;
  }
  for (const label of setting?.detect?.labels ?? []) {
    if (label === text) {
      return { text, lang: null };
    }
    if (typeof label === 'object' && label?.text === text) {
      return { text, lang: typeof label.lang === 'string' ? label.lang : null };
    }
  }
  return null;
}
