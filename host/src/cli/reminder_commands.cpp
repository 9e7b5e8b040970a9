#include "cli/reminder_commands.hpp"

#include <cstdio>
#include <cstring>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "build_config.hpp"
#include "catalog/catalog.hpp"
#include "catalog/user_config.hpp"
#include "storage/config_file.hpp"
#include "cli/catalog_commands.hpp"
#include "cli/commands.hpp"
#include "cli/export_format.hpp"
#include "domain/duration.hpp"
#include "os/notifier.hpp"
#include "app/policy_notices.hpp"
#include "app/rejected.hpp"
#include "app/reminder_service.hpp"
#include "app/status_report.hpp"
#include "storage/atomic_file.hpp"
#include "storage/reminder_store.hpp"
#include "storage/state_store.hpp"

namespace optguard::cli {

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t max_platform_notifications = 3;

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Context {
    catalog::Catalog catalog;
    fs::path state_dir;
};

Context load(const os::EnvLookup& env, const fs::path& executable, std::ostream& err,
             std::string_view program)
{
    const catalog::ActiveCatalog active = active_catalog(env, executable, err, program);
    const catalog::CatalogLoad& loaded = active.load;
    if (!loaded.catalog) {
        throw std::runtime_error("the catalog is broken: " + loaded.error);
    }
    const catalog::ConfigLoad config = storage::load_user_config(os::config_file(env));
    if (!config.error.empty()) {
        throw std::runtime_error("the configuration is broken: " + config.error);
    }
    return {catalog::apply_user_config(*loaded.catalog, config.config), os::state_dir(env)};
}

// Reading commands create nothing: without a database nothing was ever recorded.
std::unique_ptr<storage::SqliteReminderStore> open_existing(const fs::path& dir)
{
    std::error_code ec;
    if (!fs::exists(dir / storage::database_file_name, ec)) {
        return nullptr;
    }
    return storage::SqliteReminderStore::open(dir);
}

std::pair<std::string, std::string> parse_id(std::string_view id)
{
    const std::size_t slash = id.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == id.size()) {
        throw UsageError("ID must be PLATFORM/SETTING, for example linkedin/generative-ai-training; got \""
                         + std::string(id) + "\"");
    }
    return {std::string(id.substr(0, slash)), std::string(id.substr(slash + 1))};
}

void print_due(std::ostream& out, const json& due)
{
    if (due.at("count") == 0) {
        out << "Nothing is due.";
        if (due.at("next_due_at").is_string()) {
            out << " Next check due " << due.at("next_due_at").get<std::string>() << '.';
        }
        out << '\n';
        return;
    }
    for (const auto& platform : due.at("platforms")) {
        out << platform.at("name").get<std::string>() << " (" << platform.at("settings").size()
            << " to re-check, " << platform.at("severity").get<std::string>() << ")\n";
        for (const auto& row : platform.at("settings")) {
            out << "  " << row.at("platform").get<std::string>() << '/'
                << row.at("setting").get<std::string>() << "  " << row.at("title").get<std::string>()
                << '\n';
            for (const auto& reason : row.at("reasons")) {
                out << "    - " << reason.at("message").get<std::string>() << '\n';
            }
            out << "    open: " << row.at("opt_out_url").get<std::string>() << '\n';
        }
    }
}

// One notification per platform: the settings and the first reason of each.
os::Notification notification_for(const json& platform, const std::vector<json>& rows)
{
    constexpr std::size_t max_lines = 6;
    os::Notification notification;
    notification.title = "OptGuard: re-check " + std::to_string(rows.size()) + " setting"
        + (rows.size() == 1 ? "" : "s") + " on " + platform.at("name").get<std::string>();
    for (const auto& row : rows) {
        if (!notification.body.empty()) {
            notification.body += '\n';
        }
        notification.body += row.at("title").get<std::string>() + ": "
            + row.at("reasons")[0].at("message").get<std::string>();
        notification.urgent = notification.urgent || row.at("severity") == "critical";
    }
    if (rows.size() > max_lines) {
        notification.body = std::to_string(rows.size()) + " settings to re-check; run: optguard due";
    }
    notification.body += "\nOpen: " + rows.front().at("opt_out_url").get<std::string>();
    return notification;
}

