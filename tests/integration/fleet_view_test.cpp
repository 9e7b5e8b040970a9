// docs/fleet.md's osquery snippet, read the way osquery reads it: its query, taken from the page, run
// read-only with the sqlite3 tool against a live state database while the real host writes to it.
// Also the page's Fleet policies against a table shaped like osquery's, and the status document's
// fields against the pinned example (docs/fleet/status-v1.example.json).

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <set>
#include <thread>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "os/paths.hpp"
#include "storage/state_store.hpp"
#include "test_env.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using namespace optguard::itest;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path docs = OPTGUARD_TEST_DOCS;

std::string read_text(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The fenced block after `<!-- test: NAME -->` in docs/fleet.md.
std::string block(const std::string& name)
{
    const std::string page = read_text(docs / "fleet.md");
    const std::string marker = "<!-- test: " + name + " -->\n";
    const auto at = page.find(marker);
    REQUIRE_MESSAGE(at != std::string::npos, "docs/fleet.md has no block marked " << name);
    const auto start = page.find('\n', at + marker.size()) + 1;
    const auto end = page.find("\n```\n", start - 1);
    return page.substr(start, end - start);
}

struct Snippet {
    std::string query;
    std::vector<std::string> columns;
    std::string path;
};

Snippet snippet(const std::string& name)
{
    const json table = json::parse(block(name)).at("auto_table_construction").at("optguard_settings");
    return {table.at("query"), table.at("columns"), table.at("path")};
}

// osquery's ATC opens the file read-only and runs the query; the sqlite3 tool does the same here.
ProgramRun read_only(const TestEnv& env, const std::string& query)
{
    return run_program("sqlite3", {"-readonly", "-json", env.database().string(), query}, env.root(),
                       10s);
}

json rows_of(const ProgramRun& run)
{
    // sqlite3 -json prints nothing at all for no rows.
    return run.out.find_first_not_of(" \n") == std::string::npos ? json::array() : json::parse(run.out);
}

std::string codes(const json& reasons)
{
    std::string joined;
    for (const auto& reason : reasons) {
        joined += (joined.empty() ? "" : ",") + reason.at("code").get<std::string>();
    }
    return joined;
}

// The view's row and the status document's row say the same about a setting.
void check_same(const json& view, const json& status, const std::string& catalog_version)
{
    INFO(view.dump() << "\n" << status.dump());
    CHECK(view.at("platform") == status.at("platform"));
    CHECK(view.at("setting") == status.at("setting"));
    CHECK(view.at("title") == status.at("title"));
    CHECK(view.at("watch") == (status.at("watch") == true ? 1 : 0));
    CHECK(view.at("expected") == status.at("expected"));
    CHECK(view.at("state") == status.at("state"));
    CHECK(view.at("verdict") == status.at("verdict"));
    CHECK(view.at("verified_at") == status.at("verified_at"));
    CHECK(view.at("due") == (status.at("due") == true ? 1 : 0));
    CHECK(view.at("severity") == status.at("severity"));
    CHECK(view.at("reasons") == codes(status.at("reasons")));
    CHECK(view.at("catalog_version") == catalog_version);
}

} // namespace

TEST_CASE("docs/fleet.md's osquery snippets read the state database where the host keeps it")
{
    const Snippet linux = snippet("osquery-linux");
    // `%` is each person: for /home/ann the host keeps its database exactly there.
    const os::EnvLookup env = [](std::string_view name) -> std::optional<std::string> {
        if (name == "HOME") {
            return "/home/ann";
        }
        return std::nullopt;
    };
    std::string path = linux.path;
    path.replace(path.find('%'), 1, "ann");
    CHECK(fs::path(path) == os::state_dir(env) / storage::database_file_name);
    CHECK(snippet("osquery-macos").path == "/Users/%/.local/state/optguard/state.sqlite3");
    CHECK(snippet("osquery-windows").path
          == R"(C:\Users\%\AppData\Local\OptGuard\state\state.sqlite3)");
    CHECK(linux.query.rfind("SELECT ", 0) == 0);
    CHECK(linux.query.find(" FROM optguard_fleet_v1") != std::string::npos);
}

