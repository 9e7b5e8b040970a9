#include <atomic>
#include <csignal>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "protocol/frame_io.hpp"
#include "test_env.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::itest;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::vector<std::unique_ptr<HostProcess>> start_hosts(TestEnv& env, int count)
{
    std::vector<std::unique_ptr<HostProcess>> hosts;
    for (int h = 0; h < count; ++h) {
        hosts.push_back(env.start());
    }
    return hosts;
}

} // namespace


TEST_CASE("the state folder is 0700 and the database files are 0600 even under umask 000")
{
    TestEnv env;
    const mode_t previous = ::umask(0); // hosts inherit it; they must not rely on it
    auto host = env.start();
    ::umask(previous);
    REQUIRE(host->request(linkedin_report(1, "off")).at("ok") == true);
    // While the host runs, the -wal and -shm files exist too.
    CHECK(mode_of(env.state_dir()) == 0700U);
    CHECK(mode_of(env.database()) == 0600U);
    CHECK(fs::exists(env.database().string() + "-wal"));
    CHECK(mode_of(env.database().string() + "-wal") == 0600U);
    CHECK(mode_of(env.database().string() + "-shm") == 0600U);
#if defined(__linux__)
    CHECK(mode_of(env.database().string() + "-writelock") == 0600U); // the writers' queue
    CHECK(mode_of(env.database().string() + "-writequeue") == 0600U); // the reports' queue
#endif
}

#if defined(__linux__)
TEST_CASE("the reports' queue file is made by the first report, never by a host that only reads")
{
    TestEnv env;
    const fs::path queue_file = env.database().string() + "-writequeue";
    auto host = env.start();
    REQUIRE(host->request({{"id", 1}, {"type", "status"}}).at("ok") == true);
    REQUIRE(host->request({{"id", 2}, {"type", "due"}}).at("ok") == true);
    REQUIRE(fs::exists(env.database())); // the database is open, the queue is not
    CHECK_FALSE(fs::exists(queue_file));
    REQUIRE(host->request(linkedin_report(3, "off")).at("ok") == true);
    CHECK(fs::exists(queue_file));
    REQUIRE(host->request(linkedin_report(4, "on")).at("ok") == true); // opened once, still used
    CHECK(env.query_text("SELECT count(*) FROM observations") == "2");
}
#endif

TEST_CASE("the database is in WAL mode with a versioned schema and an index for status")
{
    TestEnv env;
    auto host = env.start();
    REQUIRE(host->request(linkedin_report(1, "off")).at("ok") == true);
    CHECK(env.query_text("PRAGMA journal_mode") == "wal");
    CHECK(env.query_text("PRAGMA user_version") == "2");
    CHECK(env.query_text("SELECT platform, setting, state, verdict, expected FROM observations")
          == "linkedin|generative-ai-training|off|compliant|off");
    // status looks up the newest row per setting through the index, not by scanning history.
    const std::string plan = env.query_text(
        "EXPLAIN QUERY PLAN SELECT state, verdict, expected, url, observed_at FROM observations"
        " WHERE platform = 'linkedin' AND setting = 'x' ORDER BY observed_at DESC, id DESC LIMIT 1");
    CHECK(plan.find("USING INDEX observations_by_setting_time") != std::string::npos);
    CHECK(plan.find("TEMP B-TREE") == std::string::npos);
}

// The host's open descriptors on `file` (/proc/PID/fd): one per SQLite connection on it.
int descriptors_on(int pid, const fs::path& file)
{
    int count = 0;
    for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
        std::error_code ec;
        if (fs::read_symlink(entry.path(), ec) == file) {
            ++count;
        }
    }
    return count;
}

TEST_CASE("a host that reports, reads its reminders and publishes the fleet view opens the database once")
{
    TestEnv env;
    auto host = env.start();
    REQUIRE(host->request(linkedin_report(1, "off")).at("ok") == true); // the observations
    REQUIRE(host->request({{"id", 2}, {"type", "due"}}).at("ok") == true); // the reminder records
    REQUIRE(host->request({{"id", 3}, {"type", "status"}}).at("ok") == true);
    const fs::path database = fs::canonical(env.database());
    CHECK(descriptors_on(host->pid(), database) == 1);
    CHECK(descriptors_on(host->pid(), database.string() + "-wal") == 1);
}

