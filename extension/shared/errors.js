// Typed errors, serialised as {code, message} whenever they cross a message boundary.

/** Base class: a stable symbolic code plus a readable message. */
export class OptGuardError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }

  /** @returns {{code: string, message: string}} */
  toJSON() {
    return { code: this.code, message: this.message };
  }
}

/** The host is not installed, failed to start, or went away before the handshake finished. */
export class HostUnavailableError extends OptGuardError {
  /**
   * @param {string} message
   * @param {{notInstalled?: boolean}} [detail]
   */
  constructor(message, { notInstalled = false } = {}) {
    super('host_unavailable', message);
    this.notInstalled = notInstalled;
  }
}

/** The port dropped while a request was waiting for its reply. */
export class HostDisconnectedError extends OptGuardError {
  constructor(message) {
    super('host_disconnected', message);
  }
}

/** The host did not answer in time. */
export class HostTimeoutError extends OptGuardError {
  constructor(message) {
    super('host_timeout', message);
  }
}

/** The host answered, but not in a way this protocol version understands. */
export class HostProtocolError extends OptGuardError {
  constructor(message) {
    super('host_protocol', message);
  }
}

/** A request was refused before sending because it exceeds the host's frame limit. */
export class MessageTooLargeError extends OptGuardError {
  constructor(message) {
    super('message_too_large', message);
  }
}

/**
 * The host answered with ok:false; code is the host's wire code (docs/protocol.md), reason the
 * finer `error.reason` some codes carry (catalog_rejected), else null.
 */
export class HostReplyError extends OptGuardError {
  constructor(code, message, reason = null) {
    super(code, message);
    this.reason = typeof reason === 'string' ? reason : null;
  }
}

/**
 * @param {unknown} error
 * @returns {{code: string, message: string}}
 */
export function serializeError(error) {
  if (error instanceof OptGuardError) {
    return error.toJSON();
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/**
 * The one meaning of "the helper app is absent": not installed or could not start, gone
 * (disconnected), or silent (timed out). Only then does the extension judge by itself (a local
 * verdict, the local due list, choices and reminders kept in this browser). Any other failure (a
 * reply error such as bad_request or storage_error, a reply this version cannot read) is the
 * host's answer and is shown as the error it is, never hidden behind a local verdict.
 * @param {unknown} error
 */
export function isHostAbsent(error) {
  return error instanceof HostUnavailableError || error instanceof HostDisconnectedError || error instanceof HostTimeoutError;
}
