// `optguard-host doctor` against the real binary in a private HOME: a fake browser on PATH, the
// system-wide folders under OPTGUARD_ROOT, then each check broken one at a time.

#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "build_config.hpp"
#include "app/extension_ids.hpp"
#include "os/private_folder.hpp"
#include "test_env.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using namespace optguard::itest;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// The ids this build allows (installer/extension-ids.tsv, or the build options), as the installer
// writes them: json::dump() of the list is exactly what the doctor prints.
const std::string origins = json(optguard::extension_ids::chromium_origins()).dump();
const std::string firefox_list = json(optguard::extension_ids::firefox_ids()).dump();

const std::string chrome_manifest_template = R"({
  "name": "dev.optguard.host",
  "description": "test",
  "path": "@PATH@",
  "type": "stdio",
  "allowed_origins": )" + origins + "\n}";

void write_file(const fs::path& file, const std::string& text, fs::perms mode = fs::perms(0644))
{
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
    fs::permissions(file, mode);
}

std::string replace(std::string text, const std::string& from, const std::string& to)
{
    if (const auto at = text.find(from); at != std::string::npos) {
        text.replace(at, from.size(), to);
    }
    return text;
}

struct Doctor {
    TestEnv env;
    fs::path home = env.root() / "home";
    fs::path bin = env.root() / "bin";
    fs::path system = env.root() / "sysroot";
    fs::path chromium_manifest = env.root() / "config/chromium/NativeMessagingHosts/dev.optguard.host.json";
    fs::path firefox_manifest = home / ".mozilla/native-messaging-hosts/dev.optguard.host.json";

    Doctor()
    {
        fs::create_directories(home);
        fs::create_directories(bin);
        fs::create_directories(system);
        env.env["HOME"] = home.string();
        env.env["PATH"] = bin.string(); // only the browsers this test puts there
        env.env["OPTGUARD_ROOT"] = system.string();
    }

    void add_browser(const std::string& command) const
    {
        write_file(bin / command, "#!/bin/sh\nexit 0\n", fs::perms(0755));
    }

    void good_chromium() const
    {
        add_browser("chromium");
        write_file(chromium_manifest, replace(chrome_manifest_template, "@PATH@", OPTGUARD_TEST_HOST_EXE));
    }

    struct Run {
        std::string out;
        std::optional<int> status;
    };

    Run run()
    {
        auto host = env.start({"doctor"});
        host->close_stdin();
        Run result;
        result.out = host->read_all();
        result.status = host->wait_exit();
        return result;
    }
};

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("doctor passes every check for a correctly registered Chromium and exits 0")
{
    Doctor d;
    d.good_chromium();
    const auto run = d.run();
    CHECK(run.status == 0);
    CHECK(contains(run.out, "Chromium\n  ok    manifest present: " + d.chromium_manifest.string()));
    CHECK(contains(run.out, "ok    the host starts and answers hello (version 0.1.0, protocol 1)"));
    CHECK(contains(run.out, "ok    loads (version "));
    CHECK(contains(run.out, "Everything is in order."));
    CHECK_FALSE(contains(run.out, "\nFirefox\n"));
}

TEST_CASE("doctor says which builds of the extension may start the helper, and which store ids it lacks")
{
    Doctor d;
    d.good_chromium();
    const auto run = d.run();
    INFO(run.out);
    CHECK(contains(run.out, "\nExtensions allowed to start the helper\n"));
    for (const auto& row : build_config::extension_ids) {
        if (row.id.empty()) {
            // Said plainly, and not a failure: the unpacked extension and Firefox still work.
            CHECK(contains(run.out, "  note  " + std::string(row.name)
                                        + ": its extension id is not known to this build, so OptGuard "
                                          "installed from there cannot start this helper yet\n"));
        } else if (row.family == "chromium") {
            CHECK(contains(run.out, "  ok    " + std::string(row.name) + ": chrome-extension://"
                                        + std::string(row.id) + "/\n"));
        } else {
            CHECK(contains(run.out, "  ok    " + std::string(row.name) + ": " + std::string(row.id) + "\n"));
        }
    }
    CHECK(run.status == 0);
}

