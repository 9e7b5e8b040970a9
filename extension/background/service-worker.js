// Wiring only. Every listener is registered synchronously at the top level, so an event that wakes
// an evicted worker finds its listener; work waits on the catalog in use, current() (uBO Lite's isFullyInitialized).

import {
  api,
  connectNative,
  extensionId,
  extensionOrigin,
  extensionUrl,
  getAlarm,
  lastRuntimeError,
  localRead,
  onAlarm,
  onInstalled,
  onManagedChanged,
  onNotificationClicked,
  onStartup,
  sendTabMessage,
  sessionWrite,
} from '../shared/browser-api.js';
import { ALARM_NAME, checkReminders, handleNotificationClick, reminderAction, validateReminderMessage } from './reminders.js';
import { forgetTab, recordObservation } from './observations.js';
import { recordPolicyDate } from './policy-notices.js';
import { NativePort } from './native-port.js';
import { applyManagedPolicy, buildOptionsState, effectiveExpected, onLatePolicy, readPolicy, saveChoice, validateChange, withoutIgnored } from './choices.js';
import { buildPopupState } from './popup-state.js';
import { buildDiagnostic } from './diagnostic.js';
import { createRouter } from './router.js';
import { isCatalogHost, loadCatalog, stripQueryAndFragment } from '../shared/catalog.js';
import { MSG } from '../shared/protocol.js';
import { ActiveCatalog, RELEASE_KEY } from './active-catalog.js';
import { UPDATE_ALARM, checkCatalogUpdate, ensureScheduled, setPersonEnabled } from './catalog-update.js';
import { buildCatalogSummary } from './catalog-summary.js';
import { readExtraHosts, syncContentScripts } from './catalog-hosts.js';
import { PORT_STATE } from './native-port.js';

const port = new NativePort({
  connect: connectNative,
  lastRuntimeError,
  onStateChange: (state, p) => {
    sessionWrite('host', { state, info: p.hostInfo, error: p.lastError?.toJSON?.() ?? null }).catch(() => {});
    if (state === PORT_STATE.CONNECTED) {
      refreshCatalog(); // the host may use a newer catalog than this worker (installed elsewhere)
    }
  },
});

const bundled = loadCatalog(extensionUrl);
bundled.catch((error) => console.error('OptGuard: the bundled catalog did not load:', error.message));
// The catalog both halves judge with (active-catalog.js): the host's when it is newer, else bundled.
const catalogs = new ActiveCatalog(bundled, port);
const current = () => catalogs.current();

function refreshCatalog(info = null, options = {}) {
  return catalogs.refresh(info, options).then(async (catalog) => {
    await syncContentScripts(catalog).catch((error) => console.warn('OptGuard: content script registration failed:', error?.message));
    return catalog;
  });
}
// After an update was installed, pages wait for the host's catalog rather than judge with the older one.
localRead(RELEASE_KEY).then((release) => release && refreshCatalog(null, { hold: true })).catch(() => {});

// A release the host installed: judge with it, and ask what is due now (its new policy events are
// due at once: badge, notification).
async function afterInstall(reply) {
  const catalog = await refreshCatalog(reply.catalog_info ?? null);
  await checkReminders(port, catalog);
}
function runCatalogUpdate(options = {}) {
  return checkCatalogUpdate({ port, readPolicy, afterInstall, ...options });
}
function runCatalogUpdateSoon() {
  runCatalogUpdate().catch((error) => console.warn('OptGuard: catalog update check failed:', error?.message));
}

async function catalogSummary(hostConnected) {
  return buildCatalogSummary({
    catalog: await current(),
    info: catalogs.hostInfo ?? port.hostInfo?.catalog_info ?? null,
    hostConnected,
    policy: await readPolicy(),
  });
}

