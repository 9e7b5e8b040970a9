// background/reminders.js with a fake chrome (alarms, notifications, the default badge) and a fake
// host port: one alarm at next_due_at (6 h at most), notifications per platform never repeated for
// the same reasons, the click opens the setting's page, snooze/ack through the host or locally.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';

import { fakeChrome } from './helpers/fake-chrome.mjs';
import { fileFetch, resolveExtensionUrl } from './helpers/paths.mjs';

const chrome = fakeChrome();
globalThis.chrome = chrome;
const reminders = await import('../../extension/background/reminders.js');
const { SUMMARY_ID } = await import('../../extension/background/reminder-notifications.js');
const { HostReplyError, HostUnavailableError } = await import('../../extension/shared/errors.js');
const { loadCatalog } = await import('../../extension/shared/catalog.js');
const { MSG } = await import('../../extension/shared/protocol.js');
const { createRouter } = await import('../../extension/background/router.js');

const catalog = await loadCatalog(resolveExtensionUrl, fileFetch);
const NOW = new Date('2026-11-23T12:00:00.000Z');
const HOUR = 3600 * 1000;

// The parts of chrome.* reminders.js uses beyond the shared fake.
const alarms = {};
const notifications = {};
const calls = [];
chrome.alarms = {
  create: async (name, info) => {
    alarms[name] = { name, scheduledTime: info.when };
  },
  get: async (name) => alarms[name],
};
chrome.notifications = {
  create: async (id, options) => {
    notifications[id] = options;
    calls.push(['create', id]);
    return id;
  },
  clear: async (id) => {
    calls.push(['clear', id]);
    return delete notifications[id];
  },
};
chrome.runtime.openOptionsPage = async () => chrome.opened.push('options');
const defaultBadge = () => chrome.badges[undefined];

function setting(platform, id, severity, reasons, url = `https://example.test/${platform}/${id}`) {
  return { platform, setting: id, title: `${platform} ${id}`, kind: 'toggle', severity, opt_out_url: url, verified_at: null, filed_on: null, reasons };
}
const NEVER = [{ code: 'never_verified', since: null, policy_date: null, message: 'never checked' }];
const VIOLATION = [{ code: 'violation', since: '2026-11-22T10:00:00.000Z', policy_date: null, message: 'last seen ON' }];

function hostReply(platforms, next = null) {
  return { ok: true, now: NOW.toISOString(), count: platforms.reduce((n, p) => n + p.settings.length, 0), next_due_at: next, platforms };
}

function fakePort(replies = {}) {
  const requests = [];
  return {
    requests,
    async request(type, fields = {}) {
      requests.push({ type, ...fields });
      const reply = replies[type];
      if (reply instanceof Error) {
        throw reply;
      }
      return typeof reply === 'function' ? reply(fields) : reply ?? { ok: true };
    },
  };
}

const MISSING = new HostUnavailableError('Specified native messaging host not found.', { notInstalled: true });

beforeEach(async () => {
  for (const store of [alarms, notifications]) {
    for (const key of Object.keys(store)) {
      delete store[key];
    }
  }
  calls.length = 0;
  chrome.opened.length = 0;
  for (const key of Object.keys(chrome.storage.local.data)) {
    delete chrome.storage.local.data[key];
  }
});

