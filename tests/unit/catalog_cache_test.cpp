#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "storage/catalog_cache.hpp"
#include "test_support.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::storage;
using optguard::test::TempDir;
namespace fs = std::filesystem;

namespace {

const fs::path fixtures = OPTGUARD_TEST_FIXTURES;
const std::vector<std::string> valid_files = {"index.json", "example.json", "forms-only.json"};
const CachedCatalog bundled {"2026.11.23", "bundled", "2026-11-23", ""};

CatalogCacheEntry sample_entry()
{
    CatalogCacheEntry entry;
    entry.host = "0.1.0 123456 1795432502123000000";
    entry.folder = "/usr/share/optguard/catalog with a space";
    entry.catalog = {"2026.11.23", "installed", "2026-11-24", "FA9AD1315C12CA6F"};
    entry.files.push_back({"index.json", 64769, 42, 355, 1795432502123456789, 1795432502123456790});
    entry.files.push_back({"linkedin.json", 64769, 43, 3999, -1, 0});
    entry.sources.push_back({SourceStamp::Kind::folder, "/usr/share/optguard/keys", 1, 2, 0, 3, 4});
    entry.sources.push_back({SourceStamp::Kind::absent, "/home/u/.local/share/optguard/cat alogs", 0,
                             0, 0, 0, 0});
    entry.sources.push_back({SourceStamp::Kind::file, "/k/a.pub", 1, 5, 100, 6, 7});
    return entry;
}

// A copy of the valid fixture catalog, its files dated an hour back.
fs::path settled_catalog(const TempDir& temp)
{
    const fs::path dir = temp.path() / "catalog";
    fs::create_directories(dir);
    const auto past = fs::file_time_type::clock::now() - std::chrono::hours(1);
    for (const auto& name : valid_files) {
        fs::copy_file(fixtures / "catalogs" / "valid" / name, dir / name);
        fs::last_write_time(dir / name, past);
    }
    return dir;
}

#if !defined(_WIN32) // Windows (tests/windows/run.sh): no group/other bits, no inode or ctime
unsigned mode_of(const fs::path& path)
{
    struct stat info {};
    REQUIRE(::lstat(path.c_str(), &info) == 0);
    return static_cast<unsigned>(info.st_mode & 07777);
}
#endif

} // namespace

TEST_CASE("a cache record reads back exactly as written")
{
    const CatalogCacheEntry entry = sample_entry();
    const std::string text = format_catalog_cache(entry);
    CHECK(text.rfind("optguard-catalog-cache 2\n", 0) == 0);
    const auto parsed = parse_catalog_cache(text);
    REQUIRE(parsed);
    CHECK(*parsed == entry);
}

TEST_CASE("a record that is not exactly what this code writes is refused")
{
    const std::string text = format_catalog_cache(sample_entry());
    CHECK_FALSE(parse_catalog_cache(""));
    CHECK_FALSE(parse_catalog_cache(text.substr(0, text.size() - 1)));  // no final newline
    CHECK_FALSE(parse_catalog_cache(text.substr(0, text.size() / 2)));  // cut short
    CHECK_FALSE(parse_catalog_cache(text + "file x.json 1 2 3 4 5\n")); // after the checksum
    for (std::size_t i = 0; i < text.size(); i += 7) {
        std::string flipped = text;
        flipped[i] = static_cast<char>(flipped[i] ^ 0x01);
        CHECK_FALSE(parse_catalog_cache(flipped));
    }
    // Well-formed and with a right checksum, but not a record this host would write.
    CatalogCacheEntry entry = sample_entry();
    entry.files[1].name = "../outside.json";
    CHECK_FALSE(parse_catalog_cache(format_catalog_cache(entry)));
    entry = sample_entry();
    std::swap(entry.files[0], entry.files[1]); // index.json must come first
    CHECK_FALSE(parse_catalog_cache(format_catalog_cache(entry)));
    entry = sample_entry();
    entry.catalog.version = "not a date";
    CHECK_FALSE(parse_catalog_cache(format_catalog_cache(entry)));
    entry = sample_entry();
    entry.catalog.origin = "elsewhere";
    CHECK_FALSE(parse_catalog_cache(format_catalog_cache(entry)));
    entry = sample_entry();
    entry.catalog.key_id = ""; // an installed catalog names its key
    CHECK_FALSE(parse_catalog_cache(format_catalog_cache(entry)));
    entry = sample_entry();
    entry.catalog.key_id = "fa9ad1315c12ca6f";
    CHECK_FALSE(parse_catalog_cache(format_catalog_cache(entry)));
}

