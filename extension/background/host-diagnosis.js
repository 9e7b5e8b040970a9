// What is wrong with the helper app, in the popup's words (the UI language's messages): the same diagnosis `optguard doctor`
// gives in a terminal, from what the browser tells the extension (the connectNative error text and
// the hello reply). Pure: no browser API, no I/O.

import {
  HostDisconnectedError,
  HostProtocolError,
  HostTimeoutError,
  HostUnavailableError,
} from '../shared/errors.js';
import { t } from '../shared/i18n-module.js';

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

// Each problem's title and detail are messages (_locales); the fix is a command, the same in every language.
const TEXT = {
  missing: { title: 'hostMissingTitle', detail: 'hostMissingDetail', fix: INSTALL_COMMAND },
  forbidden: { title: 'hostForbiddenTitle', detail: 'hostForbiddenDetail', fix: INSTALL_COMMAND },
  failed_to_start: { title: 'hostFailedToStartTitle', detail: 'hostFailedToStartDetail', fix: INSTALL_COMMAND },
  crashed: { title: 'hostCrashedTitle', detail: 'hostCrashedDetail', fix: DOCTOR_COMMAND },
  timeout: { title: 'hostNotRespondingTitle', detail: 'hostTimeoutDetail', fix: DOCTOR_COMMAND },
  protocol_mismatch: { title: 'hostProtocolTitle', detail: 'hostProtocolDetail', fix: `bash scripts/build.sh && ${INSTALL_COMMAND}` },
  unknown: { title: 'hostUnknownTitle', detail: 'hostUnknownDetail', fix: DOCTOR_COMMAND },
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
  const text = TEXT[problem];
  return { problem, title: t(text.title), detail: t(text.detail, 'dev.optguard.host'), fix: text.fix };
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
    title: t('hostVersionTitle', hostInfo.version, extensionVersion),
    detail: t('hostVersionDetail'),
    fix: `bash scripts/build.sh && ${INSTALL_COMMAND}`,
  };
}
