#include "storage/state_store.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os/batch_queue.hpp"
#include "os/scoped_umask.hpp"
#include "os/standard_streams.hpp"
#include "storage/fleet_table.hpp"
#include "storage/observation_batches.hpp"
#include "storage/observation_rows.hpp"
#include "storage/reminder_store.hpp"
#include "storage/sqlite_util.hpp"
#include "storage/write_gate.hpp"

namespace optguard::storage {

namespace fs = std::filesystem;

namespace {

// SQLite's own busy handler (sqlite3_busy_timeout) sleeps in growing steps, 1, 2, 5, 10 ... 100 ms:
// with 16 hosts writing, a writer sleeps 10 ms for a lock that is held for tens of microseconds
// (the log is written under it; the sync comes after it is released, see make_durable), and
// throughput falls as writers are added. OptGuard's own writers queue before they get here
// (storage/write_gate.hpp); this wait is for the others (an older host, `sqlite3`, a system
// without the queue), in short steps.
int wait_for_lock(void* arg, int attempts)
{
    using clock = std::chrono::steady_clock;
    auto& since = *static_cast<clock::time_point*>(arg);
    const auto now = clock::now();
    if (attempts == 0) {
        since = now;
    }
    if (now - since >= std::chrono::milliseconds(busy_timeout_ms)) {
        return 0; // SQLITE_BUSY reaches the caller: "database is locked" after the timeout
    }
    // 50 µs, doubling to at most 1 ms.
    const int step_us = std::min(1000, 50 << std::min(attempts, 5));
    std::this_thread::sleep_for(std::chrono::microseconds(step_us));
    return 1;
}



using os::ScopedUmask;


// Served by the (platform, setting, observed_at) index; rowid breaks ties within a millisecond.
constexpr const char* latest_sql
    = "SELECT state, verdict, expected, url, observed_at FROM observations"
      " WHERE platform = ?1 AND setting = ?2"
      " ORDER BY observed_at DESC, id DESC LIMIT 1";

int query_int(sqlite3* db, const char* sql)
{
    const Statement statement = prepare(db, sql);
    if (sqlite3_step(statement.get()) != SQLITE_ROW) {
        fail(db, std::string("state database: ") + sql);
    }
    return sqlite3_column_int(statement.get(), 0);
}

// `due` asks, per setting, for the last compliant report before a time: one seek in this index
// whatever the history (without it, a scan of the setting's rows). Added to version 2 without a
// version bump, so an older host still opens the database (an extra index changes nothing for it).
constexpr const char* verdict_index_sql
    = "CREATE INDEX IF NOT EXISTS observations_by_setting_verdict_time"
      " ON observations (platform, setting, verdict, observed_at)";

bool schema_is_current(sqlite3* db)
{
    if (query_int(db, "PRAGMA user_version") != schema_version) {
        return false;
    }
    // The objects added without a version bump: the verdict index and the batch mark.
    return query_int(db, "SELECT count(*) FROM sqlite_master"
                         " WHERE (type = 'index' AND name = 'observations_by_setting_verdict_time')"
                         " OR (type = 'table' AND name = 'last_batch')")
        == 2
        && fleet_objects_exist(db);
}

// Another program's SQLite database at our path (issue 8): tables, but not OptGuard's schema version.
// Checked before anything writes (even `PRAGMA journal_mode` rewrites the header), so it is left
// exactly as it is. OptGuard sets user_version in the transaction that creates its tables, so a
// database of ours is never seen with tables and version 0.
void refuse_foreign(sqlite3* db)
{
    // One statement, so one snapshot: another host may commit its new schema between two reads.
    if (query_int(db, "SELECT user_version = 0 AND (SELECT count(*) FROM sqlite_master) > 0"
                      " FROM pragma_user_version")
        == 0) {
        return;
    }
    const std::string file = file_of(db);
    throw StorageError("state database " + file + " is not OptGuard's (it holds another program's "
                       "tables); OptGuard has not changed it. Move it away and OptGuard starts a "
                       "new history: mv '" + file + "' '" + file + ".not-optguard'");
}

// Switching a new database to WAL needs an exclusive lock for a moment, and SQLite does not wait for
// it through the busy handler: it fails or answers with the old mode. Hosts started together on a
// new database retry here, within the busy timeout, until the answer is "wal".
void enable_wal(sqlite3* db)
{
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
    for (;;) {
        const Statement statement = prepare(db, "PRAGMA journal_mode = WAL");
        const int rc = sqlite3_step(statement.get());
        if (rc == SQLITE_ROW && column_text(statement.get(), 0) == "wal") {
            return;
        }
        const int primary = rc & 0xFF;
        if (rc != SQLITE_ROW && primary != SQLITE_BUSY && primary != SQLITE_LOCKED) {
            fail(db, "state database " + file_of(db) + ": cannot switch to WAL mode");
        }
        if (std::chrono::steady_clock::now() >= give_up) {
            throw StorageError("state database " + file_of(db) + ": still locked by another "
                               "program after " + std::to_string(busy_timeout_ms / 1000)
                               + " s, cannot switch it to WAL mode");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

// Creates or migrates the schema in one write transaction.
void create_schema(sqlite3* db)
{
    in_write_transaction(db, [db] {
        const int version = query_int(db, "PRAGMA user_version");
        if (version == 0) {
            exec(db, "CREATE TABLE observations ("
                     " id INTEGER PRIMARY KEY,"
                     " platform TEXT NOT NULL,"
                     " setting TEXT NOT NULL,"
                     " state TEXT NOT NULL CHECK (state IN ('on', 'off', 'unknown')),"
                     " verdict TEXT NOT NULL CHECK (verdict IN ('compliant', 'violation', 'unknown')),"
                     " expected TEXT NOT NULL CHECK (expected IN ('on', 'off')),"
                     " url TEXT NOT NULL,"
                     " observed_at INTEGER NOT NULL)");
            // status asks for the newest row per setting: one index seek each, whatever the history.
            exec(db, "CREATE INDEX observations_by_setting_time"
                     " ON observations (platform, setting, observed_at)");
        }
        if (version <= 1) {
            // 1 -> 2 in the same transaction: another host sees version 1 or 2, never half of 2.
            create_reminder_tables(db);
            exec(db, ("PRAGMA user_version = " + std::to_string(schema_version)).c_str());
        } else if (version > schema_version) {
            throw StorageError("state database has schema version " + std::to_string(version)
                               + ", newer than this host understands ("
                               + std::to_string(schema_version) + "); update OptGuard");
        }
        if (version <= schema_version) {
            exec(db, verdict_index_sql);
            // The fleet table and view (storage/fleet_table.hpp), likewise without a version bump.
            create_fleet_objects(db);
            // The mark of batched reports (storage/observation_batches.hpp), likewise.
            exec(db, batch_mark_table_sql);
        }
    });
}

// Checks the schema, creating or migrating it if needed. BEGIN IMMEDIATE takes the write lock
// first, so two hosts starting at once cannot both decide the database is empty. A database already
// at this version with every index needs no write lock: two reads, the usual case for every host
// start after the first.
void ensure_schema(sqlite3* db, WriteGate& gate)
{
    if (schema_is_current(db)) {
        return;
    }
    gate.write([db] { create_schema(db); });
}

void make_private(const fs::path& file)
{
    if (::chmod(file.c_str(), S_IRUSR | S_IWUSR) != 0 && errno != ENOENT) {
        throw StorageError("cannot set mode 0600 on " + file.string() + ": "
                           + std::strerror(errno));
    }
}

} // namespace

struct StateStore::Connection {
    sqlite3* db = nullptr;
    // When the current wait for the write lock began (the busy handler's state).
    std::chrono::steady_clock::time_point lock_wait_since {};
    // Every write goes through it; made once the database is known to be ours.
    std::unique_ptr<WriteGate> writes;
    // Reports are handed to whichever process is writing, and made in batches by `batches` when
    // this process is the one. The queue file is opened on the first report (write_queue()), so a
    // process that only reads never maps it.
    fs::path queue_file;
    std::once_flag queue_opened;
    std::unique_ptr<os::BatchQueue> queue; // null until then, and where there is no queue
    std::unique_ptr<ObservationBatches> batches;

    // The queue, opened now if this is the first report; null: each report is written alone.
    os::BatchQueue* write_queue()
    {
        std::call_once(queue_opened, [this] {
            auto opened = [this] {
                const ScopedUmask mask(077);
                return os::BatchQueue::open(queue_file);
            }();
            queue = std::move(opened.queue);
            if (!opened.problem.empty()) {
                (void)os::standard_error().write("optguard: " + opened.problem
                                                 + "; each report is written on its own instead\n");
            }
        });
        return queue.get();
    }

    Connection() = default;
    ~Connection()
    {
        queue.reset(); // before what it commits through
        batches.reset();
        writes.reset(); // before the connection it hooks into
        sqlite3_close_v2(db);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    Connection(Connection&&) = delete;
    Connection& operator=(Connection&&) = delete;
};

namespace {

// One connection per database file and process: the observations and the reminder records a host
// opens share it (one file handle, one page cache, schema checked once). Weak, so the connection
// closes with the last store that uses it.
std::mutex open_connections_mutex;
std::map<std::string, std::weak_ptr<StateStore::Connection>> open_connections;

} // namespace

std::shared_ptr<StateStore::Connection> StateStore::connect(const fs::path& file)
{
    auto connection = std::make_shared<Connection>();
    int rc = SQLITE_OK;
    {
        // Files SQLite creates now (the database) get 0600; the -wal and -shm files copy the
        // database file's mode when SQLite creates them later.
        const ScopedUmask mask(077);
        rc = sqlite3_open_v2(file.c_str(), &connection->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
                             nullptr);
    }
    sqlite3* raw = connection->db; // closed by ~Connection even if rc failed
    if (rc != SQLITE_OK) {
        fail(raw, "cannot open state database " + file.string());
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_handler(raw, wait_for_lock, &connection->lock_wait_since);
    {
        const ScopedUmask mask(077);
        refuse_foreign(raw);
        enable_wal(raw);
        // NORMAL: a commit writes the log without syncing it; every write then calls
        // make_durable (storage/sqlite_util.hpp) before it returns, outside the write lock, so
        // concurrent writers' syncs overlap. Checkpoints still sync the log before and the database
        // after, so nothing committed and synced is ever lost.
        exec(raw, "PRAGMA synchronous = NORMAL");
        exec(raw, "PRAGMA foreign_keys = ON");
        connection->writes = std::make_unique<WriteGate>(
            raw, fs::path(file.string() + write_lock_suffix),
            std::chrono::milliseconds(busy_timeout_ms));
        ensure_schema(raw, *connection->writes);
        connection->batches = std::make_unique<ObservationBatches>(raw, *connection->writes);
        connection->queue_file = fs::path(file.string() + write_queue_suffix);
    }
    // Tighten files that predate us or were created under a looser umask.
    for (const char* suffix : {"", "-wal", "-shm", write_lock_suffix, write_queue_suffix}) {
        make_private(fs::path(file.string() + suffix));
    }
    return connection;
}

std::unique_ptr<StateStore> StateStore::open(const fs::path& dir)
{
    ensure_private_directory(dir);
    const fs::path file = dir / database_file_name;
    const std::string key = fs::absolute(file).lexically_normal().string();

    std::shared_ptr<Connection> connection;
    {
        const std::lock_guard<std::mutex> guard(open_connections_mutex);
        auto found = open_connections.find(key);
        if (found != open_connections.end()) {
            connection = found->second.lock();
        }
        if (!connection) {
            connection = connect(file);
            open_connections[key] = connection;
        }
        std::erase_if(open_connections, [](const auto& entry) { return entry.second.expired(); });
    }
    std::unique_ptr<StateStore> store(new StateStore(std::move(connection)));
    store->prepare_statements();
    return store;
}

StateStore::StateStore(std::shared_ptr<Connection> connection)
    : connection_(std::move(connection))
    , db_(connection_->db)
{
}

void StateStore::prepare_statements()
{
    insert_ = prepare(db_, insert_observation_sql);
    latest_ = prepare(db_, latest_sql);
    begin_ = prepare(db_, "BEGIN");
    commit_ = prepare(db_, "COMMIT");
}

void StateStore::begin_reading()
{
    sqlite3_stmt* statement = begin_.get();
    const ResetOnExit reset(statement);
    if (sqlite3_step(statement) != SQLITE_DONE) {
        fail(db_, "cannot read the state database " + file_of(db_));
    }
}

void StateStore::end_reading() noexcept
{
    // A read transaction has nothing to lose: if COMMIT fails (it cannot for reads in WAL mode),
    // roll back so the connection is usable again.
    sqlite3_stmt* statement = commit_.get();
    const int rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    if (rc != SQLITE_DONE && sqlite3_get_autocommit(db_) == 0) {
        rollback(db_);
    }
}

StateStore::~StateStore() = default;

WriteGate& StateStore::writes() const noexcept { return *connection_->writes; }

void StateStore::record(const Observation& observation)
{
    if (os::BatchQueue* queue = connection_->write_queue()) {
        const std::string payload = encode_observation(observation);
        const auto result = queue->submit(
            std::as_bytes(std::span(payload.data(), payload.size())), *connection_->batches,
            std::chrono::milliseconds(busy_timeout_ms));
        switch (result.outcome) {
        case os::BatchQueue::Outcome::made:
            return;
        case os::BatchQueue::Outcome::failed:
            throw StorageError(result.error);
        case os::BatchQueue::Outcome::not_queued:
            break; // written alone, below
        }
    }
    sqlite3_stmt* statement = insert_.get();
    const ResetOnExit reset(statement);
    bind_observation(db_, statement, observation);
    // Autocommit: the turn and the write lock are held only while the log is written, not while
    // it is synced.
    connection_->writes->write([this, statement] {
        if (sqlite3_step(statement) != SQLITE_DONE) {
            fail(db_, "cannot record the observation in the state database " + file_of(db_));
        }
    });
}

std::optional<Observation> StateStore::latest(std::string_view platform, std::string_view setting)
{
    sqlite3_stmt* statement = latest_.get();
    const ResetOnExit reset(statement);
    bind_text(db_, statement, 1, platform);
    bind_text(db_, statement, 2, setting);
    const int rc = sqlite3_step(statement);
    if (rc == SQLITE_DONE) {
        return std::nullopt;
    }
    if (rc != SQLITE_ROW) {
        fail(db_, "cannot read the state database " + file_of(db_));
    }
    Observation observation;
    observation.platform = std::string(platform);
    observation.setting = std::string(setting);
    const auto state = domain::state_from_string(column_text(statement, 0));
    const auto verdict = domain::verdict_from_string(column_text(statement, 1));
    const auto expected = domain::expected_from_string(column_text(statement, 2));
    if (!state || !verdict || !expected) {
        throw StorageError("state database holds a row with an unknown state, verdict or expected");
    }
    observation.state = *state;
    observation.verdict = *verdict;
    observation.expected = *expected;
    observation.url = column_text(statement, 3);
    observation.observed_at = domain::from_unix_ms(sqlite3_column_int64(statement, 4));
    return observation;
}

} // namespace optguard::storage
