// Signed catalog updates (docs/catalog-format.md): once a day the worker downloads the newest
// release and its signature from the one update address (shared/catalog-update-source.js) and hands
// the bytes, unchanged, to the host (`install_catalog`), which verifies and installs them. Nothing
// here trusts the download: whatever fails (network, HTTP status, damaged bytes, a refusal), the
// catalog in use stays. One alarm paces it: daily after a success, backing off up to a week after
// failures in a row, so a broken server or network never causes a storm of requests.

import { createAlarm, getAlarm, localRead, localWrite } from '../shared/browser-api.js';
import { HOST_REQUEST } from '../shared/protocol.js';
import { HostReplyError } from '../shared/errors.js';
import { signatureUrl, updateSource } from '../shared/catalog-update-source.js';
import { RELEASE_KEY } from './active-catalog.js';

export const UPDATE_ALARM = 'optguard-catalog-update';
/** storage.local: the person's switch on the options page (absent: on). */
export const ENABLED_KEY = 'catalogUpdatesEnabled';
/** storage.local: what the last check did, for the popup and options page. */
export const STATUS_KEY = 'catalogUpdate';
export const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest pause after failures in a row. */
export const MAX_BACKOFF_MS = 7 * DAY_MS;
/** The host refuses a release over 640 KiB; the signature file is four short lines. */
export const MAX_RELEASE_BYTES = 640 * 1024;
export const MAX_SIGNATURE_BYTES = 16 * 1024;
export const FETCH_TIMEOUT_MS = 60 * 1000;

class FetchFailed extends Error {}

/** When to try again after `failures` failures in a row (0: a day). */
export function nextDelay(failures) {
  return Math.min(DAY_MS * 2 ** Math.max(0, failures - 1), MAX_BACKOFF_MS);
}

/** Standard base64 of bytes (RFC 4648, padded, no line breaks), as install_catalog takes them. */
export function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

async function fetchBytes(fetchImpl, url, max) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
  try {
    let response;
    try {
      // No cookies, no referrer: the request says nothing about the person.
      response = await fetchImpl(url, { cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer', signal: controller.signal });
    } catch (error) {
      throw new FetchFailed(`${url}: ${error?.message ?? error}`);
    }
    if (!response.ok) {
      throw new FetchFailed(`${url}: HTTP ${response.status}`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > max) {
      throw new FetchFailed(`${url}: ${bytes.length} bytes, more than ${max}`);
    }
    return bytes;
  } finally {
    clearTimeout(timer);
  }
}

// One check at a time: the alarm, a worker start and a test hook may ask together.
let queue = Promise.resolve();

/**
 * One update check. Skipped before the time the last one set, unless `force`.
 * @param {object} deps
 * @param {import('./native-port.js').NativePort} deps.port
 * @param {() => Promise<import('../shared/managed-policy.js').Policy>} deps.readPolicy
 * @param {(reply: object) => Promise<void>} [deps.afterInstall] the catalog changed: refresh, remind
 * @param {typeof fetch} [deps.fetchImpl]
 * @param {Date} [deps.now]
 * @param {boolean} [deps.force]
 * @returns {Promise<object>} the status stored under STATUS_KEY
 */
export function checkCatalogUpdate(deps) {
  const run = queue.then(() => check(deps));
  queue = run.catch(() => {});
  return run;
}

async function check({ port, readPolicy, afterInstall = async () => {}, fetchImpl = globalThis.fetch, now = new Date(), force = false }) {
  const previous = (await localRead(STATUS_KEY)) ?? { failures: 0 };
  const source = updateSource(await readPolicy(), await localRead(ENABLED_KEY));
  if (!source.enabled) {
    return save({ ...previous, result: 'off', off_by: source.off_by, next_at: null }, now);
  }
  if (!force && previous.next_at && Date.parse(previous.next_at) > now.getTime()) {
    await schedule(Date.parse(previous.next_at));
    return previous;
  }
  const base = { checked_at: now.toISOString(), url: source.url, mirror: source.mirror, off_by: null, reason: null, message: null };
  const failed = (fields) => {
    const failures = (previous.failures ?? 0) + 1;
    return save({ ...previous, ...base, ...fields, failures, next_at: new Date(now.getTime() + nextDelay(failures)).toISOString() }, now);
  };
  const done = (fields) => save({ ...previous, ...base, ...fields, failures: 0, next_at: new Date(now.getTime() + DAY_MS).toISOString() }, now);

  // Only the host can verify a release: without it nothing is downloaded.
  try {
    await port.connect();
  } catch (error) {
    return done({ result: 'no_host', message: error?.message ?? null });
  }
  let bytes;
  let signature;
  try {
    [bytes, signature] = await Promise.all([
      fetchBytes(fetchImpl, source.url, MAX_RELEASE_BYTES),
      fetchBytes(fetchImpl, signatureUrl(source.url), MAX_SIGNATURE_BYTES).then((b) => new TextDecoder().decode(b)),
    ]);
  } catch (error) {
    return failed({ result: 'fetch_failed', message: error?.message ?? String(error) });
  }
  let reply;
  try {
    reply = await port.request(HOST_REQUEST.INSTALL_CATALOG, { catalog_base64: toBase64(bytes), signature });
  } catch (error) {
    if (error instanceof HostReplyError && error.reason === 'not_newer') {
      return done({ result: 'up_to_date', message: error.message });
    }
    if (error instanceof HostReplyError) {
      return failed({ result: 'refused', reason: error.reason ?? error.code, message: error.message });
    }
    return failed({ result: 'no_host', message: error?.message ?? String(error) });
  }
  // The host verified exactly these bytes: the extension keeps the same catalog to judge with.
  try {
    const release = JSON.parse(new TextDecoder().decode(bytes));
    await localWrite(RELEASE_KEY, { version: release.version, date: release.date, index: release.index, platforms: release.platforms });
  } catch {
    // the host's `catalog` reply stands in (active-catalog.js)
  }
  const status = await done({ result: 'installed', version: reply.version, previous_version: reply.previous_version ?? null,
    new_policy_events: (reply.new_policy_events ?? []).length });
  await afterInstall(reply);
  return status;
}

async function save(status, now) {
  await localWrite(STATUS_KEY, status);
  if (status.next_at) {
    await schedule(Math.max(Date.parse(status.next_at), now.getTime() + 60 * 1000));
  }
  return status;
}

function schedule(when) {
  return createAlarm(UPDATE_ALARM, when);
}

/** The first check after an install waits this long: the browser's start-up comes first. */
export const FIRST_CHECK_DELAY_MS = 10 * 60 * 1000;

/** A worker that starts without the alarm (first install, reload) sets it for the first check. */
export async function ensureScheduled(now = new Date()) {
  if (!(await getAlarm(UPDATE_ALARM))) {
    await schedule(now.getTime() + FIRST_CHECK_DELAY_MS);
  }
}

/** The options page's switch. */
export async function setPersonEnabled(enabled) {
  await localWrite(ENABLED_KEY, enabled === true);
}
