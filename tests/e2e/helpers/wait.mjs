// Waiting in the end-to-end tests, in one place. Every wait ends on something its own step caused,
// never on a value that may already be there: the browser keeps what earlier steps, pages and tests
// left in chrome.storage, in the toolbar badge and in the host's database, and on a slow machine the
// new value arrives after the test first looks, so a wait that accepts the old one passes or fails
// by luck. Two ways to wait for "new":
//   - A moment: `mark()` before the step; `observationSince` and `hostRowsSince` take only what was
//     recorded after it. Observations carry observed_at, stamped by the host (or, without the host,
//     by the extension) from this machine's wall clock, the clock `mark()` reads.
//   - A change: `afterStep` / `expectChange` read the value before the step and refuse to wait when
//     it already is what the test waits for (such a wait would prove nothing).
import { hostRows, sqlText } from './host-database.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `fn` until `accept(value)` holds; returns the value or throws with the last one seen. */
export async function eventually(fn, accept, { timeoutMs = 10000, what = 'condition' } = {}) {
  const start = Date.now();
  let last;
  for (;;) {
    last = await fn();
    if (accept(last)) {
      return last;
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    }
    await sleep(100);
  }
}

/**
 * A moment before a step, in Unix milliseconds: whatever is stamped later than it (strictly) was
 * recorded after this call returned. It returns only once the millisecond has passed, so a record
 * made in the same millisecond as the mark, before it, cannot count as later.
 * @returns {Promise<number>}
 */
export async function mark() {
  const now = Date.now();
  while (Date.now() <= now) {
    await sleep(1);
  }
  return now;
}

/** Whether a record stamped `stamp` (ISO 8601 text or Unix ms) was made after `since` (a mark()). */
export function isAfter(stamp, since) {
  const ms = typeof stamp === 'number' ? stamp : Date.parse(stamp);
  return Number.isFinite(ms) && ms > since;
}

/**
 * Reads the value, asserts that `accept` does not hold yet, and returns a function that waits until
 * it does. For a wait whose cause comes later: `const ok = await expectChange(...); await step(); await ok();`
 * @template T
 * @param {() => Promise<T>} read
 * @param {(value: T) => boolean} accept
 * @param {{what?: string, timeoutMs?: number}} [options]
 * @returns {Promise<() => Promise<T>>}
 */
export async function expectChange(read, accept, options = {}) {
  const before = await read();
  if (accept(before)) {
    throw new Error(`${options.what ?? 'condition'} already holds before the step (${JSON.stringify(before)}): waiting for it would prove nothing`);
  }
  return () => eventually(read, accept, options);
}

/**
 * Runs `step`, then waits until `read()` gives a value `accept` takes; throws if it took one before
 * the step already.
 * @template T
 * @param {() => Promise<unknown>} step
 * @param {() => Promise<T>} read
 * @param {(value: T) => boolean} accept
 * @param {{what?: string, timeoutMs?: number}} [options]
 * @returns {Promise<T>}
 */
export async function afterStep(step, read, accept, options = {}) {
  const wait = await expectChange(read, accept, options);
  await step();
  return wait();
}

/** The extension's last observation of `key` ("platform/setting") in chrome.storage.local, or null. */
export function storedObservation(worker, key) {
  return worker.evaluate(async (k) => (await chrome.storage.local.get('observations')).observations?.[k] ?? null, key);
}

/**
 * Forgets the extension's stored observation of `key` and checks that it is gone, so a page opened
 * next cannot be answered by what an earlier page (a neighbouring fixture with the same switch) left.
 */
export async function forgetObservation(worker, key) {
  await worker.evaluate(async (k) => {
    const { observations = {} } = await chrome.storage.local.get('observations');
    delete observations[k];
    await chrome.storage.local.set({ observations });
    if ((await chrome.storage.local.get('observations')).observations?.[k]) {
      throw new Error(`${k} still stored`);
    }
  }, key);
}

/**
 * Waits for an observation of `key` that the extension stored after `since` (a mark() taken before
 * the step) and that `accept` takes; an older one, whatever it says, is not an answer.
 * @param {import('playwright-core').Worker} worker the extension's service worker
 * @param {string} key "platform/setting"
 * @param {number} since
 * @param {(observation: object) => boolean} [accept]
 * @param {{what?: string, timeoutMs?: number}} [options]
 */
export function observationSince(worker, key, since, accept = () => true, { what = `an observation of ${key}`, ...options } = {}) {
  return eventually(
    () => storedObservation(worker, key),
    (o) => o !== null && isAfter(o.observed_at, since) && accept(o),
    { what: `${what} (stored after ${new Date(since).toISOString()})`, ...options },
  );
}

/**
 * The rows the host stored for one setting, oldest first, as {state, verdict, url}: all of them, or
 * with `since` only those it observed after that mark (the host stamps observed_at in Unix ms).
 * @param {string} stateHome the host's XDG_STATE_HOME
 * @param {string} platform
 * @param {string} setting
 * @param {number} [since]
 */
export async function hostRowsSince(stateHome, platform, setting, since = -Infinity) {
  const after = Number.isFinite(since) ? ` AND observed_at > ${Math.trunc(since)}` : '';
  return hostRows(stateHome, `SELECT state, verdict, url FROM observations WHERE platform = ${sqlText(platform)} AND setting = ${sqlText(setting)}${after} ORDER BY rowid`);
}
