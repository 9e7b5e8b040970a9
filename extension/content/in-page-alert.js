// A passive alert beside a setting that is in the wrong state. It lives in a closed shadow root
// (the page's styles and scripts cannot reach into it), is positioned absolutely (the page's layout
// never moves), takes text through textContent only, and acts only on trusted clicks.
'use strict';

(() => {
  const ns = (globalThis.optguardContent ??= {});
  // shared/i18n.js, loaded before this file by the manifest: the UI language's messages.
  const { t, fill, locale } = globalThis.optguardI18n;
  const WIDTH = 340;
  const GAP = 10;
  const MARGIN = 8;

  const STYLE = `
    :host { all: initial; }
    .card {
      box-sizing: border-box; width: ${WIDTH}px; position: relative;
      font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
      color: #1f2933; background: #fff; border: 1px solid #f3c4c4; border-radius: 12px;
      box-shadow: 0 12px 32px rgba(17, 24, 39, .18), 0 2px 6px rgba(17, 24, 39, .08);
      padding: 14px 16px 12px; text-align: left; direction: ltr;
    }
    .card::before {
      content: ""; position: absolute; top: -7px; left: var(--arrow-x, 50%);
      width: 12px; height: 12px; background: #fff; transform: translateX(-50%) rotate(45deg);
      border-left: 1px solid #f3c4c4; border-top: 1px solid #f3c4c4;
    }
    .head { display: flex; align-items: center; gap: 10px; margin-bottom: 8px; }
    .badge {
      flex: none; width: 28px; height: 28px; border-radius: 50%; background: #c62828; color: #fff;
      display: grid; place-items: center; font-weight: 700; font-size: 15px;
    }
    .brand { font-size: 11px; letter-spacing: .06em; text-transform: uppercase; color: #6b7280; font-weight: 600; }
    h2 { margin: 0; font-size: 15px; line-height: 1.3; font-weight: 650; color: #b71c1c; }
    p { margin: 0 0 8px; }
    .why { color: #4b5563; font-size: 12.5px; }
    .fix { display: flex; align-items: center; justify-content: space-between; gap: 12px; margin-top: 10px; }
    .fix span { font-weight: 600; color: #1f2933; }
    .fix.end { justify-content: flex-end; }
    button {
      font: inherit; font-weight: 600; font-size: 12.5px; cursor: pointer; border-radius: 8px;
      border: 1px solid #d1d5db; background: #fff; color: #1f2933; padding: 6px 12px;
    }
    button:hover { background: #f3f4f6; }
    .buttons { display: flex; gap: 8px; flex: none; }
    button.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
    button.primary:hover { background: #1e40af; }
    button:disabled { cursor: default; opacity: .7; }
    .result { margin: 10px 0 0; font-size: 12.5px; font-weight: 600; }
    .result.failed { color: #b71c1c; }
    .result.done { color: #2e7d32; }
    button:focus-visible { outline: 2px solid #2563eb; outline-offset: 2px; }
  `;

  /** @type {Map<string, {host: HTMLElement, card: HTMLElement, anchor: Element}>} */
  const shown = new Map();
  /** Every host element ever created, so mutation records about our own nodes can be ignored. */
  const hosts = new WeakSet();

  function el(doc, tag, className, text) {
    const node = doc.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function setImportant(node, props) {
    for (const [name, value] of Object.entries(props)) {
      if (node.style.getPropertyValue(name) !== value) {
        node.style.setProperty(name, value, 'important');
      }
    }
  }

  function place(entry) {
    const { host, card, anchor } = entry;
    const doc = host.ownerDocument;
    const view = doc.defaultView;
    const rect = anchor.getBoundingClientRect();
    const viewportWidth = doc.documentElement.clientWidth || view.innerWidth;
    const anchorCenter = rect.left + rect.width / 2;
    let left = Math.min(rect.right - WIDTH + 24, viewportWidth - WIDTH - MARGIN);
    left = Math.max(left, MARGIN);
    setImportant(host, {
      top: `${Math.round(rect.bottom + GAP + view.scrollY)}px`,
      left: `${Math.round(left + view.scrollX)}px`,
    });
    // If an ancestor of <html> is positioned, absolute coordinates are off by its offset: correct.
    const placed = host.getBoundingClientRect();
    const dx = Math.round(left - placed.left);
    const dy = Math.round(rect.bottom + GAP - placed.top);
    if (dx !== 0 || dy !== 0) {
      setImportant(host, {
        top: `${Math.round(rect.bottom + GAP + view.scrollY + dy)}px`,
        left: `${Math.round(left + view.scrollX + dx)}px`,
      });
    }
    const arrowX = Math.min(Math.max(anchorCenter - left, 18), WIDTH - 18);
    card.style.setProperty('--arrow-x', `${Math.round(arrowX)}px`);
  }

  /**
   * Shows (or moves) the alert for one setting next to its control.
   * @param {string} key platform/setting
   * @param {Element} anchor the control
   * @param {{title: string, titleLang?: string, why: string, state: string, expected: string,
   *   onDismiss: Function, onFix?: () => Promise<{changed: boolean, state: string}>}} info title: the
   *   setting's name as the page shows it (titleLang its language); why: the catalog's English
   *   explanation; onFix: the one-click fix, offered only when given; it runs only on a person's click
   */
  function show(key, anchor, info) {
    const existing = shown.get(key);
    if (existing) {
      existing.anchor = anchor;
      place(existing);
      return;
    }
    const doc = anchor.ownerDocument;
    const host = doc.createElement('optguard-alert');
    hosts.add(host);
    host.setAttribute('data-optguard-alert', key);
    setImportant(host, {
      all: 'initial',
      position: 'absolute',
      'z-index': '2147483647',
      display: 'block',
      width: `${WIDTH}px`,
      top: '0px',
      left: '0px',
    });
    const shadow = host.attachShadow({ mode: 'closed' });
    const style = doc.createElement('style');
    style.textContent = STYLE;
    const card = el(doc, 'section', 'card');
    card.setAttribute('role', 'alert');
    card.setAttribute('aria-label', 'OptGuard');
    card.lang = locale(); // the UI's language, whatever the page's

    const head = el(doc, 'div', 'head');
    head.append(el(doc, 'div', 'badge', '!'));
    const headText = el(doc, 'div');
    headText.append(el(doc, 'div', 'brand', 'OptGuard'), el(doc, 'h2', '', t('alertTitle')));
    head.append(headText);

    // A violation is always the opposite of what it should be: one whole sentence for each way round.
    const name = el(doc, 'span', 'name', info.title);
    if (info.titleLang) {
      name.lang = info.titleLang;
    }
    const what = fill(el(doc, 'p', 'what'), info.state === 'on' ? 'alertIsOnShouldBeOff' : 'alertIsOffShouldBeOn', name);
    const why = el(doc, 'p', 'why', info.why);
    why.lang = 'en'; // the catalog carries English only

    const fix = el(doc, 'div', 'fix');
    if (!info.onFix) {
      fix.append(el(doc, 'span', '', t(info.expected === 'on' ? 'alertSwitchOnHint' : 'alertSwitchOffHint')));
    } else {
      fix.classList.add('end'); // the fix button says it
    }
    const dismiss = el(doc, 'button', '', t('alertDismiss'));
    dismiss.type = 'button';
    dismiss.addEventListener('click', (event) => {
      // Only a person's click counts; a page script's synthetic click does not dismiss.
      if (!event.isTrusted) {
        return;
      }
      remove(key);
      info.onDismiss?.();
    });
    const buttons = el(doc, 'div', 'buttons');
    buttons.append(dismiss);
    if (info.onFix) {
      const fixButton = el(doc, 'button', 'primary', t(info.expected === 'on' ? 'alertFixOn' : 'alertFixOff'));
      fixButton.type = 'button';
      fixButton.dataset.action = 'fix';
      fixButton.addEventListener('click', (event) => {
        // Never automatic: only a person's click switches anything; a page script's click does not.
        if (!event.isTrusted) {
          return;
        }
        runFix(key);
      });
      buttons.append(fixButton);
    }
    fix.append(buttons);

    card.append(head, what, why, fix);
    shadow.append(style, card);
    doc.documentElement.append(host);
    const entry = { host, card, anchor, fix, info };
    shown.set(key, entry);
    place(entry);
  }

  /**
   * The one-click fix, after a person's click: switch the control through `info.onFix` (which
   * clicks it as a person would and reads it back), then say what happened. If the state did not
   * change, say so and leave the manual path: the control itself, right next to the card.
   * @param {string} key
   */
  async function runFix(key) {
    const entry = shown.get(key);
    if (!entry?.info.onFix || entry.busy) {
      return;
    }
    entry.busy = true;
    const doc = entry.host.ownerDocument;
    for (const button of entry.fix.querySelectorAll('button')) {
      button.disabled = true;
    }
    let result;
    try {
      result = await entry.info.onFix();
    } catch {
      result = { changed: false, state: 'unknown' };
    }
    entry.busy = false;
    if (shown.get(key) !== entry) {
      return; // the alert went away meanwhile (the switch worked and the verdict came back)
    }
    const FAILED = { on: 'alertFixFailedOn', off: 'alertFixFailedOff' };
    const message = result.changed
      ? el(doc, 'p', 'result done', t(result.state === 'on' ? 'alertFixDoneOn' : 'alertFixDoneOff'))
      : el(doc, 'p', 'result failed', t(FAILED[result.state] ?? 'alertFixFailedUnknown'));
    entry.card.querySelector('.result')?.remove();
    entry.card.append(message);
    for (const button of entry.fix.querySelectorAll('button')) {
      button.disabled = false;
    }
    entry.fix.querySelector('button[data-action="fix"]')?.remove();
    place(entry);
  }

  /** @param {string} key */
  function remove(key) {
    const entry = shown.get(key);
    if (entry) {
      entry.host.remove();
      shown.delete(key);
    }
  }

  function removeAll() {
    for (const key of [...shown.keys()]) {
      remove(key);
    }
  }

  function repositionAll() {
    for (const entry of shown.values()) {
      if (entry.anchor.isConnected) {
        place(entry);
      }
    }
  }

  /** True when `node` is one of our alert hosts (their shadow content is not observable). */
  function owns(node) {
    return hosts.has(node);
  }

  // runFix is reachable only from the content script's own world (the page cannot see `ns`); tests
  // call it to stand in for the trusted click jsdom cannot make.
  ns.inPageAlert = { show, remove, removeAll, repositionAll, owns, runFix, isShown: (key) => shown.has(key) };
})();
