// A minimal chrome.* for modules that go through shared/browser-api.js: storage areas in memory,
// a recorded action badge per tab, and i18n from the English messages (helpers/i18n.mjs).
import { fakeI18n } from './i18n.mjs';

export function fakeChrome() {
  const area = () => {
    const data = {};
    return {
      data,
      get: async (key) => (key in data ? { [key]: structuredClone(data[key]) } : {}),
      set: async (items) => {
        Object.assign(data, structuredClone(items));
      },
    };
  };
  const badges = {};
  const tabBadge = (tabId) => (badges[tabId] ??= {});
  const opened = [];
  return {
    badges,
    opened,
    i18n: fakeI18n('en'),
    runtime: { id: 'cmijejphlnikkmemcggjhadjlmobjaie', getURL: (p) => `chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/${p.replace(/^\//, '')}` },
    storage: { local: area(), session: area() },
    tabs: { create: async ({ url }) => opened.push(url) },
    action: {
      setBadgeText: async ({ tabId, text }) => {
        tabBadge(tabId).text = text;
      },
      setBadgeBackgroundColor: async ({ tabId, color }) => {
        tabBadge(tabId).color = color;
      },
      setBadgeTextColor: async ({ tabId, color }) => {
        tabBadge(tabId).textColor = color;
      },
      setTitle: async ({ tabId, title }) => {
        tabBadge(tabId).title = title;
      },
    },
  };
}
