// Runtime messages: who may send what is decided from `sender`, which the browser fills in and a
// page cannot forge (uBO's vapi-background.js: "not spoofable by a compromised renderer"), never
// from the message itself.

import { MSG, STATES, UNKNOWN_REASONS } from '../shared/protocol.js';
import { catalogLabel, findDocumentsForUrl, findSettingsForUrl, isCatalogHost } from '../shared/catalog.js';

export const SENDER = Object.freeze({
  EXTENSION_PAGE: 'extension-page',
  CONTENT_SCRIPT: 'content-script',
  UNTRUSTED: 'untrusted',
});

const READABLE_KINDS = new Set(['toggle', 'checkbox']);

/**
 * @param {object} sender runtime.MessageSender
 * @param {{extensionId: string, extensionOrigin: string}} self
 * @returns {{kind: string, tabId?: number, pageUrl?: string}}
 */
export function classifySender(sender, { extensionId, extensionOrigin }) {
  if (!sender || sender.id !== extensionId) {
    return { kind: SENDER.UNTRUSTED };
  }
  const origin = sender.origin ?? originOf(sender.url);
  if (origin === extensionOrigin) {
    return { kind: SENDER.EXTENSION_PAGE };
  }
  // Our content scripts run in top frames only; anything else is not ours to trust.
  if (sender.tab && Number.isInteger(sender.tab.id) && sender.frameId === 0) {
    const pageUrl = sender.tab.url ?? sender.url;
    if (typeof pageUrl === 'string' && originOf(pageUrl) === origin) {
      return { kind: SENDER.CONTENT_SCRIPT, tabId: sender.tab.id, pageUrl };
    }
  }
  return { kind: SENDER.UNTRUSTED };
}

// scheme://host, also for extension schemes (URL.origin is "null" for non-special schemes in
// some engines).
function originOf(url) {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

function fail(code, message) {
  return { ok: false, error: { code, message } };
}

/** "YYYY-MM-DD" naming a real day. */
export function isCalendarDate(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) {
    return false;
  }
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return day.getUTCFullYear() === Number(match[1]) && day.getUTCMonth() === Number(match[2]) - 1 &&
    day.getUTCDate() === Number(match[3]);
}

function hasExactKeys(message, keys) {
  const actual = Object.keys(message);
  return actual.length === keys.length && keys.every((key) => Object.hasOwn(message, key));
}

/**
 * @param {object} deps
 * @param {() => Promise<import('../shared/catalog.js').Catalog>} deps.getCatalog
 * @param {{extensionId: string, extensionOrigin: string}} deps.self
 * @param {object} deps.handlers
 * @param {(entries: object[], sender: object) => Promise<object>} deps.handlers.pageSettings
 * @param {(entry: object, state: string, sender: object, reason?: string, label?: string) => Promise<object>} deps.handlers.state
 * @param {(sender: object) => Promise<object>} deps.handlers.pageLeft
 * @param {(shown: {platform: object, document: object}, date: string, sender: object) => Promise<object>} deps.handlers.policyDate
 * @param {() => Promise<object>} deps.handlers.popupState
 * @returns {(message: unknown, sender: object) => Promise<object>} resolves with the reply; never rejects
 */
