// Finds a setting's control the way a person does: by its role, its visible label and its checked
// state, never by class names (they change with every deploy). Classic script: the content scripts
// share one namespace object, globalThis.optguardContent, created here (first in the manifest).
'use strict';

(() => {
  const ns = (globalThis.optguardContent ??= {});

  // Same rule as shared/browser-api.js, which content scripts cannot import.
  ns.api = globalThis.browser ?? globalThis.chrome;

  const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u02BC\u0060\u00B4]/g;
  const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;

  /**
   * Label text as compared: lower case, typographic quotes made plain, runs of white space
   * (including no-break spaces) made one space, trimmed.
   * @param {string} text
   */
  function normalizeLabel(text) {
    return String(text ?? '')
      .replace(SINGLE_QUOTES, "'")
      .replace(DOUBLE_QUOTES, '"')
      .replace(/[\s\u00A0\u2007\u202F]+/g, ' ')
      .trim()
      .toLocaleLowerCase();
  }

  function isNativeCheckbox(element) {
    return element.localName === 'input' && String(element.type).toLowerCase() === 'checkbox';
  }

  /** @returns {'switch'|'checkbox'|null} */
  function roleOf(element) {
    const role = (element.getAttribute('role') ?? '').trim().split(/\s+/)[0].toLowerCase();
    if (role === 'switch' || role === 'checkbox') {
      return role;
    }
    return isNativeCheckbox(element) && role === '' ? 'checkbox' : null;
  }

  function parentAcrossShadow(node) {
    if (node.parentElement) {
      return node.parentElement;
    }
    const root = node.getRootNode?.();
    return root && root !== node && root.host ? root.host : null;
  }

  /**
   * Hidden from a person: the hidden attribute, aria-hidden, inert, display:none anywhere up the
   * tree, or visibility hidden/collapse on the element (it inherits).
   */
  function isHidden(element) {
    const view = element.ownerDocument?.defaultView;
    for (let node = element; node; node = parentAcrossShadow(node)) {
      if (node.hasAttribute('hidden') || node.getAttribute('aria-hidden') === 'true' || node.hasAttribute('inert')) {
        return true;
      }
      if (view && view.getComputedStyle(node).display === 'none') {
        return true;
      }
    }
    const visibility = view ? view.getComputedStyle(element).visibility : 'visible';
    return visibility === 'hidden' || visibility === 'collapse';
  }

  /** Every label a person or a screen reader would take for the control's name. */
  function labelsOf(element) {
    const texts = [];
    const root = element.getRootNode();
    const labelledBy = (element.getAttribute('aria-labelledby') ?? '').trim();
    if (labelledBy) {
      const parts = labelledBy
        .split(/\s+/)
        .map((id) => root.getElementById?.(id) ?? element.ownerDocument.getElementById(id))
        .filter(Boolean)
        .map((node) => node.textContent);
      if (parts.length > 0) {
        texts.push(parts.join(' '));
      }
    }
    const ariaLabel = element.getAttribute('aria-label');
    if (ariaLabel) {
      texts.push(ariaLabel);
    }
    const labels = new Set(element.labels ?? []);
    if (element.id) {
      for (const label of root.querySelectorAll?.('label') ?? []) {
        if (label.htmlFor === element.id) {
          labels.add(label);
        }
      }
    }
    const wrapping = element.closest('label');
    if (wrapping) {
      labels.add(wrapping);
    }
    for (const label of labels) {
      texts.push(label.textContent);
    }
    return texts;
  }

  /**
   * The control's state. A native checkbox whose aria-checked disagrees with its checked state, a
   * mixed state, or a missing aria-checked is unknown: OptGuard never guesses.
   * @returns {'on'|'off'|'unknown'}
   */
  function readState(element) {
    const aria = element.getAttribute('aria-checked');
    if (isNativeCheckbox(element)) {
      if (element.indeterminate) {
        return 'unknown';
      }
      const state = element.checked ? 'on' : 'off';
      if (aria === 'true' || aria === 'false') {
        return (aria === 'true') === element.checked ? state : 'unknown';
      }
      return aria === 'mixed' ? 'unknown' : state;
    }
    if (aria === 'true') {
      return 'on';
    }
    return aria === 'false' ? 'off' : 'unknown';
  }

  /**
   * The root and every open shadow root below it (closed ones are out of reach, as for a person's
   * assistive technology that the page chose to hide them from).
   * @param {Document|ShadowRoot} root
   * @returns {(Document|ShadowRoot)[]}
   */
  function openRoots(root) {
    const roots = [root];
    for (let i = 0; i < roots.length; i += 1) {
      for (const element of roots[i].querySelectorAll('*')) {
        if (element.shadowRoot) {
          roots.push(element.shadowRoot);
        }
      }
    }
    return roots;
  }

  /**
   * Finds the one visible control whose role and label match `detect` and reads it. Zero or
   * several matches give state "unknown".
   * @param {Document|ShadowRoot} root
   * @param {{roles: string[], labels: string[]}} detect
   * @returns {{state: 'on'|'off'|'unknown', element: Element|null, reason: string, count: number}}
   */
  function findControl(root, detect) {
    const roles = new Set(detect?.roles ?? []);
    const wanted = new Set((detect?.labels ?? []).map(normalizeLabel));
    const matches = [];
    const candidates = openRoots(root).flatMap((r) => [...r.querySelectorAll('[role], input[type="checkbox" i]')]);
    for (const element of candidates) {
      const role = roleOf(element);
      if (!role || !roles.has(role) || isHidden(element)) {
        continue;
      }
      if (labelsOf(element).some((text) => wanted.has(normalizeLabel(text)))) {
        matches.push(element);
      }
    }
    if (matches.length === 0) {
      return { state: 'unknown', element: null, reason: 'not-found', count: 0 };
    }
    if (matches.length > 1) {
      return { state: 'unknown', element: null, reason: 'ambiguous', count: matches.length };
    }
    const state = readState(matches[0]);
    return { state, element: matches[0], reason: state === 'unknown' ? 'unreadable' : 'found', count: 1 };
  }

  ns.detector = { normalizeLabel, roleOf, isHidden, labelsOf, readState, openRoots, findControl };
})();
