// Headless Firefox ESR driven by puppeteer-core over WebDriver BiDi, with the extension installed
// as a temporary add-on and the native host registered in a throw-away HOME
// (~/.mozilla/native-messaging-hosts). The catalog's real URLs are served from fixtures through a
// local CONNECT proxy and an HTTPS server with a certificate made by openssl for this run
// (shared/docs/e2e-in-real-browsers.md, Firefox section). Nothing touches the real HOME.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';

import puppeteer from 'puppeteer-core';

import { EXTENSION_DIR, HOST_NAME, REPO } from './browser.mjs';
import { hostMatches } from '../../../extension/shared/catalog.js';

export const FIREFOX = process.env.OPTGUARD_FIREFOX ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_ID = 'optguard@optguard.dev';
/** The add-on's moz-extension:// host, fixed by a pref so a test can open the popup as a page. */
export const FIREFOX_EXTENSION_UUID = '7c0b5f4e-5d1a-4c8e-9b43-0f3e2a6d1c55';
export const FIREFOX_POPUP = `moz-extension://${FIREFOX_EXTENSION_UUID}/popup/popup.html`;
const FIXTURE = join(REPO, 'tests/fixtures/pages/linkedin-generative-ai-training.html');
const run = promisify(execFile);

async function selfSignedCertificate(dir) {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=www.linkedin.com',
    '-addext', 'subjectAltName=DNS:www.linkedin.com', '-keyout', key, '-out', cert]);
  return { key: await readFile(key), cert: await readFile(cert) };
}

/**
 * A CONNECT proxy that sends the catalog's hosts (port 443) to a local HTTPS server serving
 * fixtures: the LinkedIn fixture app unless a test sets another page with `serve(fn)`, where
 * fn({host, url}) returns the HTML for a request. Nothing else is reachable.
 */