describe('checkReminders', () => {
  const linkedin = { platform: 'linkedin', name: 'LinkedIn', severity: 'critical', settings: [setting('linkedin', 'ai', 'critical', VIOLATION)] };
  const x = { platform: 'x', name: 'X', severity: 'normal', settings: [setting('x', 'grok', 'normal', NEVER)] };

  it('asks the host, sets ONE alarm at next_due_at, the default badge and one notification per platform', async () => {
    const next = new Date(NOW.getTime() + 2 * HOUR).toISOString();
    const port = fakePort({ due: hostReply([linkedin, x], next) });
    const due = await reminders.checkReminders(port, catalog, NOW);
    assert.equal(due.source, 'host');
    assert.deepEqual(port.requests, [{ type: 'due' }]);
    assert.deepEqual(Object.keys(alarms), [reminders.ALARM_NAME]);
    assert.equal(alarms[reminders.ALARM_NAME].scheduledTime, Date.parse(next));
    assert.deepEqual(defaultBadge(), { text: '2', color: '#C62828', title: 'OptGuard: 2 settings to re-check', textColor: '#ffffff' });
    assert.deepEqual(Object.keys(notifications).sort(), ['optguard-due:linkedin', 'optguard-due:x']);
    const n = notifications['optguard-due:linkedin'];
    assert.equal(n.type, 'basic');
    assert.equal(n.iconUrl, 'chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/icons/icon-128.png');
    assert.equal(n.title, 'LinkedIn: AI training is ON');
    // The reason in the UI language's words (shared/due-text.js), not the host's English message.
    assert.equal(n.message, 'linkedin ai: Last seen ON: your data may be used for AI training');
    assert.deepEqual((await chrome.storage.local.get('due')).due, due, 'kept for the popup');
  });

  it('without next_due_at (or a later one) the alarm is the 6-hour floor', async () => {
    await reminders.checkReminders(fakePort({ due: hostReply([x], null) }), catalog, NOW);
    assert.equal(alarms[reminders.ALARM_NAME].scheduledTime, NOW.getTime() + 6 * HOUR);
    await reminders.checkReminders(fakePort({ due: hostReply([x], '2027-01-01T00:00:00.000Z') }), catalog, NOW);
    assert.equal(alarms[reminders.ALARM_NAME].scheduledTime, NOW.getTime() + 6 * HOUR);
  });

  it('the same reasons are not notified twice; a new reason is; a platform no longer due is cleared', async () => {
    await reminders.checkReminders(fakePort({ due: hostReply([linkedin, x]) }), catalog, NOW);
    calls.length = 0;
    await reminders.checkReminders(fakePort({ due: hostReply([linkedin, x]) }), catalog, NOW);
    assert.deepEqual(calls, [], 'nothing new');
    const xWorse = { ...x, severity: 'critical', settings: [setting('x', 'grok', 'critical', VIOLATION)] };
    await reminders.checkReminders(fakePort({ due: hostReply([xWorse]) }), catalog, NOW);
    assert.deepEqual(calls, [['clear', 'optguard-due:linkedin'], ['create', 'optguard-due:x']]);
    assert.equal(notifications['optguard-due:x'].title, 'X: AI training is ON');
  });

  it('a summary replaced by per-platform notifications shows them (the summary is withdrawn)', async () => {
    const many = ['a', 'b', 'c', 'd'].map((p) => ({ platform: p, name: p, severity: 'normal', settings: [setting(p, 's', 'normal', NEVER)] }));
    await reminders.checkReminders(fakePort({ due: hostReply(many) }), catalog, NOW);
    calls.length = 0;
    await reminders.checkReminders(fakePort({ due: hostReply(many.slice(0, 2)) }), catalog, NOW);
    assert.deepEqual(calls, [['clear', SUMMARY_ID], ['create', 'optguard-due:a'], ['create', 'optguard-due:b']]);
  });

  it('a clicked notification is not shown again for the same reasons', async () => {
    await reminders.checkReminders(fakePort({ due: hostReply([x]) }), catalog, NOW);
    await reminders.handleNotificationClick('optguard-due:x');
    calls.length = 0;
    await reminders.checkReminders(fakePort({ due: hostReply([x]) }), catalog, NOW);
    assert.deepEqual(calls, []);
  });

  it('nothing due: no notification, the default badge is cleared', async () => {
    await reminders.checkReminders(fakePort({ due: hostReply([linkedin]) }), catalog, NOW);
    await reminders.checkReminders(fakePort({ due: hostReply([]) }), catalog, NOW);
    assert.deepEqual(notifications, {});
    assert.equal(defaultBadge().text, '');
  });

  it('more than three platforms: one summary notification, not a storm', async () => {
    const many = ['a', 'b', 'c', 'd', 'e'].map((p) => ({ platform: p, name: p.toUpperCase(), severity: 'normal', settings: [setting(p, 's', 'normal', NEVER)] }));
    await reminders.checkReminders(fakePort({ due: hostReply(many) }), catalog, NOW);
    assert.deepEqual(Object.keys(notifications), [SUMMARY_ID]);
    assert.equal(notifications[SUMMARY_ID].title, 'OptGuard: 5 settings to re-check');
    assert.equal(notifications[SUMMARY_ID].message, 'A, B, C, D, and E', 'a list in the UI language (Intl.ListFormat)');
  });

  it('host missing: every watched catalog setting never checked here is due, computed locally', async () => {
    const due = await reminders.checkReminders(fakePort({ due: MISSING }), catalog, NOW);
    const watched = catalog.platforms.reduce((n, p) => n + p.settings.length, 0);
    assert.equal(due.source, 'local');
    assert.equal(due.count, watched);
    assert.equal(defaultBadge().text, String(watched));
    assert.deepEqual(Object.keys(notifications), [SUMMARY_ID]);
  });

  it('a host that answers with an error is not replaced by the local rules: the error is thrown', async () => {
    const failure = new HostReplyError('storage_error', 'disk full');
    await assert.rejects(reminders.checkReminders(fakePort({ due: failure }), catalog, NOW), (error) => error === failure);
    assert.equal(chrome.storage.local.data.due, undefined, 'no local due list stands in for it');
    assert.deepEqual(Object.keys(notifications), []);
    assert.deepEqual(Object.keys(alarms), [reminders.ALARM_NAME], 'the alarm still comes back');
  });

  it('host missing: the interval the person chose while the host was away counts', async () => {
    chrome.storage.local.data.observations = {
      'linkedin/generative-ai-training': { state: 'off', verdict: 'compliant', observed_at: new Date(NOW.getTime() - 2 * 24 * HOUR).toISOString(), source: 'local' },
    };
    const listed = async () => (await reminders.checkReminders(fakePort({ due: MISSING }), catalog, NOW)).platforms
      .flatMap((p) => p.settings.map((s) => `${s.platform}/${s.setting}`)).includes('linkedin/generative-ai-training');
    assert.equal(await listed(), false, 'the catalog\'s 30 days');
    chrome.storage.local.data.pendingChoices = { 'linkedin/generative-ai-training': { interval_days: 1 } };
    assert.equal(await listed(), true, 'the person\'s 1 day');
  });

  it('host missing: an ignored setting (choice cache) is not due', async () => {
    await chrome.storage.local.set({ choiceCache: { 'linkedin/generative-ai-training': { watch: false, expected: 'off' } } });
    const due = await reminders.checkReminders(fakePort({ due: MISSING }), catalog, NOW);
    const keys = due.platforms.flatMap((p) => p.settings.map((s) => `${s.platform}/${s.setting}`));
    assert.ok(!keys.includes('linkedin/generative-ai-training'));
  });
});

