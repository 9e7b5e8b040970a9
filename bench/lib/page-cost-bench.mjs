// Figure 7: what OptGuard costs on busy pages that hold no setting — a ChatGPT chat streaming an
// answer, a Claude chat streaming, a LinkedIn feed churning — served at their real addresses in
// headless Chromium, with the real extension loaded and without it, in the same run.
//
// The metric is the renderer's main-thread script time (CDP Performance.getMetrics ScriptDuration:
// the page's own scripts plus any content script, which runs on the same thread) over a window of
// `--seconds` of churn, and the long tasks (≥ 50 ms) a PerformanceObserver sees in that window.
// OptGuard's cost = script time with the extension − without, as a share of one core. Runs alternate
// which browser goes first; each run is a fresh page in a browser started for the figure.
//
// Prints one JSON object; {"skipped": reason} when playwright-core or Chromium is absent.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { arg, chromiumOrSkip, chromiumPath, root } from './browser-bench.mjs';

const reps = Number(arg('--reps', 3));
const seconds = Number(arg('--seconds', 10));
// --extension DIR measures another build of the extension (e.g. an older release, for a before/after).
const extensionDir = path.resolve(arg('--extension', path.join(root, 'extension')));
const chromium = chromiumOrSkip();

/** A page of ~5 000 nodes whose script appends a token every `everyMs` to the last message. */
function streamingPage(title, everyMs) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>
<nav>${Array.from({ length: 60 }, (_, i) => `<a href="#c${i}">Conversation ${i}</a>`).join('')}</nav>
<main id="thread">${Array.from({ length: 120 }, (_, i) => `<article><h3>Turn ${i}</h3>${Array.from({ length: 8 }, (_, j) => `<p>Paragraph ${j} of turn ${i} with <b>some</b> <i>inline</i> <code>markup</code>.</p>`).join('')}</article>`).join('')}</main>
<script>
  const thread = document.getElementById('thread');
  let turn = document.createElement('article'); thread.append(turn);
  let para = document.createElement('p'); turn.append(para); let n = 0;
  setInterval(() => {
    const span = document.createElement('span'); span.textContent = ' token' + (n++); para.append(span);
    if (n % 40 === 0) { para = document.createElement('p'); turn.append(para); }
    if (n % 400 === 0) { turn = document.createElement('article'); thread.append(turn); para = document.createElement('p'); turn.append(para); }
  }, ${everyMs});
</script></body></html>`;
}

/** A feed of cards: every 250 ms one card's text changes and one card is replaced. */
function feedPage() {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Feed</title></head><body><main id="feed">
${Array.from({ length: 200 }, (_, i) => `<div class="card"><h4>Post ${i}</h4><p>Text of post ${i}</p><span class="likes">${i}</span></div>`).join('')}</main>
<script>
  const feed = document.getElementById('feed'); let n = 0;
  setInterval(() => {
    const cards = feed.children; const c = cards[n % cards.length];
    c.querySelector('.likes').textContent = String(n);
    const fresh = c.cloneNode(true); fresh.querySelector('h4').textContent = 'Post ' + n; feed.replaceChild(fresh, cards[(n * 7) % cards.length]);
    n++;
  }, 250);
</script></body></html>`;
}

const PAGES = [
  { id: 'chatgpt-streaming', url: 'https://chatgpt.com/c/bench-conversation', html: streamingPage('ChatGPT', 15) },
  { id: 'claude-streaming', url: 'https://claude.ai/chat/bench-conversation', html: streamingPage('Claude', 15) },
  { id: 'linkedin-feed', url: 'https://www.linkedin.com/feed/', html: feedPage() },
];

async function startBrowser(withExtension) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optguard-page-cost-'));
  const common = ['--no-first-run', '--no-default-browser-check', '--disable-background-networking', '--disable-component-update'];
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    headless: true,
    args: withExtension
      ? [...common, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, '--headless=new']
      : [...common, '--headless=new'],
  });
  if (withExtension) {
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15000 }));
  }
  await context.route('https://**/*', (route) => {
    const page = PAGES.find((p) => route.request().url() === p.url);
    return page
      ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: page.html })
      : route.fulfill({ status: 404, body: '' });
  });
  return { context, close: async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

async function measure(browser, spec) {
  const page = await browser.context.newPage();
  try {
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(spec.url);
    await page.evaluate(() => {
      globalThis.__longTasks = 0;
      new PerformanceObserver((list) => { globalThis.__longTasks += list.getEntries().length; }).observe({ entryTypes: ['longtask'] });
    });
    await page.waitForTimeout(1500); // past document_idle: the content script is in, if there is one
    const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const before = await metric();
    const longBefore = await page.evaluate(() => globalThis.__longTasks);
    await page.waitForTimeout(seconds * 1000);
    const after = await metric();
    const longTasks = (await page.evaluate(() => globalThis.__longTasks)) - longBefore;
    const elapsed = after.Timestamp - before.Timestamp;
    return {
      script_ms: (after.ScriptDuration - before.ScriptDuration) * 1000,
      task_ms: (after.TaskDuration - before.TaskDuration) * 1000,
      elapsed_s: elapsed,
      long_tasks: longTasks,
    };
  } finally {
    await page.close();
  }
}

const withExt = await startBrowser(true);
const without = await startBrowser(false);
const results = {};
try {
  for (const spec of PAGES) {
    results[spec.id] = [];
    for (let r = 0; r < reps; r++) {
      const order = r % 2 === 0 ? [withExt, without] : [without, withExt];
      const out = {};
      for (const browser of order) {
        out[browser === withExt ? 'optguard' : 'baseline'] = await measure(browser, spec);
      }
      // Share of one core: extra script milliseconds per second of wall time, in percent.
      out.overhead_core_percent = ((out.optguard.script_ms / out.optguard.elapsed_s) - (out.baseline.script_ms / out.baseline.elapsed_s)) / 10;
      results[spec.id].push(out);
    }
  }
} finally {
  await withExt.close();
  await without.close();
}
console.log(JSON.stringify({ seconds, reps, pages: PAGES.map((p) => ({ id: p.id, url: p.url })), results }));
