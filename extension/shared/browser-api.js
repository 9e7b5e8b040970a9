// The one place that touches the raw WebExtension namespace (uBO Lite's ext.js pattern). Firefox
// exposes promise-based `browser`; Chromium exposes `chrome`, whose MV3 APIs return promises too.
// Content scripts are classic scripts and cannot import this module; they reach runtime messaging
// through the namespace object set up in content/detector.js, which applies the same rule.

/** @type {typeof chrome} */
export const api = globalThis.browser ?? globalThis.chrome;

/** @param {string} key */
export async function localRead(key) {
  const items = await api.storage.local.get(key);
  return items[key];
}

/** @param {string} key @param {unknown} value */
export async function localWrite(key, value) {
  await api.storage.local.set({ [key]: value });
}

/** @param {string} key */
export async function sessionRead(key) {
  const items = await api.storage.session.get(key);
  return items[key];
}

/** @param {string} key @param {unknown} value */
export async function sessionWrite(key, value) {
  await api.storage.session.set({ [key]: value });
}

/** @param {string} path path inside the extension */
export function extensionUrl(path) {
  return api.runtime.getURL(path);
}

/** The extension's own origin, e.g. chrome-extension://ID or moz-extension://UUID. */
export function extensionOrigin() {
  const url = new URL(api.runtime.getURL('/'));
  return `${url.protocol}//${url.host}`;
}

/** manifest.json's version; null where the runtime cannot say. */
export function extensionVersion() {
  return api.runtime.getManifest?.()?.version ?? null;
}

export function extensionId() {
  return api.runtime.id;
}

/** @param {string} name */
export function connectNative(name) {
  return api.runtime.connectNative(name);
}

/** runtime.lastError, read right after a callback or event that may have set it. */
export function lastRuntimeError() {
  return api.runtime.lastError;
}

/** @param {unknown} message */
export function sendRuntimeMessage(message) {
  return api.runtime.sendMessage(message);
}

/** Opens a URL in a new tab (needs no permission). @param {string} url */
export function openTab(url) {
  return api.tabs.create({ url, active: true });
}

/**
 * Sets the action badge of one tab.
 * @param {number} tabId
 * @param {{text: string, color: string, title: string}} badge
 */
export async function setTabBadge(tabId, { text, color, title }) {
  await Promise.all([
    api.action.setBadgeText({ tabId, text }),
    api.action.setBadgeBackgroundColor({ tabId, color }),
    api.action.setTitle({ tabId, title }),
  ]);
  if (api.action.setBadgeTextColor) {
    await api.action.setBadgeTextColor({ tabId, color: '#ffffff' });
  }
}

/** @param {number} tabId @param {string} title the action's own title (the manifest's default_title) */
export async function clearTabBadge(tabId, title) {
  await Promise.all([api.action.setBadgeText({ tabId, text: '' }), api.action.setTitle({ tabId, title })]);
}

/** The administrator's policy (storage.managed); rejects where the browser has none for us. */
export async function managedRead() {
  if (!api.storage.managed) {
    return {};
  }
  return api.storage.managed.get(null);
}

/** @param {(changes: object) => void} listener called when the managed policy changes */
export function onManagedChanged(listener) {
  api.storage.onChanged?.addListener((changes, area) => {
    if (area === 'managed') {
      listener(changes);
    }
  });
}

/** Opens OptGuard's options page. */
export function openOptionsPage() {
  return api.runtime.openOptionsPage();
}

// Reminders (background/reminders.js): one alarm, notifications, the action's default badge and
// the lifecycle events that start a check.

/** Creates or replaces the alarm `name`, firing once at `when` (ms since the epoch). */
export function createAlarm(name, when) {
  return api.alarms.create(name, { when });
}

/** @param {string} name @returns {Promise<{name: string, scheduledTime: number}|undefined>} */
export async function getAlarm(name) {
  return (await api.alarms.get(name)) ?? undefined;
}

/** @param {(alarm: {name: string}) => void} listener */
export function onAlarm(listener) {
  api.alarms.onAlarm.addListener(listener);
}

/**
 * @param {string} id
 * @param {{title: string, message: string, iconPath: string, contextMessage?: string}} options
 */
export function createNotification(id, { title, message, iconPath, contextMessage }) {
  const options = { type: 'basic', iconUrl: api.runtime.getURL(iconPath), title, message };
  if (contextMessage) {
    options.contextMessage = contextMessage;
  }
  return api.notifications.create(id, options);
}

/** @param {string} id */
export function clearNotification(id) {
  return api.notifications.clear(id);
}

/** @param {(id: string) => void} listener */
export function onNotificationClicked(listener) {
  api.notifications.onClicked.addListener(listener);
}

/**
 * The action's badge for every tab without a tab-specific one (a tab's verdict badge wins).
 * @param {{text: string, color: string, title: string}} badge text '' clears it
 */
export async function setDefaultBadge({ text, color, title }) {
  await Promise.all([
    api.action.setBadgeText({ text }),
    api.action.setBadgeBackgroundColor({ color }),
    api.action.setTitle({ title }),
  ]);
  if (api.action.setBadgeTextColor) {
    await api.action.setBadgeTextColor({ color: '#ffffff' });
  }
}

/** @param {() => void} listener browser start with this profile */
export function onStartup(listener) {
  api.runtime.onStartup.addListener(listener);
}

/** @param {(details: object) => void} listener install, update, browser update */
export function onInstalled(listener) {
  api.runtime.onInstalled.addListener(listener);
}

/** The tab's URL (host permission covers the catalog's hosts only; elsewhere undefined). */
export async function tabUrl(tabId) {
  return (await api.tabs.get(tabId))?.url;
}

/** Asks the top-frame content script of a tab; rejects when none answers. */
export function sendTabMessage(tabId, message) {
  return api.tabs.sendMessage(tabId, message, { frameId: 0 });
}

/** The active tab of the current window, or null. */
export async function activeTab() {
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab ?? null;
}
