#pragma once
// The SQLite calls every store of the state database repeats, with one wording for their errors.

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "storage/observation_store.hpp" // StorageError

struct sqlite3;
struct sqlite3_stmt;

namespace optguard::storage {

// The database file's name, for messages.
[[nodiscard]] std::string file_of(sqlite3* db);

// After a failed call: a damaged or foreign file throws the StorageError that names it and says how
// to move it away (the host never deletes or repairs it). Otherwise does nothing.
void throw_if_damaged(sqlite3* db);

// Throws StorageError "`what`: SQLite's message" (or the damaged-file error).
[[noreturn]] void fail(sqlite3* db, const std::string& what);

// A prepared statement, finalized when it goes.
struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const noexcept;
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// Leaves a cached statement ready for its next use, whatever happened to this one.
class ResetOnExit {
public:
    explicit ResetOnExit(sqlite3_stmt* statement) noexcept
        : statement_(statement)
    {
    }
    ~ResetOnExit();
    ResetOnExit(const ResetOnExit&) = delete;
    ResetOnExit& operator=(const ResetOnExit&) = delete;
    ResetOnExit(ResetOnExit&&) = delete;
    ResetOnExit& operator=(ResetOnExit&&) = delete;

private:
    sqlite3_stmt* statement_;
};

// Compiles SQL. Throws StorageError naming the statement.
[[nodiscard]] Statement prepare(sqlite3* db, const char* sql);

// Binds text (copied) to a parameter. Throws StorageError.
void bind_text(sqlite3* db, sqlite3_stmt* statement, int index, std::string_view text);

// A text column of the current row; "" for NULL.
[[nodiscard]] std::string column_text(sqlite3_stmt* statement, int column);

// Runs SQL without results. Throws StorageError naming the file and the statement.
void exec(sqlite3* db, const char* sql);

// Ends the open transaction, keeping nothing of it; never throws (there is nothing left to lose).
void rollback(sqlite3* db) noexcept;

// Runs `body` as one write transaction: BEGIN IMMEDIATE (the write lock first, so what `body`
// reads cannot change before it writes), then COMMIT; if anything throws, ROLLBACK and rethrow, so
// nothing of it is kept. Inside WriteGate::write, like every write.
template <class Body> void in_write_transaction(sqlite3* db, Body&& body)
{
    exec(db, "BEGIN IMMEDIATE");
    try {
        std::forward<Body>(body)();
        exec(db, "COMMIT");
    } catch (...) {
        rollback(db);
        throw;
    }
}

// Makes every transaction this connection committed durable: syncs the write-ahead log. The
// connection runs with synchronous=NORMAL, so a commit only writes the log and releases the write
// lock; the sync comes after, outside the lock, where the syncs of several writers overlap and the
// file system serves them with one journal commit. WriteGate::write (storage/write_gate.hpp) calls
// it after every write, before the host answers. Throws StorageError.
void make_durable(sqlite3* db);

} // namespace optguard::storage
