// Headless Debian Chromium with the unpacked extension and a native host registered in a throwaway
// profile (shared/docs/e2e-in-real-browsers.md). Nothing touches the real ~/.config.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

import { chromium } from 'playwright-core';

// Waiting lives in wait.mjs (one place); re-exported for the suites that import it from here.
export { eventually } from './wait.mjs';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const EXTENSION_DIR = join(REPO, 'extension');
export const EXTENSION_ID = 'cmijejphlnikkmemcggjhadjlmobjaie';
export const HOST_NAME = 'dev.optguard.host';
export const HOST_BIN = process.env.OPTGUARD_HOST_BIN ?? join(REPO, 'build/host/optguard-host');
/** A suite's `skip` when the host binary was not built (and OPTGUARD_HOST_BIN does not name one). */
export const NO_HOST_BINARY = !process.env.OPTGUARD_HOST_BIN && !existsSync(HOST_BIN) && `no host binary at ${HOST_BIN} (build it first)`;
export const CHROMIUM = process.env.OPTGUARD_CHROMIUM ?? '/usr/bin/chromium';
// Screenshots go to a scratch folder; OPTGUARD_SCREENSHOT_DIR=docs/images refreshes the README's.
export const IMAGES_DIR = process.env.OPTGUARD_SCREENSHOT_DIR
  ? join(REPO, process.env.OPTGUARD_SCREENSHOT_DIR)
  : join(REPO, 'tests/e2e/artifacts');
export const AI_PAGE = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';

const FIXTURE = join(REPO, 'tests/fixtures/pages/linkedin-generative-ai-training.html');

/**
 * A shell wrapper that copies every byte the browser sends to the host into `capturePath`, then
 * runs the real host with the browser's arguments. The host's replies go straight back.
 */
async function writeCapturingWrapper(dir, hostBin, capturePath) {
  const wrapper = join(dir, 'optguard-host-capture.sh');
  const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;
  await writeFile(wrapper, `#!/bin/sh\ntee -a ${quote(capturePath)} | ${quote(hostBin)} "$@"\n`);
  await chmod(wrapper, 0o755);
  return wrapper;
}

/**
 * @param {{hostPath?: string|null, capture?: boolean, uiLanguage?: string, dataHome?: string}} [options] hostPath: the
 *   path written into the host manifest (a non-existent path simulates a missing host); capture:
 *   record host input; uiLanguage: the browser's UI language (e.g. "de"), which an extension's i18n
 *   follows. On Linux Chromium takes it from LANGUAGE (glib's order: LANGUAGE, LC_ALL, LC_MESSAGES,
 *   LANG) and needs that language's .pak (Debian's chromium-l10n); --lang tells its child processes.
 *   dataHome: the host's XDG_DATA_HOME (installed catalog releases); a fresh folder by default.
 */
