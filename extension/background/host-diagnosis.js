// What is wrong with the helper app, in the popup's words: the same diagnosis `optguard doctor`
// gives in a terminal, from what the browser tells the extension (the connectNative error text and
// the hello reply). Pure: no browser API, no I/O.

import {
  HostDisconnectedError,
  HostProtocolError,
  HostTimeoutError,
  HostUnavailableError,
} from '../shared/errors.js';

export const INSTALL_COMMAND = 'bash installer/install.sh';
export const DOCTOR_COMMAND = '~/.local/bin/optguard doctor';

/**
 * @typedef {object} HostDiagnosis
 * @property {'missing'|'forbidden'|'failed_to_start'|'crashed'|'timeout'|'protocol_mismatch'|'version_mismatch'|'unknown'} problem
 * @property {string} title   one line for the host box
 * @property {string} detail  what it means, in plain words
 * @property {string} fix     the command that fixes it
 */

// The browsers' own messages (Chromium's native_message_port / Firefox's NativeMessaging.sys.mjs).
const MESSAGES = [
  { problem: 'missing', pattern: /specified native messaging host not found|no such native application/i },
  { problem: 'forbidden', pattern: /access to the specified native messaging host is forbidden/i },
  { problem: 'failed_to_start', pattern: /failed to start native messaging host/i },
  { problem: 'timeout', pattern: /no reply to \w+ #\d+ within/i },
  { problem: 'crashed', pattern: /native host has exited|error when communicating with the native messaging host|closed the connection/i },
];

const TEXT = {
  missing: {
    title: 'OptGuard’s helper app isn’t installed',
    detail: 'The browser found no usable registration for dev.optguard.host: no manifest in its native-messaging folder, or one naming a program that does not exist.',
    fix: INSTALL_COMMAND,
  },
  forbidden: {
    title: 'The helper app is registered for another extension',
    detail: 'Its manifest does not list this extension (allowed_origins / allowed_extensions). Reinstalling rewrites it.',
    fix: INSTALL_COMMAND,
  },
  failed_to_start: {
    title: 'The helper app could not be started',
    detail: 'Its manifest points to a program that is missing or not executable.',
    fix: INSTALL_COMMAND,
  },
  crashed: {
    title: 'The helper app stopped unexpectedly',
    detail: 'It started but exited or broke the connection. Run the doctor to see why.',
    fix: DOCTOR_COMMAND,
  },
  timeout: {
    title: 'The helper app isn’t responding',
    detail: 'It started but did not answer in time.',
    fix: DOCTOR_COMMAND,
  },
  protocol_mismatch: {
    title: 'The helper app is a different version',
    detail: 'It speaks another protocol version than this extension. Rebuild and reinstall it.',
    fix: `bash scripts/build.sh && ${INSTALL_COMMAND}`,
  },
  unknown: {
    title: 'OptGuard’s helper app can’t be reached',
    detail: 'Run the doctor to see which check fails.',
    fix: DOCTOR_COMMAND,
  },
};

/**
 * @param {unknown} error what the port failed with
 * @returns {HostDiagnosis}
 */
export function diagnoseHostError(error) {
  let problem = 'unknown';
  if (error instanceof HostTimeoutError) {
    problem = 'timeout';
  } else if (error instanceof HostProtocolError) {
    problem = 'protocol_mismatch';
  } else if (error instanceof HostUnavailableError || error instanceof HostDisconnectedError) {
    const message = error.message ?? '';
    problem = MESSAGES.find(({ pattern }) => pattern.test(message))?.problem
      ?? (error instanceof HostDisconnectedError ? 'crashed' : 'unknown');
  }
  return { problem, ...TEXT[problem] };
}

/**
 * A connected host whose version is not the extension's: it works, but may lack what this
 * extension expects. Null when they match.
 * @param {{version?: string}} hostInfo the hello reply
 * @param {string} extensionVersion manifest.json's version
 * @returns {HostDiagnosis|null}
 */
export function diagnoseConnectedHost(hostInfo, extensionVersion) {
  if (!hostInfo?.version || !extensionVersion || hostInfo.version === extensionVersion) {
    return null;
  }
  return {
    problem: 'version_mismatch',
    title: `Helper app ${hostInfo.version}, extension ${extensionVersion}`,
    detail: 'They speak the same protocol, but updating the helper app keeps them in step.',
    fix: `bash scripts/build.sh && ${INSTALL_COMMAND}`,
  };
}
