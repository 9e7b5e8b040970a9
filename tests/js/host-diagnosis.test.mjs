// The popup's diagnosis when the helper app cannot be reached: the real NativePort fed the browsers'
// own error texts through a fake port, buildPopupState with the fake chrome, and the pure
// diagnosis functions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fakeChrome } from './helpers/fake-chrome.mjs';
import { fileFetch, resolveExtensionUrl } from './helpers/paths.mjs';

const chrome = fakeChrome();
chrome.runtime.getManifest = () => ({ version: '0.1.0' });
globalThis.chrome = chrome;
const { buildPopupState } = await import('../../extension/background/popup-state.js');
const { NativePort } = await import('../../extension/background/native-port.js');
const { DOCTOR_COMMAND, INSTALL_COMMAND, diagnoseConnectedHost, diagnoseHostError } = await import('../../extension/background/host-diagnosis.js');
const { HostDisconnectedError, HostProtocolError, HostTimeoutError, HostUnavailableError } = await import('../../extension/shared/errors.js');
const { loadCatalog } = await import('../../extension/shared/catalog.js');

const catalog = await loadCatalog(resolveExtensionUrl, fileFetch);
const HELLO = { type: 'hello', ok: true, host: 'optguard-host', version: '0.1.0', protocol: 1, catalog_version: '2026.11.23', catalog_error: null, config_error: null };
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A NativePort over fake ports; `script(port)` plays the host's end of each connection. */
function portWith(script) {
  const timers = [];
  const native = new NativePort({
    connect: () => {
      const listeners = { message: [], disconnect: [] };
      const port = {
        sent: [],
        onMessage: { addListener: (fn) => listeners.message.push(fn) },
        onDisconnect: { addListener: (fn) => listeners.disconnect.push(fn) },
        postMessage: (m) => {
          port.sent.push(m);
          setImmediate(() => script(port, m));
        },
        disconnect() {},
        reply: (m) => listeners.message.forEach((fn) => fn(m)),
        drop: (message) => {
          port.error = { message };
          listeners.disconnect.forEach((fn) => fn(port));
        },
      };
      return port;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
    helloTimeoutMs: 500,
    requestTimeoutMs: 1000,
  });
  return { native, timers };
}

async function popupHost(script) {
  const { native } = portWith(script);
  return (await buildPopupState(native, catalog)).host;
}

describe('host diagnosis in the popup state', () => {
  const cases = [
    ['Chromium: no manifest', 'Specified native messaging host not found.', 'missing', INSTALL_COMMAND],
    ['Firefox: no manifest', 'No such native application dev.optguard.host', 'missing', INSTALL_COMMAND],
    ['wrong allowed_origins', 'Access to the specified native messaging host is forbidden.', 'forbidden', INSTALL_COMMAND],
    ['path missing or not executable', 'Failed to start native messaging host.', 'failed_to_start', INSTALL_COMMAND],
    ['host crashed', 'Native host has exited.', 'crashed', DOCTOR_COMMAND],
  ];
  for (const [name, browserSays, problem, fix] of cases) {
    it(`${name}: "${browserSays}" -> ${problem}, fixed by ${fix}`, async () => {
      const host = await popupHost((port) => port.drop(browserSays));
      assert.equal(host.diagnosis.problem, problem);
      assert.equal(host.diagnosis.fix, fix);
      assert.ok(host.diagnosis.title.length > 0 && host.diagnosis.detail.length > 0);
      assert.equal(host.error.message, browserSays, 'the browser\'s own words are kept too');
    });
  }

  it('a host that speaks another protocol -> protocol_mismatch, fixed by rebuilding and reinstalling', async () => {
    const host = await popupHost((port, m) => port.reply({ ...HELLO, id: m.id, protocol: 2 }));
    assert.equal(host.status, 'error');
    assert.equal(host.diagnosis.problem, 'protocol_mismatch');
    assert.match(host.diagnosis.fix, /bash scripts\/build\.sh && bash installer\/install\.sh/);
  });

  it('a connected host of another version -> connected, with a version_mismatch note', async () => {
    const host = await popupHost((port, m) => port.reply({ ...HELLO, id: m.id, ...(m.type === 'status' ? { settings: [] } : { version: '0.0.9' }) }));
    assert.equal(host.status, 'connected');
    assert.equal(host.diagnosis.problem, 'version_mismatch');
    assert.equal(host.diagnosis.title, 'Helper app 0.0.9, extension 0.1.0');
  });

  it('a connected host of the same version has no diagnosis', async () => {
    const host = await popupHost((port, m) => port.reply({ ...HELLO, id: m.id, ...(m.type === 'status' ? { settings: [] } : {}) }));
    assert.equal(host.status, 'connected');
    assert.equal(host.diagnosis, null);
  });

  it('a host that never answers hello -> timeout', async () => {
    const { native, timers } = portWith(() => {});
    const pending = buildPopupState(native, catalog);
    await flush();
    timers.find((t) => t.ms === 500).fn();
    const { host } = await pending;
    assert.equal(host.diagnosis.problem, 'timeout');
    assert.equal(host.diagnosis.fix, DOCTOR_COMMAND);
  });
});

describe('diagnoseHostError', () => {
  it('maps the typed errors', () => {
    assert.equal(diagnoseHostError(new HostTimeoutError('no reply to status #2 within 1000 ms')).problem, 'timeout');
    assert.equal(diagnoseHostError(new HostProtocolError('reply to status has no "ok"')).problem, 'protocol_mismatch');
    assert.equal(diagnoseHostError(new HostDisconnectedError('no port to the helper app')).problem, 'crashed');
    assert.equal(diagnoseHostError(new HostUnavailableError('something new')).problem, 'unknown');
    assert.equal(diagnoseHostError(new Error('bug')).problem, 'unknown');
  });

  it('has no version note when the extension version is unknown', () => {
    assert.equal(diagnoseConnectedHost({ version: '0.0.9' }, null), null);
  });
});