export async function launch({ hostPath = HOST_BIN, capture = false, uiLanguage, dataHome: givenDataHome } = {}) {
  const root = await mkdtemp(join(tmpdir(), 'optguard-e2e-'));
  const userDataDir = join(root, 'profile');
  const stateHome = join(root, 'state');
  const configHome = join(root, 'config');
  // Installed catalog releases live under XDG_DATA_HOME: never the real ~/.local/share.
  const dataHome = givenDataHome ?? join(root, 'data');
  const capturePath = join(root, 'host-input.bin');
  await mkdir(join(userDataDir, 'NativeMessagingHosts'), { recursive: true });
  await mkdir(stateHome, { recursive: true, mode: 0o700 });
  await mkdir(configHome, { recursive: true, mode: 0o700 });
  await mkdir(dataHome, { recursive: true, mode: 0o700 });
  const path = capture ? await writeCapturingWrapper(root, hostPath, capturePath) : hostPath;
  await writeFile(
    join(userDataDir, 'NativeMessagingHosts', `${HOST_NAME}.json`),
    JSON.stringify({
      name: HOST_NAME,
      description: 'OptGuard native host (e2e)',
      path,
      type: 'stdio',
      allowed_origins: [`chrome-extension://${EXTENSION_ID}/`],
    }),
  );
  const env = { ...process.env, XDG_STATE_HOME: stateHome, XDG_CONFIG_HOME: configHome, XDG_DATA_HOME: dataHome };
  if (uiLanguage) {
    env.LANGUAGE = uiLanguage;
  }
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    env,
    ...(uiLanguage ? { locale: uiLanguage } : {}),
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      ...(uiLanguage ? [`--lang=${uiLanguage}`] : []),
    ],
  });
  const fixture = await readFile(FIXTURE, 'utf8');
  const served = [];
  // Every LinkedIn URL gets the fixture app, which renders the view for its path (no network).
  await context.route('https://www.linkedin.com/**', (route) => {
    served.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: fixture });
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return {
    context,
    worker,
    env,
    root,
    served,
    capturePath,
    async close() {
      await context.close().catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Badge text and colour of the (only) LinkedIn tab, read in the worker. */
export async function linkedinBadge(worker) {
  return worker.evaluate(async () => {
    const tabs = await chrome.tabs.query({ url: 'https://www.linkedin.com/*' });
    if (tabs.length !== 1) {
      return { error: `expected one LinkedIn tab, found ${tabs.length}` };
    }
    const tabId = tabs[0].id;
    const [text, color, title] = await Promise.all([
      chrome.action.getBadgeText({ tabId }),
      chrome.action.getBadgeBackgroundColor({ tabId }),
      chrome.action.getTitle({ tabId }),
    ]);
    return { tabId, text, color, title };
  });
}

/**
 * The text inside OptGuard's alert, read through the DevTools protocol, which can see into closed
 * shadow roots (page scripts cannot). Returns null when no alert is in the page.
 */
export async function alertText(context, page) {
  const cdp = await context.newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const find = (node) => {
      if (node.localName === 'optguard-alert') {
        return node;
      }
      for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
        const found = find(child);
        if (found) {
          return found;
        }
      }
      return null;
    };
    const host = find(root);
    if (!host) {
      return null;
    }
    const parts = [];
    const collect = (node) => {
      if (node.nodeType === 3 && node.parentId !== undefined) {
        parts.push(node.nodeValue);
      }
      if (node.localName === 'style') {
        return;
      }
      for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
        collect(child);
      }
    };
    for (const shadow of host.shadowRoots ?? []) {
      collect(shadow);
    }
    return { text: parts.join(' ').replace(/\s+/g, ' ').trim(), shadowRootType: host.shadowRoots?.[0]?.shadowRootType };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/**
 * Centre of the alert's button labelled `label`, found through the DevTools protocol: the alert's
 * shadow root is closed, so page scripts (and tests) cannot query into it.
 */
export async function alertButtonCenter(context, page, label) {
  const cdp = await context.newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const textOf = (node) => (node.children ?? []).map((c) => (c.nodeType === 3 ? c.nodeValue : textOf(c))).join('');
    const find = (node, inAlert) => {
      const inside = inAlert || node.localName === 'optguard-alert';
      if (inside && node.localName === 'button' && textOf(node) === label) {
        return node;
      }
      for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
        const found = find(child, inside);
        if (found) {
          return found;
        }
      }
      return null;
    };
    const button = find(root, false);
    if (!button) {
      return null;
    }
    const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: button.backendNodeId });
    const [x1, y1, , , x3, y3] = model.border;
    return { x: (x1 + x3) / 2, y: (y1 + y3) / 2 };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** Centre of the alert's Dismiss button. */
export function dismissButtonCenter(context, page) {
  return alertButtonCenter(context, page, 'Dismiss');
}

/** Frames the browser wrote to the host: 32-bit native-endian length + UTF-8 JSON. */
export async function readCapturedFrames(capturePath) {
  if (!existsSync(capturePath)) {
    return [];
  }
  const bytes = await readFile(capturePath);
  const frames = [];
  let offset = 0;
  while (offset + 4 <= bytes.length) {
    const length = bytes.readUInt32LE(offset);
    frames.push(JSON.parse(bytes.subarray(offset + 4, offset + 4 + length).toString('utf8')));
    offset += 4 + length;
  }
  return frames;
}

/**
 * Narrows the catalog to `watched` ("platform/setting" keys), as a person would on the options page:
 * every other setting gets watch=false through the worker's own port to the real host.
 */
export async function watchOnly(worker, watched) {
  await worker.evaluate(async (keys) => {
    const catalog = await globalThis.optguard.ready;
    for (const platform of catalog.platforms) {
      for (const setting of platform.settings) {
        if (!keys.includes(`${platform.platform}/${setting.id}`)) {
          await globalThis.optguard.port.request('set_choice', { platform: platform.platform, setting: setting.id, watch: false });
        }
      }
    }
  }, watched);
}
