#include "cli/doctor.hpp"

#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "app/clock.hpp"
#include "app/extension_ids.hpp"
#include "build_config.hpp"
#include "storage/active_catalog.hpp"
#include "catalog/catalog.hpp"
#include "os/browser_locations.hpp"
#include "os/host_probe.hpp"
#include "os/private_folder.hpp"
#include "protocol/frame_io.hpp"
#include "protocol/probe_reply.hpp"
#include "protocol/version.hpp"

namespace optguard::cli {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

bool on_windows() { return os::current_os() == "windows"; }

std::string_view user_fix()
{
    return on_windows() ? "powershell -File installer\\install.ps1   (in the OptGuard source folder)"
                        : "bash installer/install.sh   (in the OptGuard source folder)";
}

std::string_view system_fix()
{
    return on_windows() ? "powershell -File installer\\install.ps1 -System   (as administrator)"
                        : "sudo bash installer/install.sh --system   (or reinstall the optguard package)";
}

class Report {
public:
    explicit Report(std::ostream& out) : out_(out) { }

    void section(const std::string& title) { out_ << '\n' << title << '\n'; }
    void ok(const std::string& what) { out_ << "  ok    " << what << '\n'; }
    // Worth knowing, not a failure.
    void note(const std::string& what) { out_ << "  note  " << what << '\n'; }
    void fail(const std::string& what, const std::string& fix)
    {
        ++failures_;
        out_ << "  FAIL  " << what << '\n' << "        fix: " << fix << '\n';
    }
    // A refusal that is the host's own message, which names its fix when there is one.
    void refuse(const std::string& reason)
    {
        ++failures_;
        out_ << "  FAIL  " << reason << '\n';
    }
    [[nodiscard]] int failures() const { return failures_; }

private:
    std::ostream& out_;
    int failures_ = 0;
};

std::string quoted(const std::string& text) { return json(text).dump(); }

std::optional<json> read_json(const fs::path& file, std::string& error)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        error = "cannot read it";
        return std::nullopt;
    }
    std::string text;
    char chunk[4096];
    while (text.size() < std::size_t {1024} * 1024 && in.read(chunk, sizeof chunk).gcount() > 0) {
        text.append(chunk, static_cast<std::size_t>(in.gcount()));
    }
    json document = json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        error = "is not a JSON object";
        return std::nullopt;
    }
    return document;
}

// The manifest's own checks; false when a later check (starting the host) makes no sense.
bool check_manifest(Report& report, const json& manifest, std::string_view family,
                    const std::string& fix)
{
    bool usable = true;
    const std::string expected_name = build_config::host_name;
    const auto name = manifest.find("name");
    if (name != manifest.end() && name->is_string() && *name == expected_name) {
        report.ok("name is " + quoted(expected_name));
    } else {
        report.fail("name is " + (name == manifest.end() ? std::string("missing") : name->dump())
                        + ", expected " + quoted(expected_name),
                    fix);
    }
    const auto type = manifest.find("type");
    if (type == manifest.end() || *type != "stdio") {
        report.fail("type must be \"stdio\"", fix);
    }
    const auto path = manifest.find("path");
    if (path == manifest.end() || !path->is_string() || !fs::path(path->get<std::string>()).is_absolute()) {
        report.fail("path " + (path == manifest.end() ? std::string("is missing") : path->dump() + " is not an absolute path"),
                    fix);
        usable = false;
    } else {
        const std::string host = path->get<std::string>();
        const fs::path host_file(host);
        std::error_code ec;
        if (!fs::is_regular_file(host_file, ec)) {
            report.fail("path " + quoted(host) + " does not exist", fix);
            usable = false;
        } else if (::access(host_file.c_str(), X_OK) != 0) {
            report.fail("path " + quoted(host) + " is not executable", "chmod 755 " + host);
            usable = false;
        } else {
            report.ok("path " + quoted(host) + " exists and is executable");
        }
    }
    // Exactly the ids this build knows, in any order: one missing means a build of OptGuard (a
    // store's) cannot start the host; one more means another extension can.
    const bool firefox = family == "firefox";
    const std::string key = firefox ? "allowed_extensions" : "allowed_origins";
    const std::vector<std::string> ids
        = firefox ? extension_ids::firefox_ids() : extension_ids::chromium_origins();
    const json expected(ids);
    const auto listed = manifest.find(key);
    std::multiset<std::string> have;
    bool strings = listed != manifest.end() && listed->is_array();
    if (strings) {
        for (const auto& item : *listed) {
            strings = strings && item.is_string();
            if (item.is_string()) {
                have.insert(item.get<std::string>());
            }
        }
    }
    if (strings && have == std::multiset<std::string>(ids.begin(), ids.end())) {
        report.ok(key + " is " + expected.dump());
    } else {
        report.fail(key + " is " + (listed == manifest.end() ? std::string("missing") : listed->dump())
                        + ", expected " + expected.dump(),
                    fix);
    }
    return usable;
}

