#pragma once
// The state database's face for fleet tools (docs/fleet.md): every catalog setting as the host last
// evaluated it, in the table fleet_status, read through the view optguard_fleet_v1. osquery's
// Automatic Table Construction (and `sqlite3 -readonly`) query the view; they never write.
//
// The view is the stable interface: its name carries its version, and a change to its columns
// would be a new view (optguard_fleet_v2) next to this one, never an edit of it. The table behind
// it is the host's own and may change.
//
// The host writes the rows when it evaluates every setting (the browser's `due` after each report,
// `optguard remind`), in one transaction, only when something changed or the last record is an hour
// old, so repeated evaluations cost one read. A row can hold an evaluation "then": what the setting
// will be due for at `due_at` (an interval ending, a snooze ending, a dated policy change), so the
// view says "due" on time even when nothing evaluates in between (the browser closed for weeks).

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "domain/timestamp.hpp"

struct sqlite3;

namespace optguard::storage {

class WriteGate;

inline constexpr const char* fleet_view_name = "optguard_fleet_v1";
// A record that changes nothing is written again once it is this old ("recorded_at" stays fresh
// while the host runs).
inline constexpr std::chrono::hours fleet_refresh_after {1};

struct FleetRow {
    std::string platform;
    std::string setting;
    std::string title;
    bool watch = true;
    std::string expected;                  // "on" / "off"
    std::optional<std::string> state;      // newest report's state
    std::optional<std::string> verdict;    // that state judged against `expected`
    std::optional<std::int64_t> verified_at; // newest report, Unix milliseconds
    bool due = false;                      // at evaluation time
    std::optional<std::string> severity;   // when due
    std::string reasons;                   // when due: reason codes, comma-separated, in rule order
    std::optional<std::int64_t> due_at;    // not due now: when it becomes due, Unix milliseconds
    std::optional<std::string> severity_then; // ... and with which severity
    std::string reasons_then;              // ... and reasons
    std::string catalog_version;

    friend bool operator==(const FleetRow&, const FleetRow&) = default;
};

// Creates the table, its one-row record of when and what was last written, and the view, where
// missing. Runs inside the caller's BEGIN IMMEDIATE (state_store.cpp's schema check).
void create_fleet_objects(sqlite3* db);
// True when all of them exist (a database made by an older host has none).
[[nodiscard]] bool fleet_objects_exist(sqlite3* db);

// Replaces every row with `rows` when they differ from what was last written or that is older than
// fleet_refresh_after; true when it wrote, through `gate` (the database's, StateStore::writes), so
// durable when it returns. Throws StorageError.
bool publish_fleet_rows(sqlite3* db, WriteGate& gate, std::span<const FleetRow> rows,
                        domain::TimePoint now);

} // namespace optguard::storage
