#pragma once
// The SQLite state database: $XDG_STATE_HOME/optguard/state.sqlite3.
//
// WAL, and every write made in turn and synced before it returns (storage/write_gate.hpp), so an
// acknowledged report survives a crash or power loss; a lock wait of busy_timeout_ms so several
// host processes (one per browser profile or window, the CLI, the daily timer) can write at once;
// the schema is created inside BEGIN IMMEDIATE and versioned with PRAGMA user_version. Within one
// process, every store opened on the same file shares one connection.

#include <filesystem>
#include <memory>

#include "storage/observation_store.hpp"
#include "storage/private_directory.hpp"
#include "storage/sqlite_util.hpp" // Statement

struct sqlite3;
struct sqlite3_stmt;

namespace optguard::storage {

// 1: observations. 2: + reminder tables (storage/reminder_store.hpp), migrated in place.
inline constexpr int schema_version = 2;
inline constexpr int busy_timeout_ms = 5000;
inline constexpr const char* database_file_name = "state.sqlite3";
// Beside the database: the writers' turn (storage/write_gate.hpp) and the queue of reports that
// one writer makes for all (os/batch_queue.hpp).
inline constexpr const char* write_lock_suffix = "-writelock";
inline constexpr const char* write_queue_suffix = "-writequeue";

class WriteGate;

class StateStore final : public ObservationStore {
public:
    // Opens (creating if needed) dir/state.sqlite3. Throws StorageError.
    static std::unique_ptr<StateStore> open(const std::filesystem::path& dir);

    ~StateStore() override;

    void record(const Observation& observation) override;
    [[nodiscard]] std::optional<Observation> latest(std::string_view platform,
                                                    std::string_view setting) override;
    // BEGIN (deferred: the first read takes the WAL snapshot) ... COMMIT, statements prepared once.
    void begin_reading() override;
    void end_reading() noexcept override;

    // The open connection, for the reminder records that share this database.
    [[nodiscard]] sqlite3* connection() const noexcept { return db_; }
    // The way every write of this database is made (the reminder records' too).
    [[nodiscard]] WriteGate& writes() const noexcept;

    // The SQLite connection and its busy handler's state, shared by every store of this process
    // that opened the same file (state_store.cpp).
    struct Connection;

private:
    explicit StateStore(std::shared_ptr<Connection> connection);
    static std::shared_ptr<Connection> connect(const std::filesystem::path& file);
    void prepare_statements();

    std::shared_ptr<Connection> connection_;
    sqlite3* db_;
    // Prepared once per process: compiling SQL was most of the cost of `status` (bench figure 5).
    // Declared after db_ so they are finalized before the destructor closes the connection.
    Statement insert_;
    Statement latest_;
    Statement begin_;
    Statement commit_;
};

} // namespace optguard::storage
