// The catalog the extension judges with: the host's when the host uses a newer one (a signed
// release it installed, docs/catalog-format.md), else the bundled one (extension/catalog/), which
// also stays the fallback when anything about the host's fails. So both halves judge with the same
// catalog once an update is installed, and without the host nothing changes.

import { CATALOG_FORMAT, checkPlatform } from '../shared/catalog.js';
import { HOST_REQUEST } from '../shared/protocol.js';
import { localRead } from '../shared/browser-api.js';

/** storage.local: the release file the host accepted last ({version, date, index, platforms}). */
export const RELEASE_KEY = 'catalogRelease';

/** Catalog versions are dates, YYYY.MM.DD: they order as strings. */
export function isNewer(version, than) {
  return typeof version === 'string' && typeof than === 'string' && version > than;
}

/** The catalog of a release file (docs/catalog-format.md, "The release file"). */
export function catalogFromRelease(release) {
  const files = release?.index?.platforms;
  if (!Array.isArray(files) || !release.platforms || typeof release.version !== 'string') {
    throw new Error('not a catalog release');
  }
  return {
    format: release.index.format ?? CATALOG_FORMAT,
    version: release.version,
    platforms: files.map((file) => checkPlatform(structuredClone(release.platforms[file]), file)),
  };
}

/**
 * The host's `catalog` reply as a catalog. Its `expected`, `interval_days` and `watch` are the
 * person's effective values (config.json applied), not the catalog's: the catalog's own come from
 * `known` (the same release, or the bundled catalog) wherever it has the setting, so "known good"
 * stays the catalog's word.
 * @param {{version: string, platforms: object[]}} reply
 * @param {import('../shared/catalog.js').Catalog} known
 */
export function catalogFromHost(reply, known) {
  if (!reply || typeof reply.version !== 'string' || !Array.isArray(reply.platforms)) {
    throw new Error('the host sent no catalog');
  }
  const own = new Map(known.platforms.flatMap((p) => p.settings.map((s) => [`${p.platform}/${s.id}`, s])));
  return {
    format: CATALOG_FORMAT,
    version: reply.version,
    platforms: reply.platforms.map((platform, i) => checkPlatform({
      ...platform,
      settings: (platform.settings ?? []).map(({ watch: _watch, ...setting }) => {
        const original = own.get(`${platform.platform}/${setting.id}`);
        return original ? { ...setting, expected: original.expected, interval_days: original.interval_days } : setting;
      }),
    }, `host catalog platforms[${i}]`)),
  };
}

export class ActiveCatalog {
  #bundled;
  #port;
  /** The catalog last chosen (a settled promise). */
  #chosen;
  /** What current() hands out: #chosen, or a choice in progress that callers should wait for. */
  #current;
  #info = null;
  #queue = Promise.resolve();

  /**
   * @param {Promise<import('../shared/catalog.js').Catalog>} bundled
   * @param {import('./native-port.js').NativePort} port
   */
  constructor(bundled, port) {
    this.#bundled = bundled;
    this.#port = port;
    this.#chosen = bundled;
    this.#current = bundled;
  }

  /** The catalog to judge with now. */
  current() {
    return this.#current;
  }

  /** The host's catalog_info for the catalog in use, or null while it is the bundled one without the host. */
  get hostInfo() {
    return this.#info;
  }

  /**
   * Asks the host which catalog it uses and takes that one if it is newer than the bundled one.
   * Never rejects: on any failure the catalog in use stays.
   * @param {object|null} [info] the catalog_info of an install_catalog reply (the hello's is older)
   * @param {{hold?: boolean}} [options] hold: current() waits for this choice (a worker start
   *   after an update was installed: its pages are judged with the updated catalog)
   * @returns {Promise<import('../shared/catalog.js').Catalog>}
   */
  refresh(info = null, { hold = false } = {}) {
    const run = this.#queue.then(() => this.#choose(info));
    this.#queue = run.catch(() => {});
    if (hold) {
      this.#current = run;
    }
    return run;
  }

  async #choose(given) {
    const bundled = await this.#bundled;
    let info = given;
    try {
      info ??= (await this.#port.connect())?.catalog_info ?? null;
    } catch {
      return this.#keep(); // no host: the catalog in use stays
    }
    try {
      const chosen = await this.#chosen;
      if (!info || !isNewer(info.version, bundled.version)) {
        this.#use(bundled, info);
      } else if (chosen.version !== info.version) {
        this.#use(await this.#hostCatalog(info.version, bundled), info);
      } else {
        this.#info = info;
      }
    } catch (error) {
      console.warn('OptGuard: keeping the catalog in use:', error?.message);
    }
    return this.#keep();
  }

  #keep() {
    this.#current = this.#chosen;
    return this.#chosen;
  }

  async #hostCatalog(version, bundled) {
    const release = await localRead(RELEASE_KEY);
    if (release?.version === version) {
      return catalogFromRelease(release); // the very file the host verified
    }
    const reply = await this.#port.request(HOST_REQUEST.CATALOG); // installed with the CLI, or elsewhere
    if (reply.catalog?.version !== version) {
      throw new Error(`the host's catalog is ${reply.catalog?.version}, its hello said ${version}`);
    }
    return catalogFromHost(reply.catalog, bundled);
  }

  #use(catalog, info) {
    this.#chosen = Promise.resolve(catalog);
    this.#info = info;
  }
}