void check_hello(Report& report, const fs::path& manifest_file, const std::string& host,
                 std::string_view family, const DoctorOptions& options)
{
    // Exactly the browser's argv: Chromium passes the caller origin, Firefox the manifest path
    // and the add-on id.
    const std::vector<std::string> args = family == "firefox"
        ? std::vector<std::string> {manifest_file.string(), extension_ids::firefox_id()}
        : std::vector<std::string> {extension_ids::unpacked_origin()};
    const std::string rebuild = "bash scripts/build.sh && " + std::string(user_fix());
    const os::HostProbe probe
        = os::probe_host(host, args, protocol::encode_frame(R"({"id":1,"type":"hello"})"),
                         protocol::read_probe_reply, options.hello_timeout);
    if (!probe.reply) {
        report.fail("the host does not answer hello: it " + probe.error, rebuild);
        return;
    }
    const json& reply = *probe.reply;
    if (reply.value("ok", false) != true || reply.value("host", "") != "optguard-host") {
        report.fail("the host answered hello with " + reply.dump() + ", not an OptGuard hello",
                    rebuild);
        return;
    }
    if (reply.value("protocol", 0) != protocol_version) {
        report.fail("the host speaks protocol " + reply.value("protocol", json()).dump()
                        + ", this OptGuard speaks " + std::to_string(protocol_version)
                        + " (version " + reply.value("version", "?") + ")",
                    rebuild);
        return;
    }
    report.ok("the host starts and answers hello (version " + reply.value("version", "?")
              + ", protocol " + std::to_string(protocol_version) + ")");
}

void check_browser(Report& report, const os::BrowserLocation& user,
                   const os::BrowserLocation* system, const os::EnvLookup& env,
                   const fs::path& root, const DoctorOptions& options)
{
    report.section(std::string(user.name));
    if (os::unreachable(user)) {
        const std::string_view note = user.note.substr(std::string_view("unreachable: ").size());
        const auto fix_at = note.find(" Fix: ");
        report.fail("OptGuard cannot work here: " + std::string(note.substr(0, fix_at)),
                    fix_at == std::string_view::npos ? std::string(user_fix())
                                                     : std::string(note.substr(fix_at + 6)));
        return;
    }
    const std::string file_name = std::string(build_config::host_name) + ".json";
    std::string fix(user.scope == "system" ? system_fix() : user_fix());
    std::error_code ec;
    fs::path manifest_file;
    if (os::is_registry_key(user.folder)) {
        // Windows: the registry names the manifest, the user's key first, then the machine's.
        const auto key = [](const os::BrowserLocation& row) {
            return std::string(row.folder) + "\\" + build_config::host_name;
        };
        const os::BrowserLocation* where = &user;
        auto registered = os::registered_manifest(user.folder, build_config::host_name);
        if (!registered && system != nullptr) {
            registered = os::registered_manifest(system->folder, build_config::host_name);
            where = system;
            fix = system_fix();
        }
        if (!registered) {
            report.fail("not registered: no registry key " + key(user)
                            + (system != nullptr ? " or " + key(*system) : std::string())
                            + " with the manifest's path",
                        std::string(user.scope == "system" ? system_fix() : user_fix()));
            return;
        }
        report.ok("registered: " + key(*where) + " = " + *registered);
        manifest_file = fs::path(*registered);
    } else {
        // The browser looks in the user's folder first, then in the system-wide one.
        manifest_file = os::expand_location(user.folder, env, root) / file_name;
    }
    if (!os::is_registry_key(user.folder) && !fs::exists(manifest_file, ec) && system != nullptr) {
        const fs::path system_file = os::expand_location(system->folder, env, root) / file_name;
        if (fs::exists(system_file, ec)) {
            manifest_file = system_file;
            fix = system_fix();
        }
    }
    if (!fs::exists(manifest_file, ec)) {
        report.fail("manifest missing: " + manifest_file.string(), fix);
        return;
    }
    report.ok("manifest present: " + manifest_file.string());
    std::string error;
    const auto manifest = read_json(manifest_file, error);
    if (!manifest) {
        report.fail("manifest " + error, fix);
        return;
    }
    report.ok("manifest is valid JSON");
    if (check_manifest(report, *manifest, user.family, fix)) {
        check_hello(report, manifest_file, manifest->at("path").get<std::string>(), user.family,
                    options);
    }
}

