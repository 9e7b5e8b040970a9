#pragma once
// Reminder records in the state database (schema version 2, issue 5): snoozes, acknowledgements,
// filed forms ("I filed this objection on DATE") and the notifications already shown, plus the
// history queries the reminder rules and `export` need. Shares state.sqlite3 with StateStore, so the
// CLI and the browser's host read and write the same store (WAL, busy timeout).

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/reminders.hpp"
#include "storage/fleet_table.hpp"
#include "storage/observation_store.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace optguard::storage {

class StateStore;

// Schema 1 -> 2: creates the reminder tables. Runs inside the caller's BEGIN IMMEDIATE.
void create_reminder_tables(sqlite3* db);

enum class Channel { desktop, browser };
[[nodiscard]] std::string_view to_string(Channel channel) noexcept;

class ReminderStore {
public:
    virtual ~ReminderStore() = default;
    ReminderStore() = default;
    ReminderStore(const ReminderStore&) = delete;
    ReminderStore& operator=(const ReminderStore&) = delete;
    ReminderStore(ReminderStore&&) = delete;
    ReminderStore& operator=(ReminderStore&&) = delete;

    // Every method throws StorageError on failure; writes are durable when they return.

    // The newest report, whatever its state (what `status` shows).
    [[nodiscard]] virtual std::optional<Observation> latest(std::string_view platform,
                                                            std::string_view setting) = 0;

    // The newest report whose state was on or off (a page that could not be read verifies nothing).
    [[nodiscard]] virtual std::optional<Observation> latest_readable(std::string_view platform,
                                                                     std::string_view setting) = 0;
    // When the setting was last reported compliant strictly before `before`.
    [[nodiscard]] virtual std::optional<domain::TimePoint>
    last_compliant_before(std::string_view platform, std::string_view setting,
                          domain::TimePoint before) = 0;

    [[nodiscard]] virtual std::optional<domain::Snooze> snooze(std::string_view platform,
                                                               std::string_view setting) = 0;
    // Replaces the setting's snooze.
    virtual void set_snooze(std::string_view platform, std::string_view setting,
                            const domain::Snooze& snooze) = 0;

    [[nodiscard]] virtual std::optional<domain::TimePoint>
    acknowledged_at(std::string_view platform, std::string_view setting) = 0;
    virtual void acknowledge(std::string_view platform, std::string_view setting,
                             domain::TimePoint at) = 0;

    // The latest date a form was filed on, YYYY-MM-DD.
    [[nodiscard]] virtual std::optional<std::string> filed_on(std::string_view platform,
                                                              std::string_view setting) = 0;
    virtual void record_filed(std::string_view platform, std::string_view setting,
                              std::string_view date, domain::TimePoint recorded_at) = 0;

    [[nodiscard]] virtual std::optional<domain::TimePoint>
    last_notified(std::string_view platform, std::string_view setting, Channel channel) = 0;
    virtual void record_notified(std::string_view platform, std::string_view setting,
                                 Channel channel, domain::TimePoint at) = 0;

    // Every report, oldest first (for export).
    [[nodiscard]] virtual std::vector<Observation> history() = 0;

    // Every setting's evaluation for fleet tools (storage/fleet_table.hpp), written only when it
    // changed or the last record is an hour old; true when written. Not inside a reading scope.
    virtual bool publish_status(std::span<const FleetRow> rows, domain::TimePoint now) = 0;

    // As ObservationStore: the reads in between see one snapshot, in one read transaction.
    virtual void begin_reading() {}
    virtual void end_reading() noexcept {}
};

class SqliteReminderStore final : public ReminderStore {
public:
    // Opens (creating or migrating if needed) dir/state.sqlite3. Throws StorageError.
    static std::unique_ptr<SqliteReminderStore> open(const std::filesystem::path& dir);
    ~SqliteReminderStore() override;
    SqliteReminderStore(const SqliteReminderStore&) = delete;
    SqliteReminderStore& operator=(const SqliteReminderStore&) = delete;
    SqliteReminderStore(SqliteReminderStore&&) = delete;
    SqliteReminderStore& operator=(SqliteReminderStore&&) = delete;

    [[nodiscard]] std::optional<Observation> latest(std::string_view platform,
                                                    std::string_view setting) override;
    [[nodiscard]] std::optional<Observation> latest_readable(std::string_view platform,
                                                             std::string_view setting) override;
    [[nodiscard]] std::optional<domain::TimePoint>
    last_compliant_before(std::string_view platform, std::string_view setting,
                          domain::TimePoint before) override;
    [[nodiscard]] std::optional<domain::Snooze> snooze(std::string_view platform,
                                                       std::string_view setting) override;
    void set_snooze(std::string_view platform, std::string_view setting,
                    const domain::Snooze& snooze) override;
    [[nodiscard]] std::optional<domain::TimePoint>
    acknowledged_at(std::string_view platform, std::string_view setting) override;
    void acknowledge(std::string_view platform, std::string_view setting,
                     domain::TimePoint at) override;
    [[nodiscard]] std::optional<std::string> filed_on(std::string_view platform,
                                                      std::string_view setting) override;
    void record_filed(std::string_view platform, std::string_view setting, std::string_view date,
                      domain::TimePoint recorded_at) override;
    [[nodiscard]] std::optional<domain::TimePoint>
    last_notified(std::string_view platform, std::string_view setting, Channel channel) override;
    void record_notified(std::string_view platform, std::string_view setting, Channel channel,
                         domain::TimePoint at) override;
    [[nodiscard]] std::vector<Observation> history() override;
    bool publish_status(std::span<const FleetRow> rows, domain::TimePoint now) override;
    void begin_reading() override;
    void end_reading() noexcept override;

    // The read statements, prepared once per connection (a `due` over 1 000 settings runs 5 000).
    enum class Read {
        latest_readable,
        last_compliant,
        snooze,
        acknowledged,
        filed,
        notified,
        all_snoozes, // the whole table, for a reading scope
        all_acknowledged,
        all_filed,
        count
    };

private:
    explicit SqliteReminderStore(std::unique_ptr<StateStore> state);
    [[nodiscard]] sqlite3_stmt* statement(Read which);

    std::unique_ptr<StateStore> state_; // owns the connection, schema and migration
    sqlite3* db_;
    std::array<sqlite3_stmt*, static_cast<std::size_t>(Read::count)> statements_ {};
    // While a reading scope is open: the small reminder tables, each read whole on its first use,
    // and every setting's newest report once asked for. Reading every setting (`status`, `due`)
    // then costs one query per table and one or two per setting, not five per setting.
    struct ScopeCache;
    std::unique_ptr<ScopeCache> scope_;
};

} // namespace optguard::storage
