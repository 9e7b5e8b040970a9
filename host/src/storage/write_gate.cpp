#include "storage/write_gate.hpp"

#include <string>

#include <sqlite3.h>

#include "os/process_mutex.hpp"
#include "os/standard_streams.hpp"

namespace optguard::storage {

namespace {

// A checkpoint once the log holds this many pages, about every 100 reports (a report writes ~3
// pages). Each one holds the turn for two syncs (log, database), so a shorter log means shorter,
// more frequent waits; 300 gave the best tail in bench/ figure 3 (SQLite's default is 1 000).
constexpr int checkpoint_pages = 300;

} // namespace

WriteGate::WriteGate(sqlite3* db, const std::filesystem::path& lock_file,
                     std::chrono::milliseconds limit)
    : db_(db)
    , limit_(limit)
{
    auto opened = os::ProcessMutex::open(lock_file);
    mutex_ = std::move(opened.mutex);
    if (!opened.problem.empty()) {
        (void)os::standard_error().write(
            "optguard: " + opened.problem + "; writers of the state database wait by polling instead\n");
    }
    // Passive, like every automatic checkpoint: it never waits for a reader, so it cannot hold the
    // turn hostage, and a failure loses nothing (the log keeps the pages for the next one).
    sqlite3_wal_autocheckpoint(db_, checkpoint_pages);
}

WriteGate::~WriteGate() = default;

WriteGate::Turn::Turn(WriteGate& gate)
    : gate_(gate)
{
    if (!gate_.mutex_) {
        return;
    }
    switch (gate_.mutex_->lock(gate_.limit_)) {
    case os::ProcessMutex::Lock::acquired:
        locked_ = true;
        return;
    case os::ProcessMutex::Lock::timed_out:
        throw StorageError("state database " + file_of(gate_.db_)
                           + ": another OptGuard process is still writing to it after "
                           + std::to_string(gate_.limit_.count() / 1000)
                           + " s; nothing was written, try again");
    case os::ProcessMutex::Lock::unusable:
        (void)os::standard_error().write("optguard: the write lock of the state database "
                                         + file_of(gate_.db_)
                                         + " stopped working; writers wait by polling instead\n");
        gate_.mutex_.reset();
        return;
    }
}

WriteGate::Turn::~Turn()
{
    if (locked_) {
        gate_.mutex_->unlock();
    }
}

} // namespace optguard::storage
