#include <functional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "browser/dispatcher.hpp"
#include "memory_store.hpp"
#include "protocol/error_code.hpp"
#include "protocol/request.hpp"
#include "util/json_text.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using json = nlohmann::json;
using protocol::ErrorCode;

namespace {

const std::filesystem::path fixtures = OPTGUARD_TEST_FIXTURES;
const domain::TimePoint noon = domain::from_unix_ms(1795432502123);

protocol::Request parse(const json& message)
{
    return protocol::parse_request(message.at("type").get<std::string>(), message);
}

std::optional<ErrorCode> code_of(const std::function<void()>& action, std::string* message = nullptr)
{
    try {
        action();
    } catch (const protocol::ProtocolError& error) {
        if (message != nullptr) {
            *message = error.what();
        }
        return error.code();
    }
    return std::nullopt;
}

// A dispatcher over the valid fixture catalog whose saver records the choices it was given and
// applies them to an in-memory document the way the real one does.
struct Fixture {
    std::vector<catalog::Choice> saved;
    json document = nullptr;
    std::function<void()> fail; // throws, if set
    Dispatcher dispatcher;

    explicit Fixture(catalog::ConfigLoad config = {})
        : dispatcher(
            catalog::try_load_catalog(fixtures / "catalogs" / "valid"), std::move(config),
            []() -> std::unique_ptr<storage::ObservationStore> {
                return std::make_unique<test::MemoryStore>();
            },
            {},
            [this](const catalog::Choice& choice) {
                if (fail) {
                    fail();
                }
                saved.push_back(choice);
                document = catalog::apply_choice(document, choice);
                return catalog::parse_user_config(document, "config.json");
            })
    {
    }

    json handle(const json& message) { return dispatcher.handle(parse(message), 7, noon); }
};

json set_choice(const json& fields)
{
    json message = {{"id", 7}, {"type", "set_choice"}, {"platform", "example"},
                    {"setting", "ai-training"}};
    message.update(fields);
    return message;
}

} // namespace

TEST_CASE("set_choice request: watch and expected are absent, null or a value")
{
    SUBCASE("watch false, expected absent")
    {
        const auto request = std::get<protocol::SetChoiceRequest>(parse(set_choice({{"watch", false}})));
        CHECK(request.choice.platform == "example");
        CHECK(request.choice.setting == "ai-training");
        CHECK(request.choice.watch_edit == catalog::Edit::set);
        CHECK(request.choice.watch == false);
        CHECK(request.choice.expected_edit == catalog::Edit::keep);
    }
    SUBCASE("expected on, watch null")
    {
        const auto request = std::get<protocol::SetChoiceRequest>(
            parse(set_choice({{"expected", "on"}, {"watch", nullptr}})));
        CHECK(request.choice.expected_edit == catalog::Edit::set);
        CHECK(request.choice.expected == domain::Expected::on);
        CHECK(request.choice.watch_edit == catalog::Edit::reset);
    }
    SUBCASE("expected null")
    {
        const auto request
            = std::get<protocol::SetChoiceRequest>(parse(set_choice({{"expected", nullptr}})));
        CHECK(request.choice.expected_edit == catalog::Edit::reset);
    }
    SUBCASE("interval_days set and null")
    {
        const auto set
            = std::get<protocol::SetChoiceRequest>(parse(set_choice({{"interval_days", 7}})));
        CHECK(set.choice.interval_edit == catalog::Edit::set);
        CHECK(set.choice.interval_days == 7);
        const auto reset
            = std::get<protocol::SetChoiceRequest>(parse(set_choice({{"interval_days", nullptr}})));
        CHECK(reset.choice.interval_edit == catalog::Edit::reset);
    }
}

TEST_CASE("set_choice request: bad fields are bad_request naming the field")
{
    std::string message;
    CHECK(code_of([&] { (void)parse(set_choice(json::object())); }, &message) == ErrorCode::bad_request);
    CHECK(message == "set_choice needs field 'watch', 'expected' or 'interval_days'");
    for (const json& bad : {json(0), json(366), json(7.5), json("7")}) {
        CHECK(code_of([&] { (void)parse(set_choice({{"interval_days", bad}})); }, &message)
              == ErrorCode::bad_request);
        CHECK(message == "field 'interval_days' must be an integer from 1 to 365 or null, got "
                  + optguard::util::describe_value(bad));
    }
    CHECK(code_of([&] { (void)parse(set_choice({{"watch", "no"}})); }, &message)
          == ErrorCode::bad_request);
    CHECK(message == R"(field 'watch' must be true, false or null, got "no")");
    CHECK(code_of([&] { (void)parse(set_choice({{"expected", "of"}})); }, &message)
          == ErrorCode::bad_request);
    CHECK(message == R"(field 'expected' must be "on", "off" or null, got "of")");
    CHECK(code_of([&] { (void)parse(set_choice({{"expected", 1}})); }, &message)
          == ErrorCode::bad_request);
    json no_platform = set_choice({{"watch", true}});
    no_platform.erase("platform");
    CHECK(code_of([&] { (void)parse(no_platform); }, &message) == ErrorCode::bad_request);
    CHECK(message == "field 'platform' is missing");
}

