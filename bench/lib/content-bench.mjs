// Figure 6: what the content script's detector costs per DOM mutation batch, in headless Chromium.
//
// The page is LinkedIn's AI-training settings page (the offline fixture in tests/fixtures/pages/,
// served at its real address) grown to 5 000 elements by a feed-like region that churns constantly:
// every 16 ms it rewrites text, flips classes and attributes, and replaces whole cards. A subscriber
// of the content scripts' one MutationObserver (dom-watch.js, as content-main.js subscribes) runs,
// per batch of records:
//   detector: optguardContent.detector.findControl(document, detect) for every catalog setting whose
//             `pages` match the URL — what one check of content-main.js does (it coalesces batches to
//             at most one check per frame, so per batch is the upper bound);
//   empty:    nothing (the baseline: the cost of being notified at all).
// Each run is a fresh page; runs alternate. Times come from performance.now() in a cross-origin
// isolated page (COOP+COEP), whose clock is 5 µs-precise instead of 100 µs. Long tasks (≥ 50 ms) are
// counted with a PerformanceObserver in both variants: churn alone can cause them, so the figure is
// the difference, plus the count of detector callbacks that were themselves ≥ 50 ms.
//
// Prints one JSON object; {"skipped": reason} when playwright-core, Chromium or the detector is absent.
import fs from 'node:fs';
import path from 'node:path';

import { arg, chromiumOrSkip, chromiumPath, root, skip } from './browser-bench.mjs';

const reps = Number(arg('--reps', 3));
const seconds = Number(arg('--seconds', 3));
const targetNodes = Number(arg('--nodes', 5000));
const detectorPath = path.join(root, 'extension', 'content', 'detector.js');
// The detector keeps its index from the content scripts' one observer (dom-watch.js, loaded first).
const domWatchPath = path.join(root, 'extension', 'content', 'dom-watch.js');
const fixturePath = path.join(root, 'tests', 'fixtures', 'pages', 'linkedin-generative-ai-training.html');
const catalogPath = path.join(root, 'extension', 'catalog', 'linkedin.json');
const PAGE_URL = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';

const chromium = chromiumOrSkip();
if (!fs.existsSync(detectorPath)) skip('extension/content/detector.js does not exist yet');
const detectorSource = [domWatchPath, detectorPath].filter((file) => fs.existsSync(file)).map((file) => fs.readFileSync(file, 'utf8')).join('\n');

// The settings content-main.js would check on this page: the catalog's, whose `pages` match.
const catalog = JSON.parse(fs.readFileSync(catalogPath, 'utf8'));
const matches = (pattern, url) =>
  new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(url);
const settings = catalog.settings
  .filter((s) => s.detect && s.pages.some((p) => matches(p, PAGE_URL)))
  .map((s) => ({ setting: s.id, detect: s.detect }));
if (settings.length === 0) skip(`no catalog setting with detect matches ${PAGE_URL}`);

const fixture = fs.existsSync(fixturePath)
  ? fs.readFileSync(fixturePath, 'utf8')
  : `<!doctype html><html><head><title>LinkedIn</title></head><body><main>
      <h3 id="t">${settings[0].detect.labels[0]}</h3>
      <input type="checkbox" role="switch" aria-labelledby="t" aria-checked="true" checked>
    </main></body></html>`;

