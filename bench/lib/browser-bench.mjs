// What the browser figures (6 and 7) share: their arguments, the way they skip, and Chromium from
// playwright-core. Prints {"skipped": reason} and exits 0 when playwright-core or Chromium is absent.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const chromiumPath = process.env.OPTGUARD_CHROMIUM ?? '/usr/bin/chromium';

const args = process.argv.slice(2);
/** The value after `name` on the command line, else `dflt`. */
export const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};

/** Says why the figure is skipped (as JSON on stdout, for bench/run) and exits. */
export function skip(reason) {
  console.log(JSON.stringify({ skipped: reason }));
  process.exit(0);
}

/** playwright-core's chromium, or a skip when it or Debian's Chromium is missing. */
export function chromiumOrSkip() {
  let chromium;
  try {
    ({ chromium } = createRequire(path.join(root, 'package.json'))('playwright-core'));
  } catch {
    skip('playwright-core is not installed (npm ci)');
  }
  if (!fs.existsSync(chromiumPath)) skip(`no Chromium at ${chromiumPath}`);
  return chromium;
}