// Which builds of the extension this host lets in; a store whose id is not known yet is said
// plainly (not a failure: the unpacked extension and Firefox still work).
void check_extension_ids(Report& report)
{
    report.section("Extensions allowed to start the helper");
    for (const auto& row : build_config::extension_ids) {
        if (row.id.empty()) {
            report.note(std::string(row.name) + ": its extension id is not known to this build, so "
                        "OptGuard installed from there cannot start this helper yet");
        } else {
            report.ok(std::string(row.name) + ": "
                      + (row.family == "chromium" ? "chrome-extension://" + std::string(row.id) + "/"
                                                  : std::string(row.id)));
        }
    }
}

void check_state_dir(Report& report, const os::EnvLookup& env)
{
    fs::path dir;
    try {
        dir = os::state_dir(env);
    } catch (const std::exception& error) {
        report.section("State folder");
        report.fail(error.what(), "export HOME=/path/to/your/home");
        return;
    }
    report.section("State folder " + dir.string());
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(dir, ec))) {
        report.ok("not created yet (the host creates it, private, at the first check)");
        return;
    }
    // The host's own rule for the folder (os/private_folder), in its own words: the doctor never
    // passes a folder the host would refuse, nor refuses one it would use.
    if (auto refusal = os::private_folder_refusal(dir)) {
        report.refuse(*refusal);
        return;
    }
    if (on_windows()) {
        // Windows keeps access in ACLs, not mode bits or an owner id: not checked there. The
        // folder is under %LOCALAPPDATA%, which only you (and administrators) can read.
        report.ok("a folder (who may read it is Windows' ACLs, not checked)");
        if (::access(dir.c_str(), W_OK) != 0) {
            report.fail("not writable", "check the folder's Security tab: you need Modify");
        } else {
            report.ok("writable");
        }
        return;
    }
    report.ok("yours, and no one else can change it");
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
        report.fail("not writable", "chmod u+rwx " + dir.string());
    } else {
        report.ok("writable");
    }
}

void check_catalog(Report& report, const os::EnvLookup& env, const fs::path& executable)
{
    const catalog::CatalogPlaces places = catalog::catalog_places(env, executable);
    report.section("Catalog " + places.bundled.string());
    const catalog::ActiveCatalog active = catalog::select_catalog(places);
    for (const auto& notice : active.notices) {
        report.fail(notice, "install a newer signed catalog (optguard catalog install FILE SIG), "
                            "or remove that folder to use the bundled catalog");
    }
    if (!active.load.catalog) {
        report.fail("does not load: " + active.load.error, std::string(user_fix()));
        return;
    }
    report.ok("loads (version " + active.info.version + ", "
              + std::string(catalog::to_string(active.info.origin)) + ", "
              + std::to_string(active.load.catalog->platforms.size()) + " platforms)");
    const std::string warning = catalog::stale_warning(active.info, system_now());
    if (!warning.empty()) {
        report.note(warning); // not a fault of this machine: said, not counted
    }
}

} // namespace

int doctor(std::ostream& out, const os::EnvLookup& env, const fs::path& executable,
           const DoctorOptions& options)
{
    Report report(out);
    out << "OptGuard doctor " << build_config::version << '\n';
    const fs::path root = os::system_root(env);
    const std::string_view os_name = os::current_os();
    check_extension_ids(report);
    std::set<std::string_view> seen;
    int browsers = 0;
    for (const auto& row : os::browser_locations()) {
        if (row.os != os_name || !seen.insert(row.id).second) {
            continue;
        }
        const os::BrowserLocation* user = nullptr;
        const os::BrowserLocation* system = nullptr;
        for (const auto& candidate : os::browser_locations()) {
            if (candidate.os == os_name && candidate.id == row.id) {
                (candidate.scope == "user" ? user : system) = &candidate;
            }
        }
        const bool found = (user != nullptr && os::browser_present(*user, env, root))
            || (system != nullptr && os::browser_present(*system, env, root));
        if (!found) {
            continue;
        }
        ++browsers;
        check_browser(report, user != nullptr ? *user : *system, user != nullptr ? system : nullptr,
                      env, root, options);
    }
    if (browsers == 0) {
        report.section("Browsers");
        report.fail("no supported browser found (Chrome, Chromium, Edge, Brave, Vivaldi, Opera, "
                    "Firefox, LibreWolf)",
                    "install one, then: " + std::string(user_fix()));
    }
    check_state_dir(report, env);
    check_catalog(report, env, executable);
    out << '\n'
        << (report.failures() == 0 ? std::string("Everything is in order.")
                                   : std::to_string(report.failures())
                       + (report.failures() == 1 ? " problem found." : " problems found."))
        << '\n';
    out.flush();
    return report.failures() == 0 ? 0 : 1;
}

} // namespace optguard::cli
