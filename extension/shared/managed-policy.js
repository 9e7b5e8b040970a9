// An administrator's policy (storage.managed, schema in managed-schema.json, docs/enterprise.md)
// applied over the person's own choices. Pure: no browser API, no time.

const ID = /^[a-z0-9-]+$/;
const EXPECTED = new Set(['on', 'off']);

/**
 * @typedef {{watch?: boolean, expected?: 'on'|'off'}} Forced
 * @typedef {{settings: Record<string, Forced>, hideIgnoreSwitch: boolean,
 *   catalogUpdates: boolean|null, catalogUpdateUrl: string|null, problems: string[]}} Policy
 */

/** A policy that forces nothing. @returns {Policy} */
export function emptyPolicy() {
  return { settings: {}, hideIgnoreSwitch: false, catalogUpdates: null, catalogUpdateUrl: null, problems: [] };
}

/**
 * Normalises what storage.managed returned. The browser checks the schema, but Firefox's
 * policies.json and older Chromium builds pass values through, so each entry is checked again:
 * a wrong entry is dropped and named in `problems`, the rest still applies.
 * @param {unknown} raw the object from storage.managed.get()
 * @returns {Policy}
 */
export function parsePolicy(raw) {
  const policy = emptyPolicy();
  if (!raw || typeof raw !== 'object') {
    return policy;
  }
  if (raw.hideIgnoreSwitch !== undefined) {
    if (typeof raw.hideIgnoreSwitch === 'boolean') {
      policy.hideIgnoreSwitch = raw.hideIgnoreSwitch;
    } else {
      policy.problems.push('hideIgnoreSwitch: must be true or false');
    }
  }
  if (raw.catalogUpdates !== undefined) {
    if (typeof raw.catalogUpdates === 'boolean') {
      policy.catalogUpdates = raw.catalogUpdates;
    } else {
      policy.problems.push('catalogUpdates: must be true or false');
    }
  }
  if (raw.catalogUpdateUrl !== undefined) {
    if (isUpdateUrl(raw.catalogUpdateUrl)) {
      policy.catalogUpdateUrl = raw.catalogUpdateUrl;
    } else {
      policy.problems.push('catalogUpdateUrl: must be an https:// address without user name or password');
    }
  }
  const settings = raw.settings;
  if (settings === undefined) {
    return policy;
  }
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) {
    policy.problems.push('settings: must be an object keyed "platform/setting"');
    return policy;
  }
  for (const [key, value] of Object.entries(settings)) {
    const [platform, setting, ...rest] = key.split('/');
    if (rest.length > 0 || !ID.test(platform ?? '') || !ID.test(setting ?? '')) {
      policy.problems.push(`settings["${key}"]: key must be "platform/setting"`);
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      policy.problems.push(`settings["${key}"]: must be an object`);
      continue;
    }
    /** @type {Forced} */
    const forced = {};
    if (value.watch !== undefined) {
      if (typeof value.watch === 'boolean') {
        forced.watch = value.watch;
      } else {
        policy.problems.push(`settings["${key}"].watch: must be true or false`);
      }
    }
    if (value.expected !== undefined) {
      if (EXPECTED.has(value.expected)) {
        forced.expected = value.expected;
      } else {
        policy.problems.push(`settings["${key}"].expected: must be "on" or "off"`);
      }
    }
    if (Object.keys(forced).length > 0) {
      policy.settings[key] = forced;
    }
  }
  return policy;
}

/**
 * An address catalog updates may come from: https, no credentials. Plain http only on this machine
 * (a test server); the signature, not the transport, is what makes a release trusted.
 * @param {unknown} url
 */
export function isUpdateUrl(url) {
  if (typeof url !== 'string' || url.length > 2048) {
    return false;
  }
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      return false;
    }
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback);
  } catch {
    return false;
  }
}

/**
 * What the policy forces for one setting: explicit values, and watch = true for every setting when
 * the ignore switch is hidden (hiding it means nobody can stop watching).
 * @param {Policy} policy
 * @param {string} key "platform/setting"
 * @returns {Forced}
 */
export function forcedFor(policy, key) {
  const forced = { ...(policy.settings[key] ?? {}) };
  if (policy.hideIgnoreSwitch && forced.watch === undefined) {
    forced.watch = true;
  }
  return forced;
}

/**
 * The effective choice: the policy's forced values over the person's.
 * @param {{watch: boolean, expected: 'on'|'off'}} own
 * @param {Forced} forced
 */
export function applyForced(own, forced) {
  return { watch: forced.watch ?? own.watch, expected: forced.expected ?? own.expected };
}

/**
 * Whether a change the person asked for touches a forced field (it is then refused).
 * @param {{watch?: boolean|null, expected?: string|null}} change
 * @param {Forced} forced
 * @returns {string|null} the field name, or null
 */
export function forcedField(change, forced) {
  for (const field of ['watch', 'expected']) {
    if (change[field] !== undefined && forced[field] !== undefined) {
      return field;
    }
  }
  return null;
}
