// Corrupt and hostile files around the real host (issue 8): a damaged state database, a config that
// is a link or that others can write, a state folder of another user or writable by everyone, and a
// full disk. In every case the host says what is wrong with which file, keeps serving, and never
// overwrites or deletes what it was given.

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_env.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::itest;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string read_bytes(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

void write_bytes(const fs::path& file, const std::string& bytes)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

std::string message_of(const json& reply)
{
    return reply.at("error").at("message").get<std::string>();
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

// A private state folder with a database holding `reports` rows, written by a host that has exited
// (so the WAL is checkpointed into the main file).
void fill_database(TestEnv& env, int reports)
{
    auto host = env.start();
    for (int r = 0; r < reports; ++r) {
        REQUIRE(host->request(linkedin_report(r, r % 2 == 0 ? "on" : "off")).at("ok") == true);
    }
    host->close_stdin();
    REQUIRE(host->wait_exit() == 0);
    REQUIRE_FALSE(fs::exists(env.database().string() + "-wal"));
}

// Both the report and the status request fail with storage_error naming the file as damaged, the
// host keeps answering hello, and the file's bytes are exactly what they were.
void check_damaged_store_is_refused_and_kept(TestEnv& env, const std::string& bytes)
{
    auto host = env.start();
    const json report = host->request(linkedin_report(1, "off"));
    CHECK(report.at("error").at("code") == "storage_error");
    CHECK(contains(message_of(report), env.database().string()));
    CHECK(contains(message_of(report), "is damaged"));
    CHECK(contains(message_of(report), "has not changed it"));
    const json status = host->request({{"id", 2}, {"type", "status"}});
    CHECK(status.at("error").at("code") == "storage_error");
    CHECK(host->request({{"id", 3}, {"type", "hello"}}).at("ok") == true);
    // A second report tries to open the store again: still refused, still untouched.
    CHECK(host->request(linkedin_report(4, "on")).at("error").at("code") == "storage_error");
    host->close_stdin();
    CHECK(host->wait_exit() == 0);
    CHECK(read_bytes(env.database()) == bytes);
    CHECK_FALSE(fs::exists(env.database().string() + "-wal"));
}

} // namespace

TEST_CASE("a state database full of garbage is refused by name and left as it is")
{
    TestEnv env;
    std::string garbage;
    for (int i = 0; i < 3000; ++i) {
        garbage += static_cast<char>((i * 7919) % 251);
    }
    fs::create_directories(env.state_dir());
    fs::permissions(env.state_dir(), fs::perms(0700));
    write_bytes(env.database(), garbage);
    ::chmod(env.database().c_str(), 0600);
    check_damaged_store_is_refused_and_kept(env, garbage);
}

TEST_CASE("another program's SQLite database at the state path is refused by name and left as it is")
{
    TestEnv env;
    fs::create_directories(env.state_dir());
    fs::permissions(env.state_dir(), fs::perms(0700));
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(env.database().c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup')",
                         nullptr, nullptr, nullptr)
            == SQLITE_OK);
    sqlite3_close(db);
    ::chmod(env.database().c_str(), 0600);
    const std::string bytes = read_bytes(env.database());

    auto host = env.start();
    const json report = host->request(linkedin_report(1, "off"));
    CHECK(report.at("error").at("code") == "storage_error");
    CHECK(contains(message_of(report), env.database().string()));
    CHECK(contains(message_of(report), "is not OptGuard's"));
    CHECK(contains(message_of(report), "has not changed it"));
    CHECK(host->request({{"id", 2}, {"type", "status"}}).at("error").at("code") == "storage_error");
    CHECK(host->request({{"id", 3}, {"type", "hello"}}).at("ok") == true);
    host->close_stdin();
    CHECK(host->wait_exit() == 0);
    CHECK(read_bytes(env.database()) == bytes);
    CHECK_FALSE(fs::exists(env.database().string() + "-wal"));
}

TEST_CASE("a truncated state database is refused by name and left as it is")
{
    TestEnv env;
    fill_database(env, 400);
    const std::string whole = read_bytes(env.database());
    REQUIRE(whole.size() > 16384U);
    SUBCASE("cut inside the first page")
    {
        const std::string cut = whole.substr(0, 3000);
        write_bytes(env.database(), cut);
        // Under 512 bytes of header-only data SQLite still sees a database; 3000 is past the header.
        check_damaged_store_is_refused_and_kept(env, cut);
    }
    SUBCASE("cut after two pages")
    {
        const std::string cut = whole.substr(0, 8192);
        write_bytes(env.database(), cut);
        check_damaged_store_is_refused_and_kept(env, cut);
    }
}

TEST_CASE("a config file that is a symbolic link is refused with the reason")
{
    TestEnv env;
    const fs::path target = env.root() / "elsewhere.json";
    const std::string text = R"({"format":1,"settings":{"linkedin/generative-ai-training":{"expected":"on"}}})";
    write_bytes(target, text);
    fs::create_directories(env.config_file().parent_path());
    SUBCASE("to a valid config") { fs::create_symlink(target, env.config_file()); }
    SUBCASE("to a device that never ends") { fs::create_symlink("/dev/zero", env.config_file()); }
    SUBCASE("dangling") { fs::create_symlink(env.root() / "missing.json", env.config_file()); }
    auto host = env.start();
    const json hello = host->request({{"id", 1}, {"type", "hello"}});
    REQUIRE(hello.at("config_error").is_string());
    const std::string error = hello.at("config_error").get<std::string>();
    CHECK(contains(error, env.config_file().string()));
    CHECK(contains(error, "is a symbolic link"));
    CHECK(contains(error, "Replace the link with a copy"));
    const json report = host->request(linkedin_report(2, "on"));
    CHECK(report.at("error").at("code") == "config_invalid");
    CHECK(message_of(report) == error);
    CHECK(read_bytes(target) == text);
}