// Runs in the page. Grows the page to `target` elements with a churn region, observes, measures.
async function pageRun({ variant, target, ms, settingsList }) {
  const words = ['network', 'post', 'job', 'update', 'reaction', 'comment', 'share', 'profile', 'follow', 'insight'];
  const region = document.createElement('section');
  region.className = 'bench-churn';
  document.body.append(region);
  let serial = 0;
  function card() {
    const n = serial++;
    const c = document.createElement('article');
    c.className = 'feed-card artdeco-card';
    c.setAttribute('role', 'article');
    c.innerHTML = `<header><img alt="" width="8" height="8"><span class="name">Member ${n}</span>
      <span class="headline">${words[n % 10]} ${words[(n * 7) % 10]}</span></header>
      <p class="text"><span>${words[(n * 3) % 10]}</span> <b>${n}</b> <i>${words[(n * 5) % 10]}</i></p>
      <ul role="list"><li role="listitem"><a href="#a${n}">Like</a></li><li role="listitem"><a href="#c${n}">Comment</a></li></ul>
      <footer><button type="button" role="button">Share</button><span class="count">${n % 97}</span>
      ${n % 5 === 0 ? `<label><input type="checkbox"> Follow ${words[n % 10]}</label>` : ''}
      ${n % 7 === 0 ? `<div role="switch" aria-checked="${n % 2 === 0}" aria-label="Notify me about ${words[n % 10]}"></div>` : ''}</footer>`;
    return c;
  }
  const count = () => document.getElementsByTagName('*').length;
  while (count() < target) region.append(card());
  const nodes = count();
  const candidates = document.querySelectorAll('[role], input[type="checkbox" i]').length;
  const controls = document.querySelectorAll('[role=switch], [role=checkbox], input[type="checkbox" i]').length;

  const found = settingsList.map((s) => {
    const r = globalThis.optguardContent.detector.findControl(document, s.detect);
    return { setting: s.setting, state: r.state, reason: r.reason };
  });

  const times = [];
  let over50 = 0;
  const detector = globalThis.optguardContent.detector;
  const callback =
    variant === 'detector'
      ? () => {
          const t0 = performance.now();
          for (const s of settingsList) detector.findControl(document, s.detect);
          const dt = performance.now() - t0;
          times.push(dt);
          if (dt >= 50) over50++;
        }
      : variant === 'style'
        ? () => {
            const t0 = performance.now();
            void getComputedStyle(document.body).display; // brings style up to date, nothing else
            times.push(performance.now() - t0);
          }
        : () => {
            const t0 = performance.now();
            times.push(performance.now() - t0);
          };
  const longTasks = [];
  const po = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration);
  });
  po.observe({ type: 'longtask' });
  // Notified as content-main.js is: a subscriber of the content scripts' one observer (dom-watch.js),
  // which the detector's index shares; an observer of its own with the same options before it.
  const domWatch = globalThis.optguardContent.domWatch;
  let stopObserving;
  if (domWatch) {
    const watch = domWatch.of(document);
    watch.start();
    // Batches the browser delivers (records a search takes early come back to every subscriber:
    // content-main only schedules a check for them, which coalesces).
    const unsubscribe = watch.subscribe((records, { taken }) => {
      if (!taken) callback();
    });
    stopObserving = () => {
      unsubscribe();
      watch.stop();
    };
  } else {
    const mo = new MutationObserver(callback);
    mo.observe(document, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ['aria-checked', 'checked', 'aria-label', 'aria-labelledby', 'aria-hidden', 'hidden', 'inert',
        'style', 'class', 'role', 'for', 'id', 'open', 'type'],
    });
    stopObserving = () => mo.disconnect();
  }

  // Constant churn: 30 text edits, 30 class flips, 5 attribute flips and 2 card replacements per tick.
  let tick = 0;
  let mutations = 0;
  const timer = setInterval(() => {
    tick++;
    const cards = region.children;
    for (let i = 0; i < 30; i++) {
      const c = cards[(tick * 31 + i * 17) % cards.length];
      c.querySelector('.count').textContent = String((tick + i) % 1000);
      c.classList.toggle('is-highlighted');
    }
    for (let i = 0; i < 5; i++) {
      const c = cards[(tick * 13 + i * 101) % cards.length];
      c.setAttribute('aria-hidden', c.getAttribute('aria-hidden') === 'true' ? 'false' : 'true');
    }
    for (let i = 0; i < 2; i++) {
      const old = cards[(tick * 7 + i * 53) % cards.length];
      old.replaceWith(card());
    }
    mutations += 67;
  }, 16);

  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  clearInterval(timer);
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the last batch and long-task entries land
  stopObserving();
  po.disconnect();
  const wall = performance.now() - t0;
  times.sort((a, b) => a - b);
  const q = (p) => (times.length ? times[Math.min(times.length - 1, Math.max(0, Math.ceil(p * times.length) - 1))] : null);
  return {
    variant,
    nodes,
    candidates,
    controls,
    cross_origin_isolated: globalThis.crossOriginIsolated,
    found,
    batches: times.length,
    ticks: tick,
    mutations_made: mutations,
    wall_ms: wall,
    p50_ms: q(0.5),
    p99_ms: q(0.99),
    max_ms: times.length ? times[times.length - 1] : null,
    mean_ms: times.length ? times.reduce((a, b) => a + b, 0) / times.length : null,
    total_ms: times.reduce((a, b) => a + b, 0),
    callbacks_over_50ms: over50,
    long_tasks: longTasks.length,
    long_task_ms: longTasks.reduce((a, b) => a + b, 0),
  };
}

let browser;
try {
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
} catch (e) {
  skip(`Chromium did not start: ${e.message.split('\n')[0]}`);
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('https://www.linkedin.com/**', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
      body: fixture,
    }),
  );
  const out = [];
  for (let r = 0; r < reps; r++) {
    const pair = {};
    for (const variant of r % 2 === 0 ? ['detector', 'empty', 'style'] : ['style', 'empty', 'detector']) {
      const page = await context.newPage();
      await page.goto(PAGE_URL, { waitUntil: 'load' });
      await page.addScriptTag({ content: detectorSource });
      pair[variant] = await page.evaluate(pageRun, { variant, target: targetNodes, ms: seconds * 1000, settingsList: settings });
      await page.close();
    }
    process.stderr.write(
      `  rep ${r + 1}: detector p50 ${pair.detector.p50_ms.toFixed(3)} ms p99 ${pair.detector.p99_ms.toFixed(3)} ms over ${pair.detector.batches} batches, ` +
        `long tasks ${pair.detector.long_tasks}; empty p50 ${pair.empty.p50_ms.toFixed(3)} ms, long tasks ${pair.empty.long_tasks}; style-only p50 ${pair.style.p50_ms.toFixed(3)} ms; ` +
        `found ${pair.detector.found.map((f) => `${f.setting}=${f.state}`).join(', ')}\n`,
    );
    out.push(pair);
  }
  const first = out[0].detector;
  console.log(
    JSON.stringify({
      chromium: browser.version(),
      page: PAGE_URL,
      page_source: fs.existsSync(fixturePath) ? path.relative(root, fixturePath) : 'synthetic',
      nodes: first.nodes,
      elements_with_role_or_checkbox: first.candidates,
      switches_and_checkboxes: first.controls,
      settings_checked: settings.map((s) => s.setting),
      found: first.found,
      cross_origin_isolated: first.cross_origin_isolated,
      seconds_per_run: seconds,
      reps: out,
      note: first.found.some((f) => f.state === 'unknown')
        ? `the detector did not find every control on the page (${first.found.map((f) => `${f.setting}: ${f.reason}`).join(', ')})`
        : null,
    }),
  );
} finally {
  await browser.close();
}