TEST_CASE("doctor checks Firefox with the add-on id and the browser's argv")
{
    Doctor d;
    d.add_browser("firefox-esr");
    const std::string firefox = replace(
        replace(chrome_manifest_template, "@PATH@", OPTGUARD_TEST_HOST_EXE),
        R"("allowed_origins": )" + origins, R"("allowed_extensions": )" + firefox_list);
    SUBCASE("right id")
    {
        write_file(d.firefox_manifest, firefox);
        const auto run = d.run();
        CHECK(run.status == 0);
        CHECK(contains(run.out, "ok    allowed_extensions is " + firefox_list));
        CHECK(contains(run.out, "ok    the host starts and answers hello"));
    }
    SUBCASE("wrong id")
    {
        write_file(d.firefox_manifest, replace(firefox, "optguard@optguard.dev", "other@example.org"));
        const auto run = d.run();
        CHECK(run.status == 1);
        CHECK(contains(run.out, "FAIL  allowed_extensions is [\"other@example.org\"], expected " + firefox_list
                                    + "\n        fix: bash installer/install.sh"));
    }
}

TEST_CASE("doctor reports each broken manifest check with what is wrong and the fix")
{
    Doctor d;
    d.good_chromium();
    const std::string good = replace(chrome_manifest_template, "@PATH@", OPTGUARD_TEST_HOST_EXE);
    std::string expected;
    SUBCASE("missing")
    {
        fs::remove(d.chromium_manifest);
        expected = "FAIL  manifest missing: " + d.chromium_manifest.string()
            + "\n        fix: bash installer/install.sh";
    }
    SUBCASE("not JSON")
    {
        write_file(d.chromium_manifest, "{\"name\": ");
        expected = "FAIL  manifest is not a JSON object\n        fix: bash installer/install.sh";
    }
    SUBCASE("wrong name")
    {
        write_file(d.chromium_manifest, replace(good, "\"dev.optguard.host\"", "\"dev.other.host\""));
        expected = "FAIL  name is \"dev.other.host\", expected \"dev.optguard.host\"";
    }
    SUBCASE("relative path")
    {
        write_file(d.chromium_manifest, replace(good, OPTGUARD_TEST_HOST_EXE, "bin/optguard-host"));
        expected = "FAIL  path \"bin/optguard-host\" is not an absolute path";
    }
    SUBCASE("path does not exist")
    {
        write_file(d.chromium_manifest, replace(good, OPTGUARD_TEST_HOST_EXE, "/nonexistent/optguard-host"));
        expected = "FAIL  path \"/nonexistent/optguard-host\" does not exist";
    }
    SUBCASE("path not executable")
    {
        const fs::path copy = d.env.root() / "not-executable";
        write_file(copy, "#!/bin/sh\n", fs::perms(0644));
        write_file(d.chromium_manifest, replace(good, OPTGUARD_TEST_HOST_EXE, copy.string()));
        expected = "FAIL  path \"" + copy.string() + "\" is not executable\n        fix: chmod 755 "
            + copy.string();
    }
    SUBCASE("another extension allowed besides OptGuard's")
    {
        std::vector<std::string> more = extension_ids::chromium_origins();
        more.emplace_back("chrome-extension://abcdefghijklmnopabcdefghijklmnop/");
        write_file(d.chromium_manifest, replace(good, origins, json(more).dump()));
        expected = "FAIL  allowed_origins is " + json(more).dump() + ", expected " + origins;
    }
    SUBCASE("wrong origin")
    {
        write_file(d.chromium_manifest, replace(good, origins, R"(["chrome-extension://abcdefghijklmnopabcdefghijklmnop/"])"));
        expected = "FAIL  allowed_origins is [\"chrome-extension://abcdefghijklmnopabcdefghijklmnop/\"], "
                   "expected " + origins;
    }
    SUBCASE("host exits without answering")
    {
        const fs::path broken = d.env.root() / "crashing-host";
        write_file(broken, "#!/bin/sh\nexit 3\n", fs::perms(0755));
        write_file(d.chromium_manifest, replace(good, OPTGUARD_TEST_HOST_EXE, broken.string()));
        expected = "FAIL  the host does not answer hello: it closed its output (exit status 3)\n"
                   "        fix: bash scripts/build.sh && bash installer/install.sh";
    }
    SUBCASE("host speaks another protocol")
    {
        // A frame by hand: 4-byte little-endian length (this machine's order), then the JSON.
        const std::string body = R"({"id":1,"type":"hello","ok":true,"host":"optguard-host","version":"9.0.0","protocol":2})";
        char octal[16];
        std::snprintf(octal, sizeof octal, "\\%03o", static_cast<unsigned>(body.size()));
        const fs::path future = d.env.root() / "future-host";
        write_file(future, "#!/bin/sh\nprintf '" + std::string(octal) + "\\000\\000\\000%s' '" + body + "'\n",
                   fs::perms(0755));
        write_file(d.chromium_manifest, replace(good, OPTGUARD_TEST_HOST_EXE, future.string()));
        expected = "FAIL  the host speaks protocol 2, this OptGuard speaks 1 (version 9.0.0)";
    }
    const auto run = d.run();
    CHECK(run.status == 1);
    INFO(run.out);
    CHECK(contains(run.out, expected));
    CHECK(contains(run.out, "1 problem found."));
}

TEST_CASE("doctor uses the system-wide manifest when the user has none, with the system fix")
{
    Doctor d;
    d.add_browser("chromium");
    const fs::path system_manifest = d.system / "etc/chromium/native-messaging-hosts/dev.optguard.host.json";
    write_file(system_manifest, replace(replace(chrome_manifest_template, "@PATH@", OPTGUARD_TEST_HOST_EXE),
                                        "\"stdio\"", "\"pipe\""));
    const auto run = d.run();
    CHECK(run.status == 1);
    CHECK(contains(run.out, "ok    manifest present: " + system_manifest.string()));
    CHECK(contains(run.out, "FAIL  type must be \"stdio\"\n        fix: sudo bash installer/install.sh --system"));
}

TEST_CASE("doctor explains a browser whose sandbox cannot reach the host")
{
    Doctor d;
    fs::create_directories(d.home / "snap/chromium");
    const auto run = d.run();
    CHECK(run.status == 1);
    CHECK(contains(run.out, "Chromium (Snap)\n  FAIL  OptGuard cannot work here: the Snap confinement"));
    CHECK(contains(run.out, "fix: install Chromium from your distribution (not the snap)"));
}

TEST_CASE("doctor with no browser at all says so")
{
    Doctor d;
    const auto run = d.run();
    CHECK(run.status == 1);
    CHECK(contains(run.out, "FAIL  no supported browser found"));
}

TEST_CASE("doctor judges the state folder by the host's own private-folder policy, in its words")
{
    // os::private_folder_refusal is the rule the state store and the config folder apply; the
    // doctor must pass what they would use and refuse what they would refuse, saying the same.
    Doctor d;
    d.good_chromium();
    const fs::path state = d.env.root() / "state/optguard";
    fs::create_directories(state);
    SUBCASE("readable by others, written only by you: allowed (every file in it is 0600)")
    {
        fs::permissions(state, fs::perms(0755));
        REQUIRE_FALSE(os::private_folder_refusal(state).has_value());
        const auto run = d.run();
        INFO(run.out);
        CHECK(run.status == 0);
        CHECK(contains(run.out, "State folder " + state.string() + "\n  ok    yours, and no one else can change it\n"
                                "  ok    writable\n"));
    }
    SUBCASE("private: allowed")
    {
        fs::permissions(state, fs::perms(0700));
        REQUIRE_FALSE(os::private_folder_refusal(state).has_value());
        const auto run = d.run();
        INFO(run.out);
        CHECK(run.status == 0);
        CHECK(contains(run.out, "  ok    yours, and no one else can change it\n"));
    }
    SUBCASE("writable by the group: refused, with the policy's message and fix")
    {
        fs::permissions(state, fs::perms(0770));
        const auto refusal = os::private_folder_refusal(state);
        REQUIRE(refusal.has_value());
        CHECK(contains(*refusal, "run: chmod 700 " + state.string()));
        const auto run = d.run();
        INFO(run.out);
        CHECK(run.status == 1);
        CHECK(contains(run.out, "State folder " + state.string() + "\n  FAIL  " + *refusal + "\n"));
        CHECK_FALSE(contains(run.out, "yours, and no one else can change it"));
    }
    SUBCASE("a file where the folder should be: refused, with the policy's message")
    {
        fs::remove(state);
        write_file(state, "x");
        const auto refusal = os::private_folder_refusal(state);
        REQUIRE(refusal.has_value());
        const auto run = d.run();
        INFO(run.out);
        CHECK(run.status == 1);
        CHECK(contains(run.out, "  FAIL  " + *refusal + "\n"));
        CHECK(contains(run.out, "FAIL  " + state.string() + " is not a folder"));
    }
}

TEST_CASE("doctor says a state folder not created yet is fine")
{
    Doctor d;
    d.good_chromium();
    const auto run = d.run();
    INFO(run.out);
    CHECK(run.status == 0);
    CHECK(contains(run.out, "not created yet (the host creates it, private, at the first check)"));
}

TEST_CASE("doctor reports a catalog that does not load")
{
    Doctor d;
    d.good_chromium();
    d.env.env["OPTGUARD_CATALOG_DIR"] = (fixture_catalogs / "syntax-error").string();
    const auto run = d.run();
    CHECK(run.status == 1);
    INFO(run.out);
    CHECK(contains(run.out, "FAIL  does not load: "));
}

} // namespace OPTGUARD_TEST_FILE
