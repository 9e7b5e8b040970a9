import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  HostDisconnectedError,
  HostProtocolError,
  HostReplyError,
  HostTimeoutError,
  HostUnavailableError,
  MessageTooLargeError,
} from '../../extension/shared/errors.js';
import { MAX_AUTO_RECONNECTS, NativePort, PORT_STATE } from '../../extension/background/native-port.js';

/** A fake runtime.Port whose other end the test plays. */
function fakePort() {
  const messageListeners = [];
  const disconnectListeners = [];
  const port = {
    sent: [],
    disconnected: false,
    error: undefined,
    onMessage: { addListener: (fn) => messageListeners.push(fn) },
    onDisconnect: { addListener: (fn) => disconnectListeners.push(fn) },
    postMessage(message) {
      port.sent.push(structuredClone(message));
    },
    disconnect() {
      port.disconnected = true;
    },
    reply(message) {
      for (const fn of messageListeners) {
        fn(message);
      }
    },
    drop(errorMessage) {
      port.error = errorMessage ? { message: errorMessage } : undefined;
      for (const fn of disconnectListeners) {
        fn(port);
      }
    },
  };
  return port;
}

/** Manual timers: nothing fires until the test says so. */
function fakeTimers() {
  const timers = new Map();
  let next = 1;
  return {
    setTimer: (fn, ms) => {
      const id = next++;
      timers.set(id, { fn, ms });
      return id;
    },
    clearTimer: (id) => timers.delete(id),
    pending: () => [...timers.values()].map((t) => t.ms),
    fire(ms) {
      for (const [id, timer] of [...timers]) {
        if (ms === undefined || timer.ms === ms) {
          timers.delete(id);
          timer.fn();
        }
      }
    },
  };
}

const HELLO = { type: 'hello', ok: true, host: 'optguard-host', version: '0.1.0', protocol: 1, catalog_version: '2026.11.23', catalog_error: null, config_error: null };
const flush = () => new Promise((resolve) => setImmediate(resolve));

function setup(options = {}) {
  const ports = [];
  const timers = fakeTimers();
  const states = [];
  const native = new NativePort({
    connect: (name) => {
      assert.equal(name, 'dev.optguard.host');
      const port = fakePort();
      ports.push(port);
      return port;
    },
    setTimer: timers.setTimer,
    clearTimer: timers.clearTimer,
    helloTimeoutMs: 500,
    requestTimeoutMs: 1000,
    backoffMs: [10, 20, 40],
    onStateChange: (state) => states.push(state),
    ...options,
  });
  return { native, ports, timers, states };
}

async function connected(env) {
  const connecting = env.native.connect();
  await flush();
  const port = env.ports.at(-1);
  port.reply({ id: port.sent[0].id, ...HELLO });
  await connecting;
  return port;
}

