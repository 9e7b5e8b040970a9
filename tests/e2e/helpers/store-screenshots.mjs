// The stores' screenshots (docs/store/screenshots.md): exactly 1280×800, the size the Chrome Web
// Store and Edge Add-ons take and addons.mozilla.org recommends. Written next to the e2e run's other
// screenshots, in IMAGES_DIR/store (OPTGUARD_SCREENSHOT_DIR=docs/images refreshes the kit's).
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import assert from 'node:assert/strict';

import { IMAGES_DIR } from './browser.mjs';

export const STORE_DIR = join(IMAGES_DIR, 'store');
export const STORE_SIZE = { width: 1280, height: 800 };

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG file');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function written(file) {
  const path = join(STORE_DIR, file);
  assert.deepEqual(pngSize(await readFile(path)), STORE_SIZE, `${file} is 1280×800`);
  return path;
}

/** The page as it is, at 1280×800 (the viewport is set to that size first). */
export async function storeScreenshot(page, file) {
  await mkdir(STORE_DIR, { recursive: true });
  await page.setViewportSize(STORE_SIZE);
  await page.screenshot({ path: join(STORE_DIR, file) });
  return written(file);
}

/**
 * The popup drawn where the browser opens it, under the toolbar at the top right, over a 1280×800
 * screenshot of the page it was opened on. Both images are the e2e run's own screenshots.
 */
export async function popupOverPage(context, pagePng, popupPng, file) {
  await mkdir(STORE_DIR, { recursive: true });
  const canvas = await context.newPage();
  try {
    await canvas.setViewportSize(STORE_SIZE);
    const url = (png) => `data:image/png;base64,${png.toString('base64')}`;
    await canvas.setContent(`<!doctype html><html><body style="margin:0;width:1280px;height:800px;overflow:hidden">
      <img src="${url(pagePng)}" style="position:absolute;left:0;top:0;width:1280px;height:800px">
      <img src="${url(popupPng)}" style="position:absolute;right:24px;top:8px;max-height:784px;border-radius:8px;
        box-shadow:0 4px 24px rgba(0,0,0,.35)">
      </body></html>`);
    await canvas.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    await canvas.screenshot({ path: join(STORE_DIR, file) });
  } finally {
    await canvas.close();
  }
  return written(file);
}