TEST_CASE("a group-writable or symlinked state folder is refused with storage_error")
{
    TestEnv env;
    SUBCASE("group-writable")
    {
        fs::create_directories(env.state_dir());
        fs::permissions(env.state_dir(), fs::perms(0770));
    }
    SUBCASE("symlink")
    {
        fs::create_directories(env.root() / "elsewhere");
        fs::permissions(env.root() / "elsewhere", fs::perms(0700));
        fs::create_directories(env.state_dir().parent_path());
        fs::create_directory_symlink(env.root() / "elsewhere", env.state_dir());
    }
    auto host = env.start();
    CHECK(host->request({{"id", 1}, {"type", "hello"}}).at("ok") == true);
    const json reply = host->request(linkedin_report(2, "on"));
    CHECK(reply.at("error").at("code") == "storage_error");
    CHECK(reply.at("error").at("message").get<std::string>().find(env.state_dir().string())
          != std::string::npos);
    CHECK(host->request({{"id", 3}, {"type", "status"}}).at("error").at("code") == "storage_error");
    CHECK_FALSE(fs::exists(env.root() / "elsewhere" / "state.sqlite3"));
}

TEST_CASE("a state folder that cannot be created gives storage_error, not a crash")
{
    TestEnv env;
    // A file where the folder should be.
    fs::create_directories(env.state_dir().parent_path());
    std::ofstream(env.state_dir()) << "not a folder";
    auto host = env.start();
    CHECK(host->request(linkedin_report(1, "on")).at("error").at("code") == "storage_error");
    CHECK(host->request({{"id", 2}, {"type", "hello"}}).at("ok") == true);
}

TEST_CASE("8 hosts reporting 50 times each at once lose no report")
{
    TestEnv env;
    constexpr int hosts = 8;
    constexpr int reports = 50;
    const auto running = start_hosts(env, hosts);
    // Each host gets all its frames at once, so all eight write concurrently.
    for (int h = 0; h < hosts; ++h) {
        std::string batch;
        for (int r = 0; r < reports; ++r) {
            batch += optguard::protocol::encode_frame(
                linkedin_report(h * 1000 + r, r % 2 == 0 ? "on" : "off").dump());
        }
        REQUIRE(running[static_cast<std::size_t>(h)]->send_raw(batch));
        running[static_cast<std::size_t>(h)]->close_stdin();
    }
    int ok = 0;
    for (int h = 0; h < hosts; ++h) {
        for (int r = 0; r < reports; ++r) {
            const json reply = running[static_cast<std::size_t>(h)]->read_reply(60s);
            CHECK(reply.at("id") == h * 1000 + r);
            ok += reply.at("ok") == true ? 1 : 0;
            if (reply.at("ok") != true) {
                MESSAGE(reply.dump());
            }
        }
        CHECK(running[static_cast<std::size_t>(h)]->wait_exit(30s) == 0);
    }
    CHECK(ok == hosts * reports);
    CHECK(env.count_rows() == hosts * reports);
    CHECK(env.integrity_check() == "ok");
}

TEST_CASE("with hosts writing all the time, the write-ahead log starts over instead of growing")
{
    // The log restarts only after a checkpoint reached its end, which needs a moment when no
    // writer appends: the checkpoint runs in the writer's turn. Run after the turn, it never got
    // there and the log grew by ~10 KB a report (13.6 MB here); now it stays at the checkpoint
    // threshold's size (300 pages, ~1.2 MB) plus a commit or two.
    TestEnv env;
    constexpr int hosts = 4;
    constexpr int reports = 400;
    const auto running = start_hosts(env, hosts);
    std::vector<std::thread> feeders;
    for (int h = 0; h < hosts; ++h) {
        HostProcess* host = running[static_cast<std::size_t>(h)].get();
        feeders.emplace_back([host, h] {
            for (int r = 0; r < reports; ++r) {
                if (!host->send(linkedin_report(h * 1000 + r, r % 2 == 0 ? "on" : "off"))) {
                    return;
                }
            }
        });
    }
    int ok = 0;
    for (auto& host : running) {
        for (int r = 0; r < reports; ++r) {
            ok += host->read_reply(60s).at("ok") == true ? 1 : 0;
        }
    }
    for (auto& feeder : feeders) {
        feeder.join();
    }
    REQUIRE(ok == hosts * reports);
    // Every host is still open, so the log is still there (the last one to close removes it).
    const fs::path log = env.database().string() + "-wal";
    REQUIRE(fs::exists(log));
    CHECK(fs::file_size(log) < 2'500'000U);
    CHECK(env.count_rows() == hosts * reports);
}

