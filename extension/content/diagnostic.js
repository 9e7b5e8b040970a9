// "Save a diagnostic": when a catalog page stays unknown, the person can save a skeleton of the
// page's controls for whoever fixes the catalog. It holds roles, states, ARIA attributes and the
// text of the controls' own labels, nothing else of the page: no other text, no names, no posts.
// Built only when the person asks for it from the popup (the worker relays the request).
'use strict';

(() => {
  const ns = (globalThis.optguardContent ??= {});
  const { api, detector } = ns;

  const CONTROLS = '[role], input[type="checkbox" i], input[type="radio" i], button, summary, select';
  const ROLES = new Set(['switch', 'checkbox', 'radio', 'button', 'combobox', 'menuitemcheckbox', 'tab', 'option']);
  const DIALOGS = '[role="dialog" i], [role="alertdialog" i], dialog';
  const MAX_CONTROLS = 200;
  const MAX_LABEL_CHARS = 160;
  const ARIA = ['aria-checked', 'aria-pressed', 'aria-expanded', 'aria-selected', 'aria-disabled', 'aria-haspopup'];

  /**
   * A label as it may leave the page: even a control's label can carry personal data (a blog's
   * name, an address), so e-mail addresses, @handles, links and long numbers are replaced.
   */
  function scrub(text) {
    return detector.normalizeLabel(text)
      .replace(/[^\s@]+@[^\s@]+\.[^\s@]+/g, '[e-mail]')
      .replace(/@[\w.]{2,}/g, '[handle]')
      .replace(/\bhttps?:\/\/\S+|\bwww\.\S+/g, '[link]')
      .replace(/\+?\d[\d\s().-]{5,}\d/g, '[number]')
      .slice(0, MAX_LABEL_CHARS);
  }

  function roleOf(element) {
    const role = (element.getAttribute('role') ?? '').trim().split(/\s+/)[0].toLowerCase();
    if (role) {
      return ROLES.has(role) ? role : null;
    }
    if (element.localName === 'input') {
      return String(element.type).toLowerCase();
    }
    return element.localName === 'button' || element.localName === 'summary' ? 'button' : element.localName === 'select' ? 'combobox' : null;
  }

  function inside(selector, element) {
    for (let node = element; node; node = node.parentElement ?? node.getRootNode?.().host ?? null) {
      if (node.nodeType === 1 && node.matches(selector)) {
        return true;
      }
    }
    return false;
  }

  /** Label texts of a control: its name sources only (aria-labelledby, aria-label, <label>). */
  function labelsOfControl(element) {
    const texts = detector.labelsOf(element).map(scrub).filter(Boolean);
    return [...new Set(texts)];
  }

  /**
   * The skeleton of the page's controls and dialogs.
   * @param {Document} document
   */
  function describeControls(document) {
    const controls = [];
    const dialogs = [];
    let total = 0;
    for (const root of detector.openRoots(document)) {
      for (const element of root.querySelectorAll(CONTROLS)) {
        const role = roleOf(element);
        if (!role || element.closest?.('[data-optguard-alert]')) {
          continue;
        }
        total += 1;
        if (controls.length >= MAX_CONTROLS) {
          continue;
        }
        const aria = {};
        for (const name of ARIA) {
          if (element.hasAttribute(name)) {
            aria[name] = element.getAttribute(name).slice(0, 16);
          }
        }
        const entry = {
          role,
          element: element.localName,
          hidden: detector.isHidden(element),
          in_main: inside('main, [role="main" i]', element),
          in_dialog: inside(DIALOGS, element),
          in_shadow_root: element.getRootNode() !== element.ownerDocument,
          in_frame: element.ownerDocument !== document,
          aria,
          labels: labelsOfControl(element),
        };
        if (role === 'switch' || role === 'checkbox') {
          entry.state = detector.readState(element);
        }
        controls.push(entry);
      }
      for (const dialog of root.querySelectorAll(DIALOGS)) {
        // A dialog's title can name a person (a profile pop-up): only its shape is kept.
        dialogs.push({
          role: dialog.getAttribute('role') ?? 'dialog',
          hidden: detector.isHidden(dialog),
          controls: dialog.querySelectorAll(CONTROLS).length,
        });
      }
    }
    return { controls, dialogs, controls_total: total, truncated: total > controls.length };
  }
  ns.describeControls = describeControls;

  const DESCRIBE = 'optguard/describe'; // MSG.DESCRIBE in shared/protocol.js (a unit test checks)
  api?.runtime?.onMessage?.addListener((message, sender, sendResponse) => {
    // Only OptGuard's own worker asks; a web page cannot send runtime messages to a content script.
    if (message?.type !== DESCRIBE || sender?.id !== api.runtime.id) {
      return false;
    }
    try {
      sendResponse({ ok: true, page: describeControls(document) });
    } catch (error) {
      sendResponse({ ok: false, error: { code: 'internal', message: String(error?.message ?? error) } });
    }
    return false;
  });
})();
