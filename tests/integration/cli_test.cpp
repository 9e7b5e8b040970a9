#include <regex>
#include <string>

#include <doctest/doctest.h>

#include "test_env.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::itest;
using json = nlohmann::json;


TEST_CASE("cli --version prints the version and protocol")
{
    TestEnv env;
    const CliRun run = env.run_cli({"--version"});
    CHECK(run.status == 0);
    CHECK(run.out == "optguard-host 0.1.0 (protocol 1)\n");
}

TEST_CASE("cli --help prints usage on stdout")
{
    TestEnv env;
    const CliRun run = env.run_cli({"--help"});
    CHECK(run.status == 0);
    CHECK(run.out.rfind("Usage: optguard-host COMMAND", 0) == 0);
    CHECK(run.out.find("status --json") != std::string::npos);
    CHECK(run.out.find("\nReminders:\n  due [--json]") != std::string::npos);
}

namespace {

// What a person reads speaks of the product: no "issue 5", "Issue #12", "(#7)".
bool names_an_issue(const std::string& text)
{
    static const std::regex issue(R"((issue\s*#?\s*\d|#\d))", std::regex::icase);
    return std::regex_search(text, issue);
}

} // namespace

TEST_CASE("cli help and usage errors name the program as it was started, and no issue")
{
    TestEnv env;
    CHECK(names_an_issue("Reminders (issue 5):"));
    CHECK(names_an_issue("see Issue #12"));
    CHECK_FALSE(names_an_issue("Keeps settings switched off"));

    SUBCASE("as optguard-host")
    {
        const CliRun help = env.run_cli({"--help"});
        CHECK(help.out.rfind("Usage: optguard-host COMMAND\n", 0) == 0);
        CHECK_FALSE(names_an_issue(help.out));
        const CliRun unknown = env.run_cli({"frobnicate"});
        CHECK(unknown.err.rfind("optguard-host: unknown command: frobnicate\n\nUsage: optguard-host COMMAND\n", 0) == 0);
        CHECK_FALSE(names_an_issue(unknown.err));
    }
    SUBCASE("as optguard, the installer's link")
    {
        const CliRun help = env.run_cli_as("optguard", {"--help"});
        CHECK(help.status == 0);
        CHECK(help.out.rfind("Usage: optguard COMMAND\n", 0) == 0);
        CHECK(help.out.find("optguard-host") == std::string::npos);
        CHECK_FALSE(names_an_issue(help.out));

        const CliRun none = env.run_cli_as("optguard", {});
        CHECK(none.status == 2);
        CHECK(none.err.rfind("optguard: no command given\n\nUsage: optguard COMMAND\n", 0) == 0);
        CHECK_FALSE(names_an_issue(none.err));

        const CliRun due = env.run_cli_as("optguard", {"due", "--xml"});
        CHECK(due.status == 2);
        CHECK(due.err == "optguard: usage: optguard due [--json]\n");
        const CliRun snooze = env.run_cli_as("optguard", {"snooze", "linkedin/generative-ai-training"});
        CHECK(snooze.status == 2);
        CHECK(snooze.err.rfind("optguard: usage: optguard snooze PLATFORM/SETTING DURATION", 0) == 0);
    }
}

TEST_CASE("cli rejects an unknown command with usage on stderr and status 2")
{
    TestEnv env;
    SUBCASE("unknown command")
    {
        const CliRun run = env.run_cli({"frobnicate"});
        CHECK(run.status == 2);
        CHECK(run.out == "");
        CHECK(run.err.find("unknown command: frobnicate") != std::string::npos);
        CHECK(run.err.find("Usage:") != std::string::npos);
    }
    SUBCASE("no command")
    {
        const CliRun run = env.run_cli({});
        CHECK(run.status == 2);
        CHECK(run.out == "");
    }
    SUBCASE("extra argument")
    {
        CHECK(env.run_cli({"status", "--xml"}).status == 2);
    }
    SUBCASE("a .json path without an add-on id is not a browser launch")
    {
        CHECK(env.run_cli({"/m/dev.optguard.host.json"}).status == 2);
    }
}

TEST_CASE("cli status --json shows what the host recorded, without creating anything first")
{
    TestEnv env;
    const CliRun before = env.run_cli({"status", "--json"});
    CHECK(before.status == 0);
    const json empty = json::parse(before.out);
    CHECK(empty.at("catalog_version") == staged_catalog_version());
    CHECK(linkedin_row(empty.at("settings")).at("state").is_null());
    CHECK_FALSE(std::filesystem::exists(env.state_dir()));

    {
        auto host = env.start();
        REQUIRE(host->request(linkedin_report(1, "on")).at("ok") == true);
    }
    const CliRun after = env.run_cli({"status", "--json"});
    CHECK(after.status == 0);
    const json row = linkedin_row(json::parse(after.out).at("settings"));
    CHECK(row.at("platform") == "linkedin");
    CHECK(row.at("state") == "on");
    CHECK(row.at("verdict") == "violation");
    CHECK(row.at("verified_at").is_string());
}

TEST_CASE("cli status prints a table with one line per setting")
{
    TestEnv env;
    {
        auto host = env.start();
        REQUIRE(host->request(linkedin_report(1, "off")).at("ok") == true);
    }
    const CliRun run = env.run_cli({"status"});
    CHECK(run.status == 0);
    CHECK(run.out.rfind("PLATFORM", 0) == 0);
    // Columns are padded to the longest value, so match with flexible spacing.
    CHECK(std::regex_search(run.out, std::regex(R"(\nlinkedin +generative-ai-training +off +off +compliant +\d{4}-)")));
}

TEST_CASE("cli status explains a broken catalog and exits 1")
{
    TestEnv env(fixture_catalogs / "bad-expected");
    const CliRun run = env.run_cli({"status"});
    CHECK(run.status == 1);
    CHECK(run.out == "");
    CHECK(run.err.find(R"(example.json: settings[1].expected: must be "on" or "off")")
          != std::string::npos);
}

} // namespace OPTGUARD_TEST_FILE
