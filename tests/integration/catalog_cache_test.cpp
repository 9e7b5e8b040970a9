// The catalog cache (host/src/storage/catalog_cache.hpp) seen from outside: the real host, its
// cache file, and catalogs that change, break or whose cache is damaged between two starts.
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "test_env.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::itest;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A copy of the staged catalog (which the build refreshes), its files dated an hour back.
fs::path copy_catalog(const TestEnv& env)
{
    const fs::path dir = env.root() / "catalog";
    fs::create_directories(dir);
    for (const auto& entry : fs::directory_iterator(staged_catalog)) {
        if (entry.is_regular_file()) {
            fs::copy_file(entry.path(), dir / entry.path().filename());
        }
    }
    const auto past = fs::file_time_type::clock::now() - std::chrono::hours(1);
    for (const auto& entry : fs::directory_iterator(dir)) {
        fs::last_write_time(entry.path(), past);
    }
    return dir;
}

fs::path cache_file(const TestEnv& env)
{
    return env.root() / "cache" / "optguard" / "catalog-cache";
}

std::string read_text(const fs::path& path)
{
    std::ostringstream text;
    text << std::ifstream(path, std::ios::binary).rdbuf();
    return text.str();
}

json hello(TestEnv& env)
{
    auto host = env.start();
    return host->request({{"id", 1}, {"type", "hello"}});
}

} // namespace

TEST_CASE("the first start records the validated catalog privately and the next answers hello from it")
{
    TestEnv env;
    env.env["OPTGUARD_CATALOG_DIR"] = copy_catalog(env).string();
    const json first = hello(env);
    CHECK(first.at("catalog_version") == staged_catalog_version());
    REQUIRE(fs::exists(cache_file(env)));
    CHECK(mode_of(cache_file(env)) == 0600U);
    CHECK(mode_of(cache_file(env).parent_path()) == 0700U);
    const std::string recorded = read_text(cache_file(env));

    auto host = env.start();
    CHECK(host->request({{"id", 1}, {"type", "hello"}}) == first);
    // The catalog is still loaded and validated for the requests that use it.
    const json catalog = host->request({{"id", 2}, {"type", "catalog"}});
    REQUIRE(catalog.at("ok") == true);
    CHECK(catalog.at("catalog").at("version") == staged_catalog_version());
    CHECK(host->request(linkedin_report(3, "off")).at("verdict") == "compliant");
    CHECK(read_text(cache_file(env)) == recorded); // not rewritten on a hit
    // hello does not create the state folder, with or without the cache.
    CHECK_FALSE(fs::exists(env.root() / "state" / "optguard" / "catalog-cache"));
}

TEST_CASE("a catalog file that changes after it was recorded is validated again and its error shows")
{
    TestEnv env;
    const fs::path dir = copy_catalog(env);
    env.env["OPTGUARD_CATALOG_DIR"] = dir.string();
    REQUIRE(hello(env).at("catalog_error").is_null());
    REQUIRE(fs::exists(cache_file(env)));
    const std::string recorded = read_text(cache_file(env));

    // Same size, same mtime: only the content (and so the ctime) differs.
    const fs::path file = dir / "linkedin.json";
    std::string text = read_text(file);
    const auto at = text.find(R"("expected": "off")");
    REQUIRE(at != std::string::npos);
    text.replace(at, 17, R"("expected": "of!")");
    const auto mtime = fs::last_write_time(file);
    std::this_thread::sleep_for(std::chrono::milliseconds(20)); // a later ctime, even coarse
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
    fs::last_write_time(file, mtime);

    const json after = hello(env);
    CHECK(after.at("catalog_version").is_null());
    CHECK(after.at("catalog_error").get<std::string>().rfind("linkedin.json: settings[", 0) == 0);
    CHECK(after.at("catalog_error").get<std::string>().find(R"(.expected: must be "on" or "off")")
          != std::string::npos);
    CHECK(read_text(cache_file(env)) == recorded); // a broken catalog is never recorded
}

TEST_CASE("a damaged, foreign or stale cache file is ignored and rewritten")
{
    TestEnv env;
    env.env["OPTGUARD_CATALOG_DIR"] = copy_catalog(env).string();
    const json first = hello(env);
    const std::string recorded = read_text(cache_file(env));
    REQUIRE_FALSE(recorded.empty());

    SUBCASE("a flipped byte")
    {
        std::string damaged = recorded;
        damaged[damaged.find("\ncatalog ") + 9] = '1'; // another version, the checksum no longer fits
        std::ofstream(cache_file(env), std::ios::binary | std::ios::trunc) << damaged;
    }
    SUBCASE("cut short")
    {
        std::ofstream(cache_file(env), std::ios::binary | std::ios::trunc)
            << recorded.substr(0, recorded.size() / 2);
    }
    SUBCASE("not text at all")
    {
        std::ofstream(cache_file(env), std::ios::binary | std::ios::trunc) << std::string(64, '\0');
    }
    SUBCASE("writable by others")
    {
        fs::permissions(cache_file(env), fs::perms(0666));
    }
    SUBCASE("a symbolic link")
    {
        const fs::path elsewhere = env.root() / "elsewhere";
        std::ofstream(elsewhere, std::ios::binary) << recorded;
        fs::remove(cache_file(env));
        fs::create_symlink(elsewhere, cache_file(env));
    }
    CHECK(hello(env) == first);
    CHECK(fs::is_regular_file(fs::symlink_status(cache_file(env))));
    CHECK(mode_of(cache_file(env)) == 0600U);
    CHECK(read_text(cache_file(env)) == recorded);
}

} // namespace OPTGUARD_TEST_FILE
