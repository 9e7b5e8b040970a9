#include "storage/reminder_store.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include <sqlite3.h>

#include "storage/sqlite_util.hpp"
#include "storage/state_store.hpp"
#include "storage/write_gate.hpp"

namespace optguard::storage {

// A setting's records, looked up by (platform, setting) views without making strings. Named, not
// anonymous: SqliteReminderStore::ScopeCache holds them.
namespace per_setting {

struct Key {
    std::string platform;
    std::string setting;
};
struct Less {
    using is_transparent = void;
    using View = std::pair<std::string_view, std::string_view>;
    static View view(const Key& key) noexcept { return {key.platform, key.setting}; }
    static View view(const View& key) noexcept { return key; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const noexcept
    {
        return view(a) < view(b);
    }
};
template <typename T>
using Map = std::map<Key, T, Less>;

} // namespace per_setting

namespace {

using domain::TimePoint;

// One statement, stepped to completion in one scope. Throws StorageError naming what failed.
class Query {
public:
    Query(sqlite3* db, const char* sql)
        : db_(db)
        , statement_(prepare(db, sql).release())
        , owned_(true)
    {
    }
    // A statement prepared once and kept by the store: reset for its next use, not finalized.
    Query(sqlite3* db, sqlite3_stmt* cached)
        : db_(db)
        , statement_(cached)
        , owned_(false)
    {
    }
    ~Query()
    {
        if (owned_) {
            sqlite3_finalize(statement_);
        } else {
            sqlite3_reset(statement_);
            sqlite3_clear_bindings(statement_);
        }
    }
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;
    Query(Query&&) = delete;
    Query& operator=(Query&&) = delete;