TEST_CASE("a written record vouches for the catalog until a file, the host or the record changes")
{
    TempDir temp;
    const fs::path dir = settled_catalog(temp);
    const fs::path cache = temp.path() / "cache" / "optguard" / catalog_cache_file_name;
    const std::string host = "0.1.0 1 2";
    REQUIRE(write_catalog_cache(cache, dir, valid_files, bundled, host, stamp_catalog_folder(dir),
                                {}, {}));
#if !defined(_WIN32)
    CHECK(mode_of(cache) == 0600U);
    CHECK(mode_of(cache.parent_path()) == 0700U);
#endif
    CHECK(read_catalog_cache(cache, dir, host) == bundled);

    SUBCASE("another host binary")
    {
        CHECK_FALSE(read_catalog_cache(cache, dir, "0.1.0 1 3"));
        CHECK_FALSE(read_catalog_cache(cache, dir, ""));
    }
    SUBCASE("another catalog folder")
    {
        TempDir other;
        CHECK_FALSE(read_catalog_cache(cache, settled_catalog(other), host));
    }
#if !defined(_WIN32)
    SUBCASE("a platform file rewritten with the same size and mtime")
    {
        const fs::path file = dir / "example.json";
        const auto mtime = fs::last_write_time(file);
        std::this_thread::sleep_for(std::chrono::milliseconds(20)); // a later ctime, even coarse
        std::ostringstream text;
        text << std::ifstream(file, std::ios::binary).rdbuf();
        std::ofstream(file, std::ios::binary | std::ios::trunc) << text.str();
        fs::last_write_time(file, mtime);
        CHECK_FALSE(read_catalog_cache(cache, dir, host));
    }
#endif
    SUBCASE("a platform file touched")
    {
        fs::last_write_time(dir / "forms-only.json",
                            fs::last_write_time(dir / "forms-only.json") + std::chrono::seconds(1));
        CHECK_FALSE(read_catalog_cache(cache, dir, host));
    }
    SUBCASE("a file removed")
    {
        fs::remove(dir / "forms-only.json");
        CHECK_FALSE(read_catalog_cache(cache, dir, host));
    }
    SUBCASE("the record damaged or missing")
    {
        std::ofstream(cache, std::ios::binary | std::ios::app) << "x";
        CHECK_FALSE(read_catalog_cache(cache, dir, host));
        fs::remove(cache);
        CHECK_FALSE(read_catalog_cache(cache, dir, host));
    }
#if !defined(_WIN32)
    SUBCASE("the record writable by others")
    {
        fs::permissions(cache, fs::perms(0622));
        CHECK_FALSE(read_catalog_cache(cache, dir, host));
    }
#endif
}

TEST_CASE("a catalog that changes while it is read is not recorded")
{
    TempDir temp;
    const fs::path dir = settled_catalog(temp);
    const fs::path cache = temp.path() / "cache" / catalog_cache_file_name;
    const auto before = stamp_catalog_folder(dir);
    REQUIRE(before.size() == valid_files.size());
    SUBCASE("a file touched after the stamps were taken")
    {
        fs::last_write_time(dir / "example.json",
                            fs::last_write_time(dir / "example.json") + std::chrono::seconds(1));
        CHECK_FALSE(write_catalog_cache(cache, dir, valid_files, bundled, "h", before, {}, {}));
    }
    SUBCASE("a file that was not there before")
    {
        std::vector<FileStamp> without = before;
        without.erase(std::remove_if(without.begin(), without.end(),
                                     [](const FileStamp& s) { return s.name == "forms-only.json"; }),
                      without.end());
        CHECK_FALSE(write_catalog_cache(cache, dir, valid_files, bundled, "h", without, {}, {}));
    }
    SUBCASE("names that are not catalog files, or no index.json first")
    {
        CHECK_FALSE(write_catalog_cache(cache, dir, {"index.json", "../x.json"}, bundled, "h",
                                        before, {}, {}));
        CHECK_FALSE(write_catalog_cache(cache, dir, {"example.json"}, bundled, "h", before, {}, {}));
    }
    CHECK_FALSE(fs::exists(cache));
}

TEST_CASE("a record vouches for the keys and installed releases it was made with, and no longer once they change")
{
    TempDir temp;
    const fs::path dir = settled_catalog(temp);
    const fs::path keys = temp.path() / "keys";
    const fs::path installed = temp.path() / "data" / "catalogs";
    fs::create_directories(keys);
    std::ofstream(keys / "a.pub") << "key";
    const std::vector<fs::path> roots {keys, installed};
    const auto sources = stamp_sources(roots);
    REQUIRE(sources.size() == 3); // keys, keys/a.pub, installed (absent)
    CHECK(sources[2].kind == SourceStamp::Kind::absent);
    const fs::path cache = temp.path() / "cache" / catalog_cache_file_name;
    REQUIRE(write_catalog_cache(cache, dir, valid_files, bundled, "h", stamp_catalog_folder(dir),
                                roots, sources));
    CHECK(read_catalog_cache(cache, dir, "h") == bundled);

    SUBCASE("a release installed")
    {
        fs::create_directories(installed / "2026.12.01");
        CHECK_FALSE(read_catalog_cache(cache, dir, "h"));
    }
    SUBCASE("a key added")
    {
        std::ofstream(keys / "b.pub") << "another key";
        CHECK_FALSE(read_catalog_cache(cache, dir, "h"));
    }
    SUBCASE("a key changed")
    {
        std::ofstream(keys / "a.pub", std::ios::app) << "!";
        CHECK_FALSE(read_catalog_cache(cache, dir, "h"));
    }
    SUBCASE("a file in a release folder replaced")
    {
        fs::create_directories(installed / "2026.12.01");
        std::ofstream(installed / "2026.12.01" / "catalog.json") << "{}";
        const auto with_release = stamp_sources(roots);
        REQUIRE(write_catalog_cache(cache, dir, valid_files, bundled, "h",
                                    stamp_catalog_folder(dir), roots, with_release));
        REQUIRE(read_catalog_cache(cache, dir, "h") == bundled);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        std::ofstream(installed / "2026.12.01" / "catalog.json.new") << "{} ";
        fs::rename(installed / "2026.12.01" / "catalog.json.new",
                   installed / "2026.12.01" / "catalog.json");
        CHECK_FALSE(read_catalog_cache(cache, dir, "h"));
    }
    SUBCASE("sources that changed while the catalog was chosen are not recorded")
    {
        fs::remove(cache);
        std::ofstream(keys / "b.pub") << "another key";
        CHECK_FALSE(write_catalog_cache(cache, dir, valid_files, bundled, "h",
                                        stamp_catalog_folder(dir), roots, sources));
        CHECK_FALSE(fs::exists(cache));
    }
}

} // namespace OPTGUARD_TEST_FILE
