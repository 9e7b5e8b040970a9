// Every write of the state database is durable when it returns: the connection commits with
// synchronous=NORMAL (the write lock is not held across a sync), so each store must sync the
// write-ahead log itself before answering. A SQLite VFS that wraps the default one watches the log:
// after each write returns, no byte written to the log may be waiting for a sync. And the stores a
// process opens on the same file share one connection.
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include <sqlite3.h>

#include "storage/reminder_store.hpp"
#include "storage/state_store.hpp"
#include "test_support.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using domain::from_unix_ms;
using test::TempDir;

namespace {

// What the watched files saw. One test at a time (doctest runs test cases one after another).
struct LogWatch {
    int log_writes = 0;
    int log_syncs = 0;
    bool unsynced = false; // a log write since the last sync of the log
};
LogWatch watch;

sqlite3_vfs* real_vfs = nullptr;

// A file of the wrapping VFS: our header, then the real VFS's file.
struct WatchedFile {
    sqlite3_file base;
    bool is_log;
    sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

WatchedFile* watched(sqlite3_file* file) { return reinterpret_cast<WatchedFile*>(file); }

int watch_close(sqlite3_file* f) { return watched(f)->real()->pMethods->xClose(watched(f)->real()); }
int watch_read(sqlite3_file* f, void* out, int n, sqlite3_int64 at)
{
    return watched(f)->real()->pMethods->xRead(watched(f)->real(), out, n, at);
}
int watch_write(sqlite3_file* f, const void* in, int n, sqlite3_int64 at)
{
    if (watched(f)->is_log) {
        ++watch.log_writes;
        watch.unsynced = true;
    }
    return watched(f)->real()->pMethods->xWrite(watched(f)->real(), in, n, at);
}
int watch_truncate(sqlite3_file* f, sqlite3_int64 size)
{
    return watched(f)->real()->pMethods->xTruncate(watched(f)->real(), size);
}
int watch_sync(sqlite3_file* f, int flags)
{
    const int rc = watched(f)->real()->pMethods->xSync(watched(f)->real(), flags);
    if (watched(f)->is_log && rc == SQLITE_OK) {
        ++watch.log_syncs;
        watch.unsynced = false;
    }
    return rc;
}
int watch_size(sqlite3_file* f, sqlite3_int64* size)
{
    return watched(f)->real()->pMethods->xFileSize(watched(f)->real(), size);
}
int watch_lock(sqlite3_file* f, int level) { return watched(f)->real()->pMethods->xLock(watched(f)->real(), level); }
int watch_unlock(sqlite3_file* f, int level)
{
    return watched(f)->real()->pMethods->xUnlock(watched(f)->real(), level);
}
int watch_check_lock(sqlite3_file* f, int* out)
{
    return watched(f)->real()->pMethods->xCheckReservedLock(watched(f)->real(), out);
}
int watch_control(sqlite3_file* f, int op, void* arg)
{
    return watched(f)->real()->pMethods->xFileControl(watched(f)->real(), op, arg);
}
int watch_sector(sqlite3_file* f) { return watched(f)->real()->pMethods->xSectorSize(watched(f)->real()); }
int watch_characteristics(sqlite3_file* f)
{
    return watched(f)->real()->pMethods->xDeviceCharacteristics(watched(f)->real());
}
int watch_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out)
{
    return watched(f)->real()->pMethods->xShmMap(watched(f)->real(), region, size, extend, out);
}
int watch_shm_lock(sqlite3_file* f, int offset, int n, int flags)
{
    return watched(f)->real()->pMethods->xShmLock(watched(f)->real(), offset, n, flags);
}
void watch_shm_barrier(sqlite3_file* f) { watched(f)->real()->pMethods->xShmBarrier(watched(f)->real()); }
int watch_shm_unmap(sqlite3_file* f, int remove)
{
    return watched(f)->real()->pMethods->xShmUnmap(watched(f)->real(), remove);
}
int watch_fetch(sqlite3_file* f, sqlite3_int64 at, int n, void** out)
{
    return watched(f)->real()->pMethods->xFetch(watched(f)->real(), at, n, out);
}
int watch_unfetch(sqlite3_file* f, sqlite3_int64 at, void* page)
{
    return watched(f)->real()->pMethods->xUnfetch(watched(f)->real(), at, page);
}

const sqlite3_io_methods watch_methods = {
    3, watch_close, watch_read, watch_write, watch_truncate, watch_sync, watch_size, watch_lock,
    watch_unlock, watch_check_lock, watch_control, watch_sector, watch_characteristics,
    watch_shm_map, watch_shm_lock, watch_shm_barrier, watch_shm_unmap, watch_fetch, watch_unfetch,
};

int watch_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags)
{
    (void)vfs;
    auto* mine = watched(file);
    mine->base.pMethods = nullptr;
    mine->is_log = (flags & SQLITE_OPEN_WAL) != 0;
    const int rc = real_vfs->xOpen(real_vfs, name, mine->real(), flags, out_flags);
    if (rc == SQLITE_OK) {
        mine->base.pMethods = &watch_methods;
    }
    return rc;
}

