// The port to optguard-host: a state machine with a hello handshake, request ids, per-request
// timeouts and reconnection with backoff. Modelled on web-eid-webextension's NativeAppService.
//
// UNINITIALIZED --connect--> CONNECTING --hello ok--> CONNECTED
//        CONNECTING --hello fails / times out / port drops--> DISCONNECTED
//        CONNECTED --port drops--> DISCONNECTED --backoff timer or next request--> CONNECTING

import {
  HOST_NAME,
  HOST_REQUEST,
  HOST_REQUEST_FIELDS,
  MAX_REQUEST_BYTES,
  PROTOCOL_VERSION,
} from '../shared/protocol.js';
import {
  HostDisconnectedError,
  HostProtocolError,
  HostReplyError,
  HostTimeoutError,
  HostUnavailableError,
  MessageTooLargeError,
} from '../shared/errors.js';

export const PORT_STATE = Object.freeze({
  UNINITIALIZED: 'UNINITIALIZED',
  CONNECTING: 'CONNECTING',
  CONNECTED: 'CONNECTED',
  DISCONNECTED: 'DISCONNECTED',
});

export const DEFAULT_HELLO_TIMEOUT_MS = 5000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10000;
/** Delays before each automatic reconnect after the port drops; the last one repeats. */
export const DEFAULT_BACKOFF_MS = Object.freeze([1000, 2000, 5000, 15000, 60000]);
/** Automatic reconnects stop after this many failures in a row; the next request tries again. */
export const MAX_AUTO_RECONNECTS = 8;

// Chromium: "Specified native messaging host not found." / "Failed to start native messaging
// host."; Firefox: "No such native application dev.optguard.host".
const NOT_INSTALLED = /not found|no such native application|failed to start/i;

const encoder = new TextEncoder();

export class NativePort {
  #connect;
  #hostName;
  #helloTimeoutMs;
  #requestTimeoutMs;
  #backoffMs;
  #lastRuntimeError;
  #onStateChange;
  #setTimer;
  #clearTimer;

  #state = PORT_STATE.UNINITIALIZED;
  #port = null;
  #nextId = 1;
  /** @type {Map<number, {resolve: Function, reject: Function, timer: unknown, type: string}>} */
  #pending = new Map();
  #handshake = null;
  #hostInfo = null;
  #lastError = null;
  #reconnectTimer = null;
  #failuresInARow = 0;

  /**
   * @param {object} options
   * @param {(name: string) => object} options.connect runtime.connectNative
   * @param {() => ({message?: string}|undefined)} [options.lastRuntimeError] runtime.lastError
   * @param {(state: string, port: NativePort) => void} [options.onStateChange]
   */
  constructor({
    connect,
    lastRuntimeError = () => undefined,
    hostName = HOST_NAME,
    helloTimeoutMs = DEFAULT_HELLO_TIMEOUT_MS,
    requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
    backoffMs = DEFAULT_BACKOFF_MS,
    onStateChange = () => {},
    setTimer = (fn, ms) => setTimeout(fn, ms),
    clearTimer = (timer) => clearTimeout(timer),
  }) {
    this.#connect = connect;
    this.#lastRuntimeError = lastRuntimeError;
    this.#hostName = hostName;
    this.#helloTimeoutMs = helloTimeoutMs;
    this.#requestTimeoutMs = requestTimeoutMs;
    this.#backoffMs = backoffMs;
    this.#onStateChange = onStateChange;
    this.#setTimer = setTimer;
    this.#clearTimer = clearTimer;
  }

  get state() {
    return this.#state;
  }

  /** The hello reply (host, version, protocol, catalog_version, …) once CONNECTED. */
  get hostInfo() {
    return this.#hostInfo;
  }

  /** Why the last connection attempt or connection ended, or null. */
  get lastError() {
    return this.#lastError;
  }

