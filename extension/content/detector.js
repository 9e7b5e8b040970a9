// Finds a setting's control the way a person does: by its role, its visible label and its checked
// state, never by class names (they change with every deploy). Classic script: the content scripts
// share one namespace object, globalThis.optguardContent (dom-watch.js, before this one in the
// manifest, creates it).
//
// Cost model (bench figure 6): a page may have thousands of elements and mutate every frame. The
// search therefore runs against a per-root index kept up to date from the page's one
// MutationObserver, owned by dom-watch.js (records are taken synchronously at every search, so a
// search never sees a stale page; when the watch stops, the index is dropped and the next search
// builds it afresh): the candidate controls (role switch/checkbox, native checkboxes), each with its
// normalized labels, and the visibility of the controls whose label matched. A search compares
// the cheap things first (role, then label against a precomputed set), asks for computed style
// (which forces the browser to bring style up to date) only for label matches whose visibility is
// not known yet, and walks every open shadow root once for all settings of a page (findControls).
'use strict';

(() => {
  const ns = (globalThis.optguardContent ??= {});

  // Same rule as shared/browser-api.js, which content scripts cannot import.
  ns.api = globalThis.browser ?? globalThis.chrome;

  const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u02BC\u0060\u00B4]/g;
  const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;
  const CANDIDATES = '[role], input[type="checkbox" i]';
  /** Attributes that can change a candidate's role or label, or an element's visibility. */
  const LABEL_ATTRIBUTES = new Set(['aria-label', 'aria-labelledby', 'id', 'for', 'role', 'type']);
  const STATE_ATTRIBUTES = new Set(['aria-checked', 'checked']);
  /** Documents up to this many elements are walked for new shadow roots at every search (cheap). */
  const SMALL_DOCUMENT = 1500;
  /** Larger ones rely on mutation records plus a walk in idle time at most this often. */
  const MAINTENANCE_MS = 1000;
  const NORMALIZED_CACHE_MAX = 4000;

  const normalizedCache = new Map();

  /** Characters that change nothing a person reads: soft hyphens, zero-width spaces and joiners. */
  const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
  /** Hyphens and dashes (U+2010 to U+2015, minus sign) compare as "-". */
  const DASHES = /[\u2010-\u2015\u2212]/g;

  /**
   * Label text as compared: Unicode NFC, lower case, typographic quotes and dashes made plain,
   * soft hyphens and zero-width characters dropped, runs of white space (including no-break
   * spaces) made one space, trimmed. Exact after that: no fuzzy matching, ever.
   * @param {string} text
   */
  function normalizeLabel(text) {
    return String(text ?? '')
      .normalize('NFC')
      .replace(INVISIBLE, '')
      .replace(SINGLE_QUOTES, "'")
      .replace(DOUBLE_QUOTES, '"')
      .replace(DASHES, '-')
      .replace(/[\s\u00A0\u2007\u202F]+/g, ' ')
      .trim()
      .toLocaleLowerCase();
  }

  /** The texts of a catalog label list: format 2 objects ({text, lang, ...}) or plain strings. */
  function labelTexts(labels) {
    return (labels ?? []).map((label) => (typeof label === 'string' ? label : label?.text)).filter((text) => typeof text === 'string');
  }

  /**
   * A label that names the page's subject (Tumblr: "Prevent third-party sharing for {blog}") holds
   * {blog}: the last segment of the page's path (/settings/blog/NAME), so the match stays exact.
   */
  function expandLabel(text, doc) {
    if (!text.includes('{blog}')) {
      return text;
    }
    const segments = (doc?.location?.pathname ?? '').split('/').filter(Boolean);
    let last = segments.at(-1) ?? '';
    try {
      last = decodeURIComponent(last);
    } catch {
      // keep it as written
    }
    return last ? text.replaceAll('{blog}', last) : text;
  }

  function normalizeCached(text) {
    let value = normalizedCache.get(text);
    if (value === undefined) {
      if (normalizedCache.size >= NORMALIZED_CACHE_MAX) {
        normalizedCache.clear();
      }
      value = normalizeLabel(text);
      normalizedCache.set(text, value);
    }
    return value;
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
    if (root && root !== node && root.host) {
      return root.host;
    }
    // The root element of a same-origin frame's document: its <iframe> in the parent document.
    return root?.nodeType === 9 ? frameElementOf(root) : null;
  }

  /** The <iframe>/<frame> showing `doc`, if the parent is same-origin (else null). */
  function frameElementOf(doc) {
    try {
      return doc.defaultView?.frameElement ?? null;
    } catch {
      return null;
    }
  }

  /**
   * The document of a same-origin <iframe>/<frame>, or null. The top frame's content script reads
   * same-origin frames the way the page itself can: no content script in frames (all_frames), so
   * no frame other than the top one ever talks to the worker, and cross-origin frames stay closed.
   */
  function frameDocumentOf(element) {
    if (element.localName !== 'iframe' && element.localName !== 'frame') {
      return null;
    }
    try {
      return element.contentDocument ?? null;
    } catch {
      return null;
    }
  }

  /** Hidden by markup alone (no style needed): hidden, aria-hidden=true or inert up the tree. */
  function isHiddenByAttributes(element) {
    for (let node = element; node; node = parentAcrossShadow(node)) {
      if (node.hasAttribute('hidden') || node.getAttribute('aria-hidden') === 'true' || node.hasAttribute('inert')) {
        return true;
      }
    }
    return false;
  }

  /**
   * Hidden from a person: the hidden attribute, aria-hidden, inert, display:none anywhere up the
   * tree, or visibility hidden/collapse on the element (it inherits).
   */
  function isHidden(element) {
    if (isHiddenByAttributes(element)) {
      return true;
    }
    const view = element.ownerDocument?.defaultView;
    if (!view) {
      return false;
    }
    for (let node = element; node; node = parentAcrossShadow(node)) {
      // A node of a frame's document is styled by that document's window.
      const nodeView = node.ownerDocument?.defaultView ?? view;
      if (nodeView.getComputedStyle(node).display === 'none') {
        return true;
      }
    }
    const visibility = view.getComputedStyle(element).visibility;
    return visibility === 'hidden' || visibility === 'collapse';
  }

  /** Label elements that name `element` through for=, found in a per-root index when one is given. */
  function forLabels(element, root, labelsFor) {
    if (!element.id) {
      return [];
    }
    if (labelsFor) {
      return labelsFor.get(element.id) ?? [];
    }
    return [...(root.querySelectorAll?.('label') ?? [])].filter((label) => label.htmlFor === element.id);
  }

  /**
   * Every label a person or a screen reader would take for the control's name.
   * @param {Element} element
   * @param {{labelsFor?: Map<string, Element[]>, referenced?: Set<string>}} [index] internal: a
   *   prebuilt for= index, and a set collecting the ids aria-labelledby refers to
   */
  function labelsOf(element, index) {
    const texts = [];
    const root = element.getRootNode();
    const labelledBy = (element.getAttribute('aria-labelledby') ?? '').trim();
    if (labelledBy) {
      const ids = labelledBy.split(/\s+/);
      for (const id of ids) {
        index?.referenced?.add(id);
      }
      const parts = ids
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
    // With an index, label[for] comes from it: element.labels makes the browser walk the whole
    // tree scope for every new control (~0.4 ms on a 5 000-element page).
    const labels = new Set(index?.labelsFor ? [] : (element.labels ?? []));
    for (const label of forLabels(element, root, index?.labelsFor)) {
      labels.add(label);
    }
    const wrapping = element.closest('label');
    if (wrapping) {
      labels.add(wrapping);
    }
    for (const label of labels) {
      texts.push(label.textContent);
    }
    if (texts.every((text) => text.trim() === '')) {
      const nearby = nearbyText(element);
      if (nearby) {
        index?.nearby?.add(nearby.container);
        return nearby.texts;
      }
    }
    return texts;
  }

  /** How far up "nearby text" looks for a control with no name, and how much text it takes. */
  const NEARBY_LEVELS = 3;
  const NEARBY_MAX_PIECES = 12;
  const NEARBY_MAX_CHARS = 300;

  /**
   * A control without an accessible name is labelled by the text of its row: the nearest ancestor
   * (at most NEARBY_LEVELS up) that holds some text. That ancestor must hold no other candidate
   * control, else the text could belong to either and nothing is taken (never a guess). Each text
   * block of the row (an element's own text: a title, a description) is one label, so a row with a
   * title and a description still matches the title exactly.
   * @returns {{container: Element, texts: string[]}|null}
   */
  function nearbyText(element) {
    let node = element;
    for (let level = 0; level < NEARBY_LEVELS; level += 1) {
      node = node.parentElement;
      if (!node || node.localName === 'body') {
        return null;
      }
      const texts = textBlocks(node, element);
      if (texts.length === 0) {
        continue;
      }
      const others = [...node.querySelectorAll(CANDIDATES)].filter((other) => other !== element && roleOf(other));
      return others.length === 0 ? { container: node, texts } : null;
    }
    return null;
  }

  /** The own text of each element under `container` (outside `control`), in document order. */
  function textBlocks(container, control) {
    const texts = [];
    const walker = container.ownerDocument.createTreeWalker(container, 4 /* NodeFilter.SHOW_TEXT */);
    const byParent = new Map();
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const parent = text.parentElement;
      if (!parent || control.contains(text) || parent.closest('script, style, template')) {
        continue;
      }
      byParent.set(parent, (byParent.get(parent) ?? '') + text.nodeValue);
    }
    for (const value of byParent.values()) {
      if (value.trim() !== '' && value.length <= NEARBY_MAX_CHARS) {
        texts.push(value);
      }
      if (texts.length >= NEARBY_MAX_PIECES) {
        break;
      }
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
   * assistive technology that the page chose to hide them from). A full walk.
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
        const frameDocument = frameDocumentOf(element);
        if (frameDocument && !roots.includes(frameDocument)) {
          roots.push(frameDocument);
        }
      }
    }
    return roots;
  }

  const now = () => globalThis.performance?.now?.() ?? Date.now();
  const idle = (fn, timeout) =>
    typeof globalThis.requestIdleCallback === 'function' ? globalThis.requestIdleCallback(fn, { timeout }) : setTimeout(fn, 0);

  // ---------------------------------------------------------------------------- the index

  /** root → Index */
  const indexes = new WeakMap();
  /** root → the listeners of watch(): they outlive an index retired when its watch stopped */
  const listenersByRoot = new WeakMap();
  /** roots whose window's resize is followed */
  const resizeFollowed = new WeakSet();

  class Index {
    /**
     * @param {Document|ShadowRoot} root
     * @param {Set<Function>} listeners the root's listeners (see watch())
     */
    constructor(root, listeners) {
      this.root = root;
      this.view = (root.ownerDocument ?? root).defaultView;
      /** open roots observed: the root itself and every open shadow root found below it */
      this.roots = new Set();
      /** candidate element → {role, labels: string[]|null} (labels null: to be computed) */
      this.candidates = new Map();
      /** normalized label → candidates with that label (those whose labels are known) */
      this.byLabel = new Map();
      /** candidates whose labels are to be computed */
      this.pending = new Set();
      /** element → {hidden, chain: Set<Node>} for controls whose label matched */
      this.visibility = new Map();
      /** ids aria-labelledby refers to (text under such an element is label text) */
      this.referenced = new Set();
      /** rows whose text names a control without a name of its own (nearby text is label text) */
      this.nearby = new Set();
      /** frames whose load is followed (a navigation replaces the frame's document) */
      this.frames = new WeakSet();
      /** label id → label elements with for=id, per root; rebuilt when labels change */
      this.labelsFor = new WeakMap();
      /** bumped whenever something a search depends on may have changed */
      this.generation = 0;
      this.listeners = listeners;
      this.elementCount = 0;
      this.maintenanceTimer = null;
      /** true once the watch stopped: the records stopped coming, so this index is not used again */
      this.stale = false;
      this.rebuilding = false;
      this.watch = ns.domWatch.of(root);
      this.unsubscribe = this.watch.subscribe((records, { taken }) => this.apply(records, !taken), {
        onStop: () => this.retire(),
      });
      this.rebuild(true);
    }

    /** The watch stopped (content-main left the settings): forget everything, stop all timers. */
    retire() {
      this.stale = true;
      this.unsubscribe();
      clearTimeout(this.maintenanceTimer);
      this.maintenanceTimer = null;
      if (indexes.get(this.root) === this) {
        indexes.delete(this.root);
      }
    }

    observeRoot(root) {
      if (this.roots.has(root)) {
        return false;
      }
      this.roots.add(root);
      if (root.nodeType === 9 && root !== this.root) {
        // A same-origin frame: a person's click or a native checkbox flipping there makes no
        // mutation in this document; tell the listeners, and follow the frame's navigations.
        const changed = () => {
          if (!this.stale) {
            this.generation += 1;
            this.notify();
          }
        };
        root.addEventListener('change', changed, true);
        root.addEventListener('click', changed, true);
        const frame = frameElementOf(root);
        if (frame && !this.frames.has(frame)) {
          this.frames.add(frame);
          frame.addEventListener('load', () => {
            if (!this.stale) {
              this.rebuild(false);
              this.notify();
            }
          });
        }
      }
      this.watch.add(root);
      return true;
    }

    /**
     * Full walk: every open shadow root, every candidate.
     * @param {boolean} fresh a new index (else a frame's document was replaced: observe anew)
     */
    rebuild(fresh) {
      // The records pending now are of a page the walk below reads anyway.
      this.rebuilding = true;
      if (!this.watch.start() && !fresh) {
        this.watch.reset();
      }
      this.rebuilding = false;
      this.roots = new Set();
      this.candidates.clear();
      this.byLabel.clear();
      this.pending.clear();
      this.visibility.clear();
      this.referenced.clear();
      this.nearby.clear();
      this.labelsFor = new WeakMap();
      let count = 0;
      for (const root of openRoots(this.root)) {
        this.observeRoot(root);
        for (const element of root.querySelectorAll(CANDIDATES)) {
          this.addCandidate(element);
        }
        count += root.querySelectorAll('*').length;
      }
      this.elementCount = count;
      this.lastWalk = now();
      this.generation += 1;
    }

    addCandidate(element) {
      const role = roleOf(element);
      this.dropCandidate(element);
      if (role) {
        this.candidates.set(element, { role, labels: null });
        this.pending.add(element);
        this.added = (this.added ?? 0) + 1;
      }
    }

    /** Takes a candidate's labels out of the label index (they are to be computed again). */
    unindex(element, entry) {
      for (const text of entry.labels ?? []) {
        const set = this.byLabel.get(text);
        set?.delete(element);
        if (set?.size === 0) {
          this.byLabel.delete(text);
        }
      }
      entry.labels = null;
    }

    dropCandidate(element) {
      const entry = this.candidates.get(element);
      if (entry) {
        this.unindex(element, entry);
        this.candidates.delete(element);
        this.pending.delete(element);
        return true;
      }
      return false;
    }

    /** Computes a pending candidate's labels and indexes them. */
    indexLabels(element, entry) {
      const root = element.getRootNode();
      const texts = labelsOf(element, { labelsFor: this.labelsForRoot(root), referenced: this.referenced, nearby: this.nearby });
      entry.labels = [...new Set(texts.map(normalizeCached))];
      for (const text of entry.labels) {
        let set = this.byLabel.get(text);
        if (!set) {
          set = new Set();
          this.byLabel.set(text, set);
        }
        set.add(element);
      }
    }

    /** A subtree came into a root: its candidates, and open shadow roots inside it. */
    addSubtree(node) {
      if (node.nodeType !== 1) {
        return;
      }
      const elements = [node, ...node.querySelectorAll('*')];
      for (const element of elements) {
        if (element.matches(CANDIDATES)) {
          this.addCandidate(element);
        }
        const inner = element.shadowRoot ?? frameDocumentOf(element);
        if (inner && this.observeRoot(inner)) {
          for (const below of openRoots(inner)) {
            this.observeRoot(below);
            below.querySelectorAll(CANDIDATES).forEach((e) => this.addCandidate(e));
          }
        }
      }
    }

    forgetLabels() {
      this.byLabel.clear();
      for (const [element, entry] of this.candidates) {
        entry.labels = null;
        this.pending.add(element);
      }
      this.labelsFor = new WeakMap();
      this.referenced.clear();
      this.nearby.clear();
    }

    /**
     * True when `node` lies in text that names a control: inside a <label>, a referenced element,
     * or a row whose nearby text names a control.
     */
    inLabelText(node) {
      for (let n = node; n && n.nodeType !== 9 && n.nodeType !== 11; n = n.parentNode) {
        if (n.nodeType === 1 && (n.localName === 'label' || (n.id && this.referenced.has(n.id)) || this.nearby.has(n))) {
          return true;
        }
      }
      return false;
    }

    /** True when a subtree holds a <label for=…>, or an element aria-labelledby refers to. */
    holdsLabelSource(node) {
      if (node.nodeType !== 1) {
        return false;
      }
      const hit = (e) => (e.localName === 'label' && e.hasAttribute('for')) || (e.id && this.referenced.has(e.id));
      if (hit(node)) {
        return true;
      }
      if (node.firstElementChild === null) {
        return false;
      }
      if (node.querySelector('label[for]')) {
        return true;
      }
      if (this.referenced.size > 0) {
        for (const element of node.querySelectorAll('[id]')) {
          if (this.referenced.has(element.id)) {
            return true;
          }
        }
      }
      return false;
    }

    static isStyleNode(node) {
      return node.nodeType === 1 && (node.localName === 'style' || node.localName === 'link');
    }

    /**
     * Brings the index up to date with mutation records.
     * @param {MutationRecord[]} records
     * @param {boolean} delivered true when they came to the observer's callback (not from a search)
     */
    apply(records, delivered) {
      if (records.length === 0 || this.rebuilding || this.stale) {
        return;
      }
      let changed = false;
      let labelsChanged = false;
      let styleChanged = false;
      let structure = false;
      const touched = [];
      for (const record of records) {
        const target = record.target;
        if (record.type === 'attributes') {
          const name = record.attributeName;
          const entry = this.candidates.get(target);
          if (STATE_ATTRIBUTES.has(name)) {
            changed ||= Boolean(entry);
            continue;
          }
          if (LABEL_ATTRIBUTES.has(name)) {
            if (name === 'role' || name === 'type') {
              if (target.matches(CANDIDATES) || entry) {
                this.addCandidate(target);
                changed = true;
              }
            } else if (entry) {
              this.unindex(target, entry);
              this.pending.add(target);
              changed = true;
            }
            if ((name === 'for' && target.localName === 'label') ||
                (name === 'id' && (this.referenced.has(record.oldValue ?? '') || this.referenced.has(target.id))) ||
                (name === 'id' && target.localName === 'label') ||
                ((name === 'id' || name === 'for') && this.inLabelText(target))) {
              labelsChanged = true;
            }
          }
          if (Index.isStyleNode(target)) {
            styleChanged = true;
          }
          touched.push({ target, sibling: true });
          continue;
        }
        // childList or characterData
        const parent = record.type === 'characterData' ? target.parentNode : target;
        if (parent && (parent.localName === 'style' || (parent.nodeType === 1 && parent.closest?.('style')))) {
          styleChanged = true;
        }
        if (parent && this.inLabelText(parent)) {
          labelsChanged = true;
        }
        if (record.type === 'childList') {
          touched.push({ target, sibling: false });
          for (const node of record.removedNodes) {
            if (node.nodeType !== 1) {
              continue;
            }
            structure = true;
            if (Index.isStyleNode(node) || node.querySelector?.('style, link')) {
              styleChanged = true;
            }
            if (this.holdsLabelSource(node)) {
              labelsChanged = true;
            }
          }
          for (const node of record.addedNodes) {
            if (node.nodeType !== 1 || !node.isConnected) {
              continue;
            }
            structure = true;
            if (Index.isStyleNode(node) || node.querySelector?.('style, link')) {
              styleChanged = true;
            }
            if (this.holdsLabelSource(node)) {
              labelsChanged = true;
            }
            this.addSubtree(node);
          }
        }
      }
      if (structure) {
        const before = this.candidates.size;
        for (const element of this.candidates.keys()) {
          if (!element.isConnected) {
            this.dropCandidate(element);
            changed = true;
          }
        }
        changed ||= this.added > 0 || before !== this.candidates.size;
        this.added = 0;
      }
      if (labelsChanged) {
        this.forgetLabels();
        changed = true;
      }
      if (styleChanged) {
        this.visibility.clear();
        changed = true;
      } else if (this.visibility.size > 0) {
        for (const [element, known] of this.visibility) {
          for (const { target, sibling } of touched) {
            // An attribute change on an ancestor or on an ancestor's sibling (selectors such as
            // `.a ~ .b`), or a change of an ancestor's children, may change the control's style.
            if (known.chain.has(target) || (sibling && target.parentNode && known.chain.has(target.parentNode)) ||
                !element.isConnected) {
              this.visibility.delete(element);
              changed = true;
              break;
            }
          }
        }
      }
      if (changed) {
        this.generation += 1;
        if (delivered) {
          this.notify();
        }
      }
    }

    sync() {
      this.watch.flush();
      // attachShadow() makes no mutation record: small documents are walked every time, large
      // ones in idle time (maintenance) at most every MAINTENANCE_MS.
      if (this.elementCount <= SMALL_DOCUMENT) {
        this.findNewRoots();
      } else {
        this.scheduleMaintenance();
      }
    }

    /** Walks for open shadow roots not observed yet; true when one was found. */
    findNewRoots() {
      let found = false;
      let count = 0;
      for (const root of openRoots(this.root)) {
        count += root === this.root ? root.querySelectorAll('*').length : 0;
        if (this.observeRoot(root)) {
          found = true;
          root.querySelectorAll(CANDIDATES).forEach((e) => this.addCandidate(e));
        }
      }
      this.elementCount = count;
      this.lastWalk = now();
      if (found) {
        this.generation += 1;
      }
      return found;
    }

    scheduleMaintenance() {
      if (this.maintenanceTimer !== null || this.listeners.size === 0 || this.stale) {
        return;
      }
      const wait = Math.max(0, MAINTENANCE_MS - (now() - this.lastWalk));
      this.maintenanceTimer = setTimeout(() => {
        idle(() => {
          this.maintenanceTimer = null;
          this.maintain();
        }, MAINTENANCE_MS);
      }, wait);
    }

    /**
     * Idle-time upkeep for what no mutation record reports: shadow roots attached to elements
     * already in the page, and visibility changed by style sheets, media queries or `:has()`.
     */
    maintain() {
      if (this.stale || (!this.root.isConnected && this.root.nodeType !== 9)) {
        return;
      }
      // Only the records: sync() would walk (or re-arm this timer) before findNewRoots below.
      this.watch.flush();
      let changed = this.findNewRoots();
      for (const [element, known] of this.visibility) {
        if (!element.isConnected || isHidden(element) !== known.hidden) {
          this.visibility.delete(element);
          changed = true;
        }
      }
      if (changed) {
        this.generation += 1;
        this.notify();
      }
    }

    notify() {
      for (const listener of this.listeners) {
        try {
          listener();
        } catch {
          // a listener's failure is its own
        }
      }
    }

    labelsForRoot(root) {
      let map = this.labelsFor.get(root);
      if (!map) {
        map = new Map();
        for (const label of root.querySelectorAll?.('label[for]') ?? []) {
          const id = label.htmlFor;
          if (id) {
            map.set(id, [...(map.get(id) ?? []), label]);
          }
        }
        this.labelsFor.set(root, map);
      }
      return map;
    }

    hidden(element) {
      let known = this.visibility.get(element);
      if (!known) {
        const chain = new Set();
        for (let node = element; node; node = parentAcrossShadow(node)) {
          chain.add(node);
        }
        known = { hidden: isHidden(element), chain };
        this.visibility.set(element, known);
      }
      return known.hidden;
    }

    resize() {
      if (this.visibility.size > 0) {
        this.visibility.clear();
        this.generation += 1;
        this.notify();
      }
    }
  }

  function indexFor(root) {
    let index = indexes.get(root);
    if (!index) {
      let listeners = listenersByRoot.get(root);
      if (!listeners) {
        listeners = new Set();
        listenersByRoot.set(root, listeners);
      }
      index = new Index(root, listeners);
      indexes.set(root, index);
      if (!resizeFollowed.has(root)) {
        resizeFollowed.add(root);
        index.view.addEventListener?.('resize', () => indexes.get(root)?.resize());
      }
    } else {
      index.sync();
    }
    return index;
  }

  /** Where a page's own content is: its <main> (or role=main), else its body. */
  const MAIN = 'main, [role="main" i]';
  const DIALOGS = '[role="dialog" i], [role="alertdialog" i], dialog[open]';
  const BUTTONS = 'button, [role="button" i], [role="combobox" i], summary';
  /** How far up from a state button its row is looked for (the row holds the setting's name). */
  const ROW_LEVELS = 4;

  /** True when `node` is `container` or lies inside it, shadow roots and same-origin frames included. */
  function containsAcross(container, node) {
    for (let n = node; n; n = parentAcrossShadow(n)) {
      if (n === container) {
        return true;
      }
    }
    return false;
  }

  /** The accessible name of a dialog: aria-labelledby, aria-label, else its first heading. */
  function dialogName(dialog) {
    const texts = labelsOf(dialog).filter((text) => text.trim() !== '');
    if (texts.length > 0) {
      return texts;
    }
    const heading = dialog.querySelector('h1, h2, h3, [role="heading" i]');
    return heading ? [heading.textContent] : [];
  }

  /** A button's shown text (else its aria-label), normalized: the value a person reads on it. */
  function buttonText(element) {
    return normalizeCached(element.textContent.trim() || element.getAttribute('aria-label') || '');
  }

  /**
   * The state a state_text button shows, or 'unknown': its text is an on/off word, or (a row that
   * is one button) one of the labels followed by that word. `labels` are normalized label texts.
   */
  function stateFromText(element, stateText, labels = stateText?.labels ?? new Set()) {
    const text = buttonText(element);
    const shows = (words) => labelTexts(words).some((word) => {
      const w = normalizeCached(word);
      if (text === w) {
        return true;
      }
      return text.endsWith(` ${w}`) && labels.has(text.slice(0, -w.length - 1));
    });
    if (shows(stateText?.on)) {
      return 'on';
    }
    return shows(stateText?.off) ? 'off' : 'unknown';
  }

  /**
   * Reads a found control again, by the rule that found it (a state shown as text is read from the
   * text; a switch or a checkbox from its checked state).
   * @param {{element: Element|null, rule?: string, stateText?: object}} found
   */
  function stateOf(found) {
    if (!found?.element) {
      return 'unknown';
    }
    return found.rule === 'state_text' ? stateFromText(found.element, found.stateText) : readState(found.element);
  }

  /** One visible match reads; none or several say why not. */
  function verdictOf(visible, rule, label, whenNone) {
    if (visible.length === 0) {
      return { state: 'unknown', element: null, reason: whenNone, count: 0, rule, label: null };
    }
    if (visible.length > 1) {
      return { state: 'unknown', element: null, reason: 'ambiguous', count: visible.length, rule, label: null };
    }
    const state = readState(visible[0]);
    return { state, element: visible[0], reason: state === 'unknown' ? 'unreadable' : 'found', count: 1, rule, label };
  }

  /** Visible candidate controls of the given roles inside `container`. */
  function controlsIn(index, container, roles) {
    const found = [];
    for (const [element, entry] of index.candidates) {
      if (roles.includes(entry.role) && element.isConnected && containsAcross(container, element) && !index.hidden(element)) {
        found.push(element);
      }
    }
    return found;
  }

  /**
   * "The switch inside the dialog named X": the one visible control of the rule's roles inside a
   * visible dialog whose name is one of the declared titles. null when no such dialog is open.
   */
  function findInDialog(index, detect, roles) {
    const titles = new Set(labelTexts(detect.dialog?.titles).map(normalizeCached));
    const dialogs = [];
    for (const root of index.roots) {
      for (const dialog of root.querySelectorAll(DIALOGS)) {
        if (dialogName(dialog).some((text) => titles.has(normalizeCached(text))) && !isHidden(dialog)) {
          dialogs.push(dialog);
        }
      }
    }
    if (dialogs.length === 0) {
      return null;
    }
    const visible = dialogs.flatMap((dialog) => controlsIn(index, dialog, roles));
    return verdictOf(visible, 'dialog', null, 'no_match');
  }

  /**
   * "The state shown as a button's text in the row named X": a visible button whose text is one of
   * the declared on/off words, in a row (an ancestor at most ROW_LEVELS up) that holds one of the
   * labels as a text block of its own. null when no such button is shown.
   */
  function findStateText(index, detect, labels) {
    const stateText = { ...detect.state_text, labels };
    const matches = [];
    for (const root of index.roots) {
      for (const button of root.querySelectorAll(BUTTONS)) {
        const text = buttonText(button);
        const shown = stateFromText(button, stateText);
        if (shown === 'unknown') {
          continue;
        }
        // The button names its row itself ("Improve the model Off"), or its row is the nearest
        // ancestor with text of its own: only that row's text may name it (never a wider panel).
        let named = text.includes(' ') && [...labels].some((label) => text.startsWith(`${label} `));
        let row = button;
        for (let level = 0; !named && level < ROW_LEVELS; level += 1) {
          row = row?.parentElement;
          const blocks = row ? textBlocks(row, button) : [];
          if (blocks.length > 0) {
            named = blocks.some((block) => labels.has(normalizeCached(block)));
            break;
          }
        }
        if (named && !isHidden(button)) {
          matches.push(button);
        }
      }
    }
    if (matches.length === 0) {
      return null;
    }
    if (matches.length > 1) {
      return { state: 'unknown', element: null, reason: 'ambiguous', count: matches.length, rule: 'state_text', label: null };
    }
    const state = stateFromText(matches[0], stateText);
    return { state, element: matches[0], reason: 'found', count: 1, rule: 'state_text', label: null, stateText };
  }

  /**
   * "The page holds exactly one control": read the one visible control of the rule's roles in the
   * page's main content, whatever its label says; two or more stay unknown (never a guess).
   */
  function findSoleControl(index, root, roles) {
    const doc = root.nodeType === 9 ? root : root.ownerDocument;
    const mains = [...doc.querySelectorAll(MAIN)].filter((main) => !isHidden(main));
    const container = mains.length === 1 ? mains[0] : doc.body;
    return verdictOf(controlsIn(index, container, roles), 'sole_control', null, 'no_match');
  }

  /**
   * Finds, for each rule, the one visible control whose role and label match it, and reads it, in
   * one pass over the candidates. When no label matches, the rule's declared fallbacks are tried in
   * order: the control inside a named dialog, a state shown as a button's text, the page's only
   * control. Zero or several matches give state "unknown" with the reason: `no_match` (controls are
   * shown, none is this one), `not_rendered` (no control of these roles is on the page yet),
   * `ambiguous` (several could be this one), `unreadable` (found, state not readable).
   * @param {Document|ShadowRoot} root
   * @param {{roles: string[], labels: (string|{text: string})[], sole_control?: boolean,
   *   dialog?: {titles: object[]}, state_text?: {on: string[], off: string[]}}[]} detects
   * @param {{budgetMs?: number}} [options] with a budget, a search that runs out of time (labels of
   *   many new controls to read) stops and answers {state: 'unknown', reason: 'deferred'} for every
   *   rule; the work done is kept, so the next search continues where this one stopped.
   * @returns {{state: 'on'|'off'|'unknown', element: Element|null, reason: string, count: number,
   *   rule: string, label: string|null}[]} label: the catalog label text the control matched, as
   *   the catalog writes it ({blog} unexpanded: expandLabel gives the page's form); null unless
   *   found by label
   */
  function findControls(root, detects, { budgetMs } = {}) {
    const index = indexFor(root);
    const start = budgetMs === undefined ? 0 : now();
    let computed = 0;
    for (const element of index.pending) {
      index.pending.delete(element);
      const entry = index.candidates.get(element);
      if (!entry || entry.labels !== null) {
        continue;
      }
      if (!element.isConnected) {
        index.dropCandidate(element);
        continue;
      }
      index.indexLabels(element, entry);
      computed += 1;
      if (budgetMs !== undefined && computed % 16 === 0 && now() - start > budgetMs && index.pending.size > 0) {
        return detects.map(() => ({ state: 'unknown', element: null, reason: 'deferred', count: 0, rule: 'label', label: null }));
      }
    }
    return detects.map((detect) => {
      const roles = detect?.roles ?? [];
      const doc = root.nodeType === 9 ? root : root.ownerDocument;
      const catalogTexts = labelTexts(detect?.labels);
      const texts = catalogTexts.map((text) => expandLabel(text, doc));
      const matches = new Map(); // element -> the catalog label it matched, as the catalog writes it
      for (const [i, text] of texts.entries()) {
        for (const element of index.byLabel.get(normalizeCached(text)) ?? []) {
          if (roles.includes(index.candidates.get(element)?.role) && !matches.has(element)) {
            matches.set(element, catalogTexts[i]);
          }
        }
      }
      const visible = [...matches.keys()].filter((element) => element.isConnected && !index.hidden(element));
      if (visible.length > 0) {
        return verdictOf(visible, 'label', visible.length === 1 ? matches.get(visible[0]) : null, 'no_match');
      }
      const declared = (detect?.dialog && findInDialog(index, detect, roles)) ||
        (detect?.state_text && findStateText(index, detect, new Set(texts.map(normalizeCached)))) ||
        (detect?.sole_control && findSoleControl(index, root, roles));
      if (declared && declared.reason !== 'no_match') {
        return declared;
      }
      return { state: 'unknown', element: null, reason: anyOfRoles(index, roles) ? 'no_match' : 'not_rendered', count: 0, rule: 'label', label: null };
    });
  }

  /** Whether any candidate has one of `roles`; asked after every batch on a page without the setting. */
  function anyOfRoles(index, roles) {
    for (const entry of index.candidates.values()) {
      if (roles.includes(entry.role)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Finds the one visible control whose role and label match `detect` and reads it. Zero or
   * several matches give state "unknown".
   * @param {Document|ShadowRoot} root
   * @param {{roles: string[], labels: string[]}} detect
   */
  function findControl(root, detect) {
    return findControls(root, [detect])[0];
  }

  /**
   * Calls `listener` when something a search depends on changed without the caller seeing a
   * mutation of its own (found in idle time: a new shadow root, a visibility change).
   * @returns {() => void} unsubscribes
   */
  function watch(root, listener) {
    const index = indexFor(root);
    index.listeners.add(listener);
    index.scheduleMaintenance();
    return () => index.listeners.delete(listener);
  }

  /** A number that changes whenever a search of `root` may give another answer (state aside). */
  function generation(root) {
    return indexFor(root).generation;
  }

  ns.detector = {
    normalizeLabel, labelTexts, expandLabel, roleOf, isHidden, labelsOf, readState, stateOf, openRoots, findControl, findControls, watch, generation,
  };
})();