async function startProxy(dir) {
  const fixture = await readFile(FIXTURE, 'utf8');
  const catalogHosts = await catalogHostList();
  const served = [];
  let page = () => fixture;
  const site = https.createServer(await selfSignedCertificate(dir), (req, res) => {
    served.push(req.url);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page({ host: String(req.headers.host ?? '').replace(/:443$/, ''), url: req.url }));
  });
  const proxy = http.createServer((req, res) => {
    res.writeHead(502);
    res.end();
  });
  proxy.on('connect', (req, socket) => {
    const [host, port] = String(req.url).split(':');
    if (port !== '443' || !catalogHosts.some((pattern) => hostMatches(pattern, host))) {
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    site.emit('connection', socket);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: proxy.address().port,
    served,
    /** Serves fn({host, url}) from now on; null restores the LinkedIn fixture app. */
    serve: (fn) => {
      page = fn ?? (() => fixture);
    },
    close: () => {
      proxy.close();
      site.close();
      proxy.closeAllConnections?.();
      site.closeAllConnections?.();
    },
  };
}

async function catalogHostList() {
  const dir = join(REPO, 'extension/catalog');
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
  const hosts = [];
  for (const file of index.platforms) {
    hosts.push(...JSON.parse(await readFile(join(dir, file), 'utf8')).hosts);
  }
  return hosts;
}

/**
 * @param {{hostBin: string, uiLanguage?: string, systemAccess?: boolean}} options hostBin: the host
 *   the manifest names; a wrapper in front of it logs the argv Firefox starts it with. uiLanguage:
 *   Firefox's UI language (intl.locale.requested), which an add-on's i18n follows; Firefox uses it
 *   only when that language is installed: Debian's firefox-esr-l10n-<lang> puts the language pack
 *   in the application's extensions folder, which a new profile enables. systemAccess: lets the
 *   test run script in the browser window (--remote-allow-system-access) to open the add-on's own
 *   pages, which WebDriver BiDi does not navigate to (openExtensionPage).
 */
export async function launchFirefox({ hostBin, uiLanguage, systemAccess = false }) {
  const root = await mkdtemp(join(tmpdir(), 'optguard-firefox-e2e-'));
  const home = join(root, 'home');
  const stateHome = join(root, 'state');
  const configHome = join(root, 'config');
  const argvLog = join(root, 'host-argv.log');
  const nmh = join(home, '.mozilla', 'native-messaging-hosts');
  await mkdir(nmh, { recursive: true });
  await mkdir(stateHome, { recursive: true, mode: 0o700 });
  await mkdir(configHome, { recursive: true, mode: 0o700 });
  const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;
  const wrapper = join(root, 'optguard-host-argv.sh');
  await writeFile(wrapper, `#!/bin/sh\nprintf '%s\\n' "$@" >> ${quote(argvLog)}\nexec ${quote(hostBin)} "$@" 2>>${quote(join(root, 'host-stderr.log'))}\n`);
  await chmod(wrapper, 0o755);
  await writeFile(join(nmh, `${HOST_NAME}.json`), JSON.stringify({
    name: HOST_NAME,
    description: 'OptGuard native host (Firefox e2e)',
    path: wrapper,
    type: 'stdio',
    allowed_extensions: [FIREFOX_EXTENSION_ID],
  }));
  const proxy = await startProxy(root);
  const env = { ...process.env, HOME: home, XDG_STATE_HOME: stateHome, XDG_CONFIG_HOME: configHome, XDG_DATA_HOME: join(home, '.local', 'share') };
  let browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      acceptInsecureCerts: true,
      env,
      ...(systemAccess ? { args: ['--remote-allow-system-access'] } : {}),
      extraPrefsFirefox: {
        'network.proxy.type': 1,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': proxy.port,
        'network.proxy.http': '127.0.0.1',
        'network.proxy.http_port': proxy.port,
        'network.proxy.no_proxies_on': '',
        'network.proxy.allow_hijacking_localhost': true,
        'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_EXTENSION_ID]: FIREFOX_EXTENSION_UUID }),
        ...(uiLanguage ? { 'intl.locale.requested': uiLanguage, 'intl.accept_languages': uiLanguage } : {}),
      },
    });
    const addonId = await browser.installExtension(EXTENSION_DIR);
    return {
      browser,
      addonId,
      env,
      argvLog,
      proxy,
      async close() {
        await browser.close().catch(() => {});
        proxy.close();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close().catch(() => {});
    proxy.close();
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Opens one of the add-on's own pages (moz-extension://) in a new tab, as the browser itself would:
 * BiDi refuses to navigate there, so the tab is added from the browser window's script (needs
 * launchFirefox's systemAccess). Resolves with the puppeteer page (page.reload() does not work on
 * it: open another).
 * @param {import('puppeteer-core').Browser} browser
 * @param {string} url
 */
export async function openExtensionPage(browser, url) {
  const { connection } = browser;
  const contextsOn = async () => (await connection.send('browsingContext.getTree', {})).result.contexts.filter((c) => c.url === url);
  const before = new Set((await contextsOn()).map((c) => c.context));
  const tree = await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const window = tree.result.contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml') ?? tree.result.contexts[0];
  const reply = await connection.send('script.evaluate', {
    expression: `gBrowser.selectedTab = gBrowser.addTab(${JSON.stringify(url)}, { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() }); true`,
    target: { context: window.context },
    awaitPromise: false,
  });
  if (reply.result.type !== 'success') {
    throw new Error(`could not open ${url}: ${JSON.stringify(reply.result)}`);
  }
  // Puppeteer may still know the new tab as about:blank: find it by its BiDi context.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const context = (await contextsOn()).find((c) => !before.has(c.context));
    const page = context && (await browser.pages()).find((p) => p.mainFrame()._id === context.context);
    if (page) {
      return page;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no tab on ${url}`);
}

/**
 * The text inside OptGuard's alert: its shadow root is closed, so neither the page nor puppeteer's
 * queries see into it; WebDriver BiDi serialises closed shadow trees on request
 * (includeShadowTree: "all"). null when no alert is in the page.
 * @param {import('puppeteer-core').Browser} browser
 * @param {import('puppeteer-core').Page} page
 */
export async function firefoxAlertText(browser, page) {
  const reply = await browser.connection.send('script.evaluate', {
    expression: 'document.querySelector("optguard-alert")',
    target: { context: page.mainFrame()._id },
    awaitPromise: false,
    serializationOptions: { maxDomDepth: 30, includeShadowTree: 'all' },
  });
  const host = reply.result.result;
  if (host?.type !== 'node') {
    return null;
  }
  const parts = [];
  const collect = (node) => {
    const value = node?.value;
    if (!value || value.localName === 'style') {
      return;
    }
    if (value.nodeType === 3) {
      parts.push(value.nodeValue);
    }
    for (const child of value.children ?? []) {
      collect(child);
    }
  };
  collect(host.value.shadowRoot);
  return { text: parts.join(' ').replace(/\s+/g, ' ').trim(), shadowRootMode: host.value.shadowRoot?.value?.mode ?? null };
}
