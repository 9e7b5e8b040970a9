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

namespace {

json set_choice(const json& id, const std::string& platform, const std::string& setting,
                const json& fields)
{
    json message = {{"id", id}, {"type", "set_choice"}, {"platform", platform}, {"setting", setting}};
    message.update(fields);
    return message;
}

std::string read_text(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

} // namespace

TEST_CASE("set_choice writes config.json privately, and a new host and the CLI see the choice")
{
    TestEnv env;
    {
        auto host = env.start();
        const json reply = host->request(
            set_choice(1, "linkedin", "generative-ai-training", {{"watch", false}, {"expected", "on"}}));
        CHECK(reply.at("ok") == true);
        CHECK(reply.at("expected") == "on");
        CHECK(reply.at("watch") == false);
        CHECK(reply.at("override") == json {{"watch", false}, {"expected", "on"}});
        // The same host judges with it at once.
        const json report = host->request(linkedin_report(2, "on"));
        CHECK(report.at("verdict") == "compliant");
    }
    CHECK(mode_of(env.config_file().parent_path()) == 0700U);
    CHECK(mode_of(env.config_file()) == 0600U);
    CHECK(json::parse(read_text(env.config_file()))
          == json::parse(R"({"format": 1, "settings": {"linkedin/generative-ai-training":
                             {"watch": false, "expected": "on"}}})"));

    auto again = env.start();
    const json status = again->request({{"id", 1}, {"type", "status"}});
    CHECK(linkedin_row(status.at("settings")).at("expected") == "on");
    CHECK(linkedin_row(status.at("settings")).at("watch") == false);
    again->close_stdin();
    CHECK(again->wait_exit() == 0);

    auto cli = env.start({"status", "--json"});
    cli->close_stdin();
    const json cli_status = json::parse(cli->read_all());
    CHECK(cli->wait_exit() == 0);
    CHECK(linkedin_row(cli_status.at("settings")).at("expected") == "on");

    // null puts both back to the catalog's: the override disappears from the file.
    auto host = env.start();
    const json back = host->request(set_choice(
        3, "linkedin", "generative-ai-training", {{"watch", nullptr}, {"expected", nullptr}}));
    CHECK(back.at("expected") == "off");
    CHECK(back.at("watch") == true);
    CHECK(json::parse(read_text(env.config_file())) == json {{"format", 1}});
}

TEST_CASE("set_choice keeps the rest of an existing config")
{
    TestEnv env;
    env.write_config(R"({"format": 1, "interval_days": 21,
      "settings": {"chatgpt/improve-the-model": {"interval_days": 5, "watch": false}}})");
    auto host = env.start();
    CHECK(host->request(set_choice(1, "x", "grok-training", {{"expected", "on"}})).at("ok") == true);
    const json after = json::parse(read_text(env.config_file()));
    CHECK(after.at("interval_days") == 21);
    CHECK(after.at("settings").at("chatgpt/improve-the-model")
          == json {{"interval_days", 5}, {"watch", false}});
    CHECK(after.at("settings").at("x/grok-training") == json {{"expected", "on"}});
}

TEST_CASE("set_choice answers config_invalid for a broken config file and does not touch it")
{
    TestEnv env;
    const std::string broken = "{\"format\": 1,\n \"settings\": {\"linkedin/generative-ai-training\": {\"expected\": \"of\"}}}";
    SUBCASE("broken when the host started")
    {
        env.write_config(broken);
        auto host = env.start();
        const json reply
            = host->request(set_choice(1, "linkedin", "generative-ai-training", {{"watch", false}}));
        CHECK(reply.at("ok") == false);
        CHECK(reply.at("error").at("code") == "config_invalid");
        CHECK(reply.at("error").at("message").get<std::string>().find(env.config_file().string())
              == 0);
    }
    SUBCASE("broken by hand while the host was running")
    {
        auto host = env.start();
        CHECK(host->request({{"id", 1}, {"type", "hello"}}).at("config_error").is_null());
        env.write_config(broken);
        const json reply
            = host->request(set_choice(2, "linkedin", "generative-ai-training", {{"watch", false}}));
        CHECK(reply.at("error").at("code") == "config_invalid");
        CHECK(host->request({{"id", 3}, {"type", "hello"}}).at("config_error")
              == reply.at("error").at("message"));
    }
    CHECK(read_text(env.config_file()) == broken);
}