const route = createRouter({
  getCatalog: current,
  self: { extensionId: extensionId(), extensionOrigin: extensionOrigin() },
  handlers: {
    pageSettings: async (allEntries, sender) => {
      // Settings the person chose to ignore are not read on the page at all (choices.js).
      const entries = await withoutIgnored(allEntries);
      const expected = await effectiveExpected(entries);
      return {
        ok: true,
        // Lets the content script see that the worker judged the URL it is on (after pushState the
        // tab's URL can lag behind the document's for a moment).
        page_url: stripQueryAndFragment(sender.pageUrl),
        settings: entries.map(({ platform, setting }) => ({
          platform: platform.platform,
          setting: setting.id,
          title: setting.title,
          why: setting.why,
          kind: setting.kind,
          expected: expected.get(`${platform.platform}/${setting.id}`),
          opt_out_url: setting.opt_out_url,
          detect: setting.detect,
        })),
      };
    },
    state: async (entry, state, sender, reason, label) => {
      // Without the host, the local verdict must still honour the person's chosen state (read
      // only then: the host applies the same choice itself).
      const localExpected = async () => (await effectiveExpected([entry])).get(`${entry.platform.platform}/${entry.setting.id}`);
      const reply = await recordObservation(port, entry, state, sender, localExpected, reason, label);
      checkRemindersSoon(); // a report can end (or start) a reminder
      return reply;
    },
    policyDate: async (shown, date) => {
      const reply = await recordPolicyDate(port, shown, date);
      checkRemindersSoon(); // a newer policy date can make the platform's settings due
      return reply;
    },
    pageLeft: async (sender) => {
      await forgetTab(sender.tabId);
      return { ok: true };
    },
    popupState: async () => {
      const reply = await buildPopupState(port, await current());
      return { ...reply, catalog: await catalogSummary(reply.host.status === 'connected') };
    },
    optionsState: async () => {
      const catalog = await current();
      const reply = await buildOptionsState(port, catalog, await readPolicy());
      return { ...reply, catalog: await catalogSummary(reply.host.status === 'connected'), extra_hosts: await readExtraHosts(catalog) };
    },
    setCatalogUpdates: async (enabled) => {
      if (typeof (await readPolicy()).catalogUpdates === 'boolean') {
        return { ok: false, error: { code: 'managed', message: 'catalog updates are set by your organisation' } };
      }
      await setPersonEnabled(enabled);
      if (enabled) {
        runCatalogUpdateSoon(); // the person just asked for updates: look now
      }
      return { ok: true, catalog: await catalogSummary(port.state === PORT_STATE.CONNECTED) };
    },
    hostsGranted: async () => ({ ok: true, matches: await syncContentScripts(await current()) }),
    setChoice: async (message) => {
      const change = validateChange(message, await current());
      if (typeof change === 'string') {
        return { ok: false, error: { code: 'bad_message', message: change } };
      }
      return saveChoice(port, change, await readPolicy());
    },
    reminders: async () => checkReminders(port, await current()),
    diagnostic: async (message) => buildDiagnostic(message, await current()),
    reminderAction: async (message) => {
      const catalog = await current();
      const request = validateReminderMessage(message, catalog, message.type === MSG.SNOOZE);
      if (typeof request === 'string') {
        return { ok: false, error: { code: 'bad_message', message: request } };
      }
      return reminderAction(port, catalog, message.type === MSG.SNOOZE ? 'snooze' : 'ack', request);
    },
  },
});

// Reminders (background/reminders.js): a check after each report, when the browser starts or the
// extension is installed/updated, and when the one alarm fires.
function checkRemindersSoon() {
  current().then((catalog) => checkReminders(port, catalog)).catch((error) => console.warn('OptGuard: reminder check failed:', error?.message));
}
onAlarm((alarm) => {
  if (alarm.name === ALARM_NAME) {
    checkRemindersSoon();
  } else if (alarm.name === UPDATE_ALARM) {
    runCatalogUpdateSoon();
  }
});
onStartup(checkRemindersSoon);
onInstalled(checkRemindersSoon);
// Catalog updates (catalog-update.js): the one daily alarm; a worker without it sets it.
ensureScheduled().catch(() => {});
onNotificationClicked((id) => {
  handleNotificationClick(id).catch((error) => console.warn('OptGuard: reminder click failed:', error?.message));
});
// A worker started without the alarm (e.g. the extension was reloaded in developer mode) sets it.
getAlarm(ALARM_NAME).then((alarm) => alarm || checkRemindersSoon()).catch(() => {});

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  route(message, sender).then(sendResponse);
  return true; // the reply is asynchronous
});

// In-app navigation (pushState in the page's own world) changes the tab's URL without a load: the
// content script there observes no DOM on pages without a setting, so the worker tells it. The URL
// is visible here only for the catalog's hosts (host permissions; no "tabs" permission).
api.tabs.onUpdated.addListener((tabId, changeInfo) => {
  if (typeof changeInfo.url !== 'string') {
    return;
  }
  current().then((catalog) => {
    if (isCatalogHost(catalog, changeInfo.url)) {
      sendTabMessage(tabId, { type: MSG.URL_CHANGED }).catch(() => {}); // no content script yet: it reads the page when it starts
    }
  }).catch(() => {});
});

api.tabs.onRemoved.addListener((tabId) => {
  forgetTab(tabId, { clearBadge: false }).catch(() => {});
});

// The administrator's policy wins over the person's choices in the host's config too (choices.js):
// applied when the worker starts and whenever the policy changes; without the host, the options page
// applies it on its next visit.
onManagedChanged(() => {
  applyManagedPolicy(port).catch(() => {});
});
// A policy read that was given up on (the browser answered late) is applied once it arrives.
onLatePolicy(() => {
  applyManagedPolicy(port).catch(() => {});
});
applyManagedPolicy(port).catch(() => {});

// Exposed for the e2e tests and for debugging from the worker console; holds no secrets.
globalThis.optguard = {
  port,
  get ready() {
    return current();
  },
  catalogs,
  checkReminders: () => current().then((catalog) => checkReminders(port, catalog)),
  checkCatalogUpdate: (options) => runCatalogUpdate(options),
  handleNotificationClick,
};
