// The e2e tests' one way into the host's database, through the sqlite3 shell. Browsers start and
// stop hosts while a test reads or edits, and the last host to close folds the write-ahead log back
// under an exclusive lock: a connection that meets that lock must wait for it, as the host's own do,
// or a slower machine fails the test with "database is locked".
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** How long a test's statement waits for a host's lock: the host's own busy timeout. */
const BUSY_TIMEOUT_MS = 5000;

/** The database of the host whose XDG_STATE_HOME is `stateHome`. */
export const hostDatabase = (stateHome) => join(stateHome, 'optguard', 'state.sqlite3');

/** `text` as an SQL string literal. */
export const sqlText = (text) => `'${String(text).replaceAll("'", "''")}'`;

const shell = async (db, sql, flags) =>
  (await run('sqlite3', ['-cmd', `.timeout ${BUSY_TIMEOUT_MS}`, ...flags, db, sql])).stdout;

/**
 * The rows a read-only `sql` returns, as objects keyed by column. A database the host has not made
 * yet, or whose tables it has not made yet, has stored nothing: [].
 * @param {string} stateHome the host's XDG_STATE_HOME
 * @param {string} sql
 * @returns {Promise<Record<string, unknown>[]>}
 */
export async function hostRows(stateHome, sql) {
  const db = hostDatabase(stateHome);
  if (!existsSync(db)) {
    return [];
  }
  try {
    const out = await shell(db, sql, ['-readonly', '-json']);
    return out.trim() === '' ? [] : JSON.parse(out); // -json prints nothing at all for no rows
  } catch (error) {
    if (/no such table/.test(String(error.stderr ?? error.message))) {
      return [];
    }
    throw error;
  }
}

/**
 * Runs statements that change the host's database, as if time had gone by.
 * @param {string} stateHome
 * @param {string} sql
 */
export async function editHostDatabase(stateHome, sql) {
  await shell(hostDatabase(stateHome), sql, []);
}