TEST_CASE("set_choice rejects unknown settings and bad values without creating a file")
{
    TestEnv env;
    auto host = env.start();
    CHECK(host->request(set_choice(1, "linkedin", "nope", {{"watch", false}})).at("error").at("code")
          == "unknown_setting");
    CHECK(host->request(set_choice(2, "linkedin", "generative-ai-training", {{"expected", "maybe"}}))
              .at("error")
              .at("code")
          == "bad_request");
    CHECK(host->request(set_choice(3, "linkedin", "generative-ai-training", json::object()))
              .at("error")
              .at("code")
          == "bad_request");
    CHECK(!std::filesystem::exists(env.config_file()));
}

TEST_CASE("two hosts writing choices at the same time both keep every choice")
{
    TestEnv env;
    auto first = env.start();
    auto second = env.start();
    const json rows = first->request({{"id", 0}, {"type", "status"}}).at("settings");
    REQUIRE(rows.size() >= 10);
    // Each host owns every other setting and makes two choices for each, all while the other host
    // writes too. Without the lock around read-modify-write, one host's write drops the other's
    // latest choices.
    auto drive = [&rows](HostProcess& host, std::size_t parity, bool& all_ok) {
        int id = 1;
        for (const char* field : {"watch", "expected"}) {
            for (std::size_t i = parity; i < rows.size(); i += 2) {
                const json value = std::string(field) == "watch" ? json(false) : json("on");
                const json reply = host.request(set_choice(id++, rows[i].at("platform"),
                                                           rows[i].at("setting"), {{field, value}}));
                all_ok = all_ok && reply.at("ok") == true;
            }
        }
    };
    bool first_ok = true;
    bool second_ok = true;
    std::thread a([&] { drive(*first, 0, first_ok); });
    std::thread b([&] { drive(*second, 1, second_ok); });
    a.join();
    b.join();
    CHECK(first_ok);
    CHECK(second_ok);
    const json after = json::parse(read_text(env.config_file()));
    for (const auto& row : rows) {
        const std::string key
            = row.at("platform").get<std::string>() + "/" + row.at("setting").get<std::string>();
        const json wanted = {{"watch", false}, {"expected", "on"}};
        const bool kept = after.at("settings").value(key, json()) == wanted;
        CHECK_MESSAGE(kept, key);
    }
    // No temporary files left next to it.
    int entries = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator(env.config_file().parent_path())) {
        ++entries;
    }
    CHECK(entries == 2); // config.json and config.json.lock
}

TEST_CASE("a group-writable config folder is refused as the state folder is: storage_error, the same fix, left alone")
{
    TestEnv env;
    const auto config_dir = env.config_file().parent_path();
    std::filesystem::create_directories(config_dir);
    std::filesystem::create_directories(env.state_dir());
    std::filesystem::permissions(config_dir, std::filesystem::perms(0770));
    std::filesystem::permissions(env.state_dir(), std::filesystem::perms(0770));
    auto host = env.start();
    const json choice
        = host->request(set_choice(1, "linkedin", "generative-ai-training", {{"watch", false}}));
    const json report = host->request(linkedin_report(2, "on"));
    REQUIRE(choice.at("ok") == false);
    REQUIRE(report.at("ok") == false);
    CHECK(choice.at("error").at("code") == "storage_error");
    CHECK(report.at("error").at("code") == "storage_error");
    const auto fix = [](const std::filesystem::path& dir) {
        return dir.string() + " is writable by group or others; run: chmod 700 " + dir.string();
    };
    CHECK(choice.at("error").at("message") == "config folder " + fix(config_dir));
    CHECK(report.at("error").at("message") == "state folder " + fix(env.state_dir()));
    CHECK(mode_of(config_dir) == 0770U);
    CHECK(mode_of(env.state_dir()) == 0770U);
    CHECK(std::filesystem::is_empty(config_dir));
}

} // namespace OPTGUARD_TEST_FILE
