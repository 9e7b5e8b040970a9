// jsdom windows with OptGuard's content scripts loaded in manifest order, as classic scripts.
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';

import { EXTENSION, readJson } from './paths.mjs';
import { fakeI18n } from './i18n.mjs';

const manifest = await readJson('extension/manifest.json');
export const CONTENT_SCRIPTS = manifest.content_scripts[0].js;
/** The detector and what it needs before it (the page's one observer), in manifest order. */
export const DETECTOR_SCRIPTS = ['content/dom-watch.js', 'content/detector.js'];

/**
 * @param {string} html
 * @param {{url?: string, scripts?: 'dangerously'|'outside-only', api?: object, only?: string[], locale?: string}} [options]
 *   api: the window's chrome (given i18n from `locale`'s messages, English by default, unless it has its own)
 */
export function makeWindow(html, { url = 'https://www.linkedin.com/', scripts = 'outside-only', api, only, locale = 'en', beforeScripts } = {}) {
  const dom = new JSDOM(html, { url, runScripts: scripts, pretendToBeVisual: true });
  const { window } = dom;
  window.chrome = api ?? {};
  window.chrome.i18n ??= fakeI18n(locale);
  const shadowRoots = [];
  const attachShadow = window.Element.prototype.attachShadow;
  // Tests may look inside closed roots; the page cannot.
  window.Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    shadowRoots.push({ host: this, root, mode: init.mode });
    return root;
  };
  beforeScripts?.(window);
  for (const file of only ?? CONTENT_SCRIPTS) {
    window.eval(readFileSync(`${EXTENSION}${file}`, 'utf8'));
  }
  return { dom, window, document: window.document, ns: window.optguardContent, shadowRoots };
}

export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `predicate()` is truthy or fails after `timeoutMs`. */
export async function waitFor(predicate, { timeoutMs = 3000, what = 'condition' } = {}) {
  const start = Date.now();
  for (;;) {
    const value = await predicate();
    if (value) {
      return value;
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await tick(10);
  }
}

/**
 * Counts what the content scripts ask of the window's MutationObserver (created, observe,
 * disconnect, batches delivered) in window.__observers; pass as makeWindow's beforeScripts.
 */
export function countObservers(window) {
  const counter = { created: 0, observe: 0, disconnect: 0, batches: 0 };
  const Native = window.MutationObserver;
  window.MutationObserver = class extends Native {
    constructor(callback) {
      super((records, observer) => {
        counter.batches += 1;
        callback(records, observer);
      });
      counter.created += 1;
    }

    observe(...args) {
      counter.observe += 1;
      return super.observe(...args);
    }

    disconnect() {
      counter.disconnect += 1;
      return super.disconnect();
    }
  };
  window.__observers = counter;
}
