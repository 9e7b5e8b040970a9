import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const EXTENSION = `${REPO}extension/`;

/** A fetch over the extension directory, standing in for fetch(runtime.getURL(...)). */
export async function fileFetch(url) {
  const path = fileURLToPath(url);
  try {
    const text = await readFile(path, 'utf8');
    return { ok: true, status: 200, json: async () => JSON.parse(text) };
  } catch {
    return { ok: false, status: 404, json: async () => null };
  }
}

/** Maps 'catalog/index.json' to a file: URL inside extension/. */
export const resolveExtensionUrl = (path) => new URL(path, `file://${EXTENSION}`).href;

export async function readJson(relative) {
  return JSON.parse(await readFile(`${REPO}${relative}`, 'utf8'));
}
