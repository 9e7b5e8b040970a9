#include "storage/sqlite_util.hpp"

#include <sqlite3.h>

namespace optguard::storage {

std::string file_of(sqlite3* db)
{
    const char* name = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
    return name != nullptr && *name != '\0' ? std::string(name) : std::string("(unknown file)");
}

void throw_if_damaged(sqlite3* db)
{
    if (db == nullptr) {
        return;
    }
    const int primary = sqlite3_errcode(db) & 0xFF;
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
        const std::string file = file_of(db);
        throw StorageError("state database " + file + " is damaged (" + sqlite3_errmsg(db)
                           + "); OptGuard has not changed it. To start a new history, move it "
                             "away: mv '" + file + "' '" + file + ".damaged'");
    }
}

void fail(sqlite3* db, const std::string& what)
{
    throw_if_damaged(db);
    throw StorageError(what + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

void StatementFinalizer::operator()(sqlite3_stmt* statement) const noexcept
{
    sqlite3_finalize(statement);
}

ResetOnExit::~ResetOnExit()
{
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

Statement prepare(sqlite3* db, const char* sql)
{
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) {
        fail(db, std::string("state database: cannot prepare \"") + sql + "\"");
    }
    return Statement(statement);
}

void bind_text(sqlite3* db, sqlite3_stmt* statement, int index, std::string_view text)
{
    if (sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()),
                          SQLITE_TRANSIENT)
        != SQLITE_OK) {
        fail(db, "state database: cannot bind a value");
    }
}

std::string column_text(sqlite3_stmt* statement, int column)
{
    const unsigned char* text = sqlite3_column_text(statement, column);
    if (text == nullptr) {
        return {};
    }
    return {reinterpret_cast<const char*>(text),
            static_cast<std::size_t>(sqlite3_column_bytes(statement, column))};
}

void exec(sqlite3* db, const char* sql)
{
    char* error = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string message = error != nullptr ? error : sqlite3_errmsg(db);
        sqlite3_free(error);
        throw_if_damaged(db);
        throw StorageError("state database " + file_of(db) + ": " + message + " (in: " + sql
                           + ")");
    }
}

void rollback(sqlite3* db) noexcept { sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr); }

void make_durable(sqlite3* db)
{
    // The connection's own handle on the log (SQLITE_FCNTL_JOURNAL_POINTER): its xSync is
    // fdatasync on Linux, F_FULLFSYNC on macOS and FlushFileBuffers on Windows, as SQLite's own
    // commit would do with synchronous=FULL. A sync of the file covers every write made to it
    // before, whichever process made it; frames a checkpoint moved into the database file were
    // synced there by the checkpoint before the log could be reused.
    sqlite3_file* log = nullptr;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, static_cast<void*>(&log))
            != SQLITE_OK
        || log == nullptr || log->pMethods == nullptr) {
        throw StorageError("state database " + file_of(db)
                           + ": cannot reach its write-ahead log to make a write durable");
    }
    const int rc = log->pMethods->xSync(log, SQLITE_SYNC_NORMAL);
    if (rc != SQLITE_OK) {
        throw StorageError("state database " + file_of(db) + ": cannot sync its write-ahead log ("
                           + sqlite3_errstr(rc) + "); the last change may not survive a power "
                             "loss");
    }
}

} // namespace optguard::storage
