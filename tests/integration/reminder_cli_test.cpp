// The reminder CLI against the real binary (issue 5): `remind` with notify-send replaced by a
// recording script on PATH (so the test sees the exact command line), and with no notifier at all;
// snooze/ack/filed/due; export in the three formats.
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "test_env.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::itest;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {


// A world on the fixture catalog (example: 2 toggles; forms-only: 1 form) whose PATH holds only
// `bin`, where a recording notify-send can be put.
struct World {
    TestEnv env {fixture_catalogs / "valid"};
    fs::path bin = env.root() / "bin";
    fs::path log = env.root() / "notify.log";

    World()
    {
        fs::create_directories(bin);
        env.env["PATH"] = bin.string();
        env.env["OPTGUARD_TEST_NOTIFY_LOG"] = log.string();
    }

    void install_recorder(int exit_status = 0) const
    {
        const fs::path script = bin / "notify-send";
        std::ofstream out(script);
        // Every argument NUL-terminated, then an END marker: the exact argv, whatever it holds.
        out << "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done >> \"$OPTGUARD_TEST_NOTIFY_LOG\"\n"
               "printf 'END\\0' >> \"$OPTGUARD_TEST_NOTIFY_LOG\"\nexit "
            << exit_status << "\n";
        out.close();
        fs::permissions(script, fs::perms::owner_all);
    }

    [[nodiscard]] std::vector<std::vector<std::string>> invocations() const
    {
        std::ifstream in(log, std::ios::binary);
        std::vector<std::vector<std::string>> calls(1);
        std::string arg;
        while (std::getline(in, arg, '\0')) {
            if (arg == "END") {
                calls.emplace_back();
            } else {
                calls.back().push_back(arg);
            }
        }
        calls.pop_back();
        return calls;
    }

    // A violation of example/ai-training, reported the way the extension does.
    void report_violation()
    {
        auto host = env.start();
        const json reply = host->request({{"id", 1}, {"type", "report"}, {"platform", "example"},
                                          {"setting", "ai-training"}, {"state", "on"},
                                          {"url", "https://www.example.com/settings/privacy?tab=ai"}});
        REQUIRE(reply.at("ok") == true);
        host->close_stdin();
        REQUIRE(host->wait_exit() == 0);
    }
};

} // namespace

TEST_CASE("cli remind runs notify-send with the exact command line, once per platform, and not again the same day")
{
    World world;
    world.install_recorder();
    world.report_violation();
    const CliRun run = world.env.run_cli({"remind"});
    CHECK(run.status == 0);
    CHECK(run.out == "notified: Example (2 settings)\nnotified: Forms Only (1 setting)\n");
    const auto calls = world.invocations();
    REQUIRE(calls.size() == 2);
    CHECK(calls[0]
          == std::vector<std::string> {
              "--app-name=OptGuard", "--urgency=critical", "--",
              "OptGuard: re-check 2 settings on Example",
              "Use my content to train AI: last seen ON: your data may be used for AI training\n"
              "Block AI training: never checked\n"
              "Open: https://www.example.com/settings/privacy"});
    CHECK(calls[1]
          == std::vector<std::string> {"--app-name=OptGuard", "--urgency=normal", "--",
                                       "OptGuard: re-check 1 setting on Forms Only",
                                       "Data Processing Objection Form: never checked\n"
                                       "Open: https://help.forms-only.example/objection"});
    CHECK(world.env.query_text("SELECT count(*) FROM notifications WHERE channel = 'desktop'") == "3");

    const CliRun again = world.env.run_cli({"remind"});
    CHECK(again.status == 0);
    CHECK(again.out == "Nothing new to remind you of (already notified today).\n");
    CHECK(world.invocations().size() == 2);
}

TEST_CASE("cli remind without a notifier prints the reminders and fails with a clear message")
{
    World world; // PATH holds an empty folder
    const CliRun run = world.env.run_cli_as("optguard", {"remind"}); // as the daily timer runs it
    CHECK(run.status == 1);
    CHECK(run.out.find("Example (2 to re-check, normal)") != std::string::npos);
    CHECK(run.out.find("example/ai-training  Use my content to train AI") != std::string::npos);
    CHECK(run.out.find("open: https://www.example.com/settings/privacy") != std::string::npos);
    CHECK(run.err.find("optguard: cannot show a desktop notification: notify-send is not on PATH")
          != std::string::npos);
    // Not shown, so not recorded as shown: the next run tries again.
    CHECK(world.env.query_text("SELECT count(*) FROM notifications") == "0");
    SUBCASE("a notifier that fails (no desktop session) is an error too, and nothing is recorded")
    {
        world.install_recorder(1);
        const CliRun failed = world.env.run_cli({"remind"});
        CHECK(failed.status == 1);
        CHECK(failed.err.find("failed (exit status 1)") != std::string::npos);
        CHECK(world.env.query_text("SELECT count(*) FROM notifications") == "0");
    }
}