// `name`: the program's name as the person started it, at the start of each message.
int remind(std::ostream& out, std::ostream& err, const os::EnvLookup& env, const Context& context,
           domain::TimePoint now, std::string_view name)
{
    auto store = storage::SqliteReminderStore::open(context.state_dir);
    status::Snapshot snapshot = status::read(context.catalog, store.get());
    const std::string notices_error
        = policy_notices::add_recorded(snapshot.histories, context.catalog, context.state_dir);
    if (!notices_error.empty()) {
        err << name << ": policy dates seen in the browser are left out: " << notices_error << '\n';
    }
    const auto& histories = snapshot.histories;
    const json due = reminders::due_json(context.catalog, histories, now);
    // The daily timer keeps the fleet view current with the browser closed (docs/fleet.md); the
    // person's reminders come first if it cannot be written.
    try {
        (void)store->publish_status(status::fleet_rows(context.catalog, snapshot, now), now);
    } catch (const storage::StorageError& error) {
        err << name << ": the status for fleet tools was not recorded: " << error.what() << '\n';
    }
    const auto batches = domain::due_by_platform(histories, now);

    // Only what is new since the last desktop notification (no repeats within a day).
    std::vector<std::pair<json, std::vector<json>>> selected;
    for (std::size_t i = 0; i < batches.size(); ++i) {
        std::vector<json> rows;
        for (std::size_t j = 0; j < batches[i].reminders.size(); ++j) {
            const auto& reminder = batches[i].reminders[j];
            if (domain::should_notify(reminder,
                                      store->last_notified(reminder.platform, reminder.setting,
                                                           storage::Channel::desktop),
                                      now)) {
                rows.push_back(due.at("platforms")[i].at("settings")[j]);
            }
        }
        if (!rows.empty()) {
            selected.emplace_back(due.at("platforms")[i], std::move(rows));
        }
    }
    if (selected.empty()) {
        out << (due.at("count") == 0 ? "Nothing is due.\n"
                                     : "Nothing new to remind you of (already notified today).\n");
        return exit_ok;
    }

    const os::NotifierKind kind = os::platform_notifier();
    const os::NotifierCommand probe = os::build_command(kind, {});
    const auto notifier = os::find_on_path(probe.program, env);
    if (!notifier) {
        print_due(out, due);
        err << name << ": cannot show a desktop notification: " << probe.program
            << " is not on PATH (on Debian/Ubuntu: sudo apt install libnotify-bin). The reminders are "
               "printed above.\n";
        return exit_failure;
    }
    // Past a few platforms (a first run, or back from a long absence) one summary instead of a
    // notification per platform.
    if (selected.size() > max_platform_notifications) {
        json summary = {{"name", std::to_string(selected.size()) + " platforms"}};
        std::vector<json> all;
        for (const auto& [platform, rows] : selected) {
            all.insert(all.end(), rows.begin(), rows.end());
        }
        selected = {{summary, std::move(all)}};
    }
    int status = exit_ok;
    for (const auto& [platform, rows] : selected) {
        const os::NotifierCommand command = os::build_command(kind, notification_for(platform, rows));
        int code = 0;
        try {
            code = os::run_command(*notifier, command.args);
        } catch (const std::exception& error) {
            err << name << ": " << error.what() << '\n';
            code = -1;
        }
        if (code != 0) {
            err << name << ": " << notifier->string() << " failed (exit status " << code
                << ") for " << platform.at("name").get<std::string>()
                << "; is there a desktop session? The reminders are printed below.\n";
            status = exit_failure;
            continue;
        }
        for (const auto& row : rows) {
            store->record_notified(row.at("platform").get<std::string>(),
                                   row.at("setting").get<std::string>(), storage::Channel::desktop,
                                   now);
        }
        out << "notified: " << platform.at("name").get<std::string>() << " (" << rows.size()
            << " setting" << (rows.size() == 1 ? "" : "s") << ")\n";
    }
    if (status != exit_ok) {
        print_due(out, due);
    }
    return status;
}

int export_history(std::span<const std::string_view> args, std::ostream& out, const Context& context,
                   domain::TimePoint now)
{
    std::optional<ExportFormat> format;
    std::optional<fs::path> output;
    for (std::size_t i = 1; i < args.size(); i += 2) {
        if (i + 1 >= args.size()) {
            throw UsageError("export: " + std::string(args[i]) + " needs a value");
        }
        if (args[i] == "--format") {
            format = export_format_from_string(args[i + 1]);
            if (!format) {
                throw UsageError("export: --format must be json, csv or md, got \""
                                 + std::string(args[i + 1]) + "\"");
            }
        } else if (args[i] == "--output") {
            output = fs::path(std::string(args[i + 1]));
        } else {
            throw UsageError("export: unknown option " + std::string(args[i]));
        }
    }
    if (!format) {
        throw UsageError("export: --format json|csv|md is required");
    }
    auto store = open_existing(context.state_dir);
    std::vector<ExportRow> rows;
    for (auto& observation : store ? store->history() : std::vector<storage::Observation> {}) {
        ExportRow row;
        const catalog::Platform* platform = context.catalog.find_platform(observation.platform);
        const catalog::Setting* setting
            = context.catalog.find_setting(observation.platform, observation.setting);
        row.platform_name = platform != nullptr ? platform->name : observation.platform;
        row.title = setting != nullptr ? setting->title : observation.setting;
        row.policy_source = setting != nullptr ? setting->entry.value("source", std::string()) : "";
        row.observation = std::move(observation);
        rows.push_back(std::move(row));
    }
    const std::string text = format_export(
        *format, rows, {now, context.catalog.version, std::string(build_config::version)});
    if (output) {
        storage::write_file_atomically(*output, text); // the old file or the new one, never half
        out << "wrote " << rows.size() << " record" << (rows.size() == 1 ? "" : "s") << " to "
            << output->string() << '\n';
    } else {
        out << text;
    }
    return exit_ok;
}