describe('handleNotificationClick', () => {
  it('opens the most severe setting\'s opt-out page and clears the notification', async () => {
    const p = { platform: 'linkedin', name: 'LinkedIn', severity: 'critical', settings: [
      setting('linkedin', 'form', 'normal', NEVER, 'https://www.linkedin.com/form'),
      setting('linkedin', 'ai', 'critical', VIOLATION, 'https://www.linkedin.com/ai'),
    ] };
    await reminders.checkReminders(fakePort({ due: hostReply([p]) }), catalog, NOW);
    const url = await reminders.handleNotificationClick('optguard-due:linkedin');
    assert.equal(url, 'https://www.linkedin.com/ai');
    assert.deepEqual(chrome.opened, ['https://www.linkedin.com/ai']);
    assert.deepEqual(notifications, {});
  });

  it('the summary opens the options page; other extensions\' ids are ignored', async () => {
    const many = ['a', 'b', 'c', 'd'].map((q) => ({ platform: q, name: q, severity: 'normal', settings: [setting(q, 's', 'normal', NEVER)] }));
    await reminders.checkReminders(fakePort({ due: hostReply(many) }), catalog, NOW);
    assert.equal(await reminders.handleNotificationClick('something-else'), null);
    assert.deepEqual(chrome.opened, []);
    await reminders.handleNotificationClick(SUMMARY_ID);
    assert.deepEqual(chrome.opened, ['options']);
  });
});