TEST_CASE("cli snooze, ack and filed change what due reports, in the shared database")
{
    World world;
    const CliRun before = world.env.run_cli({"due", "--json"});
    REQUIRE(before.status == 0);
    CHECK(json::parse(before.out).at("count") == 3);
    CHECK_FALSE(fs::exists(world.env.database())); // reading creates nothing

    const CliRun snoozed = world.env.run_cli({"snooze", "example/ai-training", "7d"});
    CHECK(snoozed.status == 0);
    CHECK(snoozed.out.rfind("snoozed example/ai-training until ", 0) == 0);
    CHECK(world.env.run_cli({"ack", "example/block-ai-crawlers"}).status == 0);
    CHECK(world.env.run_cli({"filed", "forms-only/objection", "2026-01-15"}).status == 0);
    const json due = json::parse(world.env.run_cli({"due", "--json"}).out);
    CHECK(due.at("count") == 0);
    CHECK(due.at("next_due_at").is_string());
    CHECK(world.env.run_cli({"due"}).out.rfind("Nothing is due. Next check due ", 0) == 0);
    CHECK(world.env.query_text("SELECT filed_on FROM filed_forms") == "2026-01-15");

    SUBCASE("bad input is refused with a message and usage status, and changes nothing")
    {
        const CliRun bad_duration = world.env.run_cli({"snooze", "example/ai-training", "soon"});
        CHECK(bad_duration.status == 2);
        CHECK(bad_duration.err.find("DURATION must be a number and a unit") != std::string::npos);
        const CliRun bad_id = world.env.run_cli({"ack", "example"});
        CHECK(bad_id.status == 2);
        CHECK(bad_id.err.find("ID must be PLATFORM/SETTING") != std::string::npos);
        const CliRun unknown = world.env.run_cli({"ack", "example/nope"});
        CHECK(unknown.status == 2);
        CHECK(unknown.err.find("no setting \"nope\" of platform \"example\"") != std::string::npos);
        const CliRun future = world.env.run_cli({"filed", "forms-only/objection", "2999-01-01"});
        CHECK(future.status == 1);
        CHECK(future.err.find("is in the future") != std::string::npos);
        CHECK(world.env.query_text("SELECT count(*) FROM acknowledgements") == "1");
        CHECK(world.env.query_text("SELECT count(*) FROM filed_forms") == "1");
    }
}

TEST_CASE("cli export writes the verification history as json, csv and md, without query strings")
{
    World world;
    world.report_violation();
    SUBCASE("json")
    {
        const CliRun run = world.env.run_cli({"export", "--format", "json"});
        REQUIRE(run.status == 0);
        const json doc = json::parse(run.out);
        REQUIRE(doc.at("records").size() == 1);
        const json& record = doc.at("records")[0];
        CHECK(record.at("platform") == "example");
        CHECK(record.at("setting") == "ai-training");
        CHECK(record.at("state") == "on");
        CHECK(record.at("verdict") == "violation");
        CHECK(record.at("url") == "https://www.example.com/settings/privacy");
        CHECK(record.at("policy_source") == "https://help.example.com/ai-training");
        CHECK(doc.at("catalog_version") == "2026.11.23");
    }
    SUBCASE("csv")
    {
        const CliRun run = world.env.run_cli({"export", "--format", "csv"});
        REQUIRE(run.status == 0);
        CHECK(run.out.rfind("platform,setting,title,state,verdict,expected,verified_at,url,policy_source\r\n"
                            "example,ai-training,Use my content to train AI,on,violation,off,",
                            0)
              == 0);
        CHECK(run.out.find("tab=ai") == std::string::npos);
    }
    SUBCASE("md to a file, written whole")
    {
        const fs::path file = world.env.root() / "record.md";
        const CliRun run = world.env.run_cli({"export", "--format", "md", "--output", file.string()});
        REQUIRE(run.status == 0);
        CHECK(run.out == "wrote 1 record to " + file.string() + "\n");
        std::ifstream in(file);
        std::stringstream text;
        text << in.rdbuf();
        CHECK(text.str().rfind("# AI-training opt-out verification record\n", 0) == 0);
        CHECK(text.str().find("## What was checked") != std::string::npos);
        CHECK(text.str().find("| Example | Use my content to train AI | on | violation |")
              != std::string::npos);
    }
    SUBCASE("a bad format is a usage error")
    {
        const CliRun run = world.env.run_cli({"export", "--format", "xml"});
        CHECK(run.status == 2);
        CHECK(run.err.find("--format must be json, csv or md") != std::string::npos);
    }
}

} // namespace OPTGUARD_TEST_FILE
