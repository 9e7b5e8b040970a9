#include "storage/observation_batches.hpp"

#include <string>

#include <sqlite3.h>

#include "storage/observation_rows.hpp"
#include "storage/write_gate.hpp"

namespace optguard::storage {

namespace {

// SQLite stores integers signed; batch numbers use all 64 bits.
sqlite3_int64 as_column(std::uint64_t batch) noexcept { return static_cast<sqlite3_int64>(batch); }

} // namespace

ObservationBatches::ObservationBatches(sqlite3* db, WriteGate& gate)
    : db_(db)
    , gate_(gate)
    , insert_(prepare(db, insert_observation_sql))
    , mark_(prepare(db, "INSERT INTO last_batch (only, batch) VALUES (1, ?1)"
                        " ON CONFLICT (only) DO UPDATE SET batch = excluded.batch"))
    , read_mark_(prepare(db, "SELECT batch FROM last_batch WHERE only = 1"))
{
}

void ObservationBatches::commit(std::uint64_t batch, std::span<os::BatchQueue::Item> items)
{
    sqlite3_stmt* insert = insert_.get();
    sqlite3_stmt* mark = mark_.get();
    gate_.write([&] {
        in_write_transaction(db_, [&] {
            for (auto& item : items) {
                const auto observation = decode_observation(item.payload);
                if (!observation) {
                    item.error = "state database: a queued report was not readable";
                    continue;
                }
                const ResetOnExit reset(insert);
                bind_observation(db_, insert, *observation);
                if (sqlite3_step(insert) != SQLITE_DONE) {
                    // A failed INSERT undoes only itself, unless SQLite had to end the whole
                    // transaction (a full disk, an I/O error): then the batch fails as one.
                    if (sqlite3_get_autocommit(db_) != 0) {
                        fail(db_, "cannot record the observation in the state database "
                                      + file_of(db_));
                    }
                    item.error = "cannot record the observation in the state database "
                        + file_of(db_) + ": " + sqlite3_errmsg(db_);
                }
            }
            if (batch == 0) {
                return; // one report, of the process making it: nothing to mark
            }
            const ResetOnExit reset(mark);
            if (sqlite3_bind_int64(mark, 1, as_column(batch)) != SQLITE_OK
                || sqlite3_step(mark) != SQLITE_DONE) {
                fail(db_, "cannot mark a batch of reports in the state database " + file_of(db_));
            }
        });
    });
}

bool ObservationBatches::made(std::uint64_t batch)
{
    sqlite3_stmt* read = read_mark_.get();
    bool found = false;
    {
        const ResetOnExit reset(read);
        const int rc = sqlite3_step(read);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            fail(db_, "cannot read the state database " + file_of(db_));
        }
        found = rc == SQLITE_ROW && sqlite3_column_int64(read, 0) == as_column(batch);
    }
    if (found) {
        make_durable(db_); // it may have died before its sync
    }
    return found;
}

} // namespace optguard::storage
