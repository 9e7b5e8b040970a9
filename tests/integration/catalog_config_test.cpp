#include <string>

#include <doctest/doctest.h>

#include "test_env.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::itest;
using json = nlohmann::json;

TEST_CASE("a catalog with a syntax error is reported by hello and fails other requests with catalog_invalid")
{
    TestEnv env(fixture_catalogs / "syntax-error");
    auto host = env.start();
    const json hello = host->request({{"id", 1}, {"type", "hello"}});
    CHECK(hello.at("ok") == true);
    CHECK(hello.at("catalog_version").is_null());
    CHECK(hello.at("catalog_error")
          == "example.json:3:11: syntax error while parsing value - invalid literal");
    const json report = host->request(linkedin_report(2, "on"));
    CHECK(report.at("error").at("code") == "catalog_invalid");
    CHECK(report.at("error").at("message") == hello.at("catalog_error"));
    CHECK(host->request({{"id", 3}, {"type", "catalog"}}).at("error").at("code")
          == "catalog_invalid");
    CHECK(host->request({{"id", 4}, {"type", "status"}}).at("error").at("code")
          == "catalog_invalid");
    CHECK(env.stderr_text().find("example.json:3:11") != std::string::npos);
}

TEST_CASE("a catalog with a wrong value names the file and key path")
{
    TestEnv env(fixture_catalogs / "bad-expected");
    auto host = env.start();
    CHECK(host->request({{"id", 1}, {"type", "hello"}}).at("catalog_error")
          == R"(example.json: settings[1].expected: must be "on" or "off")");
}

TEST_CASE("a missing catalog folder is reported, not fatal")
{
    TestEnv env(fixture_catalogs / "does-not-exist");
    auto host = env.start();
    const json hello = host->request({{"id", 1}, {"type", "hello"}});
    CHECK(hello.at("ok") == true);
    CHECK(hello.at("catalog_error").get<std::string>().rfind("index.json: cannot read", 0) == 0);
}

TEST_CASE("a fixture catalog with wildcard hosts and forms is served as is")
{
    TestEnv env(fixture_catalogs / "valid");
    auto host = env.start();
    const json report = host->request({{"id", 1},
                                       {"type", "report"},
                                       {"platform", "example"},
                                       {"setting", "block-ai-crawlers"},
                                       {"state", "off"},
                                       {"url", "https://news.example.org/publish/settings/ai"}});
    CHECK(report.at("verdict") == "violation");
    CHECK(report.at("expected") == "on");
    const json status = host->request({{"id", 2}, {"type", "status"}});
    CHECK(status.at("settings").size() == 3);
}

TEST_CASE("a broken user config is reported by hello and fails other requests with config_invalid")
{
    TestEnv env;
    env.write_config("{\"format\": 1,\n \"settings\": {\"linkedin/generative-ai-training\": {\"expected\": \"of\"}}}");
    auto host = env.start();
    const json hello = host->request({{"id", 1}, {"type", "hello"}});
    CHECK(hello.at("ok") == true);
    CHECK(hello.at("catalog_version") == staged_catalog_version());
    CHECK(hello.at("config_error")
          == env.config_file().string()
              + R"(: settings["linkedin/generative-ai-training"].expected: must be "on" or "off")");
    CHECK(host->request(linkedin_report(2, "on")).at("error").at("code") == "config_invalid");
    CHECK(host->request({{"id", 3}, {"type", "status"}}).at("error").at("code")
          == "config_invalid");
}

TEST_CASE("a user config that is not JSON names the file, line and column")
{
    TestEnv env;
    env.write_config("{\n  \"format\": 1,\n  oops\n}");
    auto host = env.start();
    CHECK(host->request({{"id", 1}, {"type", "hello"}}).at("config_error")
          == env.config_file().string()
              + ":3:3: syntax error while parsing object key - invalid literal");
}

TEST_CASE("the user config overrides the known-good state used for verdicts")
{
    TestEnv env;
    env.write_config(R"({"format": 1, "settings": {"linkedin/generative-ai-training":
                         {"expected": "on", "watch": false, "interval_days": 7}}})");
    auto host = env.start();
    const json report = host->request(linkedin_report(1, "on"));
    CHECK(report.at("verdict") == "compliant");
    CHECK(report.at("expected") == "on");
    const json setting
        = linkedin_entry(host->request({{"id", 2}, {"type", "catalog"}}).at("catalog"));
    CHECK(setting.at("expected") == "on");
    CHECK(setting.at("watch") == false);
    CHECK(setting.at("interval_days") == 7);
}

} // namespace OPTGUARD_TEST_FILE