TEST_CASE("the snippet's query, read-only with sqlite3 while a host writes: right rows, the writer "
          "never blocked, nothing corrupted")
{
    const Snippet linux = snippet("osquery-linux");
    TestEnv env;
    auto host = env.start();
    REQUIRE(host->request({{"id", 0}, {"type", "hello"}}).at("ok") == true);
    REQUIRE(host->request(linkedin_report(1, "on")).at("ok") == true);
    REQUIRE(host->request({{"id", 2}, {"type", "due"}}).at("ok") == true); // the first evaluation

    // The writer: the browser's host reporting and evaluating as fast as it can, as after each
    // report. Every reply is timed: a reader that blocked it would show as a wait of seconds (the
    // busy timeout is 5 s) or a storage_error.
    constexpr int reports = 120; // at least
    std::atomic<bool> writing {true};
    std::atomic<int> acknowledged {1};
    std::atomic<int> failures {0};
    std::atomic<long long> slowest_ms {0};
    // The writer goes on until the readers have read at least three times while it wrote, so the
    // overlap does not depend on how fast this machine starts sqlite3.
    std::atomic<int> overlapping_reads {0};
    std::thread writer([&] {
        for (int i = 0; i < reports || overlapping_reads < 3; ++i) {
            const auto start = std::chrono::steady_clock::now();
            const json reply = host->request(linkedin_report(100 + i, i % 2 == 0 ? "off" : "on"));
            const json due = host->request({{"id", 1000 + i}, {"type", "due"}});
            const long long took = std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::steady_clock::now() - start)
                                       .count();
            slowest_ms = std::max(slowest_ms.load(), took);
            if (reply.at("ok") == true && due.at("ok") == true) {
                ++acknowledged;
            } else {
                ++failures;
            }
        }
        writing = false;
    });

    // The readers: osquery asking again and again while the host writes.
    const std::size_t settings = json::parse(env.run_cli({"status", "--json"}).out).at("settings").size();
    int reads = 0;
    int reads_while_writing = 0;
    std::string problems;
    while (writing || reads < 3) {
        const bool during = writing;
        const ProgramRun run = read_only(env, linux.query);
        ++reads;
        if (during && writing) { // the writer was still at it when this read ended
            ++reads_while_writing;
            ++overlapping_reads;
        }
        if (run.status != 0 || run.took > 5s) {
            problems += "sqlite3 exit " + (run.status ? std::to_string(*run.status) : "killed")
                + " after " + std::to_string(run.took.count()) + " ms: " + run.err + "\n";
            continue;
        }
        const json rows = rows_of(run);
        if (rows.size() != settings) {
            problems += std::to_string(rows.size()) + " rows, expected " + std::to_string(settings) + "\n";
            continue;
        }
        for (const auto& row : rows) {
            std::set<std::string> keys;
            for (const auto& [key, value] : row.items()) {
                keys.insert(key);
            }
            if (keys != std::set<std::string>(linux.columns.begin(), linux.columns.end())) {
                problems += "columns " + row.dump() + "\n";
            }
        }
        const auto linkedin = std::find_if(rows.begin(), rows.end(), [](const json& row) {
            return row.at("platform") == "linkedin" && row.at("setting") == "generative-ai-training";
        });
        if (linkedin == rows.end() || !(linkedin->at("state") == "on" || linkedin->at("state") == "off")) {
            problems += "no LinkedIn row with a state: " + rows.dump() + "\n";
        }
    }
    writer.join();
    MESSAGE("sqlite3 -readonly reads: " << reads << " (" << reads_while_writing
                                        << " while the host wrote); " << acknowledged.load()
                                        << " reports acknowledged; slowest report + due: "
                                        << slowest_ms.load() << " ms");
    CHECK_MESSAGE(problems.empty(), problems);
    CHECK(reads_while_writing >= 3); // the reads really overlapped the writes
    // Blocked by a reader for longer than the busy timeout, a write would fail (storage_error).
    // How long each took is reported above, not asserted: a loaded machine is slow, not wrong.
    CHECK(failures == 0);

    // Nothing lost or damaged: every acknowledged report is there and the file is sound.
    CHECK(env.count_rows() == acknowledged);
    CHECK(env.integrity_check() == "ok");

    // The right rows: what the view says is what `optguard status --json` says at the same moment.
    REQUIRE(host->request({{"id", 5000}, {"type", "due"}}).at("ok") == true);
    const json rows = rows_of(read_only(env, linux.query));
    const json status = json::parse(env.run_cli({"status", "--json"}).out);
    REQUIRE(rows.size() == status.at("settings").size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        check_same(rows[i], status.at("settings")[i], status.at("catalog_version"));
    }
    const json& linkedin = linkedin_row(status.at("settings"));
    CHECK(linkedin.at("state") == "on"); // the last of the 120 reports
    CHECK(linkedin.at("verdict") == "violation");
    CHECK(codes(linkedin.at("reasons")) == "drift");
    CHECK(rows[0].at("recorded_at").is_string());
}