TEST_CASE("a host killed with SIGKILL mid-stream keeps every report it acknowledged")
{
    TestEnv env;
    auto host = env.start();
    // A writer keeps the host busy with reports until the pipe breaks, so the kill lands in the
    // middle of the report loop, not after it.
    std::atomic<int> sent {0};
    std::thread writer([&host, &sent] {
        for (int r = 0; r < 1'000'000; ++r) {
            if (!host->send(linkedin_report(r, r % 2 == 0 ? "on" : "off"))) {
                return;
            }
            ++sent;
        }
    });
    int acknowledged = 0;
    for (; acknowledged < 100; ++acknowledged) {
        REQUIRE(host->read_reply(30s).at("ok") == true);
    }
    host->kill();
    // Replies that reached the pipe before the kill were acknowledged too; a reply cut in half by
    // the kill was not.
    for (;;) {
        std::optional<std::string> frame;
        try {
            frame = host->read_frame(5s);
        } catch (const std::runtime_error&) {
            break;
        }
        if (!frame) {
            break;
        }
        if (json::parse(*frame).at("ok") == true) {
            ++acknowledged;
        }
    }
    writer.join();
    CHECK(host->wait_exit(1s) == 128 + SIGKILL);
    CHECK(sent.load() > acknowledged + 1); // it really died with work left

    CHECK(env.integrity_check() == "ok");
    const long long rows = env.count_rows();
    CHECK(rows >= acknowledged);
    CHECK(rows <= acknowledged + 1); // at most the one report in flight was stored unanswered

    // And the database still works for the next host.
    auto next = env.start();
    CHECK(next->request(linkedin_report("after", "off")).at("ok") == true);
    CHECK(env.count_rows() == rows + 1);
}

TEST_CASE("a version 2 database without the verdict index gets it, stays version 2, and due is unchanged")
{
    TestEnv env;
    {
        auto host = env.start();
        REQUIRE(host->request(linkedin_report(1, "off")).at("ok") == true);
        REQUIRE(host->request(linkedin_report(2, "on")).at("ok") == true);
    }
    // As a host before this index left it.
    (void)env.query_text("DROP INDEX observations_by_setting_verdict_time");
    REQUIRE(env.query_text("SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                           " AND name = 'observations_by_setting_verdict_time'")
            == "0");

    auto host = env.start();
    const json due = host->request({{"id", 3}, {"type", "due"}});
    REQUIRE(due.at("ok") == true);
    json reasons;
    for (const auto& platform : due.at("platforms")) {
        for (const auto& setting : platform.at("settings")) {
            if (setting.at("setting") == "generative-ai-training") {
                reasons = setting.at("reasons");
            }
        }
    }
    REQUIRE(reasons.size() == 1);
    CHECK(reasons[0].at("code") == "drift"); // off, then on again: judged from both reports
    const json status = host->request({{"id", 4}, {"type", "status"}});
    CHECK(linkedin_row(status.at("settings")).at("state") == "on");
    CHECK(linkedin_row(status.at("settings")).at("verdict") == "violation");

    CHECK(env.query_text("PRAGMA user_version") == "2");
    CHECK(env.query_text("SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                         " AND name = 'observations_by_setting_verdict_time'")
          == "1");
    // due's "last compliant report before" is one seek in it, whatever the history.
    const std::string plan = env.query_text(
        "EXPLAIN QUERY PLAN SELECT max(observed_at) FROM observations WHERE platform = 'linkedin'"
        " AND setting = 'x' AND verdict = 'compliant' AND observed_at < 5");
    CHECK(plan.find("COVERING INDEX observations_by_setting_verdict_time") != std::string::npos);
}

} // namespace OPTGUARD_TEST_FILE
