// Message kinds and wire codes, listed once (docs/protocol.md is the contract; a unit test checks
// that ERROR_CODES equals its table and the host's C++ source).

/** Name the native host is registered under (docs/protocol.md). */
export const HOST_NAME = 'dev.optguard.host';

/** Protocol version this extension speaks. */
export const PROTOCOL_VERSION = 1;

/** Largest request frame the host accepts: 1 MiB of JSON. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** Request types the host understands. */
export const HOST_REQUEST = Object.freeze({
  HELLO: 'hello',
  CATALOG: 'catalog',
  REPORT: 'report',
  STATUS: 'status',
  /** The person's watch / expected choice for one setting; from extension pages only. */
  SET_CHOICE: 'set_choice',
  DUE: 'due',
  SNOOZE: 'snooze',
  ACK: 'ack',
  FILED: 'filed',
  /** A signed catalog release the extension fetched: the host verifies and installs it. */
  INSTALL_CATALOG: 'install_catalog',
  /** A policy document's date read on its page: only {platform, document, effective_date}. */
  POLICY_SEEN: 'policy_seen',
});

/**
 * The only fields each host request may carry. native-port.js builds every request from this
 * list, so nothing else (page content, profile data) can reach the host by accident.
 */
export const HOST_REQUEST_FIELDS = Object.freeze({
  hello: Object.freeze(['id', 'type']),
  catalog: Object.freeze(['id', 'type']),
  report: Object.freeze(['id', 'type', 'platform', 'setting', 'state', 'url']),
  status: Object.freeze(['id', 'type']),
  set_choice: Object.freeze(['id', 'type', 'platform', 'setting', 'watch', 'expected', 'interval_days']),
  due: Object.freeze(['id', 'type']),
  snooze: Object.freeze(['id', 'type', 'platform', 'setting', 'duration']),
  ack: Object.freeze(['id', 'type', 'platform', 'setting']),
  filed: Object.freeze(['id', 'type', 'platform', 'setting', 'date']),
  install_catalog: Object.freeze(['id', 'type', 'catalog_base64', 'signature']),
  policy_seen: Object.freeze(['id', 'type', 'platform', 'document', 'effective_date']),
});

/** How loud a due reminder is, quietest first: drift/violation are critical, policy changes high (shared/due.js ranks by it). */
export const SEVERITIES = Object.freeze(['normal', 'high', 'critical']);

/** Error codes the host puts on the wire (docs/protocol.md, "Error codes"). */
export const ERROR_CODES = Object.freeze([
  'bad_json',
  'bad_request',
  'unknown_type',
  'unknown_setting',
  'too_large',
  'bad_frame',
  'forbidden_origin',
  'catalog_invalid',
  'catalog_rejected',
  'config_invalid',
  'storage_error',
  'internal',
]);

/** Error codes raised inside the extension; never sent by the host. */
export const EXTENSION_ERROR_CODES = Object.freeze([
  'host_unavailable', // the host is not installed, could not start or exited before the handshake
  'host_disconnected', // the port dropped while a request was pending
  'host_timeout', // no reply in time
  'host_protocol', // the host answered something this version cannot use
  'message_too_large', // a request over MAX_REQUEST_BYTES was refused before sending
  'bad_message', // a runtime message with a wrong shape
  'untrusted_sender', // a runtime message from a sender not allowed to send it
]);

/** States a content script can read from a control. */
export const STATES = Object.freeze(['on', 'off', 'unknown']);

/**
 * Why a state is unknown, as the content script reports it: controls are shown but none is this
 * setting (`no_match`), no control of its kind is on the page (`not_rendered`), several could be it
 * (`ambiguous`), or it was found but its state cannot be read (`unreadable`).
 */
export const UNKNOWN_REASONS = Object.freeze(['no_match', 'not_rendered', 'ambiguous', 'unreadable']);

/** Verdicts: state equals expected, the other known state, or state unknown. */
export const VERDICTS = Object.freeze(['compliant', 'violation', 'unknown']);

/** Where a verdict came from. */
export const VERDICT_SOURCE = Object.freeze({ HOST: 'host', LOCAL: 'local' });