describe('native port', () => {
  it('starts UNINITIALIZED, says hello first, then is CONNECTED with the host info', async () => {
    const env = setup();
    assert.equal(env.native.state, PORT_STATE.UNINITIALIZED);
    const port = await connected(env);
    assert.deepEqual(port.sent, [{ id: 1, type: 'hello' }]);
    assert.equal(env.native.state, PORT_STATE.CONNECTED);
    assert.deepEqual(env.states, ['CONNECTING', 'CONNECTED']);
    assert.equal(env.native.hostInfo.version, '0.1.0');
    assert.equal(env.native.hostInfo.id, undefined);
  });

  it('concurrent connects share one port and one handshake', async () => {
    const env = setup();
    const a = env.native.connect();
    const b = env.native.connect();
    await flush();
    assert.equal(env.ports.length, 1);
    env.ports[0].reply({ id: 1, ...HELLO });
    assert.deepEqual(await a, await b);
  });

  it('matches replies to requests by id, in any order', async () => {
    const env = setup();
    const port = await connected(env);
    const first = env.native.request('status');
    const second = env.native.request('report', { platform: 'linkedin', setting: 's', state: 'on', url: 'https://x.test/' });
    await flush();
    const [, statusReq, reportReq] = port.sent;
    assert.deepEqual(Object.keys(reportReq), ['id', 'type', 'platform', 'setting', 'state', 'url']);
    port.reply({ id: reportReq.id, type: 'report', ok: true, verdict: 'violation' });
    port.reply({ id: statusReq.id, type: 'status', ok: true, settings: [] });
    assert.equal((await second).verdict, 'violation');
    assert.deepEqual((await first).settings, []);
  });

  it('refuses a field that is not enumerated for the request type, before sending', async () => {
    const env = setup();
    const port = await connected(env);
    await assert.rejects(env.native.request('report', { platform: 'p', setting: 's', state: 'on', url: 'u', title: 'page text' }), /"title" is not part of a report request/);
    await assert.rejects(env.native.request('status', { id: 99 }), /"id" is not part of a status request/);
    await assert.rejects(env.native.request('exfiltrate'), /unknown host request type/);
    assert.equal(port.sent.length, 1, 'only the hello went out');
  });

  it('an ok:false reply rejects with the host\'s code, serialised as {code, message}', async () => {
    const env = setup();
    const port = await connected(env);
    const pending = env.native.request('report', { platform: 'x', setting: 'y', state: 'on', url: 'https://x.test/' });
    await flush();
    port.reply({ id: port.sent[1].id, type: 'report', ok: false, error: { code: 'unknown_setting', message: 'x/y is not in the catalog' } });
    const error = await pending.catch((e) => e);
    assert.ok(error instanceof HostReplyError);
    assert.deepEqual(JSON.parse(JSON.stringify(error)), { code: 'unknown_setting', message: 'x/y is not in the catalog' });
  });

  it('a request without a reply times out with HostTimeoutError, and a late reply is ignored', async () => {
    const env = setup();
    const port = await connected(env);
    const pending = env.native.request('status');
    await flush();
    env.timers.fire(1000);
    const error = await pending.catch((e) => e);
    assert.ok(error instanceof HostTimeoutError);
    assert.equal(error.code, 'host_timeout');
    port.reply({ id: port.sent[1].id, type: 'status', ok: true, settings: [] }); // must not throw
    assert.equal(env.native.state, PORT_STATE.CONNECTED);
  });

  it('a host that is not installed gives HostUnavailableError (not installed) and no retry loop', async () => {
    const env = setup();
    const connecting = env.native.connect();
    await flush();
    env.ports[0].drop('Specified native messaging host not found.');
    const error = await connecting.catch((e) => e);
    assert.ok(error instanceof HostUnavailableError);
    assert.equal(error.notInstalled, true);
    assert.deepEqual(error.toJSON(), { code: 'host_unavailable', message: 'Specified native messaging host not found.' });
    assert.equal(env.native.state, PORT_STATE.DISCONNECTED);
    assert.deepEqual(env.timers.pending(), [], 'no reconnect timer for a missing host');
    // The next request tries again at once.
    const again = env.native.request('status');
    await flush();
    assert.equal(env.ports.length, 2);
    env.ports[1].drop('Specified native messaging host not found.');
    await assert.rejects(again, HostUnavailableError);
  });

  it('Firefox\'s "No such native application" counts as not installed; runtime.lastError is read when port.error is absent', async () => {
    const runtime = { lastError: undefined };
    const env = setup({ lastRuntimeError: () => runtime.lastError });
    const connecting = env.native.connect();
    await flush();
    runtime.lastError = { message: 'No such native application dev.optguard.host' };
    env.ports[0].drop();
    const error = await connecting.catch((e) => e);
    assert.equal(error.notInstalled, true);
  });

  it('a hello that never comes times out, closes the port and retries with backoff', async () => {
    const env = setup();
    const connecting = env.native.connect();
    await flush();
    env.timers.fire(500);
    const error = await connecting.catch((e) => e);
    assert.ok(error instanceof HostUnavailableError);
    assert.match(error.message, /did not complete the handshake/);
    assert.equal(env.ports[0].disconnected, true);
    assert.deepEqual(env.timers.pending(), [10]);
  });

  it('a host speaking another protocol version is refused with HostProtocolError', async () => {
    const env = setup();
    const connecting = env.native.connect();
    await flush();
    env.ports[0].reply({ id: 1, ...HELLO, protocol: 2 });
    await assert.rejects(connecting, HostProtocolError);
    assert.equal(env.ports[0].disconnected, true);
    assert.equal(env.native.state, PORT_STATE.DISCONNECTED);
  });

  it('when the port drops, pending requests fail and it reconnects with growing delays', async () => {
    const env = setup();
    const port = await connected(env);
    const pending = env.native.request('status');
    await flush();
    port.drop('Native host has exited.');
    const error = await pending.catch((e) => e);
    assert.ok(error instanceof HostDisconnectedError);
    assert.equal(env.native.state, PORT_STATE.DISCONNECTED);
    assert.deepEqual(env.timers.pending(), [10]);

    env.timers.fire(10); // reconnect #1 → crashes again
    await flush();
    env.ports[1].drop('Native host has exited.');
    await flush();
    assert.deepEqual(env.timers.pending(), [20]);

    env.timers.fire(20); // reconnect #2 → succeeds
    await flush();
    env.ports[2].reply({ id: env.ports[2].sent[0].id, ...HELLO });
    await flush();
    assert.equal(env.native.state, PORT_STATE.CONNECTED);
    assert.deepEqual(env.timers.pending(), []);
  });

  it('gives up automatic reconnects after MAX_AUTO_RECONNECTS failures in a row', async () => {
    const env = setup();
    const port = await connected(env);
    port.drop('Native host has exited.');
    for (let i = 0; i < MAX_AUTO_RECONNECTS; i += 1) {
      assert.equal(env.timers.pending().length, 1, `timer ${i}`);
      env.timers.fire();
      await flush();
      env.ports.at(-1).drop('Native host has exited.');
      await flush();
    }
    assert.deepEqual(env.timers.pending(), []);
  });

  it('an error frame with id null (forbidden_origin) fails everything in flight', async () => {
    const env = setup();
    const connecting = env.native.connect();
    await flush();
    env.ports[0].reply({ id: null, ok: false, error: { code: 'forbidden_origin', message: 'caller not allowed' } });
    const error = await connecting.catch((e) => e);
    assert.ok(error instanceof HostUnavailableError);
    assert.match(error.message, /caller not allowed/);
  });

  it('refuses a request over 1 MiB before sending it', async () => {
    const env = setup();
    const port = await connected(env);
    const error = await env.native.request('report', { platform: 'p', setting: 's', state: 'on', url: 'x'.repeat(1024 * 1024) }).catch((e) => e);
    assert.ok(error instanceof MessageTooLargeError);
    assert.equal(error.code, 'message_too_large');
    assert.equal(port.sent.length, 1);
  });

  it('close() disconnects without scheduling a reconnect', async () => {
    const env = setup();
    const port = await connected(env);
    env.native.close();
    assert.equal(port.disconnected, true);
    assert.equal(env.native.state, PORT_STATE.DISCONNECTED);
    assert.deepEqual(env.timers.pending(), []);
  });
});
