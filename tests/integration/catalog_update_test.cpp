// Signed catalog updates with the real host and the real minisign (docs/catalog-format.md,
// "Signed catalog releases"): a test prefix carries its own bundled catalog and trusted key
// (share/optguard/{catalog,keys}), throwaway keys are made with `minisign -G -W` in the test's temp
// folder, releases with scripts/release-catalog.sh. Every refusal leaves the catalog in use as it
// was; a damaged installed catalog falls back; the catalog cache never vouches for a stale one.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include <doctest/doctest.h>

#include "domain/reminders.hpp"
#include "browser/session.hpp"
#include "test_env.hpp"
#include "util/base64.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::itest;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path source_dir = OPTGUARD_TEST_SOURCE_DIR;

std::string read_text(const fs::path& path)
{
    std::ostringstream text;
    text << std::ifstream(path, std::ios::binary).rdbuf();
    return text.str();
}

void write_text(const fs::path& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Runs a shell command line; its exit status.
int shell(const std::string& command)
{
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string quoted(const fs::path& path)
{
    std::string text = "'";
    for (const char c : path.string()) {
        text += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return text + "'";
}

// A version `days` after `version` (YYYY.MM.DD).
std::string shift_version(const std::string& version, int days)
{
    std::string date = version;
    std::replace(date.begin(), date.end(), '.', '-');
    std::string shifted = optguard::domain::format_date_utc(
        *optguard::domain::date_start_utc(date) + std::chrono::hours(24 * days));
    std::replace(shifted.begin(), shifted.end(), '-', '.');
    return shifted;
}

std::string today_utc()
{
    return optguard::domain::format_date_utc(optguard::system_now());
}

// A frame header declaring `length` bytes (native byte order, as the protocol says).
std::string header(std::uint32_t length)
{
    return {reinterpret_cast<const char*>(&length), sizeof length};
}

// A throwaway minisign key pair, unencrypted, in `dir`.
struct Signer {
    fs::path pub;
    fs::path key;
    explicit Signer(const fs::path& dir)
        : pub(dir / "catalog.pub")
        , key(dir / "catalog.key")
    {
        fs::create_directories(dir);
        REQUIRE(shell("minisign -G -W -p " + quoted(pub) + " -s " + quoted(key) + " >/dev/null") == 0);
    }
};

struct Release {
    fs::path file;
    fs::path sig;
    std::string version;
};

// A test prefix: share/optguard/catalog (a copy of the staged catalog) and share/optguard/keys
// with the signer's public key; XDG_DATA_HOME in the test's folder.
struct World {
    TestEnv env;
    fs::path share = env.root() / "prefix" / "share" / "optguard";
    Signer signer {env.root() / "signer"};
    std::string bundled_version = staged_catalog_version();
    int releases = 0;

    explicit World(const fs::path& bundled = staged_catalog)
    {
        fs::create_directories(share / "catalog");
        fs::create_directories(share / "keys");
        for (const auto& entry : fs::directory_iterator(bundled)) {
            if (entry.is_regular_file()) {
                fs::copy_file(entry.path(), share / "catalog" / entry.path().filename());
            }
        }
        fs::copy_file(signer.pub, share / "keys" / "catalog.pub");
        env.env["OPTGUARD_CATALOG_DIR"] = (share / "catalog").string();
        bundled_version = json::parse(read_text(share / "catalog" / "index.json")).at("version");
    }

    [[nodiscard]] fs::path installed() const { return env.root() / "data" / "optguard" / "catalogs"; }

    // A catalog folder of `version`, copied from the bundled one, changed by `edit` (file name ->
    // its JSON).
    fs::path source(const std::string& version,
                    const std::function<void(const std::string&, json&)>& edit = {})
    {
        const fs::path dir = env.root() / ("source-" + std::to_string(releases++));
        fs::create_directories(dir);
        json index = json::parse(read_text(share / "catalog" / "index.json"));
        index["version"] = version;
        write_text(dir / "index.json", index.dump(2));
        for (const auto& name : index.at("platforms")) {
            json platform = json::parse(read_text(share / "catalog" / name.get<std::string>()));
            if (edit) {
                edit(name.get<std::string>(), platform);
            }
            write_text(dir / name.get<std::string>(), platform.dump(2));
        }
        return dir;
    }

    // scripts/release-catalog.sh on `dir`, signed by `with`.
    Release release(const fs::path& dir, const Signer& with, std::string date = "")
    {
        const std::string version = json::parse(read_text(dir / "index.json")).at("version");
        if (date.empty()) {
            date = version;
            std::replace(date.begin(), date.end(), '.', '-');
        }
        const fs::path out = env.root() / ("release-" + std::to_string(releases++));
        REQUIRE(shell("bash " + quoted(source_dir / "scripts" / "release-catalog.sh") + " --key "
                      + quoted(with.key) + " --pub " + quoted(with.pub) + " --catalog " + quoted(dir)
                      + " --date " + date + " --out " + quoted(out) + " >/dev/null")
                == 0);
        const fs::path file = out / ("optguard-catalog-" + version + ".json");
        return {file, fs::path(file.string() + ".minisig"), version};
    }
    Release release(const std::string& version) { return release(source(version), signer); }

    CliRun install(const Release& release)
    {
        return env.run_cli({"catalog", "install", release.file.string(), release.sig.string()});
    }
    json status_json() { return json::parse(env.run_cli({"catalog", "status", "--json"}).out); }
    json hello()
    {
        auto host = env.start();
        return host->request({{"id", 1}, {"type", "hello"}});
    }

    // The installed folder's entries, to show that a refusal wrote nothing.
    [[nodiscard]] std::string listing() const
    {
        std::string text;
        std::error_code ec;
        for (fs::recursive_directory_iterator it(installed(), ec), end; !ec && it != end; it.increment(ec)) {
            text += it->path().string() + " " + std::to_string(fs::is_regular_file(it->path()) ? fs::file_size(it->path()) : 0) + "\n";
        }
        return text;
    }
};

} // namespace

TEST_CASE("catalog status: the bundled catalog, its age, its keys and where it all lives")
{
    World world;
    const CliRun run = world.env.run_cli({"catalog", "status"});
    CHECK(run.status == 0);
    CHECK(run.out.find("Catalog in use: " + world.bundled_version + " (bundled)") != std::string::npos);
    CHECK(run.out.find((world.share / "catalog").string()) != std::string::npos);
    CHECK(run.out.find((world.share / "keys").string()) != std::string::npos);
    CHECK(run.out.find(world.installed().string()) != std::string::npos);
    const json status = world.status_json();
    CHECK(status.at("catalog_info").at("version") == world.bundled_version);
    CHECK(status.at("catalog_info").at("source") == "bundled");
    CHECK(status.at("catalog_info").at("key_id").is_null());
    CHECK(status.at("catalog_info").at("age_days").is_number_integer());
    CHECK(status.at("trusted_keys").size() == 1);
    CHECK(status.at("path") == (world.share / "catalog").string());
    // Reading creates nothing.
    CHECK_FALSE(fs::exists(world.env.root() / "data"));
}

TEST_CASE("install: a newer signed release is kept privately and used by every command and the browser's helper")
{
    World world;
    const Release first = world.release(shift_version(world.bundled_version, 1));
    const CliRun run = world.install(first);
    INFO(run.err);
    REQUIRE(run.status == 0);
    CHECK(run.out.find("Installed catalog " + first.version) != std::string::npos);
    CHECK(run.out.find("it replaces " + world.bundled_version + " (bundled)") != std::string::npos);
    const fs::path folder = world.installed() / first.version;
    CHECK(read_text(folder / "catalog.json") == read_text(first.file));
    CHECK(read_text(folder / "catalog.json.minisig") == read_text(first.sig));
    CHECK(mode_of(world.env.root() / "data" / "optguard") == 0700U);
    CHECK(mode_of(world.installed()) == 0700U);
    CHECK(mode_of(folder) == 0700U);
    CHECK(mode_of(folder / "catalog.json") == 0600U);
    CHECK(mode_of(folder / "catalog.json.minisig") == 0600U);

    const json status = world.status_json();
    CHECK(status.at("catalog_info").at("version") == first.version);
    CHECK(status.at("catalog_info").at("source") == "installed");
    CHECK(status.at("catalog_info").at("key_id").get<std::string>().size() == 16);
    CHECK(status.at("path") == (folder / "catalog.json").string());

    auto host = world.env.start();
    const json hello = host->request({{"id", 1}, {"type", "hello"}});
    CHECK(hello.at("catalog_version") == first.version);
    CHECK(hello.at("catalog_info").at("source") == "installed");
    const json catalog = host->request({{"id", 2}, {"type", "catalog"}});
    CHECK(catalog.at("catalog").at("version") == first.version);
    CHECK(catalog.at("catalog_info").at("version") == first.version);
    CHECK(host->request({{"id", 3}, {"type", "status"}}).at("catalog_info").at("source") == "installed");
    host.reset();
    const json cli_status = json::parse(world.env.run_cli({"status", "--json"}).out);
    CHECK(cli_status.at("catalog_version") == first.version);

    // A second update: the first is kept as the fallback, older ones go.
    const Release second = world.release(shift_version(world.bundled_version, 2));
    REQUIRE(world.install(second).status == 0);
    const Release third = world.release(shift_version(world.bundled_version, 3));
    const CliRun again = world.install(third);
    REQUIRE(again.status == 0);
    CHECK(again.out.find("it replaces " + second.version + " (installed)") != std::string::npos);
    CHECK_FALSE(fs::exists(world.installed() / first.version));
    CHECK(fs::exists(world.installed() / second.version));
    CHECK(fs::exists(world.installed() / third.version));
    CHECK(world.status_json().at("catalog_info").at("version") == third.version);
}

TEST_CASE("every refusal exits 1 with the reason and leaves the catalog in use as it was")
{
    World world;
    const Release installed = world.release(shift_version(world.bundled_version, 1));
    REQUIRE(world.install(installed).status == 0);
    const std::string before = world.listing();
    const Release newer = world.release(shift_version(world.bundled_version, 5));
    const fs::path work = world.env.root() / "work";
    fs::create_directories(work);
    Release candidate = newer;
    std::string expected;

    SUBCASE("a tampered file (one byte changed after signing)")
    {
        std::string text = read_text(newer.file);
        const auto at = text.find("\"expected\":\"off\"");
        REQUIRE(at != std::string::npos);
        text.replace(at, 16, "\"expected\":\"on\" ");
        candidate.file = work / "tampered.json";
        write_text(candidate.file, text);
        expected = "(bad_signature): the signature does not match the catalog file";
    }
    SUBCASE("signed with a key that is not trusted")
    {
        const Signer stranger(world.env.root() / "stranger");
        candidate = world.release(world.source(shift_version(world.bundled_version, 5)), stranger);
        expected = "(untrusted_key): the catalog is signed with key ";
    }
    SUBCASE("not newer than the installed catalog in use")
    {
        candidate = world.release(world.source(installed.version), world.signer);
        expected = "(not_newer): version " + installed.version
            + " is not newer than the catalog in use, " + installed.version + " (installed)";
    }
    SUBCASE("older than the bundled catalog")
    {
        candidate = world.release(world.source(shift_version(world.bundled_version, -3)), world.signer);
        expected = "(not_newer): version " + candidate.version + " is not newer";
    }
    SUBCASE("a download cut short")
    {
        const std::string text = read_text(newer.file);
        candidate.file = work / "short.json";
        write_text(candidate.file, text.substr(0, text.size() / 2));
        expected = "(bad_signature)";
    }
    SUBCASE("a damaged signature file")
    {
        candidate.sig = work / "damaged.minisig";
        write_text(candidate.sig, read_text(newer.sig).substr(0, 60));
        expected = "(bad_signature_file): the signature is not a minisign signature file";
    }
    SUBCASE("a signature file of the other release")
    {
        candidate.sig = installed.sig;
        expected = "(bad_signature)";
    }
    SUBCASE("larger than a release may be")
    {
        candidate.file = work / "huge.json";
        write_text(candidate.file, read_text(newer.file) + std::string(700 * 1024, ' '));
        expected = "(too_large): the catalog file is ";
    }
    SUBCASE("signed but not a valid catalog")
    {
        candidate = world.release(
            world.source(shift_version(world.bundled_version, 5),
                         [](const std::string& name, json& platform) {
                             if (name == "linkedin.json") {
                                 platform["settings"][0]["expected"] = "sometimes";
                             }
                         }),
            world.signer);
        expected = "(invalid): the catalog is signed but not valid: linkedin.json: settings[0].expected";
    }
    SUBCASE("no trusted key in the prefix")
    {
        fs::remove(world.share / "keys" / "catalog.pub");
        expected = "(untrusted_key): no trusted catalog signing key in ";
    }
    SUBCASE("a missing file")
    {
        candidate.file = work / "missing.json";
        expected = "catalog not installed: cannot open ";
    }
    const CliRun run = world.install(candidate);
    INFO(run.err);
    CHECK(run.status == 1);
    CHECK(run.out.empty());
    CHECK(run.err.find(expected) != std::string::npos);
    CHECK(world.listing() == before);
    if (fs::exists(world.share / "keys" / "catalog.pub")) {
        CHECK(run.err.find("the catalog in use is still " + installed.version + " (installed") != std::string::npos);
        CHECK(world.status_json().at("catalog_info").at("version") == installed.version);
    }
}

TEST_CASE("the host agrees with minisign -V on every signature it is shown")
{
    World world;
    const Release good = world.release(shift_version(world.bundled_version, 1));
    const fs::path work = world.env.root() / "work";
    fs::create_directories(work);
    // The same file signed the legacy way (minisign -l: Ed25519 of the file itself).
    const fs::path legacy = work / "legacy.minisig";
    REQUIRE(shell("minisign -S -l -s " + quoted(world.signer.key) + " -m " + quoted(good.file) + " -x "
                  + quoted(legacy) + " -t 'legacy' >/dev/null")
            == 0);
    const Signer stranger(world.env.root() / "stranger");
    const fs::path foreign = work / "foreign.minisig";
    REQUIRE(shell("minisign -S -s " + quoted(stranger.key) + " -m " + quoted(good.file) + " -x "
                  + quoted(foreign) + " >/dev/null")
            == 0);
    const fs::path changed_comment = work / "comment.minisig";
    {
        std::string sig = read_text(good.sig);
        const auto at = sig.find("\ntrusted comment: ") + 18;
        sig.insert(at, "x");
        write_text(changed_comment, sig);
    }
    const fs::path untrusted_comment = work / "untrusted.minisig";
    {
        std::string sig = read_text(good.sig);
        sig.insert(sig.find('\n'), " (not signed)");
        write_text(untrusted_comment, sig);
    }
    const fs::path tampered = work / "tampered.json";
    {
        std::string text = read_text(good.file);
        text[text.size() / 2] = text[text.size() / 2] == 'a' ? 'b' : 'a';
        write_text(tampered, text);
    }
    struct Case {
        const char* name;
        fs::path file;
        fs::path sig;
    };
    const std::vector<Case> cases = {{"prehashed", good.file, good.sig},
                                     {"legacy", good.file, legacy},
                                     {"another key", good.file, foreign},
                                     {"untrusted comment changed", good.file, untrusted_comment},
                                     {"trusted comment changed", good.file, changed_comment},
                                     {"file changed", tampered, good.sig}};
    for (const auto& c : cases) {
        const std::string name = c.name;
        CAPTURE(name);
        const bool minisign_accepts = shell("minisign -V -q -p " + quoted(world.signer.pub) + " -m "
                                            + quoted(c.file) + " -x " + quoted(c.sig) + " 2>/dev/null")
            == 0;
        // A fresh data folder each time, so the version is new to the host.
        world.env.env["XDG_DATA_HOME"] = (world.env.root() / ("data-" + std::string(c.name))).string();
        const CliRun run = world.env.run_cli({"catalog", "install", c.file.string(), c.sig.string()});
        CHECK((run.status == 0) == minisign_accepts);
        CHECK(minisign_accepts
              == (name == "prehashed" || name == "legacy" || name == "untrusted comment changed"));
    }
}

TEST_CASE("a damaged installed catalog is passed over with a clear message: the previous one, else the bundled one")
{
    World world;
    const Release first = world.release(shift_version(world.bundled_version, 1));
    const Release second = world.release(shift_version(world.bundled_version, 2));
    REQUIRE(world.install(first).status == 0);
    REQUIRE(world.install(second).status == 0);
    REQUIRE(world.hello().at("catalog_info").at("version") == second.version);

    // One byte of the newest changed on disk: the older installed one is used.
    const fs::path newest = world.installed() / second.version / "catalog.json";
    std::string text = read_text(newest);
    text.back() = ' ';
    write_text(newest, text);
    json info = world.status_json().at("catalog_info");
    CHECK(info.at("version") == first.version);
    CHECK(info.at("source") == "installed");
    REQUIRE(info.at("notices").size() == 1);
    CHECK(info.at("notices")[0].get<std::string>().find("the installed catalog " + second.version)
          != std::string::npos);
    CHECK(info.at("notices")[0].get<std::string>().find("was not used: the signature does not match")
          != std::string::npos);

    // Both damaged (one missing its signature): the bundled catalog, and every reader says why.
    fs::remove(world.installed() / first.version / "catalog.json.minisig");
    info = world.status_json().at("catalog_info");
    CHECK(info.at("source") == "bundled");
    CHECK(info.at("version") == world.bundled_version);
    CHECK(info.at("notices").size() == 2);
    const json hello = world.hello();
    CHECK(hello.at("catalog_version") == world.bundled_version);
    CHECK(hello.at("catalog_error").is_null());
    CHECK(hello.at("catalog_info").at("notices").size() == 2);
    CHECK(world.env.stderr_text().find("catalog.json.minisig is missing") != std::string::npos);
    const CliRun due = world.env.run_cli({"due"});
    CHECK(due.status == 0);
    CHECK(due.err.find("was not used") != std::string::npos);
    const CliRun text_status = world.env.run_cli({"catalog", "status"});
    CHECK(text_status.out.find("Catalog in use: " + world.bundled_version + " (bundled)") != std::string::npos);
    CHECK(text_status.out.find("Note: the installed catalog") != std::string::npos);

    // A good newer release installs over the damage.
    const Release third = world.release(shift_version(world.bundled_version, 3));
    REQUIRE(world.install(third).status == 0);
    CHECK(world.status_json().at("catalog_info").at("notices").empty());
}

TEST_CASE("the catalog cache never answers hello for a catalog that changed, was replaced or is damaged")
{
    World world;
    const fs::path cache = world.env.root() / "cache" / "optguard" / "catalog-cache";
    CHECK(world.hello().at("catalog_info").at("source") == "bundled");
    REQUIRE(fs::exists(cache));
    CHECK(read_text(cache).find("\norigin bundled\n") != std::string::npos);

    const Release first = world.release(shift_version(world.bundled_version, 1));
    REQUIRE(world.install(first).status == 0);
    json hello = world.hello();
    CHECK(hello.at("catalog_version") == first.version);
    CHECK(hello.at("catalog_info").at("source") == "installed");
    CHECK(read_text(cache).find("\norigin installed\n") != std::string::npos);
    const std::string recorded = read_text(cache);
    CHECK(world.hello() == hello); // now from the record
    CHECK(read_text(cache) == recorded);

    SUBCASE("its file changed in place, same size and mtime")
    {
        const fs::path file = world.installed() / first.version / "catalog.json";
        std::string text = read_text(file);
        const auto mtime = fs::last_write_time(file);
        text[text.size() / 2] = text[text.size() / 2] == 'a' ? 'b' : 'a';
        std::this_thread::sleep_for(std::chrono::milliseconds(20)); // a later ctime
        write_text(file, text);
        fs::last_write_time(file, mtime);
    }
    SUBCASE("its signature replaced")
    {
        const fs::path sig = world.installed() / first.version / "catalog.json.minisig";
        write_text(sig, "untrusted comment: x\nAAAA\ntrusted comment: y\nAAAA\n");
    }
    SUBCASE("its key no longer trusted")
    {
        fs::remove(world.share / "keys" / "catalog.pub");
    }
    auto host = world.env.start();
    hello = host->request({{"id", 1}, {"type", "hello"}});
    CHECK(hello.at("catalog_version") == world.bundled_version);
    CHECK(hello.at("catalog_info").at("source") == "bundled");
    CHECK(hello.at("catalog_info").at("notices").size() == 1);
    CHECK(host->request({{"id", 2}, {"type", "catalog"}}).at("catalog").at("version")
          == world.bundled_version);
    host.reset();
    CHECK(read_text(cache) == recorded); // a choice with a notice is never recorded
}

TEST_CASE("install_catalog: bytes the extension fetched, as base64 or text, installed and used at once")
{
    World world;
    const Release release = world.release(shift_version(world.bundled_version, 1));
    const std::string bytes = read_text(release.file);
    const std::string signature = read_text(release.sig);
    auto host = world.env.start();
    REQUIRE(host->request({{"id", 1}, {"type", "catalog"}}).at("catalog").at("version")
            == world.bundled_version);

    SUBCASE("as base64")
    {
        const json reply = host->request({{"id", 2},
                                          {"type", "install_catalog"},
                                          {"catalog_base64", optguard::util::encode_base64(bytes)},
                                          {"signature", signature}});
        INFO(reply.dump());
        REQUIRE(reply.at("ok") == true);
        CHECK(reply.at("type") == "install_catalog");
        CHECK(reply.at("version") == release.version);
        CHECK(reply.at("previous_version") == world.bundled_version);
        CHECK(reply.at("new_policy_events") == json::array());
        CHECK(reply.at("catalog_info").at("source") == "installed");
        CHECK(reply.at("catalog_info").at("version") == release.version);
    }
    SUBCASE("as text")
    {
        const json reply = host->request(
            {{"id", 2}, {"type", "install_catalog"}, {"catalog", bytes}, {"signature", signature}});
        REQUIRE(reply.at("ok") == true);
    }
    // The same session judges with the new catalog at once.
    CHECK(host->request({{"id", 3}, {"type", "catalog"}}).at("catalog").at("version") == release.version);
    CHECK(host->request({{"id", 4}, {"type", "hello"}}).at("catalog_version") == release.version);
    // The same again is not newer.
    const json again = host->request(
        {{"id", 5}, {"type", "install_catalog"}, {"catalog", bytes}, {"signature", signature}});
    CHECK(again.at("ok") == false);
    CHECK(again.at("error").at("code") == "catalog_rejected");
    CHECK(again.at("error").at("reason") == "not_newer");
    CHECK(fs::exists(world.installed() / release.version / "catalog.json"));
}

TEST_CASE("install_catalog refusals: catalog_rejected with a reason, bad fields, and the frame limit")
{
    World world;
    const Release release = world.release(shift_version(world.bundled_version, 1));
    const std::string bytes = read_text(release.file);
    const std::string signature = read_text(release.sig);
    auto host = world.env.start();
    const auto install = [&](json fields) {
        fields["id"] = 9;
        fields["type"] = "install_catalog";
        return host->request(fields);
    };
    std::string tampered = bytes;
    tampered[tampered.size() / 3] = tampered[tampered.size() / 3] == 'e' ? 'f' : 'e';
    json reply = install({{"catalog", tampered}, {"signature", signature}});
    CHECK(reply.at("error").at("code") == "catalog_rejected");
    CHECK(reply.at("error").at("reason") == "bad_signature");
    CHECK(reply.at("error").at("message").get<std::string>().find("changed or damaged") != std::string::npos);
    reply = install({{"catalog", bytes}, {"signature", "not a signature"}});
    CHECK(reply.at("error").at("reason") == "bad_signature_file");
    // Under the frame limit but over the release limit.
    reply = install({{"catalog", bytes + std::string(700 * 1024 - bytes.size(), ' ')}, {"signature", signature}});
    CHECK(reply.at("error").at("reason") == "too_large");
    reply = install({{"catalog_base64", "not base64!"}, {"signature", signature}});
    CHECK(reply.at("error").at("code") == "bad_request");
    reply = install({{"signature", signature}});
    CHECK(reply.at("error").at("code") == "bad_request");
    reply = install({{"catalog", bytes}, {"catalog_base64", "AAAA"}, {"signature", signature}});
    CHECK(reply.at("error").at("code") == "bad_request");
    reply = install({{"catalog", bytes}});
    CHECK(reply.at("error").at("code") == "bad_request");
    CHECK_FALSE(fs::exists(world.installed() / release.version));
    CHECK(host->request({{"id", 10}, {"type", "catalog"}}).at("catalog").at("version")
          == world.bundled_version);

    // Over the 1 MiB frame limit: too_large, and the host stops (the extension checks the size first).
    const std::string huge = json {{"id", 11}, {"type", "install_catalog"},
                                   {"catalog", std::string(1024 * 1024, ' ')},
                                   {"signature", signature}}
                                 .dump();
    REQUIRE(host->send_raw(header(static_cast<std::uint32_t>(huge.size())) + huge.substr(0, 1000)));
    const json too_large = host->read_reply();
    CHECK(too_large.at("error").at("code") == "too_large");
    CHECK(host->wait_exit() == 0);
}

TEST_CASE("new policy events in an update are due at once through the reminder rules")
{
    World world;
    // LinkedIn verified (off) two days ago, acknowledged nothing else.
    {
        auto host = world.env.start();
        REQUIRE(host->request(linkedin_report(1, "off")).at("ok") == true);
    }
    (void)world.env.query_text("UPDATE observations SET observed_at = observed_at - 2 * 86400000");
    const auto linkedin_due = [&]() -> json {
        const json due = json::parse(world.env.run_cli({"due", "--json"}).out);
        for (const auto& platform : due.at("platforms")) {
            for (const auto& setting : platform.at("settings")) {
                if (setting.at("platform") == "linkedin" && setting.at("setting") == "generative-ai-training") {
                    return setting;
                }
            }
        }
        return nullptr;
    };
    REQUIRE(linkedin_due().is_null()); // verified, within its interval, no newer event

    // Yesterday (UTC): after the verification, before now.
    const std::string yesterday = optguard::domain::format_date_utc(
        optguard::system_now() - std::chrono::hours(24));
    const std::string summary = "LinkedIn extends AI training to messages";
    const Release update = world.release(world.source(
        shift_version(world.bundled_version, 1), [&](const std::string& name, json& platform) {
            if (name != "linkedin.json") {
                return;
            }
            for (auto& setting : platform.at("settings")) {
                if (setting.at("id") == "generative-ai-training") {
                    setting["policy_events"].push_back(
                        {{"date", yesterday}, {"regions", {"GLOBAL"}}, {"summary", summary},
                         {"source", "https://www.linkedin.com/legal/privacy-policy"}});
                }
            }
        }), world.signer);
    const CliRun installed = world.install(update);
    INFO(installed.err);
    REQUIRE(installed.status == 0);
    CHECK(installed.out.find("New policy changes:\n  " + yesterday + "  linkedin/generative-ai-training: "
                             + summary)
          != std::string::npos);

    const json due = linkedin_due();
    REQUIRE_FALSE(due.is_null());
    CHECK(due.at("severity") == "high");
    REQUIRE(due.at("reasons").size() == 1);
    CHECK(due.at("reasons")[0].at("code") == "policy_event");
    CHECK(due.at("reasons")[0].at("policy_date") == yesterday);
    CHECK(due.at("reasons")[0].at("message").get<std::string>().find(summary) != std::string::npos);
    const CliRun text = world.env.run_cli({"due"});
    CHECK(text.out.find(summary) != std::string::npos);
}

TEST_CASE("an old catalog says the knowledge may be out of date, in catalog status, status and hello")
{
    // A prefix whose bundled catalog is years old.
    TestEnv scratch;
    const fs::path old = scratch.root() / "old";
    fs::create_directories(old);
    for (const auto& entry : fs::directory_iterator(staged_catalog)) {
        fs::copy_file(entry.path(), old / entry.path().filename());
    }
    json index = json::parse(read_text(old / "index.json"));
    index["version"] = "2020.01.02";
    write_text(old / "index.json", index.dump());
    World world(old);

    const CliRun run = world.env.run_cli({"catalog", "status"});
    CHECK(run.status == 0);
    CHECK(run.out.find("may be out of date") != std::string::npos);
    const json info = world.status_json().at("catalog_info");
    CHECK(info.at("stale") == true);
    CHECK(info.at("age_days").get<int>() > 60);
    CHECK(world.hello().at("catalog_info").at("stale") == true);
    CHECK(world.env.run_cli({"status"}).err.find("may be out of date") != std::string::npos);
    auto host = world.env.start();
    CHECK(host->request({{"id", 1}, {"type", "status"}}).at("catalog_info").at("stale") == true);
    host.reset();

    // A newer signed catalog cures it.
    std::string today = today_utc();
    std::replace(today.begin(), today.end(), '-', '.');
    const Release fresh = world.release(world.source(today), world.signer);
    REQUIRE(world.install(fresh).status == 0);
    CHECK(world.status_json().at("catalog_info").at("stale") == false);
}

} // namespace OPTGUARD_TEST_FILE
