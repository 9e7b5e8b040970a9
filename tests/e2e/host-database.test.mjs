// The e2e suites' way into the host's database (helpers/host-database.mjs) without a browser: a
// read that meets a lock waits for it, as it must when the last host to close holds the file to
// fold its log back (a one-core CI run once failed there with "database is locked").
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

import { editHostDatabase, hostDatabase, hostRows } from './helpers/host-database.mjs';

const run = promisify(execFile);

// Holds the database file alone (WAL mode, exclusive locking, a write transaction open), as a
// closing host does while it checkpoints, until a line arrives on stdin; says "locked" when it does.
const HOLDER = `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA locking_mode = EXCLUSIVE")
c.execute("BEGIN EXCLUSIVE")
c.execute("INSERT INTO observations (platform, state) VALUES ('linkedin', 'off')")
print("locked", flush=True)
sys.stdin.readline()
c.execute("COMMIT")
c.close()
`;

describe('the host database helper', () => {
  let stateHome;
  let db;

  before(async () => {
    stateHome = await mkdtemp(join(tmpdir(), 'optguard-e2e-db-'));
    db = hostDatabase(stateHome);
    await mkdir(join(stateHome, 'optguard'));
    await run('sqlite3', [db, 'PRAGMA journal_mode = WAL; CREATE TABLE observations (platform TEXT, state TEXT, observed_at INTEGER DEFAULT 0)']);
  });

  after(async () => {
    await rm(stateHome, { recursive: true, force: true });
  });

  it('a missing database or table has stored nothing', async () => {
    assert.deepEqual(await hostRows(join(stateHome, 'nowhere'), 'SELECT 1 AS one'), []);
    assert.deepEqual(await hostRows(stateHome, 'SELECT * FROM acknowledgements'), []);
    assert.deepEqual(await hostRows(stateHome, 'SELECT * FROM observations'), []);
  });

  it('a read waits for a lock another process holds, where a bare read gives up at once', async () => {
    const holder = spawn('python3', ['-c', HOLDER, db], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const [line] = await once(holder.stdout, 'data');
      assert.equal(String(line).trim(), 'locked');
      // The lock is real: the sqlite3 shell without a busy timeout fails on it.
      await assert.rejects(run('sqlite3', ['-readonly', db, 'SELECT count(*) FROM observations']), /database is locked/);

      const reading = hostRows(stateHome, 'SELECT platform, state FROM observations');
      const editing = editHostDatabase(stateHome, 'UPDATE observations SET observed_at = observed_at - 1');
      // Released later than either could give up without waiting.
      setTimeout(() => holder.stdin.end('release\n'), 500);
      assert.deepEqual(await reading, [{ platform: 'linkedin', state: 'off' }]);
      await editing;
      assert.deepEqual(await hostRows(stateHome, 'SELECT observed_at FROM observations'), [{ observed_at: -1 }]);
    } finally {
      holder.kill();
    }
  });
});
