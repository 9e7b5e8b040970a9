#include "storage/write_gate.hpp"

#include <iostream>
#include <string>

#include <sqlite3.h>

#include "os/process_mutex.hpp"
#include "storage/sqlite_util.hpp"

namespace optguard::storage {

namespace {

// SQLite's own threshold (SQLITE_DEFAULT_WAL_AUTOCHECKPOINT): a checkpoint once the log holds
// this many pages, about every 300 reports.
constexpr int checkpoint_pages = 1000;

} // namespace

WriteGate::WriteGate(sqlite3* db, const std::filesystem::path& lock_file,
                     std::chrono::milliseconds limit)
    : db_(db)
    , limit_(limit)
{
    auto opened = os::ProcessMutex::open(lock_file);
    mutex_ = std::move(opened.mutex);
    if (!opened.problem.empty()) {
        std::cerr << "optguard: " << opened.problem
                  << "; writers of the state database wait by polling instead\n";
    }
    // Replaces SQLite's automatic checkpoint, which would run inside the turn.
    sqlite3_wal_hook(db_, &WriteGate::on_commit, this);
}

WriteGate::~WriteGate() { sqlite3_wal_hook(db_, nullptr, nullptr); }

int WriteGate::on_commit(void* gate, sqlite3* /*db*/, const char* /*schema*/,
                         int log_pages) noexcept
{
    if (log_pages >= checkpoint_pages) {
        static_cast<WriteGate*>(gate)->checkpoint_due_ = true;
    }
    return SQLITE_OK;
}

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
        std::cerr << "optguard: the write lock of the state database " << file_of(gate_.db_)
                  << " stopped working; writers wait by polling instead\n";
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

void WriteGate::after_write()
{
    make_durable(db_);
    if (checkpoint_due_) {
        checkpoint_due_ = false;
        // Passive: copies what no reader needs and never waits. Like SQLite's automatic checkpoint,
        // a failure loses nothing (the log keeps the pages, the next one tries again).
        sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
}

} // namespace optguard::storage
