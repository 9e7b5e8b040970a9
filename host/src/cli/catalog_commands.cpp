#include "cli/catalog_commands.hpp"

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "catalog/release.hpp"
#include "cli/commands.hpp" // exit codes
#include "storage/catalog_install.hpp"
#include "storage/observation_store.hpp"

namespace optguard::cli {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string days(int count)
{
    return count == 1 ? "1 day" : std::to_string(count) + " days";
}

std::string describe_in_use(const catalog::CatalogInfo& info)
{
    std::string text = info.version + " (" + std::string(catalog::to_string(info.origin));
    if (!info.key_id.empty()) {
        text += ", signed with key " + info.key_id;
    }
    return text + ")";
}

// The file's bytes, at most `max_bytes` + 1 (so a larger file is seen to be larger).
std::optional<std::string> read_file(const fs::path& path, std::size_t max_bytes, std::string& why)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        why = "cannot open " + path.string();
        return std::nullopt;
    }
    std::string bytes(max_bytes + 1, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (in.bad()) {
        why = "cannot read " + path.string();
        return std::nullopt;
    }
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

json keys_json(const catalog::TrustedKeys& keys)
{
    json out = json::array();
    for (const auto& key : keys.keys) {
        out.push_back({{"key_id", catalog::minisign::key_id_hex(key.key.id)}, {"file", key.file}});
    }
    return out;
}

int status(bool as_json, std::ostream& out, std::ostream& err, const os::EnvLookup& env,
           const fs::path& executable, domain::TimePoint now, std::string_view program)
{
    const std::string prefix = std::string(program) + ": ";
    const catalog::CatalogPlaces places = catalog::catalog_places(env, executable);
    const catalog::ActiveCatalog active = catalog::select_catalog(places);
    const catalog::TrustedKeys keys = catalog::load_trusted_keys(places.keys);
    if (as_json) {
        json report = json::object();
        report["catalog_info"] = active.load.catalog
            ? catalog::info_json(active.info, active.notices, now)
            : json(nullptr);
        report["path"] = active.load.catalog ? json(active.info.path.string()) : json(nullptr);
        report["error"] = active.load.catalog ? json(nullptr) : json(active.load.error);
        report["bundled"] = places.bundled.string();
        report["keys_folder"] = places.keys.string();
        report["trusted_keys"] = keys_json(keys);
        report["installed_folder"]
            = places.installed ? json(places.installed->string()) : json(nullptr);
        out << report.dump(2) << '\n';
    } else {
        if (active.load.catalog) {
            const catalog::CatalogInfo& info = active.info;
            const int age = catalog::age_days(info, now);
            out << "Catalog in use: " << describe_in_use(info) << '\n'
                << "Date:           " << info.date << " (" << (age == 0 ? "today" : days(age) + " ago")
                << ")\n"
                << "Where:          " << info.path.string() << '\n';
        } else {
            out << "Catalog in use: none; " << active.load.error << '\n';
        }
        out << "Bundled:        " << places.bundled.string() << '\n';
        out << "Trusted keys:   " << places.keys.string();
        if (keys.keys.empty()) {
            out << " (none: catalog updates cannot be installed)";
        }
        out << '\n';
        for (const auto& key : keys.keys) {
            out << "                " << catalog::minisign::key_id_hex(key.key.id) << " (" << key.file
                << ")\n";
        }
        out << "Installed in:   "
            << (places.installed ? places.installed->string() : std::string("- (no home folder)"))
            << '\n';
        if (active.load.catalog) {
            if (const std::string warning = catalog::stale_warning(active.info, now); !warning.empty()) {
                out << '\n' << warning << '\n';
            }
        }
        for (const auto& notice : active.notices) {
            out << "\nNote: " << notice << '\n';
        }
    }
    for (const auto& problem : keys.problems) {
        err << prefix << "trusted keys: " << problem << '\n';
    }
    out.flush();
    if (!active.load.catalog) {
        err << prefix << "no catalog loads: " << active.load.error << '\n';
        return exit_failure;
    }
    return out ? exit_ok : exit_failure;
}

int install(std::string_view file, std::string_view signature_file, std::ostream& out,
            std::ostream& err, const os::EnvLookup& env, const fs::path& executable,
            std::string_view program)
{
    const std::string prefix = std::string(program) + ": ";
    const catalog::CatalogPlaces places = catalog::catalog_places(env, executable);
    std::string why;
    const auto bytes = read_file(fs::path(file), catalog::max_release_bytes, why);
    const auto signature = bytes ? read_file(fs::path(signature_file),
                                             catalog::minisign::max_signature_file_bytes, why)
                                 : std::nullopt;
    const auto keep_message = [&] {
        const catalog::ActiveCatalog active = catalog::select_catalog(places);
        if (active.load.catalog) {
            err << prefix << "the catalog in use is still " << describe_in_use(active.info) << '\n';
        }
    };
    if (!bytes || !signature) {
        err << prefix << "catalog not installed: " << why << '\n';
        keep_message();
        return exit_failure;
    }
    try {
        const storage::InstallOutcome outcome = storage::install_release(places, *bytes, *signature);
        const catalog::CatalogInfo& info = outcome.active.info;
        out << "Installed catalog " << info.version << " of " << info.date << ", signed with key "
            << info.key_id;
        if (!outcome.previous_version.empty()) {
            out << "; it replaces " << outcome.previous_version << " ("
                << catalog::to_string(outcome.previous_origin) << ")";
        }
        out << ".\nKept in " << info.path.parent_path().string() << '\n';
        if (!outcome.new_policy_events.empty()) {
            out << "New policy changes:\n";
            for (const auto& event : outcome.new_policy_events) {
                out << "  " << event.date << "  " << event.platform << '/' << event.setting;
                if (!event.summary.empty()) {
                    out << ": " << event.summary;
                }
                out << '\n';
            }
            out << "`optguard due` lists the settings to check again.\n";
        }
        out.flush();
        return out ? exit_ok : exit_failure;
    } catch (const catalog::ReleaseRejected& error) {
        err << prefix << "catalog not installed (" << catalog::to_string(error.reason())
            << "): " << error.what() << '\n';
    } catch (const storage::StorageError& error) {
        err << prefix << "catalog not installed: " << error.what() << '\n';
    } catch (const std::exception& error) {
        err << prefix << "catalog not installed: " << error.what() << '\n';
    }
    keep_message();
    return exit_failure;
}

} // namespace