export function createRouter({ getCatalog, self, handlers }) {
  return async function route(message, rawSender) {
    try {
      if (!message || typeof message !== 'object' || typeof message.type !== 'string') {
        return fail('bad_message', 'a message must be an object with a string "type"');
      }
      const sender = classifySender(rawSender, self);
      switch (message.type) {
        case MSG.POPUP_STATE: {
          if (sender.kind !== SENDER.EXTENSION_PAGE) {
            return fail('untrusted_sender', 'only extension pages may ask for the popup state');
          }
          return await handlers.popupState();
        }
        case MSG.OPTIONS_STATE:
        case MSG.SET_CHOICE: {
          // The person's choices change what OptGuard watches: only OptGuard's own pages (the
          // options page) may read or send them, never a content script in a web page.
          if (sender.kind !== SENDER.EXTENSION_PAGE) {
            return fail('untrusted_sender', 'only OptGuard\'s own pages may read or change choices');
          }
          if (message.type === MSG.OPTIONS_STATE) {
            return hasExactKeys(message, ['type']) ? await handlers.optionsState() : fail('bad_message', 'options-state takes no fields');
          }
          return await handlers.setChoice(message);
        }
        case MSG.SET_CATALOG_UPDATES:
        case MSG.HOSTS_GRANTED: {
          // Whether OptGuard fetches updates, and where its content script runs: the person's
          // choices on OptGuard's own options page only.
          if (sender.kind !== SENDER.EXTENSION_PAGE) {
            return fail('untrusted_sender', 'only OptGuard\'s own pages may change catalog updates or hosts');
          }
          if (message.type === MSG.HOSTS_GRANTED) {
            return hasExactKeys(message, ['type']) ? await handlers.hostsGranted() : fail('bad_message', 'hosts-granted takes no fields');
          }
          if (!hasExactKeys(message, ['type', 'enabled']) || typeof message.enabled !== 'boolean') {
            return fail('bad_message', 'set-catalog-updates needs exactly enabled (true or false)');
          }
          return await handlers.setCatalogUpdates(message.enabled);
        }
        case MSG.REMINDERS:
        case MSG.SNOOZE:
        case MSG.ACK: {
          // Snoozing or silencing a reminder changes what OptGuard tells the person: OptGuard's own
          // pages (the popup) only.
          if (sender.kind !== SENDER.EXTENSION_PAGE) {
            return fail('untrusted_sender', 'only OptGuard\'s own pages may read or change reminders');
          }
          if (message.type === MSG.REMINDERS) {
            return hasExactKeys(message, ['type']) ? await handlers.reminders() : fail('bad_message', 'reminders takes no fields');
          }
          return await handlers.reminderAction(message);
        }
        case MSG.DIAGNOSTIC: {
          // A skeleton of a tab's controls, saved by the person from the popup: OptGuard's own pages only.
          if (sender.kind !== SENDER.EXTENSION_PAGE) {
            return fail('untrusted_sender', 'only OptGuard\'s own pages may ask for a diagnostic');
          }
          if (!hasExactKeys(message, ['type', 'tabId', 'platform', 'setting']) || !Number.isInteger(message.tabId) ||
              typeof message.platform !== 'string' || typeof message.setting !== 'string') {
            return fail('bad_message', 'diagnostic needs exactly tabId, platform and setting');
          }
          return await handlers.diagnostic(message);
        }
        case MSG.PAGE_SETTINGS:
        case MSG.PAGE_LEFT:
        case MSG.STATE:
        case MSG.POLICY_DATE:
          return await routeContentMessage(message, sender);
        default:
          return fail('bad_message', `unknown message type ${JSON.stringify(message.type)}`);
      }
    } catch (error) {
      return fail(error?.code ?? 'internal', error?.message ?? String(error));
    }
  };

  async function routeContentMessage(message, sender) {
    if (sender.kind !== SENDER.CONTENT_SCRIPT) {
      return fail('untrusted_sender', 'only OptGuard content scripts in a top frame may send this');
    }
    const catalog = await getCatalog();
    if (!isCatalogHost(catalog, sender.pageUrl)) {
      return fail('untrusted_sender', 'the sender page is not on a catalog host');
    }
    const entries = findSettingsForUrl(catalog, sender.pageUrl).filter(({ setting }) => READABLE_KINDS.has(setting.kind));
    switch (message.type) {
      case MSG.PAGE_SETTINGS: {
        if (!hasExactKeys(message, ['type'])) {
          return fail('bad_message', 'page-settings takes no fields');
        }
        const reply = await handlers.pageSettings(entries, sender);
        // The policy documents shown here: the content script reads their date once.
        const documents = findDocumentsForUrl(catalog, sender.pageUrl)
          .map(({ platform, document }) => ({ platform: platform.platform, document: document.id }));
        return reply?.ok ? { ...reply, documents } : reply;
      }
      case MSG.POLICY_DATE: {
        // Only the catalog's ids and a calendar date, never page text: a page may only speak for
        // the documents the catalog places on it.
        if (!hasExactKeys(message, ['type', 'platform', 'document', 'effective_date']) ||
            typeof message.effective_date !== 'string' || !isCalendarDate(message.effective_date)) {
          return fail('bad_message', 'policy-date needs exactly platform, document and effective_date (YYYY-MM-DD)');
        }
        const shown = findDocumentsForUrl(catalog, sender.pageUrl).find(
          ({ platform, document }) => platform.platform === message.platform && document.id === message.document,
        );
        if (!shown) {
          return fail('untrusted_sender', `${message.platform}/${message.document} is not shown on the sender's page`);
        }
        return handlers.policyDate(shown, message.effective_date, sender);
      }
      case MSG.PAGE_LEFT:
        if (!hasExactKeys(message, ['type'])) {
          return fail('bad_message', 'page-left takes no fields');
        }
        return handlers.pageLeft(sender);
      default: {
        const withReason = Object.hasOwn(message, 'reason');
        const withLabel = Object.hasOwn(message, 'label');
        const keys = ['type', 'platform', 'setting', 'state'];
        if (withReason) {
          keys.push('reason');
        }
        if (withLabel) {
          keys.push('label');
        }
        if (!hasExactKeys(message, keys) || !STATES.includes(message.state)) {
          return fail('bad_message', 'state needs exactly platform, setting and state (on, off or unknown), and may give a reason when unknown or a label when read');
        }
        if (withReason && (message.state !== 'unknown' || !UNKNOWN_REASONS.includes(message.reason))) {
          return fail('bad_message', `reason goes only with state unknown and is one of ${UNKNOWN_REASONS.join(', ')}`);
        }
        // A page may only speak for the settings the catalog places on it: a LinkedIn page that
        // claims another platform's (or another page's) setting is ignored.
        const entry = entries.find(
          ({ platform, setting }) => platform.platform === message.platform && setting.id === message.setting,
        );
        if (!entry) {
          return fail('untrusted_sender', `${message.platform}/${message.setting} is not shown on the sender's page`);
        }
        // The label names the setting in the popup: only one of this setting's own catalog label
        // texts, exactly as the catalog writes it, never free text from the page.
        if (withLabel && (message.state === 'unknown' || typeof message.label !== 'string' ||
            !catalogLabel(entry.setting, message.label))) {
          return fail('bad_message', 'label goes only with state on or off and is one of the setting\'s catalog labels');
        }
        return handlers.state(entry, message.state, sender, withReason ? message.reason : undefined, withLabel ? message.label : undefined);
      }
    }
  }
}
