#include "storage/fleet_table.hpp"

#include <memory>
#include <string>

#include <sqlite3.h>

#include "storage/sqlite_util.hpp"
#include "storage/write_gate.hpp"

namespace optguard::storage {

namespace {

void bind(sqlite3* db, sqlite3_stmt* statement, int index, const std::optional<std::string>& text)
{
    if (text) {
        bind_text(db, statement, index, *text);
    } else if (sqlite3_bind_null(statement, index) != SQLITE_OK) {
        fail(db, "state database: cannot bind a value");
    }
}

void bind(sqlite3* db, sqlite3_stmt* statement, int index, std::optional<std::int64_t> number)
{
    const int rc = number ? sqlite3_bind_int64(statement, index, *number)
                          : sqlite3_bind_null(statement, index);
    if (rc != SQLITE_OK) {
        fail(db, "state database: cannot bind a value");
    }
}

// The table behind the view: the host's own, free to change (the view is the interface).
constexpr const char* table_sql
    = "CREATE TABLE IF NOT EXISTS fleet_status ("
      " position INTEGER NOT NULL," // catalog order
      " platform TEXT NOT NULL,"
      " setting TEXT NOT NULL,"
      " title TEXT NOT NULL,"
      " watch INTEGER NOT NULL CHECK (watch IN (0, 1)),"
      " expected TEXT NOT NULL CHECK (expected IN ('on', 'off')),"
      " state TEXT CHECK (state IN ('on', 'off', 'unknown')),"
      " verdict TEXT CHECK (verdict IN ('compliant', 'violation', 'unknown')),"
      " verified_at INTEGER,"
      " due INTEGER NOT NULL CHECK (due IN (0, 1)),"
      " severity TEXT,"
      " reasons TEXT NOT NULL,"
      " due_at INTEGER,"
      " severity_then TEXT,"
      " reasons_then TEXT NOT NULL,"
      " catalog_version TEXT NOT NULL,"
      " PRIMARY KEY (platform, setting))";

// What was last written and when: one row.
constexpr const char* record_sql
    = "CREATE TABLE IF NOT EXISTS fleet_status_record ("
      " id INTEGER PRIMARY KEY CHECK (id = 1),"
      " fingerprint TEXT NOT NULL,"
      " recorded_at INTEGER NOT NULL)";

// The interface (docs/fleet.md). Only core SQL functions, so any SQLite (osquery's, the sqlite3
// tool's) reads it; times as the host writes them on the wire (UTC, ISO 8601, milliseconds), built
// from integers so nothing is rounded. `due` is decided when the view is read: a row due at a later
// moment (`due_at`) is due from then on with the reasons the host evaluated for that moment.
constexpr const char* view_sql
    = "CREATE VIEW IF NOT EXISTS optguard_fleet_v1 AS"
      " WITH now (ms) AS (SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER))"
      " SELECT"
      "  f.platform AS platform,"
      "  f.setting AS setting,"
      "  f.title AS title,"
      "  f.watch AS watch,"
      "  f.expected AS expected,"
      "  f.state AS state,"
      "  f.verdict AS verdict,"
      "  CASE WHEN f.verified_at IS NULL THEN NULL"
      "   ELSE strftime('%Y-%m-%dT%H:%M:%S', f.verified_at / 1000, 'unixepoch')"
      "    || printf('.%03dZ', f.verified_at % 1000) END AS verified_at,"
      "  CASE WHEN f.due = 1 OR f.due_at <= now.ms THEN 1 ELSE 0 END AS due,"
      "  CASE WHEN f.due = 1 THEN f.severity WHEN f.due_at <= now.ms THEN f.severity_then"
      "   END AS severity,"
      "  CASE WHEN f.due = 1 THEN f.reasons WHEN f.due_at <= now.ms THEN f.reasons_then"
      "   ELSE '' END AS reasons,"
      "  f.catalog_version AS catalog_version,"
      "  (SELECT strftime('%Y-%m-%dT%H:%M:%S', r.recorded_at / 1000, 'unixepoch')"
      "    || printf('.%03dZ', r.recorded_at % 1000) FROM fleet_status_record AS r)"
      "   AS recorded_at"
      " FROM fleet_status AS f, now"
      " ORDER BY f.position";

// FNV-1a over every field, with separators: a change in any row changes it.
std::string fingerprint(std::span<const FleetRow> rows)
{
    std::uint64_t hash = 14695981039346656037ULL;
    const auto add = [&hash](std::string_view text) {
        for (const char c : text) {
            hash ^= static_cast<unsigned char>(c);
            hash *= 1099511628211ULL;
        }
        hash ^= 0x1FU; // field separator
        hash *= 1099511628211ULL;
    };
    const auto add_optional = [&add](const auto& value, auto to_text) {
        // Appended, not `"1" + text`: GCC 12's -O3 -Wrestrict false positive (PR 105329).
        std::string text(value ? "1" : "0");
        if (value) {
            text.append(to_text(*value));
        }
        add(text);
    };
    const auto same = [](const std::string& text) { return text; };
    const auto number = [](std::int64_t value) { return std::to_string(value); };
    for (const auto& row : rows) {
        add(row.platform);
        add(row.setting);
        add(row.title);
        add(row.watch ? "1" : "0");
        add(row.expected);
        add_optional(row.state, same);
        add_optional(row.verdict, same);
        add_optional(row.verified_at, number);
        add(row.due ? "1" : "0");
        add_optional(row.severity, same);
        add(row.reasons);
        add_optional(row.due_at, number);
        add_optional(row.severity_then, same);
        add(row.reasons_then);
        add(row.catalog_version);
    }
    constexpr const char* digits = "0123456789abcdef";
    std::string text(16, '0');
    for (std::size_t i = 0; i < text.size(); ++i) {
        text[text.size() - 1 - i] = digits[(hash >> (4 * i)) & 0xFU];
    }
    return text;
}

// True when the last record has this fingerprint and is younger than fleet_refresh_after.
bool unchanged(sqlite3* db, const std::string& print, std::int64_t now_ms)
{
    const Statement statement
        = prepare(db, "SELECT fingerprint, recorded_at FROM fleet_status_record WHERE id = 1");
    const int rc = sqlite3_step(statement.get());
    if (rc == SQLITE_DONE) {
        return false;
    }
    if (rc != SQLITE_ROW) {
        fail(db, "state database: cannot read the fleet record");
    }
    const auto* stored = reinterpret_cast<const char*>(sqlite3_column_text(statement.get(), 0));
    const std::int64_t recorded_at = sqlite3_column_int64(statement.get(), 1);
    const auto refresh_ms
        = std::chrono::duration_cast<std::chrono::milliseconds>(fleet_refresh_after).count();
    return stored != nullptr && print == stored && now_ms - recorded_at < refresh_ms
        && now_ms >= recorded_at;
}

void insert_rows(sqlite3* db, std::span<const FleetRow> rows)
{
    const Statement insert = prepare(
        db, "INSERT INTO fleet_status (position, platform, setting, title, watch, expected, state,"
            " verdict, verified_at, due, severity, reasons, due_at, severity_then, reasons_then,"
            " catalog_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
            " ?15, ?16)");
    sqlite3_stmt* statement = insert.get();
    std::int64_t position = 0;
    for (const auto& row : rows) {
        bind(db, statement, 1, std::optional<std::int64_t>(position++));
        bind_text(db, statement, 2, row.platform);
        bind_text(db, statement, 3, row.setting);
        bind_text(db, statement, 4, row.title);
        bind(db, statement, 5, std::optional<std::int64_t>(row.watch ? 1 : 0));
        bind_text(db, statement, 6, row.expected);
        bind(db, statement, 7, row.state);
        bind(db, statement, 8, row.verdict);
        bind(db, statement, 9, row.verified_at);
        bind(db, statement, 10, std::optional<std::int64_t>(row.due ? 1 : 0));
        bind(db, statement, 11, row.severity);
        bind_text(db, statement, 12, row.reasons);
        bind(db, statement, 13, row.due_at);
        bind(db, statement, 14, row.severity_then);
        bind_text(db, statement, 15, row.reasons_then);
        bind_text(db, statement, 16, row.catalog_version);
        if (sqlite3_step(statement) != SQLITE_DONE) {
            fail(db, "state database: cannot record the fleet status of " + row.platform + "/"
                         + row.setting);
        }
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
    }
}

} // namespace

void create_fleet_objects(sqlite3* db)
{
    exec(db, table_sql);
    exec(db, record_sql);
    exec(db, view_sql);
}

bool fleet_objects_exist(sqlite3* db)
{
    const Statement statement = prepare(
        db, "SELECT count(*) FROM sqlite_master WHERE (type = 'table' AND name IN"
            " ('fleet_status', 'fleet_status_record')) OR (type = 'view' AND name = "
            "'optguard_fleet_v1')");
    if (sqlite3_step(statement.get()) != SQLITE_ROW) {
        fail(db, "state database: cannot read the schema");
    }
    return sqlite3_column_int(statement.get(), 0) == 3;
}

bool publish_fleet_rows(sqlite3* db, WriteGate& gate, std::span<const FleetRow> rows,
                        domain::TimePoint now)
{
    const std::string print = fingerprint(rows);
    const std::int64_t now_ms = domain::to_unix_ms(now);
    // Read first, without the write lock: the usual case (nothing changed) writes nothing.
    if (unchanged(db, print, now_ms)) {
        return false;
    }
    gate.write([&] {
        in_write_transaction(db, [&] {
            exec(db, "DELETE FROM fleet_status");
            insert_rows(db, rows);
            const Statement record = prepare(
                db, "INSERT OR REPLACE INTO fleet_status_record (id, fingerprint, recorded_at)"
                    " VALUES (1, ?1, ?2)");
            bind_text(db, record.get(), 1, print);
            bind(db, record.get(), 2, std::optional<std::int64_t>(now_ms));
            if (sqlite3_step(record.get()) != SQLITE_DONE) {
                fail(db, "state database: cannot record the fleet status");
            }
        });
    });
    return true;
}

} // namespace optguard::storage
