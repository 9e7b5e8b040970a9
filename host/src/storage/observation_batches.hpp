#pragma once
// How a batch of queued reports (os/batch_queue.hpp) becomes rows of the state database: one write
// transaction in turn (storage/write_gate.hpp), one sync, and a mark with the batch's number in the
// same transaction, so a combiner that takes over after another died can read whether that batch
// was made.

#include <cstdint>
#include <span>

#include "os/batch_queue.hpp"
#include "storage/sqlite_util.hpp"

struct sqlite3;

namespace optguard::storage {

class WriteGate;

// The table of the mark: one row, the number of the last batch made. Created with the schema.
inline constexpr const char* batch_mark_table_sql
    = "CREATE TABLE IF NOT EXISTS last_batch ("
      " only INTEGER PRIMARY KEY CHECK (only = 1),"
      " batch INTEGER NOT NULL)";

class ObservationBatches final : public os::BatchQueue::Committer {
public:
    // `db` and `gate` outlive this. Throws StorageError.
    ObservationBatches(sqlite3* db, WriteGate& gate);

    void commit(std::uint64_t batch, std::span<os::BatchQueue::Item> items) override;
    bool made(std::uint64_t batch) override;

private:
    sqlite3* db_;
    WriteGate& gate_;
    Statement insert_;
    Statement mark_;
    Statement read_mark_;
};

} // namespace optguard::storage