// Installs the watching VFS as the default for the test's lifetime.
class WatchingVfs {
public:
    WatchingVfs()
    {
        real_vfs = sqlite3_vfs_find(nullptr);
        REQUIRE(real_vfs != nullptr);
        vfs_ = *real_vfs;
        vfs_.zName = "optguard-watch";
        vfs_.szOsFile = static_cast<int>(sizeof(WatchedFile)) + real_vfs->szOsFile;
        vfs_.xOpen = watch_open;
        vfs_.pNext = nullptr;
        REQUIRE(sqlite3_vfs_register(&vfs_, 1) == SQLITE_OK);
        watch = {};
    }
    ~WatchingVfs()
    {
        sqlite3_vfs_unregister(&vfs_);
        sqlite3_vfs_register(real_vfs, 1);
    }
    WatchingVfs(const WatchingVfs&) = delete;
    WatchingVfs& operator=(const WatchingVfs&) = delete;
    WatchingVfs(WatchingVfs&&) = delete;
    WatchingVfs& operator=(WatchingVfs&&) = delete;

private:
    sqlite3_vfs vfs_ {};
};

storage::Observation observation(std::int64_t ms)
{
    storage::Observation row;
    row.platform = "linkedin";
    row.setting = "generative-ai-training";
    row.state = domain::State::off;
    row.verdict = domain::Verdict::compliant;
    row.expected = domain::Expected::off;
    row.url = "https://www.linkedin.com/x";
    row.observed_at = from_unix_ms(ms);
    return row;
}

// The write reached the log, and the log was synced after it, before the call returned.
void check_durable(int writes_before, int syncs_before)
{
    CHECK(watch.log_writes > writes_before);
    CHECK(watch.log_syncs > syncs_before);
    CHECK_FALSE(watch.unsynced);
}

} // namespace

TEST_CASE("every write is synced to the write-ahead log before it returns")
{
    const TempDir dir;
    const WatchingVfs vfs;
    auto observations = storage::StateStore::open(dir.path() / "s");
    auto reminders = storage::SqliteReminderStore::open(dir.path() / "s");
    const std::string_view p = "linkedin";
    const std::string_view s = "generative-ai-training";

    for (int i = 0; i < 3; ++i) {
        const int writes = watch.log_writes;
        const int syncs = watch.log_syncs;
        observations->record(observation(1000 + i));
        check_durable(writes, syncs);
    }
    int writes = watch.log_writes;
    int syncs = watch.log_syncs;
    reminders->set_snooze(p, s, domain::Snooze {from_unix_ms(1), from_unix_ms(2)});
    check_durable(writes, syncs);
    writes = watch.log_writes;
    syncs = watch.log_syncs;
    reminders->acknowledge(p, s, from_unix_ms(3));
    check_durable(writes, syncs);
    writes = watch.log_writes;
    syncs = watch.log_syncs;
    reminders->record_filed(p, s, "2026-11-30", from_unix_ms(4));
    check_durable(writes, syncs);
    writes = watch.log_writes;
    syncs = watch.log_syncs;
    reminders->record_notified(p, s, storage::Channel::browser, from_unix_ms(5));
    check_durable(writes, syncs);
    writes = watch.log_writes;
    syncs = watch.log_syncs;
    std::vector<storage::FleetRow> rows(1);
    rows[0].platform = std::string(p);
    rows[0].setting = std::string(s);
    rows[0].title = "Generative AI training";
    rows[0].expected = "off";
    CHECK(reminders->publish_status(rows, from_unix_ms(6)));
    check_durable(writes, syncs);
}

TEST_CASE("the stores a process opens on one file share one connection")
{
    const TempDir dir;
    auto first = storage::StateStore::open(dir.path() / "s");
    auto second = storage::StateStore::open(dir.path() / "s");
    CHECK(first->connection() == second->connection());

    // The connection lives as long as any store that uses it.
    first.reset();
    second->record(observation(1000));
    CHECK(second->latest("linkedin", "generative-ai-training"));

    // Another file, another connection.
    auto other = storage::StateStore::open(dir.path() / "t");
    CHECK(other->connection() != second->connection());
}

} // namespace OPTGUARD_TEST_FILE