TEST_CASE("set_choice saves the choice and answers the effective values and the override")
{
    Fixture f;
    const json reply = f.handle(set_choice({{"watch", false}, {"expected", "on"}}));
    CHECK(reply.at("ok") == true);
    CHECK(reply.at("type") == "set_choice");
    CHECK(reply.at("id") == 7);
    CHECK(reply.at("watch") == false);
    CHECK(reply.at("expected") == "on");
    CHECK(reply.at("override") == json {{"watch", false}, {"expected", "on"}});
    REQUIRE(f.saved.size() == 1);
    CHECK(f.saved[0].key() == "example/ai-training");

    SUBCASE("status and catalog judge with the new choice at once")
    {
        const json status = f.dispatcher.handle(protocol::StatusRequest {}, 8, noon);
        CHECK(status.at("settings").at(0).at("expected") == "on");
        CHECK(status.at("settings").at(0).at("watch") == false);
    }
    SUBCASE("expected null goes back to the catalog's known-good state")
    {
        const json back = f.handle(set_choice({{"expected", nullptr}}));
        CHECK(back.at("expected") == "off");
        CHECK(back.at("override") == json {{"watch", false}});
    }
    SUBCASE("an interval of the person's own, and null back to the catalog's")
    {
        const int catalog_interval = reply.at("interval_days").get<int>();
        const json mine = f.handle(set_choice({{"interval_days", 3}}));
        CHECK(mine.at("interval_days") == 3);
        CHECK(mine.at("override") == json {{"watch", false}, {"expected", "on"}, {"interval_days", 3}});
        const json status = f.dispatcher.handle(protocol::StatusRequest {}, 8, noon);
        CHECK(status.at("settings").at(0).at("interval_days") == 3);
        const json back = f.handle(set_choice({{"interval_days", nullptr}}));
        CHECK(back.at("interval_days") == catalog_interval);
        CHECK(back.at("override") == json {{"watch", false}, {"expected", "on"}});
    }
}

TEST_CASE("set_choice for a setting not in the catalog is unknown_setting and saves nothing")
{
    Fixture f;
    std::string message;
    json request = set_choice({{"watch", false}});
    request["setting"] = "nope";
    CHECK(code_of([&] { (void)f.handle(request); }, &message) == ErrorCode::unknown_setting);
    CHECK(message == R"(no setting "nope" of platform "example" in the catalog)");
    CHECK(f.saved.empty());
}

TEST_CASE("set_choice never writes over a config that did not load")
{
    catalog::ConfigLoad broken;
    broken.error = "/home/u/.config/optguard/config.json:2:1: syntax error";
    Fixture f(broken);
    std::string message;
    CHECK(code_of([&] { (void)f.handle(set_choice({{"watch", false}})); }, &message)
          == ErrorCode::config_invalid);
    CHECK(message == broken.error);
    CHECK(f.saved.empty());
}

TEST_CASE("set_choice maps a config broken on disk to config_invalid from then on")
{
    Fixture f;
    f.fail = [] { throw catalog::CatalogError("/c/config.json:1:1: syntax error"); };
    CHECK(code_of([&] { (void)f.handle(set_choice({{"watch", false}})); })
          == ErrorCode::config_invalid);
    f.fail = nullptr;
    const json hello = f.dispatcher.handle(protocol::HelloRequest {}, 1, noon);
    CHECK(hello.at("config_error") == "/c/config.json:1:1: syntax error");
    CHECK(code_of([&] { (void)f.dispatcher.handle(protocol::StatusRequest {}, 2, noon); })
          == ErrorCode::config_invalid);
}

TEST_CASE("set_choice maps a failed write to storage_error and keeps the old configuration")
{
    Fixture f;
    f.fail = [] { throw storage::StorageError("cannot replace /c/config.json: No space left"); };
    std::string message;
    CHECK(code_of([&] { (void)f.handle(set_choice({{"expected", "on"}})); }, &message)
          == ErrorCode::storage_error);
    CHECK(message == "cannot replace /c/config.json: No space left");
    const json status = f.dispatcher.handle(protocol::StatusRequest {}, 2, noon);
    CHECK(status.at("settings").at(0).at("expected") == "off");
}

TEST_CASE("set_choice without a config saver is storage_error")
{
    Dispatcher dispatcher(catalog::try_load_catalog(fixtures / "catalogs" / "valid"), {},
                          []() -> std::unique_ptr<storage::ObservationStore> {
                              return std::make_unique<test::MemoryStore>();
                          });
    CHECK(code_of([&] { (void)dispatcher.handle(parse(set_choice({{"watch", true}})), 1, noon); })
          == ErrorCode::storage_error);
}

} // namespace OPTGUARD_TEST_FILE