describe('reminderAction (popup Snooze / Done)', () => {
  const key = { platform: 'linkedin', setting: 'generative-ai-training' };

  it('snooze goes to the host with the duration, then re-checks', async () => {
    const port = fakePort({ due: hostReply([]) });
    const reply = await reminders.reminderAction(port, catalog, 'snooze', { ...key, duration: '1w' }, NOW);
    assert.equal(reply.ok, true);
    assert.equal(reply.saved, 'host');
    assert.deepEqual(port.requests, [{ type: 'snooze', ...key, duration: '1w' }, { type: 'due' }]);
  });

  it('ack goes to the host as ack', async () => {
    const port = fakePort({ due: hostReply([]) });
    await reminders.reminderAction(port, catalog, 'ack', key, NOW);
    assert.deepEqual(port.requests[0], { type: 'ack', ...key });
  });

  it('a host error reply is returned, not hidden by a local save', async () => {
    const port = fakePort({ snooze: new HostReplyError('storage_error', 'disk full') });
    const reply = await reminders.reminderAction(port, catalog, 'snooze', { ...key, duration: '1d' }, NOW);
    assert.deepEqual(reply, { ok: false, error: { code: 'storage_error', message: 'disk full' } });
    assert.equal((await chrome.storage.local.get('localReminders')).localReminders, undefined);
  });

  it('host missing: snooze and ack are kept in this browser and the local rules honour them', async () => {
    const port = fakePort({ due: MISSING, snooze: MISSING, ack: MISSING });
    const before = await reminders.checkReminders(port, catalog, NOW);
    const snoozed = await reminders.reminderAction(port, catalog, 'snooze', { ...key, duration: '1d' }, NOW);
    assert.equal(snoozed.saved, 'local');
    assert.equal(snoozed.due.count, before.count - 1);
    const local = (await chrome.storage.local.get('localReminders')).localReminders;
    assert.deepEqual(local['linkedin/generative-ai-training'], { snoozed_at: NOW.toISOString(), until: '2026-11-24T12:00:00.000Z' });
    const other = { platform: 'x', setting: catalog.platforms.find((p) => p.platform === 'x').settings[0].id };
    const acked = await reminders.reminderAction(port, catalog, 'ack', other, NOW);
    assert.equal(acked.due.count, before.count - 2);
  });

  it('what was kept in this browser goes to the host once it answers, keeping the snooze\'s end', async () => {
    const x = { platform: 'x', setting: catalog.platforms.find((p) => p.platform === 'x').settings[0].id };
    chrome.storage.local.data.localReminders = {
      'linkedin/generative-ai-training': { snoozed_at: NOW.toISOString(), until: new Date(NOW.getTime() + 90.5 * 60000).toISOString() },
      [`x/${x.setting}`]: { acknowledged_at: NOW.toISOString() },
      'chatgpt/improve-the-model': { snoozed_at: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z' }, // over: dropped
    };
    const port = fakePort({ due: hostReply([]) });
    await reminders.checkReminders(port, catalog, NOW);
    assert.deepEqual(port.requests, [
      { type: 'due' },
      { type: 'snooze', platform: 'linkedin', setting: 'generative-ai-training', duration: '91m' },
      { type: 'ack', platform: 'x', setting: x.setting },
      { type: 'due' },
    ]);
    assert.deepEqual(chrome.storage.local.data.localReminders, {});
  });

  it('a host that goes away mid-way keeps the rest in this browser', async () => {
    chrome.storage.local.data.localReminders = {
      'linkedin/generative-ai-training': { acknowledged_at: NOW.toISOString() },
      'chatgpt/improve-the-model': { acknowledged_at: NOW.toISOString() },
    };
    let acks = 0;
    const port = fakePort({
      due: hostReply([]),
      ack: () => {
        acks += 1;
        if (acks > 1) {
          throw MISSING;
        }
        return { ok: true };
      },
    });
    await reminders.checkReminders(port, catalog, NOW);
    assert.deepEqual(Object.keys(chrome.storage.local.data.localReminders), ['chatgpt/improve-the-model']);
  });

  it('validates the popup\'s message: exact keys, a catalog setting, 1d or 1w', () => {
    const ok = reminders.validateReminderMessage({ type: MSG.SNOOZE, ...key, duration: '1d' }, catalog, true);
    assert.deepEqual(ok, { ...key, duration: '1d' });
    assert.match(reminders.validateReminderMessage({ type: MSG.SNOOZE, ...key, duration: '5y' }, catalog, true), /duration/);
    assert.match(reminders.validateReminderMessage({ type: MSG.ACK, ...key, extra: 1 }, catalog, false), /exactly/);
    assert.match(reminders.validateReminderMessage({ type: MSG.ACK, platform: 'nope', setting: 'x' }, catalog, false), /catalog/);
  });
});

describe('router: reminders are for OptGuard\'s own pages only', () => {
  const SELF = { extensionId: 'cmijejphlnikkmemcggjhadjlmobjaie', extensionOrigin: 'chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie' };
  const popupSender = { id: SELF.extensionId, url: `${SELF.extensionOrigin}/popup/popup.html`, origin: SELF.extensionOrigin };
  const page = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';
  const contentSender = { id: SELF.extensionId, url: page, origin: 'https://www.linkedin.com', frameId: 0, tab: { id: 3, url: page } };
  const routed = [];
  const route = createRouter({
    getCatalog: async () => catalog,
    self: SELF,
    handlers: {
      reminders: async () => {
        routed.push('reminders');
        return { ok: true };
      },
      reminderAction: async (message) => {
        routed.push(message.type);
        return { ok: true };
      },
    },
  });

  for (const type of [MSG.REMINDERS, MSG.SNOOZE, MSG.ACK]) {
    it(`${type}: refused from a content script, routed from the popup`, async () => {
      routed.length = 0;
      const message = type === MSG.REMINDERS ? { type } : { type, platform: 'linkedin', setting: 'generative-ai-training', duration: '1d' };
      const refused = await route(message, contentSender);
      assert.equal(refused.error.code, 'untrusted_sender');
      assert.deepEqual(routed, []);
      assert.equal((await route(message, popupSender)).ok, true);
      assert.equal(routed.length, 1);
    });
  }

  it('reminders takes no fields', async () => {
    assert.equal((await route({ type: MSG.REMINDERS, x: 1 }, popupSender)).error.code, 'bad_message');
  });
});