/** Runtime messages between content script, service worker and popup. */
export const MSG = Object.freeze({
  /** content → SW: which catalog settings live on the sender's page. */
  PAGE_SETTINGS: 'optguard/page-settings',
  /** content → SW: the state read from one control. */
  STATE: 'optguard/state',
  /** content → SW: the page no longer shows a catalog setting (in-app navigation away). */
  PAGE_LEFT: 'optguard/page-left',
  /** content → SW: {platform, document, effective_date} read on a catalog policy page, nothing else. */
  POLICY_DATE: 'optguard/policy-date',
  /** popup → SW: everything the popup shows. Extension pages only. */
  POPUP_STATE: 'optguard/popup-state',
  /** options page → SW: every setting with the person's and the administrator's choices. Extension pages only. */
  OPTIONS_STATE: 'optguard/options-state',
  /** options page → SW: {platform, setting, watch?, expected?, interval_days?}, saved through the host. Extension pages only. */
  SET_CHOICE: 'optguard/set-choice',
  /** popup → SW: what is due for re-verification (host's `due`, or computed locally). Extension pages only. */
  REMINDERS: 'optguard/reminders',
  /** popup → SW: {platform, setting, duration: '1d'|'1w'}, snoozed in the host. Extension pages only. */
  SNOOZE: 'optguard/snooze',
  /** popup → SW: {platform, setting}, acknowledged ("Done") in the host. Extension pages only. */
  ACK: 'optguard/ack',
  /** popup → SW: {tabId, platform, setting}: a diagnostic of that tab's controls. Extension pages only. */
  DIAGNOSTIC: 'optguard/diagnostic',
  /** options page → SW: {enabled: boolean}, the person's own switch for catalog updates. Extension pages only. */
  SET_CATALOG_UPDATES: 'optguard/set-catalog-updates',
  /** options page → SW: the person granted access to a catalog host; register the content script there. Extension pages only. */
  HOSTS_GRANTED: 'optguard/hosts-granted',
  /** SW → content script: describe the page's controls (skeleton only, no page text). */
  DESCRIBE: 'optguard/describe',
  /** SW → content script: the tab's URL changed (in-app navigation), so look again at what the page shows. */
  URL_CHANGED: 'optguard/url-changed',
});

/**
 * @typedef {'on'|'off'|'unknown'} State
 * @typedef {'compliant'|'violation'|'unknown'} Verdict
 * @typedef {{code: string, message: string}} WireError
 *
 * Content script → service worker
 * @typedef {{type: 'optguard/page-settings'}} PageSettingsMessage
 * @typedef {{type: 'optguard/state', platform: string, setting: string, state: State,
 *   reason?: 'no_match'|'not_rendered'|'ambiguous'|'unreadable'}} StateMessage
 * @typedef {{type: 'optguard/page-left'}} PageLeftMessage
 *
 * Popup → service worker
 * @typedef {{type: 'optguard/popup-state'}} PopupStateMessage
 *
 * Service worker → content script replies
 * @typedef {{platform: string, setting: string, title: string, why: string, kind: string,
 *   expected: 'on'|'off', opt_out_url: string, detect: {roles: string[], labels: string[]}}} PageSetting
 * @typedef {{ok: true, page_url: string, settings: PageSetting[]}} PageSettingsReply
 * @typedef {{ok: true, platform: string, setting: string, state: State, verdict: Verdict,
 *   expected: 'on'|'off', source: 'host'|'local', observed_at: string}} StateReply
 * @typedef {{ok: false, error: WireError}} ErrorReply
 *
 * Service worker → popup reply
 * @typedef {{status: 'connected'|'missing'|'error', version?: string, protocol?: number,
 *   catalog_version?: string|null, catalog_error?: string|null, config_error?: string|null,
 *   error?: WireError}} HostSummary
 * @typedef {{platform: string, platform_name: string, setting: string, title: string, why: string,
 *   kind: string, expected: 'on'|'off', watch: boolean, opt_out_url: string, path: string[],
 *   interval_days: number, state: State|null, verdict: Verdict|null, verified_at: string|null,
 *   source: 'host'|'local'|null, due: boolean}} PopupSettingRow
 * @typedef {{ok: true, host: HostSummary, catalog_version: string, settings: PopupSettingRow[]}}
 *   PopupStateReply
 *
 * Host wire (docs/protocol.md)
 * @typedef {{id: number|string, type: 'report', platform: string, setting: string,
 *   state: State, url: string}} HostReportRequest
 */
