// Wires detector and alert to the page: reads each catalog setting shown here, follows the person
// flipping it and in-app navigation (no page load), and reports {platform, setting, state} to the
// service worker, with the catalog label the control matched (a text of the catalog, never the
// page's). Nothing else about the page leaves it.
//
// On a page that holds no catalog setting it observes nothing (a chat streaming an answer must cost
// it nothing): it learns of in-app navigation from the browser (the worker's tabs.onUpdated, the
// Navigation API where present, popstate/hashchange), starts the page's one MutationObserver
// (dom-watch.js, which the detector's index shares) only once the URL is one where a setting
// lives, and stops it when in-app navigation leaves the settings.
//
// On a catalog policy page (privacy policy, terms) it reads the document's effective date once after
// load, and once more a moment later if the date was not rendered yet (policy-date.js), and sends
// only {platform, document, effective_date}: no observer, no page text.
'use strict';

(() => {
  const ns = (globalThis.optguardContent ??= {});
  const { api, detector, domWatch, inPageAlert, policyDate } = ns;

  // Mirrors MSG in shared/protocol.js (a unit test checks they agree).
  const MSG = Object.freeze({
    PAGE_SETTINGS: 'optguard/page-settings',
    STATE: 'optguard/state',
    PAGE_LEFT: 'optguard/page-left',
    URL_CHANGED: 'optguard/url-changed',
    POLICY_DATE: 'optguard/policy-date',
  });
  ns.MSG = MSG;

  /** An unknown state is reported only once it has lasted this long (pages render late). */
  const UNKNOWN_GRACE_MS = 2000;
  /** The worker judges the page from the tab's URL; right after pushState it may lag behind. */
  const URL_RETRY_MS = 150;
  const URL_RETRIES = 20;
  const REPORT_RETRIES = 5;
  /** A page-settings request the worker does not answer in this time is asked again, with backoff. */
  const SETTINGS_TIMEOUT_MS = 5000;
  const SETTINGS_RETRY_MS = [500, 1000, 2000, 4000, 8000, 15000];
  /** A policy page whose date line is not there yet is read once more after this long. */
  const POLICY_RETRY_MS = 2000;
  const FALLBACK_FRAME_MS = 250;
  /** A check that would take longer than this leaves the rest to idle time instead of blocking. */
  const CHECK_BUDGET_MS = 4;

  /** @type {{platform: string, setting: string, title: string, why: string, expected: string, opt_out_url: string, detect: object}[]} */
  let settings = [];
  let settingsHref = null; // the href `settings` were fetched for
  /** The catalog policy documents on the page `settings` were fetched for: [{platform, document}]. */
  let documents = [];
  let policyReadHref = null; // the href whose policy date was read (or is being read)
  let loading = null;
  let stopped = false;
  /** key → the state last sent (or being sent); reset when the URL changes. */
  const lastSent = new Map();
  /** key → the state the last successful reply was about, with its verdict. */
  const lastVerdict = new Map();
  /** key → the state the person dismissed the alert for. */
  const dismissedFor = new Map();
  /** key → refused reports in a row. */
  const failedReports = new Map();
  /** key → timer waiting for an unknown state to last. */
  const unknownTimers = new Map();

  const keyOf = (s) => `${s.platform}/${s.setting}`;
  const pageOf = (href) => {
    const url = new URL(href);
    return `${url.protocol}//${url.host}${url.pathname}`;
  };

  async function send(message, timeoutMs) {
    let timer;
    try {
      const sent = api.runtime.sendMessage(message);
      if (timeoutMs === undefined) {
        return await sent;
      }
      const late = new Promise((resolve) => {
        // The worker did not answer: a code only, the caller asks again.
        timer = setTimeout(() => resolve({ ok: false, error: { code: 'timeout' } }), timeoutMs);
      });
      return await Promise.race([sent, late]);
    } catch (error) {
      // "Extension context invalidated": the extension was reloaded or removed; stop quietly.
      if (/context invalidated|receiving end does not exist/i.test(error?.message ?? '')) {
        stop();
      }
      return { ok: false, error: { code: 'host_disconnected', message: String(error?.message ?? error) } };
    } finally {
      clearTimeout(timer);
    }
  }

  /** @returns {Promise<object[]|null|undefined>} the settings; null: navigated meanwhile; undefined: no answer */
  async function loadSettings(href) {
    for (let attempt = 0; attempt <= URL_RETRIES && !stopped; attempt += 1) {
      const reply = await send({ type: MSG.PAGE_SETTINGS }, SETTINGS_TIMEOUT_MS);
      if (!reply?.ok) {
        return reply?.error?.code === 'untrusted_sender' ? [] : undefined;
      }
      if (reply.page_url === pageOf(href)) {
        documents = Array.isArray(reply.documents) ? reply.documents : [];
        return reply.settings;
      }
      await new Promise((resolve) => setTimeout(resolve, URL_RETRY_MS));
      if (location.href !== href) {
        return null; // navigated again meanwhile; the next batch starts over
      }
    }
    // The worker still judges another URL (the tab's URL lags far behind): never take another
    // page's settings for this one; ask again later.
    return undefined;
  }

  let settingsFailures = 0;

  /**
   * Fetches the settings for the current URL unless they are already known.
   * @returns {Promise<boolean>} true when `settings` are those of the current URL
   */
  async function ensureSettings() {
    const href = location.href;
    if (settingsHref === href) {
      return true;
    }
    loading ??= loadFor(href).finally(() => {
      loading = null;
    });
    const outcome = await loading;
    if (settingsHref === location.href) {
      return true;
    }
    // The page navigated while settings were being fetched (or before this call joined a fetch for
    // an earlier URL): fetch again for where it is now. A fetch that went unanswered has already
    // set its own retry, with backoff.
    if (outcome !== 'unanswered') {
      schedule(true);
    }
    return false;
  }

  /** @returns {Promise<'loaded'|'navigated'|'unanswered'>} */
  async function loadFor(href) {
    const hadSettings = settings.length > 0;
    const fetched = await loadSettings(href);
    if (fetched === undefined && !stopped) {
      // No answer (the worker may be waiting on the browser right after it started): ask again.
      const wait = SETTINGS_RETRY_MS[Math.min(settingsFailures, SETTINGS_RETRY_MS.length - 1)];
      settingsFailures += 1;
      setTimeout(() => schedule(true), wait);
      return 'unanswered';
    }
    settingsFailures = 0;
    if (fetched === null || fetched === undefined || location.href !== href) {
      return 'navigated';
    }
    settings = fetched;
    if (settings.length > 0) {
      observe();
    } else {
      unobserve();
    }
    settingsHref = href;
    readPolicyDate(href);
    lastSent.clear();
    lastVerdict.clear();
    for (const timer of unknownTimers.values()) {
      clearTimeout(timer);
    }
    unknownTimers.clear();
    inPageAlert.removeAll();
    if (hadSettings && settings.length === 0) {
      await send({ type: MSG.PAGE_LEFT });
    }
    return 'loaded';
  }

  /**
   * A catalog policy page: its effective date, read once (and once more if not rendered yet), sent
   * as {platform, document, effective_date} for each document the catalog places here.
   * @param {string} href the URL the documents were fetched for
   */
  function readPolicyDate(href) {
    if (documents.length === 0 || policyReadHref === href || !policyDate) {
      return;
    }
    policyReadHref = href;
    const shown = documents;
    const attempt = (again) => {
      if (stopped || location.href !== href) {
        return;
      }
      const found = policyDate.findEffectiveDate(document);
      if (!found) {
        if (again) {
          setTimeout(() => attempt(false), POLICY_RETRY_MS);
        }
        return;
      }
      for (const { platform, document: id } of shown) {
        send({ type: MSG.POLICY_DATE, platform, document: id, effective_date: found.date });
      }
    };
    attempt(true);
  }

  /**
   * @param {object} setting
   * @param {'on'|'off'|'unknown'} state
   * @param {{reason?: string, label?: string|null}} [detail] reason: why an unknown state is
   *   unknown (no_match, not_rendered, ambiguous, unreadable), which the popup says in words;
   *   label: the catalog label the control matched (as the catalog writes it), so the popup names
   *   the setting as the page did. The worker accepts only a label of this setting's catalog entry.
   */
  async function report(setting, state, { reason, label } = {}) {
    const key = keyOf(setting);
    lastSent.set(key, state);
    const message = { type: MSG.STATE, platform: setting.platform, setting: setting.setting, state };
    if (state === 'unknown' && reason) {
      message.reason = reason;
    }
    if (state !== 'unknown' && typeof label === 'string') {
      message.label = label;
    }
    const reply = await send(message);
    if (lastSent.get(key) !== state) {
      return; // the state changed while this report was in flight; a newer one follows
    }
    if (!reply?.ok) {
      // Refused (e.g. the tab's URL lagged behind a pushState): try again shortly, a few times.
      lastSent.delete(key);
      const tries = (failedReports.get(key) ?? 0) + 1;
      failedReports.set(key, tries);
      if (tries <= REPORT_RETRIES) {
        setTimeout(forceCheck, URL_RETRY_MS * tries);
      }
      return;
    }
    failedReports.delete(key);
    lastVerdict.set(key, { state, verdict: reply.verdict });
    if (reply.verdict !== 'violation') {
      dismissedFor.delete(key);
    }
    applyAlert(setting, detector.findControl(document, setting.detect));
  }

  /**
   * The setting's name as this page shows it: the catalog label the control matched (with the
   * page's subject filled in, as the detector matched it) in its language, else the catalog title.
   * @returns {{text: string, lang: string}}
   */
  function shownName(setting, found) {
    if (typeof found.label === 'string') {
      const label = (setting.detect?.labels ?? []).find((l) => (typeof l === 'string' ? l : l?.text) === found.label);
      return { text: detector.expandLabel(found.label, document), lang: typeof label === 'object' ? label.lang ?? '' : '' };
    }
    return { text: setting.title, lang: 'en' };
  }

  function applyAlert(setting, found) {
    const key = keyOf(setting);
    const judged = lastVerdict.get(key);
    const violating = judged && judged.verdict === 'violation' && judged.state === found.state && found.element;
    if (!violating || dismissedFor.get(key) === found.state) {
      inPageAlert.remove(key);
      return;
    }
    const name = shownName(setting, found);
    inPageAlert.show(key, found.element, {
      title: name.text,
      titleLang: name.lang,
      why: setting.why,
      state: found.state,
      expected: setting.expected,
      onDismiss: () => dismissedFor.set(key, found.state),
      onFix: () => fixSetting(setting),
    });
  }

  const FIX_WAIT_MS = 1500;
  const FIX_POLL_MS = 50;

  /**
   * The one-click fix (in-page-alert.js calls it only after a person's click): find the control
   * again, and only if it is still the one unambiguous match in the wrong state, click it as a
   * person would (the page's own handlers do the switching), then read the state back for up to
   * FIX_WAIT_MS. Reports through the normal path, so the host records what really happened.
   * @returns {Promise<{changed: boolean, state: string}>}
   */
  async function fixSetting(setting) {
    const before = detector.findControl(document, setting.detect);
    // A state shown as text is a button that opens the real switch: clicking it changes nothing.
    if (!before.element || before.rule === 'state_text' || before.state === 'unknown' || before.state === setting.expected) {
      return { changed: before.state === setting.expected, state: before.state };
    }
    before.element.click();
    const deadline = performance.now() + FIX_WAIT_MS;
    let after = detector.findControl(document, setting.detect);
    while (after.state !== setting.expected && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, FIX_POLL_MS));
      after = detector.findControl(document, setting.detect);
    }
    forceCheck();
    return { changed: after.state === setting.expected, state: after.state };
  }

  /** The detector's generation and the href of the last complete check, and whether one is forced. */
  let checkedGeneration = null;
  let checkedHref = null;
  let forced = true;
  let unwatch = null;
  let checkedResults = [];

  async function check() {
    if (stopped || !(await ensureSettings())) {
      return;
    }
    if (settings.length === 0) {
      return;
    }
    unwatch ??= detector.watch(document, () => schedule());
    // Nothing the search depends on changed (e.g. only text in unrelated parts of the page): skip.
    const generation = detector.generation(document);
    // (A native checkbox's `checked` property changes without a mutation: re-read the controls.)
    // A state shown as a button's text or a named dialog can appear without a new control, so a
    // setting still unknown under such a rule is looked for again.
    const waitingForText = settings.some((s, i) => (s.detect?.state_text || s.detect?.dialog) && checkedResults[i]?.state === 'unknown');
    if (!forced && !waitingForText && generation === checkedGeneration && checkedHref === location.href &&
        checkedResults.every((found) => !found.element || detector.stateOf(found) === found.state)) {
      inPageAlert.repositionAll();
      return;
    }
    const started = performance.now();
    const results = detector.findControls(document, settings.map((s) => s.detect), { budgetMs: CHECK_BUDGET_MS });
    if (results.some((found) => found.reason === 'deferred')) {
      // Many new controls to read: carry on when the page is idle rather than block it now.
      idle(() => schedule(true));
      return;
    }
    forced = false;
    checkedGeneration = detector.generation(document);
    checkedHref = location.href;
    checkedResults = results;
    for (const [i, setting] of settings.entries()) {
      if (i > 0 && performance.now() - started > CHECK_BUDGET_MS) {
        idle(() => schedule(true));
        forced = true;
        return;
      }
      const key = keyOf(setting);
      const found = results[i];
      applyAlert(setting, found);
      if (found.state === 'unknown') {
        // A catalog page pattern may cover many pages (a settings app); the control's absence is
        // evidence only on its opt-out page, where it must be. Elsewhere only a control that was
        // seen but cannot be read safely (several matches, unreadable state) is reported.
        const absent = found.reason === 'no_match' || found.reason === 'not_rendered';
        if (absent && pageOf(location.href) !== pageOf(setting.opt_out_url)) {
          continue;
        }
        if (lastSent.get(key) !== 'unknown' && !unknownTimers.has(key)) {
          unknownTimers.set(key, setTimeout(() => {
            unknownTimers.delete(key);
            const still = detector.findControl(document, setting.detect);
            if (!stopped && still.state === 'unknown' && lastSent.get(key) !== 'unknown' && settings.includes(setting)) {
              report(setting, 'unknown', { reason: still.reason });
            }
          }, UNKNOWN_GRACE_MS));
        }
        continue;
      }
      clearTimeout(unknownTimers.get(key));
      unknownTimers.delete(key);
      if (lastSent.get(key) !== found.state) {
        report(setting, found.state, { label: found.label });
      }
    }
  }

  // Mutations arrive in bursts; one check per frame (or per FALLBACK_FRAME_MS in a background tab,
  // where animation frames do not run) is enough.
  let scheduled = false;
  const idle = (fn) =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 500 }) : setTimeout(fn, 50);
  /** @param {boolean} [force] check even if the detector saw nothing relevant change */
  function schedule(force = false) {
    if (force === true) {
      forced = true;
    }
    if (scheduled || stopped) {
      return;
    }
    scheduled = true;
    queueMicrotask(() => {
      let done = false;
      const run = () => {
        if (done) {
          return;
        }
        done = true;
        clearTimeout(timer);
        scheduled = false;
        check();
      };
      const timer = setTimeout(run, FALLBACK_FRAME_MS);
      requestAnimationFrame(run);
    });
  }

  function isOwnRecord(record) {
    if (inPageAlert.owns(record.target)) {
      return true;
    }
    if (record.type !== 'childList') {
      return false;
    }
    const nodes = [...record.addedNodes, ...record.removedNodes];
    return nodes.length > 0 && nodes.every((node) => inPageAlert.owns(node));
  }

  // The page's one observer. It sees every open shadow root and same-origin frame the detector
  // found (the detector adds them to it); one batch schedules at most one check.
  const watch = domWatch.of(document);
  watch.subscribe((records) => {
    if (records.some((record) => !isOwnRecord(record))) {
      schedule();
    }
  });

  /** Starts observing the DOM: only on a page where a catalog setting lives. */
  function observe() {
    if (!stopped) {
      watch.start();
    }
  }

  /**
   * Stops observing: the page holds no setting (in-app navigation away from the settings). The
   * detector drops its index with it, and builds it afresh when a setting is shown again.
   */
  function unobserve() {
    watch.stop();
    unwatch?.();
    unwatch = null;
  }

  function stop() {
    stopped = true;
    unobserve();
    inPageAlert.removeAll();
  }
  ns.stop = stop;

  // A native checkbox's `checked` property changes without any attribute mutation.
  const forceCheck = () => schedule(true);
  document.addEventListener('change', forceCheck, true);
  document.addEventListener('click', forceCheck, true);
  // In-app navigation, learnt without watching the DOM: a URL that differs from the one the
  // settings were fetched for starts a check, which fetches the new page's settings.
  const urlMaybeChanged = () => {
    if (location.href !== settingsHref) {
      schedule(true);
    }
  };
  window.addEventListener('popstate', forceCheck);
  window.addEventListener('hashchange', urlMaybeChanged);
  globalThis.navigation?.addEventListener?.('currententrychange', urlMaybeChanged);
  api.runtime.onMessage?.addListener((message, sender) => {
    // The worker saw the tab's URL change (tabs.onUpdated): pushState in the page's own world.
    if (message?.type === MSG.URL_CHANGED && sender?.id === api.runtime.id) {
      urlMaybeChanged();
    }
    return false;
  });
  window.addEventListener('resize', () => inPageAlert.repositionAll());
  window.addEventListener('pagehide', () => unobserve());
  window.addEventListener('pageshow', (event) => {
    if (event.persisted && !stopped) {
      settingsHref = null; // back from the back/forward cache: read everything afresh
      schedule(true);
    }
  });

  schedule();
})();