    Query& text(int index, std::string_view value)
    {
        bind_text(db_, statement_, index, value);
        return *this;
    }
    Query& time(int index, TimePoint value)
    {
        if (sqlite3_bind_int64(statement_, index, domain::to_unix_ms(value)) != SQLITE_OK) {
            fail("cannot bind a value");
        }
        return *this;
    }
    // True while there is a row.
    bool step()
    {
        const int rc = sqlite3_step(statement_);
        if (rc == SQLITE_ROW) {
            return true;
        }
        if (rc != SQLITE_DONE) {
            fail("cannot read or write the reminder records");
        }
        return false;
    }
    void run()
    {
        if (step()) {
            fail("a write returned rows");
        }
    }
    [[nodiscard]] std::string column_text(int column) const
    {
        return storage::column_text(statement_, column);
    }
    [[nodiscard]] TimePoint column_time(int column) const
    {
        return domain::from_unix_ms(sqlite3_column_int64(statement_, column));
    }
    [[nodiscard]] bool column_null(int column) const
    {
        return sqlite3_column_type(statement_, column) == SQLITE_NULL;
    }

private:
    [[noreturn]] void fail(const std::string& what) const
    {
        throw StorageError("state database: " + what + ": " + sqlite3_errmsg(db_));
    }
    sqlite3* db_;
    sqlite3_stmt* statement_;
    bool owned_;
};

using Read = SqliteReminderStore::Read;

const char* read_sql(Read which)
{
    switch (which) {
    case Read::latest_readable:
        return "SELECT platform, setting, state, verdict, expected, url, observed_at"
               " FROM observations WHERE platform = ?1 AND setting = ?2"
               " AND state IN ('on', 'off') ORDER BY observed_at DESC, id DESC LIMIT 1";
    case Read::last_compliant:
        // One seek in observations_by_setting_verdict_time (state_store.cpp).
        return "SELECT max(observed_at) FROM observations WHERE platform = ?1"
               " AND setting = ?2 AND verdict = 'compliant' AND observed_at < ?3";
    case Read::snooze:
        return "SELECT set_at, until FROM snoozes WHERE platform = ?1 AND setting = ?2";
    case Read::acknowledged:
        return "SELECT max(acknowledged_at) FROM acknowledgements"
               " WHERE platform = ?1 AND setting = ?2";
    case Read::filed:
        return "SELECT max(filed_on) FROM filed_forms WHERE platform = ?1 AND setting = ?2";
    case Read::notified:
        return "SELECT max(shown_at) FROM notifications"
               " WHERE platform = ?1 AND setting = ?2 AND channel = ?3";
    case Read::all_snoozes:
        return "SELECT platform, setting, set_at, until FROM snoozes";
    case Read::all_acknowledged:
        return "SELECT platform, setting, max(acknowledged_at) FROM acknowledgements"
               " GROUP BY platform, setting";
    case Read::all_filed:
        return "SELECT platform, setting, max(filed_on) FROM filed_forms GROUP BY platform, setting";
    case Read::count:
        break;
    }
    return "";
}

Observation read_observation(const Query& query, int first_column)
{
    Observation observation;
    observation.platform = query.column_text(first_column);
    observation.setting = query.column_text(first_column + 1);
    const auto state = domain::state_from_string(query.column_text(first_column + 2));
    const auto verdict = domain::verdict_from_string(query.column_text(first_column + 3));
    const auto expected = domain::expected_from_string(query.column_text(first_column + 4));
    if (!state || !verdict || !expected) {
        throw StorageError("state database holds a row with an unknown state, verdict or expected");
    }
    observation.state = *state;
    observation.verdict = *verdict;
    observation.expected = *expected;
    observation.url = query.column_text(first_column + 5);
    observation.observed_at = query.column_time(first_column + 6);
    return observation;
}

std::optional<TimePoint> single_time(sqlite3* db, sqlite3_stmt* statement,
                                     std::string_view platform, std::string_view setting)
{
    Query query(db, statement);
    query.text(1, platform).text(2, setting);
    if (!query.step() || query.column_null(0)) {
        return std::nullopt;
    }
    return query.column_time(0);
}

template <typename T>
std::optional<T> found(const per_setting::Map<T>& records, std::string_view platform,
                       std::string_view setting)
{
    const auto it = records.find(per_setting::Less::View(platform, setting));
    return it == records.end() ? std::nullopt : std::optional<T>(it->second);
}

// A whole-table read kept in `slot`, made on first use: every row (platform, setting, value...)
// by `value_of(query)`.
template <typename T, typename ValueOf>
const per_setting::Map<T>& read_once(std::optional<per_setting::Map<T>>& slot, sqlite3* db,
                                     sqlite3_stmt* statement, ValueOf value_of)
{
    if (!slot) {
        per_setting::Map<T> records;
        Query query(db, statement);
        while (query.step()) {
            records.insert_or_assign(per_setting::Key {query.column_text(0), query.column_text(1)},
                                     value_of(query));
        }
        slot = std::move(records);
    }
    return *slot;
}

} // namespace

struct SqliteReminderStore::ScopeCache {
    std::optional<per_setting::Map<domain::Snooze>> snoozes;
    std::optional<per_setting::Map<TimePoint>> acknowledged;
    std::optional<per_setting::Map<std::string>> filed;
    per_setting::Map<std::optional<Observation>> latest; // also "no report", once asked
};

void create_reminder_tables(sqlite3* db)
{
    // One row per setting: a new snooze replaces the old one.
    exec(db, "CREATE TABLE snoozes ("
             " platform TEXT NOT NULL,"
             " setting TEXT NOT NULL,"
             " set_at INTEGER NOT NULL,"
             " until INTEGER NOT NULL,"
             " PRIMARY KEY (platform, setting))");
    // Histories: kept, so the user's record shows what was acknowledged and filed when.
    exec(db, "CREATE TABLE acknowledgements ("
             " id INTEGER PRIMARY KEY,"
             " platform TEXT NOT NULL,"
             " setting TEXT NOT NULL,"
             " acknowledged_at INTEGER NOT NULL)");
    exec(db, "CREATE INDEX acknowledgements_by_setting"
             " ON acknowledgements (platform, setting, acknowledged_at)");
    exec(db, "CREATE TABLE filed_forms ("
             " id INTEGER PRIMARY KEY,"
             " platform TEXT NOT NULL,"
             " setting TEXT NOT NULL,"
             " filed_on TEXT NOT NULL"
             "  CHECK (filed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
             " recorded_at INTEGER NOT NULL)");
    exec(db, "CREATE INDEX filed_forms_by_setting ON filed_forms (platform, setting, filed_on)");
    exec(db, "CREATE TABLE notifications ("
             " id INTEGER PRIMARY KEY,"
             " platform TEXT NOT NULL,"
             " setting TEXT NOT NULL,"
             " channel TEXT NOT NULL CHECK (channel IN ('desktop', 'browser')),"
             " shown_at INTEGER NOT NULL)");
    exec(db, "CREATE INDEX notifications_by_setting"
             " ON notifications (platform, setting, channel, shown_at)");
}

std::string_view to_string(Channel channel) noexcept
{
    return channel == Channel::desktop ? "desktop" : "browser";
}

std::unique_ptr<SqliteReminderStore> SqliteReminderStore::open(const std::filesystem::path& dir)
{
    return std::unique_ptr<SqliteReminderStore>(new SqliteReminderStore(StateStore::open(dir)));
}

SqliteReminderStore::SqliteReminderStore(std::unique_ptr<StateStore> state)
    : state_(std::move(state))
    , db_(state_->connection())
{
}

SqliteReminderStore::~SqliteReminderStore()
{
    // Before state_ closes the connection.
    for (sqlite3_stmt* statement : statements_) {
        sqlite3_finalize(statement);
    }
}

sqlite3_stmt* SqliteReminderStore::statement(Read which)
{
    sqlite3_stmt*& slot = statements_.at(static_cast<std::size_t>(which));
    if (slot == nullptr) {
        slot = prepare(db_, read_sql(which)).release();
    }
    return slot;
}

void SqliteReminderStore::begin_reading()
{
    state_->begin_reading();
    scope_ = std::make_unique<ScopeCache>();
}

void SqliteReminderStore::end_reading() noexcept
{
    scope_.reset();
    state_->end_reading();
}

std::optional<Observation> SqliteReminderStore::latest(std::string_view platform,
                                                       std::string_view setting)
{
    if (!scope_) {
        return state_->latest(platform, setting);
    }
    auto it = scope_->latest.find(per_setting::Less::View(platform, setting));
    if (it == scope_->latest.end()) {
        it = scope_->latest
                 .emplace(per_setting::Key {std::string(platform), std::string(setting)},
                          state_->latest(platform, setting))
                 .first;
    }
    return it->second;
}

std::optional<Observation> SqliteReminderStore::latest_readable(std::string_view platform,
                                                                std::string_view setting)
{
    if (scope_) {
        // No report at all, or a newest one that is readable, answers without a query.
        const auto it = scope_->latest.find(per_setting::Less::View(platform, setting));
        if (it != scope_->latest.end()
            && (!it->second || it->second->state != domain::State::unknown)) {
            return it->second;
        }
    }
    Query query(db_, statement(Read::latest_readable));
    query.text(1, platform).text(2, setting);
    if (!query.step()) {
        return std::nullopt;
    }
    return read_observation(query, 0);
}

std::optional<TimePoint> SqliteReminderStore::last_compliant_before(std::string_view platform,
                                                                    std::string_view setting,
                                                                    TimePoint before)
{
    Query query(db_, statement(Read::last_compliant));
    query.text(1, platform).text(2, setting).time(3, before);
    if (!query.step() || query.column_null(0)) {
        return std::nullopt;
    }
    return query.column_time(0);
}

std::optional<domain::Snooze> SqliteReminderStore::snooze(std::string_view platform,
                                                          std::string_view setting)
{
    if (scope_) {
        const auto& snoozes = read_once(scope_->snoozes, db_, statement(Read::all_snoozes),
                                        [](const Query& row) {
                                            return domain::Snooze {row.column_time(2),
                                                                   row.column_time(3)};
                                        });
        return found(snoozes, platform, setting);
    }
    Query query(db_, statement(Read::snooze));
    query.text(1, platform).text(2, setting);
    if (!query.step()) {
        return std::nullopt;
    }
    return domain::Snooze {query.column_time(0), query.column_time(1)};
}

void SqliteReminderStore::set_snooze(std::string_view platform, std::string_view setting,
                                     const domain::Snooze& snooze)
{
    Query query(db_, "INSERT OR REPLACE INTO snoozes (platform, setting, set_at, until)"
                     " VALUES (?1, ?2, ?3, ?4)");
    query.text(1, platform).text(2, setting).time(3, snooze.set_at).time(4, snooze.until);
    state_->writes().write([&query] { query.run(); });
    if (scope_) {
        scope_->snoozes.reset();
    }
}

std::optional<TimePoint> SqliteReminderStore::acknowledged_at(std::string_view platform,
                                                              std::string_view setting)
{
    if (scope_) {
        return found(read_once(scope_->acknowledged, db_, statement(Read::all_acknowledged),
                               [](const Query& row) { return row.column_time(2); }),
                     platform, setting);
    }
    return single_time(db_, statement(Read::acknowledged), platform, setting);
}

void SqliteReminderStore::acknowledge(std::string_view platform, std::string_view setting,
                                      TimePoint at)
{
    Query query(db_, "INSERT INTO acknowledgements (platform, setting, acknowledged_at)"
                     " VALUES (?1, ?2, ?3)");
    query.text(1, platform).text(2, setting).time(3, at);
    state_->writes().write([&query] { query.run(); });
    if (scope_) {
        scope_->acknowledged.reset();
    }
}

std::optional<std::string> SqliteReminderStore::filed_on(std::string_view platform,
                                                         std::string_view setting)
{
    if (scope_) {
        return found(read_once(scope_->filed, db_, statement(Read::all_filed),
                               [](const Query& row) { return row.column_text(2); }),
                     platform, setting);
    }
    Query query(db_, statement(Read::filed));
    query.text(1, platform).text(2, setting);
    if (!query.step() || query.column_null(0)) {
        return std::nullopt;
    }
    return query.column_text(0);
}

void SqliteReminderStore::record_filed(std::string_view platform, std::string_view setting,
                                       std::string_view date, TimePoint recorded_at)
{
    Query query(db_, "INSERT INTO filed_forms (platform, setting, filed_on, recorded_at)"
                     " VALUES (?1, ?2, ?3, ?4)");
    query.text(1, platform).text(2, setting).text(3, date).time(4, recorded_at);
    state_->writes().write([&query] { query.run(); });
    if (scope_) {
        scope_->filed.reset();
    }
}

std::optional<TimePoint> SqliteReminderStore::last_notified(std::string_view platform,
                                                            std::string_view setting,
                                                            Channel channel)
{
    Query query(db_, statement(Read::notified));
    query.text(1, platform).text(2, setting).text(3, to_string(channel));
    if (!query.step() || query.column_null(0)) {
        return std::nullopt;
    }
    return query.column_time(0);
}

void SqliteReminderStore::record_notified(std::string_view platform, std::string_view setting,
                                          Channel channel, TimePoint at)
{
    Query query(db_, "INSERT INTO notifications (platform, setting, channel, shown_at)"
                     " VALUES (?1, ?2, ?3, ?4)");
    query.text(1, platform).text(2, setting).text(3, to_string(channel)).time(4, at);
    state_->writes().write([&query] { query.run(); });
}

std::vector<Observation> SqliteReminderStore::history()
{
    Query query(db_, "SELECT platform, setting, state, verdict, expected, url, observed_at"
                     " FROM observations ORDER BY observed_at, id");
    std::vector<Observation> rows;
    while (query.step()) {
        rows.push_back(read_observation(query, 0));
    }
    return rows;
}

bool SqliteReminderStore::publish_status(std::span<const FleetRow> rows, domain::TimePoint now)
{
    return publish_fleet_rows(db_, state_->writes(), rows, now); // durable when it returns
}

} // namespace optguard::storage
