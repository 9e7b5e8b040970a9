#include "cli/commands.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include <ext/stdio_sync_filebuf.h>
#include <nlohmann/json.hpp>

#include "build_config.hpp"
#include "catalog/catalog.hpp"
#include "catalog/user_config.hpp"
#include "storage/config_file.hpp"
#include "cli/catalog_commands.hpp"
#include "cli/doctor.hpp"
#include "cli/reminder_commands.hpp"
#include "protocol/version.hpp"
#include "app/clock.hpp"
#include "app/status_report.hpp"
#include "app/status_rows.hpp"
#include "storage/reminder_store.hpp"
#include "storage/state_store.hpp"

namespace optguard::cli {

using json = nlohmann::json;

namespace {

// Follows "Usage: PROGRAM COMMAND"; then "Reminders:" and reminder_usage.
constexpr std::string_view usage_body =
    "Keeps \"don't train AI on my data\" settings switched off. Browsers start this program\n"
    "themselves (native messaging host \"dev.optguard.host\"); these commands are for people:\n"
    "\n"
    "  status          show the last verified state of every setting in the catalog\n"
    "  status --json   the same with what is due, as versioned JSON for fleet tools\n"
    "  doctor          check that every browser found can start this helper, and say how to fix it\n"
    "  --version       print the version and exit\n"
    "  --help          print this help and exit\n";

void print_usage(std::ostream& out, std::string_view program)
{
    out << "Usage: " << program << " COMMAND\n\n" << usage_body << "\nReminders:\n" << reminder_usage
        << "\nCatalog:\n" << catalog_usage;
}

std::string cell(const json& value)
{
    return value.is_string() ? value.get<std::string>() : std::string("-");
}

void print_table(std::ostream& out, const json& rows)
{
    const std::vector<std::string> headers = {"PLATFORM", "SETTING", "EXPECTED",
                                              "STATE",    "VERDICT", "VERIFIED AT"};
    const std::vector<std::string> keys = {"platform", "setting", "expected",
                                           "state",    "verdict", "verified_at"};
    std::vector<std::vector<std::string>> lines = {headers};
    for (const auto& row : rows) {
        std::vector<std::string> line;
        line.reserve(keys.size());
        for (const auto& key : keys) {
            line.push_back(cell(row.at(key)));
        }
        lines.push_back(std::move(line));
    }
    std::vector<std::size_t> widths(headers.size(), 0);
    for (const auto& line : lines) {
        for (std::size_t i = 0; i < line.size(); ++i) {
            widths[i] = std::max(widths[i], line[i].size());
        }
    }
    for (const auto& line : lines) {
        std::string text;
        for (std::size_t i = 0; i < line.size(); ++i) {
            text += line[i];
            if (i + 1 < line.size()) {
                text.append(widths[i] - line[i].size() + 2, ' ');
            }
        }
        out << text << '\n';
    }
}

int status(bool as_json, std::ostream& out, std::ostream& err, const os::EnvLookup& env,
           const std::filesystem::path& executable, std::string_view program)
{
    const catalog::ActiveCatalog active = active_catalog(env, executable, err, program);
    const catalog::CatalogLoad& loaded = active.load;
    if (!loaded.catalog) {
        err << program << ": the catalog is broken: " << loaded.error << '\n';
        return exit_failure;
    }
    try {
        const catalog::ConfigLoad config = storage::load_user_config(os::config_file(env));
        if (!config.error.empty()) {
            err << program << ": the configuration is broken: " << config.error << '\n';
            return exit_failure;
        }
        const catalog::Catalog effective = catalog::apply_user_config(*loaded.catalog, config.config);

        // Reading must not create anything: no database yet means nothing was ever reported.
        const std::filesystem::path dir = os::state_dir(env);
        std::error_code ec;
        const bool exists = std::filesystem::exists(dir / storage::database_file_name, ec);
        const domain::TimePoint now = system_now();
        if (as_json) {
            // The versioned document for fleet tools (docs/fleet.md), with due and its reasons;
            // the catalog in use is `optguard catalog status --json`.
            const auto store = exists ? storage::SqliteReminderStore::open(dir) : nullptr;
            const status::Snapshot snapshot = status::read(effective, store.get());
            out << status::document(effective, snapshot, now).dump(2) << '\n';
        } else {
            const auto store = exists ? storage::StateStore::open(dir) : nullptr;
            print_table(out, status_rows(effective, store.get()));
        }
        if (const std::string warning = catalog::stale_warning(active.info, now); !warning.empty()) {
            err << "optguard-host: " << warning << " (optguard catalog status says more)\n";
        }
        out.flush();
        return out ? exit_ok : exit_failure;
    } catch (const std::exception& error) {
        err << program << ": " << error.what() << '\n';
        return exit_failure;
    }
}

} // namespace

std::string program_name(std::string_view argv0)
{
#ifdef _WIN32
    constexpr std::string_view separators = "/\\";
#else
    constexpr std::string_view separators = "/";
#endif
    const std::size_t slash = argv0.find_last_of(separators);
    std::string_view name = slash == std::string_view::npos ? argv0 : argv0.substr(slash + 1);
#ifdef _WIN32
    constexpr std::string_view exe = ".exe";
    if (name.size() > exe.size()) {
        std::string tail(name.substr(name.size() - exe.size()));
        std::transform(tail.begin(), tail.end(), tail.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (tail == exe) {
            name.remove_suffix(exe.size());
        }
    }
#endif
    return name.empty() ? std::string(host_program) : std::string(name);
}

int run(std::span<const std::string_view> args, std::ostream& out, std::ostream& err,
        const os::EnvLookup& env, const std::filesystem::path& executable, std::string_view program)
{
    if (args.size() == 1 && (args[0] == "--version" || args[0] == "-V")) {
        out << "optguard-host " << build_config::version << " (protocol " << protocol_version
            << ")\n";
        return exit_ok;
    }
    if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
        print_usage(out, program);
        return exit_ok;
    }
    if (args.size() == 1 && args[0] == "doctor") {
        return doctor(out, env, executable);
    }
    if (auto status = run_reminder_command(args, out, err, env, executable, system_now(), program)) {
        return *status;
    }
    if (auto status = run_catalog_command(args, out, err, env, executable, system_now(), program)) {
        return *status;
    }
    if (!args.empty() && args[0] == "status") {
        if (args.size() == 1) {
            return status(false, out, err, env, executable, program);
        }
        if (args.size() == 2 && args[1] == "--json") {
            return status(true, out, err, env, executable, program);
        }
    }
    if (args.empty()) {
        err << program << ": no command given\n\n";
    } else {
        err << program << ": unknown command: " << args[0] << "\n\n";
    }
    print_usage(err, program);
    return exit_usage;
}

int run(std::string_view argv0, std::span<const std::string_view> args)
{
    // Streams over C's stdout and stderr, made here rather than std::cout and std::cerr: <iostream>
    // would set the standard streams up at every start of the host, browser mode too, and a person's
    // command is the only place a C++ stream is worth its set-up.
    __gnu_cxx::stdio_sync_filebuf<char> out_buffer(stdout);
    __gnu_cxx::stdio_sync_filebuf<char> err_buffer(stderr);
    std::ostream out(&out_buffer);
    std::ostream err(&err_buffer);
    return run(args, out, err, os::process_environment(), os::current_executable(),
               program_name(argv0));
}

} // namespace optguard::cli