TEST_CASE("with no host running the snippet's query still reads, and the host then writes on as before")
{
    const Snippet linux = snippet("osquery-linux");
    TestEnv env;
    {
        auto host = env.start();
        REQUIRE(host->request(linkedin_report(1, "off")).at("ok") == true);
        REQUIRE(host->request({{"id", 2}, {"type", "due"}}).at("ok") == true);
    } // the host exits: SQLite checkpoints and removes the -wal and -shm files
    CHECK_FALSE(fs::exists(env.database().string() + "-wal"));

    const ProgramRun quiet = read_only(env, linux.query);
    REQUIRE(quiet.status == 0);
    const json rows = rows_of(quiet);
    const auto find = [](const json& all) {
        return *std::find_if(all.begin(), all.end(), [](const json& row) {
            return row.at("platform") == "linkedin" && row.at("setting") == "generative-ai-training";
        });
    };
    CHECK(find(rows).at("state") == "off");
    CHECK(find(rows).at("verdict") == "compliant");
    CHECK(find(rows).at("due") == 0);

    {
        auto host = env.start();
        REQUIRE(host->request(linkedin_report(3, "on")).at("ok") == true);
        REQUIRE(host->request({{"id", 4}, {"type", "due"}}).at("ok") == true);
    }
    CHECK(env.integrity_check() == "ok");
    CHECK(env.count_rows() == 2);
    const json after = rows_of(read_only(env, linux.query));
    CHECK(find(after).at("state") == "on");
    CHECK(find(after).at("due") == 1);
    CHECK(find(after).at("severity") == "critical");
    CHECK(find(after).at("reasons") == "drift");
}

TEST_CASE("the view says due on time: a setting whose interval ends is due without a new evaluation")
{
    const Snippet linux = snippet("osquery-linux");
    TestEnv env;
    // A one-day interval, checked 25 hours ago (written straight into the table behind the view,
    // as a host that evaluated then would have left it): due by now, for interval_elapsed.
    env.write_config(R"({"format": 1, "interval_days": 1})");
    {
        auto host = env.start();
        REQUIRE(host->request(linkedin_report(1, "off")).at("ok") == true);
        REQUIRE(host->request({{"id", 2}, {"type", "due"}}).at("ok") == true);
    }
    const auto before = rows_of(read_only(env, linux.query));
    const auto linkedin = [](const json& all) {
        return *std::find_if(all.begin(), all.end(), [](const json& row) {
            return row.at("platform") == "linkedin" && row.at("setting") == "generative-ai-training";
        });
    };
    CHECK(linkedin(before).at("due") == 0);
    CHECK(linkedin(before).at("reasons") == "");
    const ProgramRun aged = run_program(
        "sqlite3", {env.database().string(),
                    "UPDATE fleet_status SET due_at = due_at - 25 * 3600000"
                    " WHERE platform = 'linkedin' AND setting = 'generative-ai-training'"},
        env.root());
    REQUIRE(aged.status == 0);
    const auto after = rows_of(read_only(env, linux.query));
    CHECK(linkedin(after).at("due") == 1);
    CHECK(linkedin(after).at("severity") == "normal");
    CHECK(linkedin(after).at("reasons") == "interval_elapsed");
}

