// Policy dates the member saw (content/policy-date.js reads them on a catalog policy page): each is
// kept in this browser, newest date per platform document, so the local reminder rules
// (shared/due.js) can use it without the helper app, and handed to the host (`policy_seen`), whose
// reminders, `optguard due` and fleet view then count it too. Only {platform, document,
// effective_date} is ever sent; the page's text never leaves it.

import { HOST_REQUEST } from '../shared/protocol.js';
import { HostReplyError } from '../shared/errors.js';
import { localRead, localWrite } from '../shared/browser-api.js';

/** storage.local: {"platform/document": {effective_date, seen_at}}. */
export const NOTICES_KEY = 'policyNotices';
const DAY_MS = 24 * 60 * 60 * 1000;

// storage has no transactions; one queue keeps read-modify-write cycles from interleaving.
let queue = Promise.resolve();
function serialized(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => {});
  return run;
}

/**
 * Records a date read on a policy page: locally (unless an equal or newer one is known) and in the
 * host. A date after tomorrow (UTC) is a misread and is refused, as the host does.
 * @param {import('./native-port.js').NativePort} port
 * @param {{platform: {platform: string}, document: {id: string}}} shown checked by router.js
 * @param {string} date YYYY-MM-DD, checked by router.js
 * @param {Date} [now]
 */
export async function recordPolicyDate(port, { platform, document }, date, now = new Date()) {
  const latest = new Date(now.getTime() + DAY_MS).toISOString().slice(0, 10);
  if (date > latest) {
    return { ok: false, error: { code: 'bad_message', message: `effective_date ${date} is in the future` } };
  }
  const key = `${platform.platform}/${document.id}`;
  const recorded = await serialized(async () => {
    const notices = (await localRead(NOTICES_KEY)) ?? {};
    if (!(notices[key]?.effective_date >= date)) {
      notices[key] = { effective_date: date, seen_at: now.toISOString() };
      await localWrite(NOTICES_KEY, notices);
    }
    return notices[key].effective_date;
  });
  const saved = await sendToHost(port, key, recorded);
  return { ok: true, platform: platform.platform, document: document.id, effective_date: recorded, saved };
}

/** @returns {Promise<'host'|'local'|string>} 'local' while the host is missing */
async function sendToHost(port, key, date) {
  const [platform, document] = key.split('/');
  try {
    await port.request(HOST_REQUEST.POLICY_SEEN, { platform, document, effective_date: date });
  } catch (error) {
    // Without the host the local rules use it, and it is handed over later (flushPolicyNotices); a
    // refusal (a document the host's catalog does not list) is said, and not retried.
    if (!(error instanceof HostReplyError)) {
      return 'local';
    }
  }
  await serialized(async () => {
    const notices = (await localRead(NOTICES_KEY)) ?? {};
    if (notices[key]?.effective_date === date) {
      notices[key].host = true;
      await localWrite(NOTICES_KEY, notices);
    }
  });
  return 'host';
}

/**
 * Hands the dates seen while the host was missing to the host. Returns how many were sent.
 * @param {import('./native-port.js').NativePort} port
 */
export async function flushPolicyNotices(port) {
  let sent = 0;
  for (const [key, notice] of Object.entries(await readPolicyNotices())) {
    if (!notice.host) {
      if ((await sendToHost(port, key, notice.effective_date)) === 'local') {
        break; // the host is gone again
      }
      sent += 1;
    }
  }
  return sent;
}

/** @returns {Promise<Record<string, {effective_date: string, seen_at: string}>>} */
export async function readPolicyNotices() {
  return (await localRead(NOTICES_KEY)) ?? {};
}