int dispatch(std::span<const std::string_view> args, std::ostream& out, std::ostream& err,
             const os::EnvLookup& env, const fs::path& executable, domain::TimePoint now,
             std::string_view program)
{
    const std::string_view command = args[0];
    const auto usage = [program](std::string_view shape) {
        return UsageError("usage: " + std::string(program) + ' ' + std::string(shape));
    };
    const auto expect_args = [&](std::size_t count, const char* shape) {
        if (args.size() != count) {
            throw usage(shape);
        }
    };
    if (command == "due") {
        if (args.size() > 2 || (args.size() == 2 && args[1] != "--json")) {
            throw usage("due [--json]");
        }
        const Context context = load(env, executable, err, program);
        auto store = open_existing(context.state_dir);
        auto histories = reminders::collect(context.catalog, store.get());
        const std::string notices_error
            = policy_notices::add_recorded(histories, context.catalog, context.state_dir);
        if (!notices_error.empty()) {
            err << program << ": policy dates seen in the browser are left out: " << notices_error
                << '\n';
        }
        const json due = reminders::due_json(context.catalog, histories, now);
        if (args.size() == 2) {
            out << due.dump(2) << '\n';
        } else {
            print_due(out, due);
        }
        return exit_ok;
    }
    if (command == "remind") {
        expect_args(1, "remind");
        return remind(out, err, env, load(env, executable, err, program), now, program);
    }
    if (command == "export") {
        return export_history(args, out, load(env, executable, err, program), now);
    }
    const bool is_snooze = command == "snooze";
    const bool is_ack = command == "ack";
    const bool is_filed = command == "filed";
    if (is_snooze) {
        expect_args(3, "snooze PLATFORM/SETTING DURATION   (DURATION: 12h, 1d, 7d, 1w, ...)");
    } else if (is_ack) {
        expect_args(2, "ack PLATFORM/SETTING");
    } else {
        expect_args(3, "filed PLATFORM/SETTING YYYY-MM-DD");
    }
    const auto [platform, setting] = parse_id(args[1]);
    std::optional<std::chrono::milliseconds> duration;
    if (is_snooze) {
        duration = domain::parse_duration(args[2]);
        if (!duration) {
            throw UsageError("DURATION must be " + std::string(domain::duration_syntax) + "; got \""
                             + std::string(args[2]) + "\"");
        }
    }
    const Context context = load(env, executable, err, program);
    (void)reminders::require_setting(context.catalog, platform, setting);
    auto store = storage::SqliteReminderStore::open(context.state_dir);
    if (is_snooze) {
        const json reply
            = reminders::snooze(context.catalog, *store, platform, setting, *duration, now);
        out << "snoozed " << platform << '/' << setting << " until "
            << reply.at("until").get<std::string>() << '\n';
    } else if (is_ack) {
        (void)reminders::acknowledge(context.catalog, *store, platform, setting, now);
        out << "acknowledged " << platform << '/' << setting
            << "; it stays quiet until something new happens or its interval ends\n";
    } else if (is_filed) {
        (void)reminders::filed(context.catalog, *store, platform, setting, std::string(args[2]), now);
        out << "recorded: " << platform << '/' << setting << " filed on " << args[2] << '\n';
    }
    return exit_ok;
}

} // namespace

std::optional<int> run_reminder_command(std::span<const std::string_view> args, std::ostream& out,
                                        std::ostream& err, const os::EnvLookup& env,
                                        const fs::path& executable, domain::TimePoint now,
                                        std::string_view program)
{
    if (args.empty()) {
        return std::nullopt;
    }
    const std::string_view command = args[0];
    if (command != "due" && command != "remind" && command != "snooze" && command != "ack"
        && command != "filed" && command != "export") {
        return std::nullopt;
    }
    try {
        const int status = dispatch(args, out, err, env, executable, now, program);
        out.flush();
        return out ? status : exit_failure;
    } catch (const UsageError& error) {
        err << program << ": " << error.what() << '\n';
        return exit_usage;
    } catch (const app::Rejected& error) {
        err << program << ": " << error.what() << '\n';
        return error.why() == app::Refusal::unknown_setting ? exit_usage : exit_failure;
    } catch (const std::exception& error) {
        err << program << ": " << error.what() << '\n';
        return exit_failure;
    }
}

} // namespace optguard::cli