TEST_CASE("docs/fleet.md's Fleet policies, on a table shaped like osquery's (every column text)")
{
    const Snippet linux = snippet("osquery-linux");
    const std::string policy = block("fleet-policy");
    const std::string fresh = block("fleet-policy-fresh");
    TestEnv env;
    // osquery's ATC table: the snippet's columns, all text, plus the path of each database.
    std::string create = "CREATE TABLE optguard_settings (path TEXT";
    for (const auto& column : linux.columns) {
        create += ", " + column + " TEXT";
    }
    create += ");";
    const auto passes = [&](const std::string& rows_sql, const std::string& query) {
        const ProgramRun run = run_program("sqlite3", {":memory:", create + rows_sql + query}, env.root());
        REQUIRE_MESSAGE(run.status == 0, run.err);
        return run.out == "1\n";
    };
    const auto row = [](const char* watch, const char* verdict, const char* due, const char* recorded) {
        return std::string("INSERT INTO optguard_settings (path, platform, setting, watch, verdict, due, "
                           "recorded_at) VALUES ('/home/ann/.local/state/optguard/state.sqlite3', 'linkedin', "
                           "'generative-ai-training', '")
            + watch + "', " + verdict + ", '" + due + "', strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '" + recorded
            + "'));";
    };
    const std::string in_order = row("1", "'compliant'", "0", "-1 hours");
    CHECK(passes(in_order, policy));
    CHECK(passes(in_order, fresh));
    CHECK_FALSE(passes("", policy)); // OptGuard recorded nothing on this machine
    CHECK_FALSE(passes("", fresh));
    CHECK_FALSE(passes(in_order + row("1", "'violation'", "1", "-1 hours"), policy));
    CHECK_FALSE(passes(in_order + row("1", "NULL", "1", "-1 hours"), policy)); // never checked
    CHECK(passes(in_order + row("0", "'violation'", "0", "-1 hours"), policy)); // ignored: their choice
    CHECK_FALSE(passes(row("1", "'compliant'", "0", "-8 days"), fresh));        // stale
    CHECK(passes(row("1", "'compliant'", "0", "-6 days"), fresh));
}

TEST_CASE("the real status --json has exactly the fields of the pinned example, at every level")
{
    TestEnv env;
    {
        auto host = env.start();
        REQUIRE(host->request(linkedin_report(1, "on")).at("ok") == true);
    }
    const CliRun run = env.run_cli({"status", "--json"});
    REQUIRE(run.status == 0);
    const json status = json::parse(run.out);
    const json example = json::parse(read_text(docs / "fleet" / "status-v1.example.json"));
    const auto keys = [](const json& object) {
        std::set<std::string> names;
        for (const auto& [key, value] : object.items()) {
            names.insert(key);
        }
        return names;
    };
    CHECK(keys(status) == keys(example));
    CHECK(keys(status.at("summary")) == keys(example.at("summary")));
    for (const auto& row : status.at("settings")) {
        CHECK(keys(row) == keys(example.at("settings")[0]));
    }
    CHECK(status.at("schema_version") == 1);
    const json& linkedin = linkedin_row(status.at("settings"));
    CHECK(keys(linkedin.at("reasons").at(0)) == keys(example.at("settings")[1].at("reasons").at(0)));
    CHECK(status.at("summary").at("violation") == 1);
}

} // namespace OPTGUARD_TEST_FILE
