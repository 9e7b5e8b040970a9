// The content scripts' one MutationObserver. The detector keeps its index of controls up to date
// from it, and content-main schedules its checks from it: both subscribe here instead of each
// observing the page with an observer of its own. Nothing is observed until start(), which
// content-main calls only on a page whose URL holds a catalog setting (and the detector when it is
// used on its own, as in the bench), and stop() disconnects it again. Classic script: it goes
// first in the manifest and creates the namespace object the content scripts share.
'use strict';

(() => {
  const ns = (globalThis.optguardContent ??= {});

  /**
   * One set of options for every observed root: MutationObserver.observe on a node already
   * observed replaces its options, so they cannot differ between subscribers. attributeOldValue:
   * the detector needs an id's old value to know whether a label it refers to changed.
   */
  const OPTIONS = Object.freeze({
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeOldValue: true,
    attributeFilter: [
      'aria-checked', 'checked', 'aria-label', 'aria-labelledby', 'aria-hidden', 'hidden', 'inert',
      'style', 'class', 'role', 'for', 'id', 'open', 'type', 'slot', 'media', 'disabled',
    ],
  });

  /** root → Watch */
  const watches = new WeakMap();

  class Watch {
    /** @param {Document|ShadowRoot} root */
    constructor(root) {
      this.root = root;
      this.view = (root.ownerDocument ?? root).defaultView;
      /** @type {MutationObserver|null} null while stopped */
      this.observer = null;
      /** the roots observed: `root`, then open shadow roots and same-origin frames' documents */
      this.roots = new Set();
      /** @type {Set<{onRecords: Function, onStop?: Function}>} */
      this.subscribers = new Set();
    }

    get observing() {
      return this.observer !== null;
    }

    /**
     * Calls `onRecords(records, {taken})` once per batch of mutation records, for as long as the
     * subscription lasts (across stop and start). taken: the records were taken by flush() (a
     * reader that must not see a stale page) rather than delivered by the browser. onStop: the
     * watch stopped, so whatever was kept up to date from the records may be stale from now on.
     * @returns {() => void} unsubscribes
     */
    subscribe(onRecords, { onStop } = {}) {
      const subscriber = { onRecords, onStop };
      this.subscribers.add(subscriber);
      return () => this.subscribers.delete(subscriber);
    }

    /** Starts observing `root`. @returns {boolean} false when already observing */
    start() {
      if (this.observer) {
        return false;
      }
      this.observer = new this.view.MutationObserver((records) => this.deliver(records, false));
      this.roots = new Set();
      this.add(this.root);
      return true;
    }

    /**
     * Observes one more root (an open shadow root or a same-origin frame's document), which an
     * observer of the document does not see into. Only while started.
     * @returns {boolean} true when it was not observed yet
     */
    add(root) {
      if (!this.observer || this.roots.has(root)) {
        return false;
      }
      this.roots.add(root);
      this.observer.observe(root, OPTIONS);
      return true;
    }

    /** Hands the records not delivered yet to every subscriber now (taken: true). */
    flush() {
      if (this.observer) {
        this.deliver(this.observer.takeRecords(), true);
      }
    }

    /**
     * Observes `root` alone again (the others are added back by whoever knows them): a frame
     * whose document was replaced is not observed any longer. Pending records are flushed first,
     * so no subscriber misses a change.
     */
    reset() {
      if (!this.observer) {
        return;
      }
      this.flush();
      this.observer.disconnect();
      this.roots = new Set();
      this.add(this.root);
    }

    /** Disconnects: nothing is observed until the next start(). Pending records are dropped. */
    stop() {
      if (!this.observer) {
        return;
      }
      this.observer.disconnect();
      this.observer = null;
      this.roots = new Set();
      for (const subscriber of [...this.subscribers]) {
        this.call(() => subscriber.onStop?.());
      }
    }

    deliver(records, taken) {
      if (records.length === 0) {
        return;
      }
      for (const subscriber of [...this.subscribers]) {
        this.call(() => subscriber.onRecords(records, { taken }));
      }
    }

    /** A subscriber's failure is its own: the others still hear of the batch. */
    call(fn) {
      try {
        fn();
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /**
   * The watch of `root` (one per root, so one observer per page), created stopped.
   * @param {Document|ShadowRoot} root
   * @returns {Watch}
   */
  function of(root) {
    let watch = watches.get(root);
    if (!watch) {
      watch = new Watch(root);
      watches.set(root, watch);
    }
    return watch;
  }

  ns.domWatch = { of, OPTIONS };
})();