TEST_CASE("a config file others can write, or of another user, or not a file, is refused")
{
    TestEnv env;
    env.write_config(R"({"format":1})");
    std::string expected;
    SUBCASE("world-writable")
    {
        fs::permissions(env.config_file(), fs::perms(0646));
        expected = "is writable by group or others";
    }
    SUBCASE("group-writable")
    {
        fs::permissions(env.config_file(), fs::perms(0620));
        expected = "chmod 600";
    }
    SUBCASE("owned by another user")
    {
        if (::geteuid() != 0) {
            MESSAGE("skipped: changing a file's owner needs root");
            return;
        }
        REQUIRE(::chown(env.config_file().c_str(), 65534, 65534) == 0);
        expected = "belongs to another user";
    }
    SUBCASE("a folder")
    {
        fs::remove(env.config_file());
        fs::create_directory(env.config_file());
        expected = "is not a regular file";
    }
    auto host = env.start();
    const json hello = host->request({{"id", 1}, {"type", "hello"}});
    REQUIRE(hello.at("config_error").is_string());
    CHECK(contains(hello.at("config_error").get<std::string>(), env.config_file().string()));
    CHECK(contains(hello.at("config_error").get<std::string>(), expected));
    CHECK(host->request(linkedin_report(2, "on")).at("error").at("code") == "config_invalid");
}

TEST_CASE("a state folder of another user or writable by everyone is refused and left alone")
{
    TestEnv env;
    fs::create_directories(env.state_dir());
    fs::permissions(env.state_dir(), fs::perms(0700));
    std::string expected;
    SUBCASE("world-writable")
    {
        fs::permissions(env.state_dir(), fs::perms(0777));
        expected = "is writable by group or others; run: chmod 700";
    }
    SUBCASE("writable by others only")
    {
        fs::permissions(env.state_dir(), fs::perms(0702));
        expected = "is writable by group or others";
    }
    SUBCASE("owned by another user")
    {
        if (::geteuid() != 0) {
            MESSAGE("skipped: changing a folder's owner needs root");
            return;
        }
        REQUIRE(::chown(env.state_dir().c_str(), 65534, 65534) == 0);
        expected = "belongs to another user";
    }
    auto host = env.start();
    const json reply = host->request(linkedin_report(1, "on"));
    CHECK(reply.at("error").at("code") == "storage_error");
    CHECK(contains(message_of(reply), env.state_dir().string()));
    CHECK(contains(message_of(reply), expected));
    CHECK(host->request({{"id", 2}, {"type", "hello"}}).at("ok") == true);
    CHECK(fs::is_empty(env.state_dir())); // no database was created in it
}

TEST_CASE("a state database that is a symbolic link is not followed")
{
    TestEnv env;
    fs::create_directories(env.state_dir());
    fs::permissions(env.state_dir(), fs::perms(0700));
    const fs::path victim = env.root() / "victim.txt";
    write_bytes(victim, "precious");
    fs::create_symlink(victim, env.database());
    auto host = env.start();
    CHECK(host->request(linkedin_report(1, "on")).at("error").at("code") == "storage_error");
    CHECK(read_bytes(victim) == "precious");
}

TEST_CASE("on a full disk a report fails with storage_error and nothing stored earlier is lost")
{
    TestEnv env;
    const fs::path mount_point = env.root() / "state";
    fs::create_directories(mount_point);
    if (::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=1m,mode=0700") != 0) {
        MESSAGE("skipped: cannot mount a 1 MiB tmpfs here (" << std::strerror(errno)
                                                               << "); run as root to test a full disk");
        return;
    }
    struct Unmount {
        fs::path path;
        ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
    } unmount {mount_point};

    auto host = env.start();
    for (int r = 0; r < 5; ++r) {
        REQUIRE(host->request(linkedin_report(r, "off")).at("ok") == true);
    }
    // Fill what is left of the disk.
    const fs::path filler = mount_point / "filler";
    {
        std::ofstream out(filler, std::ios::binary);
        const std::string block(4096, 'f');
        for (int i = 0; i < 1024 && out; ++i) {
            out.write(block.data(), static_cast<std::streamsize>(block.size()));
            out.flush();
        }
    }
    // The WAL has room for a few more frames before it needs new blocks: write until it fails.
    json failed;
    int accepted_while_full = 0;
    for (int r = 100; r < 400; ++r) {
        const json reply = host->request(linkedin_report(r, "on"));
        if (reply.at("ok") == false) {
            failed = reply;
            break;
        }
        ++accepted_while_full;
    }
    REQUIRE_FALSE(failed.is_null());
    CHECK(failed.at("error").at("code") == "storage_error");
    CHECK(contains(message_of(failed), "disk is full"));
    CHECK(contains(message_of(failed), env.database().string()));
    // Still serving, and the history is still readable.
    CHECK(host->request({{"id", "h"}, {"type", "hello"}}).at("ok") == true);
    const json status = host->request({{"id", "s"}, {"type", "status"}});
    REQUIRE(status.at("ok") == true);
    CHECK(linkedin_row(status.at("settings")).at("verified_at").is_string());

    // Space comes back: the same host stores again.
    fs::remove(filler);
    CHECK(host->request(linkedin_report("again", "off")).at("ok") == true);
    host->close_stdin();
    CHECK(host->wait_exit() == 0);
    CHECK(env.integrity_check() == "ok");
    CHECK(env.count_rows() == 5 + accepted_while_full + 1);
}

} // namespace OPTGUARD_TEST_FILE
