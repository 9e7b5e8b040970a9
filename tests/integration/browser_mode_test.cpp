#include <map>
#include <regex>
#include <string>

#include <doctest/doctest.h>

#include "test_env.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::itest;
using json = nlohmann::json;

TEST_CASE("hello round trip over the real pipe")
{
    TestEnv env;
    auto host = env.start();
    json reply = host->request({{"id", 1}, {"type", "hello"}});
    // Which catalog is in use (its age depends on today's date).
    const json info = reply.at("catalog_info");
    CHECK(info.at("version") == staged_catalog_version());
    CHECK(info.at("source") == "bundled");
    CHECK(info.at("key_id").is_null());
    CHECK(info.at("notices") == json::array());
    reply.erase("catalog_info");
    CHECK(reply == json {{"id", 1},
                         {"type", "hello"},
                         {"ok", true},
                         {"host", "optguard-host"},
                         {"version", "0.1.0"},
                         {"protocol", 1},
                         {"catalog_version", staged_catalog_version()},
                         {"catalog_error", nullptr},
                         {"config_error", nullptr}});
    host->close_stdin();
    CHECK(host->read_frame() == std::nullopt);
    CHECK(host->wait_exit() == 0);
}

TEST_CASE("hello does not create the state database")
{
    TestEnv env;
    auto host = env.start();
    CHECK(host->request({{"id", 1}, {"type", "hello"}}).at("ok") == true);
    CHECK_FALSE(std::filesystem::exists(env.state_dir()));
}

TEST_CASE("catalog returns LinkedIn's training toggle with its effective known-good state")
{
    TestEnv env;
    auto host = env.start();
    const json reply = host->request({{"id", "c"}, {"type", "catalog"}});
    REQUIRE(reply.at("ok") == true);
    const json& catalog = reply.at("catalog");
    CHECK(catalog.at("version") == staged_catalog_version());
    const json& setting = linkedin_entry(catalog);
    CHECK(setting.at("expected") == "off");
    CHECK(setting.at("watch") == true);
    CHECK(setting.at("detect").at("roles") == json::array({"switch", "checkbox"}));
}

