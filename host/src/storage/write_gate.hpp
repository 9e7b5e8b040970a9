#pragma once
// How every write of the state database is made: in turn, checkpointed in turn, then durable.
//
// In turn: the writers of every OptGuard process on this machine queue on one process-shared
// mutex (os/process_mutex.hpp, in the file <database>-writelock) around the write transaction,
// so a waiter sleeps until the writer before it is done and wakes the moment it is, instead of
// polling SQLite's write lock while the holder waits for a CPU. SQLite's own locks still guard
// the data, and its busy handler still waits for writers that do not queue (an older host,
// `sqlite3`, a system without the mutex). Checkpointed in turn: SQLite's automatic checkpoint
// runs in the commit that fills the log past a threshold, so inside the turn, where no other
// writer appends: it can copy the whole log into the database and the next writer starts the log
// over from its beginning. (Run after the turn, with writers always appending, it never reached
// the end: the log grew by every report, and a growing file costs every sync a file-system
// journal commit.) Durable: the log is synced outside the turn (make_durable,
// storage/sqlite_util.hpp), where the syncs of several writers overlap.

#include <chrono>
#include <filesystem>
#include <memory>
#include <utility>

#include "storage/sqlite_util.hpp"

struct sqlite3;

namespace optguard::os {
class ProcessMutex;
}

namespace optguard::storage {

class WriteGate {
public:
    // `lock_file`: the mutex's file. Where there can be none (not Linux) or the file is not one
    // (a message on stderr says why), writers wait through SQLite's busy handler alone.
    WriteGate(sqlite3* db, const std::filesystem::path& lock_file, std::chrono::milliseconds limit);
    ~WriteGate();
    WriteGate(const WriteGate&) = delete;
    WriteGate& operator=(const WriteGate&) = delete;
    WriteGate(WriteGate&&) = delete;
    WriteGate& operator=(WriteGate&&) = delete;

    // Runs `transaction` (one write transaction, or one autocommit statement, with the checkpoint
    // its commit may run) in turn, then makes it durable. Throws StorageError, also when the turn
    // does not come within the limit. Not re-entrant: a write inside `transaction` would wait for
    // its own turn until the limit. The turn belongs to the calling thread, so threads sharing the
    // connection take turns too.
    template <class Transaction> void write(Transaction&& transaction)
    {
        {
            const Turn turn(*this);
            std::forward<Transaction>(transaction)();
        }
        make_durable(db_);
    }

    // Whether writers queue on the mutex (tests and diagnostics).
    [[nodiscard]] bool queues() const noexcept { return mutex_ != nullptr; }

private:
    class Turn {
    public:
        explicit Turn(WriteGate& gate);
        ~Turn();
        Turn(const Turn&) = delete;
        Turn& operator=(const Turn&) = delete;
        Turn(Turn&&) = delete;
        Turn& operator=(Turn&&) = delete;

    private:
        WriteGate& gate_;
        bool locked_ = false;
    };

    sqlite3* db_;
    std::chrono::milliseconds limit_;
    std::unique_ptr<os::ProcessMutex> mutex_;
};

} // namespace optguard::storage