  /**
   * Connects and completes the handshake; resolves with the hello reply. Safe to call repeatedly.
   * @returns {Promise<object>}
   */
  connect() {
    if (this.#state === PORT_STATE.CONNECTED) {
      return Promise.resolve(this.#hostInfo);
    }
    if (this.#state === PORT_STATE.CONNECTING) {
      return this.#handshake;
    }
    this.#cancelReconnect();
    this.#handshake = this.#open();
    return this.#handshake;
  }

  /**
   * Sends one request and resolves with the host's ok reply; rejects with a typed error.
   * Only the fields protocol.js lists for `type` are sent.
   * @param {string} type
   * @param {Record<string, unknown>} [fields]
   */
  async request(type, fields = {}) {
    await this.connect();
    return this.#send(type, fields, this.#requestTimeoutMs);
  }

  /** Closes the port on purpose; no automatic reconnect follows. */
  close() {
    this.#cancelReconnect();
    if (this.#port) {
      const port = this.#port;
      this.#teardown(new HostDisconnectedError('the port was closed by the extension'), false);
      port.disconnect();
    }
  }

  async #open() {
    this.#setState(PORT_STATE.CONNECTING);
    let port;
    try {
      port = this.#connect(this.#hostName);
    } catch (error) {
      // Firefox throws synchronously when nativeMessaging is unavailable.
      const failure = new HostUnavailableError(error.message, { notInstalled: NOT_INSTALLED.test(error.message) });
      this.#teardown(failure, true);
      throw failure;
    }
    this.#port = port;
    port.onMessage.addListener((message) => this.#onMessage(port, message));
    port.onDisconnect.addListener((p) => this.#onDisconnect(port, p));
    let hello;
    try {
      hello = await this.#send(HOST_REQUEST.HELLO, {}, this.#helloTimeoutMs);
    } catch (error) {
      const failure =
        error instanceof HostUnavailableError
          ? error
          : new HostUnavailableError(`the helper app did not complete the handshake: ${error.message}`);
      if (this.#port === port) {
        this.#teardown(failure, true);
        port.disconnect();
      }
      throw failure;
    }
    if (hello.protocol !== PROTOCOL_VERSION) {
      const failure = new HostProtocolError(`the helper app speaks protocol ${hello.protocol}, this extension ${PROTOCOL_VERSION}`);
      this.#teardown(failure, false);
      port.disconnect();
      throw failure;
    }
    const { id: _id, type: _type, ok: _ok, ...info } = hello;
    this.#hostInfo = info;
    this.#lastError = null;
    this.#failuresInARow = 0;
    this.#setState(PORT_STATE.CONNECTED);
    return info;
  }

  #send(type, fields, timeoutMs) {
    const allowed = HOST_REQUEST_FIELDS[type];
    if (!allowed) {
      throw new TypeError(`unknown host request type ${JSON.stringify(type)}`);
    }
    const port = this.#port;
    if (!port) {
      return Promise.reject(new HostDisconnectedError('no port to the helper app'));
    }
    const id = this.#nextId++;
    const request = { id, type };
    for (const [key, value] of Object.entries(fields)) {
      if (!allowed.includes(key) || key === 'id' || key === 'type') {
        throw new TypeError(`field ${JSON.stringify(key)} is not part of a ${type} request`);
      }
      request[key] = value;
    }
    const bytes = encoder.encode(JSON.stringify(request)).length;
    if (bytes > MAX_REQUEST_BYTES) {
      return Promise.reject(new MessageTooLargeError(`request of ${bytes} bytes exceeds ${MAX_REQUEST_BYTES}`));
    }
    return new Promise((resolve, reject) => {
      const timer = this.#setTimer(() => {
        this.#pending.delete(id);
        reject(new HostTimeoutError(`no reply to ${type} #${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer, type });
      try {
        port.postMessage(request);
      } catch (error) {
        this.#clearTimer(timer);
        this.#pending.delete(id);
        reject(new HostDisconnectedError(`could not send ${type}: ${error.message}`));
      }
    });
  }

  #onMessage(port, message) {
    if (port !== this.#port || !message || typeof message !== 'object') {
      return;
    }
    if (message.id === null && message.ok === false) {
      // An error the host could not tie to a request (forbidden_origin, bad_frame): it concerns
      // everything in flight.
      const error = new HostReplyError(message.error?.code ?? 'internal', message.error?.message ?? 'host error');
      for (const [id, entry] of this.#pending) {
        this.#clearTimer(entry.timer);
        this.#pending.delete(id);
        entry.reject(error);
      }
      return;
    }
    const entry = this.#pending.get(message.id);
    if (!entry) {
      return; // a reply that already timed out
    }
    this.#pending.delete(message.id);
    this.#clearTimer(entry.timer);
    if (message.ok === true) {
      entry.resolve(message);
    } else if (message.ok === false && message.error && typeof message.error.code === 'string') {
      entry.reject(new HostReplyError(message.error.code, String(message.error.message ?? ''), message.error.reason));
    } else {
      entry.reject(new HostProtocolError(`reply to ${entry.type} has no "ok"`));
    }
  }

  #onDisconnect(port, disconnected) {
    if (port !== this.#port) {
      return;
    }
    const reason =
      disconnected?.error?.message ?? port.error?.message ?? this.#lastRuntimeError()?.message ?? 'the helper app closed the connection';
    const wasConnected = this.#state === PORT_STATE.CONNECTED;
    const error = wasConnected
      ? new HostDisconnectedError(reason)
      : new HostUnavailableError(reason, { notInstalled: NOT_INSTALLED.test(reason) });
    this.#teardown(error, true);
  }

  #teardown(error, reconnect) {
    this.#port = null;
    this.#hostInfo = null;
    this.#lastError = error;
    for (const [id, entry] of this.#pending) {
      this.#clearTimer(entry.timer);
      this.#pending.delete(id);
      entry.reject(error);
    }
    this.#setState(PORT_STATE.DISCONNECTED);
    if (reconnect) {
      this.#scheduleReconnect();
    }
  }

  // A host that is not installed stays that way until the user runs the installer; retrying on a
  // timer would only spawn failures, so only a dropped or failing host is retried automatically,
  // and a request always tries at once.
  #scheduleReconnect() {
    this.#cancelReconnect();
    if (this.#lastError instanceof HostUnavailableError && this.#lastError.notInstalled) {
      return;
    }
    if (this.#failuresInARow >= MAX_AUTO_RECONNECTS) {
      return;
    }
    const delay = this.#backoffMs[Math.min(this.#failuresInARow, this.#backoffMs.length - 1)];
    this.#failuresInARow += 1;
    this.#reconnectTimer = this.#setTimer(() => {
      this.#reconnectTimer = null;
      this.connect().catch(() => {}); // the failure is kept in lastError and schedules the next try
    }, delay);
  }

  #cancelReconnect() {
    if (this.#reconnectTimer !== null) {
      this.#clearTimer(this.#reconnectTimer);
      this.#reconnectTimer = null;
    }
  }

  #setState(state) {
    if (this.#state !== state) {
      this.#state = state;
      this.#onStateChange(state, this);
    }
  }
}