catalog::ActiveCatalog active_catalog(const os::EnvLookup& env, const fs::path& executable,
                                      std::ostream& err, std::string_view program)
{
    catalog::ActiveCatalog active = catalog::select_catalog(catalog::catalog_places(env, executable));
    for (const auto& notice : active.notices) {
        err << program << ": catalog: " << notice << '\n';
    }
    return active;
}

std::optional<int> run_catalog_command(std::span<const std::string_view> args, std::ostream& out,
                                       std::ostream& err, const os::EnvLookup& env,
                                       const fs::path& executable, domain::TimePoint now,
                                       std::string_view program)
{
    if (args.empty() || args[0] != "catalog") {
        return std::nullopt;
    }
    if (args.size() == 2 && args[1] == "status") {
        return status(false, out, err, env, executable, now, program);
    }
    if (args.size() == 3 && args[1] == "status" && args[2] == "--json") {
        return status(true, out, err, env, executable, now, program);
    }
    if ((args.size() == 3 || args.size() == 4) && args[1] == "install") {
        const std::string default_signature = std::string(args[2]) + ".minisig";
        return install(args[2], args.size() == 4 ? args[3] : std::string_view(default_signature),
                       out, err, env, executable, program);
    }
    err << program << ": usage:\n" << catalog_usage;
    return exit_usage;
}

} // namespace optguard::cli