TEST_CASE("a report is answered with its verdict and then shows up in status")
{
    TestEnv env;
    auto host = env.start();
    const json report = host->request(linkedin_report(3, "on", std::string(linkedin_page) + "?trk=x#y"));
    REQUIRE(report.at("ok") == true);
    CHECK(report.at("verdict") == "violation");
    CHECK(report.at("expected") == "off");
    CHECK(report.at("opt_out_url") == linkedin_page);
    const std::string observed_at = report.at("observed_at").get<std::string>();
    CHECK(std::regex_match(observed_at,
                           std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")));

    const json status = host->request({{"id", 4}, {"type", "status"}});
    REQUIRE(status.at("ok") == true);
    const json& row = linkedin_row(status.at("settings"));
    CHECK(row.at("platform") == "linkedin");
    CHECK(row.at("setting") == "generative-ai-training");
    CHECK(row.at("state") == "on");
    CHECK(row.at("verdict") == "violation");
    CHECK(row.at("verified_at") == observed_at);
    // Only scheme, host and path were stored.
    CHECK(env.query_text("SELECT url FROM observations") == linkedin_page);

    // A later report wins.
    CHECK(host->request(linkedin_report(5, "off")).at("verdict") == "compliant");
    CHECK(linkedin_row(host->request({{"id", 6}, {"type", "status"}}).at("settings")).at("state")
          == "off");
}

TEST_CASE("status before any report lists every setting with null state")
{
    TestEnv env;
    auto host = env.start();
    const json status = host->request({{"id", 1}, {"type", "status"}});
    REQUIRE(status.at("ok") == true);
    REQUIRE(status.at("settings").size() >= 1);
    for (const auto& row : status.at("settings")) {
        CHECK(row.at("state").is_null());
        CHECK(row.at("verdict").is_null());
        CHECK(row.at("verified_at").is_null());
    }
}

TEST_CASE("the Firefox argv form (manifest path, add-on id) is accepted")
{
    TestEnv env;
    auto host = env.start({"/home/u/.mozilla/native-messaging-hosts/dev.optguard.host.json",
                           "optguard@optguard.dev"});
    CHECK(host->request({{"id", 1}, {"type", "hello"}}).at("ok") == true);
}

TEST_CASE("Chrome's extra --parent-window argument is tolerated")
{
    TestEnv env;
    auto host = env.start({chrome_origin, "--parent-window=0"});
    CHECK(host->request({{"id", 1}, {"type", "hello"}}).at("ok") == true);
}

TEST_CASE("a foreign caller gets one forbidden_origin frame and exit status 1")
{
    TestEnv env;
    SUBCASE("another Chrome extension")
    {
        auto host = env.start({"chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"});
        host->send({{"id", 1}, {"type", "hello"}}); // must not be read or answered
        const json reply = host->read_reply();
        CHECK(reply.at("id").is_null());
        CHECK(reply.at("ok") == false);
        CHECK(reply.at("error").at("code") == "forbidden_origin");
        CHECK(host->read_frame() == std::nullopt);
        CHECK(host->wait_exit() == 1);
    }
    SUBCASE("another Firefox add-on")
    {
        auto host = env.start({"/m/dev.optguard.host.json", "evil@example.com"});
        CHECK(host->read_reply().at("error").at("code") == "forbidden_origin");
        CHECK(host->read_frame() == std::nullopt);
        CHECK(host->wait_exit() == 1);
    }
    CHECK(env.stderr_text().find("refusing caller") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(env.state_dir()));
}

TEST_CASE("reports persist across host processes")
{
    TestEnv env;
    {
        auto first = env.start();
        CHECK(first->request(linkedin_report(1, "off")).at("ok") == true);
        first->close_stdin();
        CHECK(first->wait_exit() == 0);
    }
    auto second = env.start();
    const json row = linkedin_row(second->request({{"id", 2}, {"type", "status"}}).at("settings"));
    CHECK(row.at("state") == "off");
    CHECK(row.at("verdict") == "compliant");
}

TEST_CASE("end of input between frames ends the host quietly with status 0")
{
    TestEnv env;
    auto host = env.start();
    host->close_stdin();
    CHECK(host->read_all() == "");
    CHECK(host->wait_exit() == 0);
}

TEST_CASE("without OPTGUARD_CATALOG_DIR the host finds the catalog staged beside its binary")
{
    TestEnv env;
    env.env["OPTGUARD_CATALOG_DIR"] = ""; // unset for the child
    auto host = env.start();
    const json hello = host->request({{"id", 1}, {"type", "hello"}});
    CHECK(hello.at("catalog_error").is_null());
    CHECK(hello.at("catalog_version") == staged_catalog_version());
}

TEST_CASE("without XDG variables the state lives under HOME/.local/state/optguard")
{
    TestEnv env;
    env.env["XDG_STATE_HOME"] = "";
    env.env["XDG_CONFIG_HOME"] = "";
    env.env["HOME"] = (env.root() / "home").string();
    auto host = env.start();
    REQUIRE(host->request(linkedin_report(1, "off")).at("ok") == true);
    CHECK(std::filesystem::exists(env.root() / "home" / ".local" / "state" / "optguard"
                                  / "state.sqlite3"));
}

namespace {

// The due entries of a `due` reply by "platform/setting", each as its reason codes.
std::map<std::string, json> due_reasons(const json& due)
{
    std::map<std::string, json> entries;
    for (const auto& platform : due.at("platforms")) {
        for (const auto& setting : platform.at("settings")) {
            json codes = json::array();
            for (const auto& reason : setting.at("reasons")) {
                codes.push_back(reason.at("code"));
            }
            entries[setting.at("platform").get<std::string>() + "/"
                    + setting.at("setting").get<std::string>()]
                = codes;
        }
    }
    return entries;
}

// Every status row says due exactly when `due` lists it, for the same reasons; returns the
// LinkedIn row.
json status_agrees_with_due(HostProcess& host)
{
    const json status = host.request({{"id", "s"}, {"type", "status"}});
    REQUIRE(status.at("ok") == true);
    const auto listed = due_reasons(host.request({{"id", "d"}, {"type", "due"}}));
    for (const auto& row : status.at("settings")) {
        const std::string key
            = row.at("platform").get<std::string>() + "/" + row.at("setting").get<std::string>();
        CAPTURE(key);
        REQUIRE(row.at("due").is_boolean());
        CHECK(row.at("due").get<bool>() == listed.contains(key));
        json codes = json::array();
        for (const auto& reason : row.at("reasons")) {
            codes.push_back(reason.at("code"));
        }
        CHECK(codes == (listed.contains(key) ? listed.at(key) : json::array()));
    }
    return linkedin_row(status.at("settings"));
}

} // namespace

TEST_CASE("status rows say what is due, with the person's interval, snoozes and acks, as due does")
{
    TestEnv env;
    env.write_config(R"({"format": 1, "settings": {"linkedin/generative-ai-training":
                         {"interval_days": 3}}})");
    auto host = env.start();
    REQUIRE(host->request(linkedin_report(1, "off")).at("ok") == true);
    json row = status_agrees_with_due(*host);
    CHECK(row.at("interval_days") == 3);
    CHECK(row.at("due") == false);
    CHECK(row.at("severity").is_null());
    CHECK(row.at("reasons") == json::array());
    CHECK(row.at("next_due_at").is_string());

    // Four days on: past the person's 3 days, though not the catalog's 30.
    (void)env.query_text("UPDATE observations SET observed_at = observed_at - 4 * 86400000");
    row = status_agrees_with_due(*host);
    CHECK(row.at("due") == true);
    CHECK(row.at("severity") == "normal");
    CHECK(row.at("reasons").at(0).at("code") == "interval_elapsed");

    // Snoozed: not due, and it says until when.
    REQUIRE(host->request({{"id", 2}, {"type", "snooze"}, {"platform", "linkedin"},
                           {"setting", "generative-ai-training"}, {"duration", "1d"}})
                .at("ok")
            == true);
    row = status_agrees_with_due(*host);
    CHECK(row.at("due") == false);
    CHECK(row.at("snoozed_until").is_string());

    // A violation breaks through the snooze; an ack silences it.
    REQUIRE(host->request(linkedin_report(3, "on")).at("ok") == true);
    row = status_agrees_with_due(*host);
    CHECK(row.at("due") == true);
    CHECK(row.at("severity") == "critical");
    REQUIRE(host->request({{"id", 4}, {"type", "ack"}, {"platform", "linkedin"},
                           {"setting", "generative-ai-training"}})
                .at("ok")
            == true);
    row = status_agrees_with_due(*host);
    CHECK(row.at("due") == false);
}

} // namespace OPTGUARD_TEST_FILE
