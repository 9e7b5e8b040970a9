#include <functional>
#include <string>

#include <doctest/doctest.h>

#include "browser/dispatcher.hpp"
#include "memory_store.hpp"
#include "protocol/error_code.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using json = nlohmann::json;
using protocol::ErrorCode;

namespace {

const std::filesystem::path fixtures = OPTGUARD_TEST_FIXTURES;
const domain::TimePoint noon = domain::from_unix_ms(1795432502123); // 2026-11-23T11:15:02.123Z
constexpr const char* page = "https://www.example.com/settings/privacy?tab=ai#top";

// A dispatcher over the valid fixture catalog whose store is `store` (not owned: the test keeps
// looking at it). `opens` counts how often the dispatcher asked for the store.
struct Fixture {
    test::MemoryStore* store = new test::MemoryStore;
    std::unique_ptr<storage::ObservationStore> owned {store};
    int opens = 0;
    bool fail_open = false;
    Dispatcher dispatcher;

    explicit Fixture(CatalogSource catalog = catalog::try_load_catalog(fixtures / "catalogs"
                                                                       / "valid"),
                     catalog::ConfigLoad config = {})
        : dispatcher(std::move(catalog), std::move(config),
                     [this]() -> std::unique_ptr<storage::ObservationStore> {
                         ++opens;
                         if (fail_open) {
                             throw storage::StorageError("cannot create state folder /x");
                         }
                         return std::move(owned);
                     })
    {
    }

    json handle(const protocol::Request& request, const json& id = 1)
    {
        return dispatcher.handle(request, id, noon);
    }
};

protocol::ReportRequest report(domain::State state, std::string url = page,
                               std::string setting = "ai-training")
{
    return {"example", std::move(setting), state, std::move(url)};
}

// What a catalog cache record says the catalog is.
catalog::CatalogInfo cached_info(const std::string& version)
{
    catalog::CatalogInfo info;
    info.version = version;
    info.date = catalog::version_date(version);
    return info;
}

std::optional<ErrorCode> code_of(const std::function<void()>& action)
{
    try {
        action();
    } catch (const protocol::ProtocolError& error) {
        return error.code();
    }
    return std::nullopt;
}

} // namespace

TEST_CASE("hello reports host, protocol and catalog version without opening the store")
{
    Fixture f;
    const json reply = f.handle(protocol::HelloRequest {}, "abc");
    CHECK(reply.at("id") == "abc");
    CHECK(reply.at("type") == "hello");
    CHECK(reply.at("ok") == true);
    CHECK(reply.at("host") == "optguard-host");
    CHECK(reply.at("version") == "0.1.0");
    CHECK(reply.at("protocol") == 1);
    CHECK(reply.at("catalog_version") == "2026.11.23");
    CHECK(reply.at("catalog_error").is_null());
    CHECK(reply.at("config_error").is_null());
    CHECK(f.opens == 0);
}

TEST_CASE("report stores the observation with its verdict and the URL without query")
{
    Fixture f;
    const json reply = f.handle(report(domain::State::on), 7);
    CHECK(reply == json {{"id", 7},
                         {"type", "report"},
                         {"ok", true},
                         {"platform", "example"},
                         {"setting", "ai-training"},
                         {"state", "on"},
                         {"verdict", "violation"},
                         {"expected", "off"},
                         {"opt_out_url", "https://www.example.com/settings/privacy"},
                         {"observed_at", "2026-11-23T11:15:02.123Z"}});
    REQUIRE(f.store->rows.size() == 1);
    const storage::Observation& row = f.store->rows[0];
    CHECK(row.url == "https://www.example.com/settings/privacy");
    CHECK(row.verdict == domain::Verdict::violation);
    CHECK(row.expected == domain::Expected::off);
    CHECK(row.observed_at == noon);
}

TEST_CASE("report judges against the user's override of expected")
{
    catalog::ConfigLoad config;
    config.config.settings["example/ai-training"].expected = domain::Expected::on;
    Fixture f(catalog::try_load_catalog(fixtures / "catalogs" / "valid"), config);
    CHECK(f.handle(report(domain::State::on)).at("verdict") == "compliant");
    CHECK(f.handle(report(domain::State::unknown)).at("verdict") == "unknown");
}

TEST_CASE("report rejects settings not in the catalog and URLs off the setting's pages")
{
    Fixture f;
    CHECK(code_of([&] { (void)f.handle(report(domain::State::on, page, "nope")); })
          == ErrorCode::unknown_setting);
    CHECK(code_of([&] {
              (void)f.handle(protocol::ReportRequest {"nope", "ai-training", domain::State::on, page});
          })
          == ErrorCode::unknown_setting);
    CHECK(code_of([&] {
              (void)f.handle(report(domain::State::on, "https://www.example.com/feed"));
          })
          == ErrorCode::bad_request);
    CHECK(code_of([&] {
              (void)f.handle(report(domain::State::on, "http://www.example.com/settings/privacy"));
          })
          == ErrorCode::bad_request);
    CHECK(code_of([&] { (void)f.handle(report(domain::State::on, "not a url")); })
          == ErrorCode::bad_request);
    CHECK(f.store->rows.empty());
}

TEST_CASE("report accepts any subdomain of a wildcard host")
{
    Fixture f;
    const json reply = f.handle(report(domain::State::on,
                                       "https://alice.example.org/publish/settings?x=1",
                                       "block-ai-crawlers"));
    CHECK(reply.at("verdict") == "compliant");
    CHECK(f.store->rows.at(0).url == "https://alice.example.org/publish/settings");
}

TEST_CASE("status lists every catalog setting in order, null until reported")
{
    Fixture f;
    (void)f.handle(report(domain::State::off));
    const json reply = f.handle(protocol::StatusRequest {}, 4);
    CHECK(reply.at("ok") == true);
    const json& rows = reply.at("settings");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].at("platform") == "example");
    CHECK(rows[0].at("setting") == "ai-training");
    CHECK(rows[0].at("title") == "Use my content to train AI");
    CHECK(rows[0].at("kind") == "toggle");
    CHECK(rows[0].at("expected") == "off");
    CHECK(rows[0].at("watch") == true);
    CHECK(rows[0].at("opt_out_url") == "https://www.example.com/settings/privacy");
    CHECK(rows[0].at("state") == "off");
    CHECK(rows[0].at("verdict") == "compliant");
    CHECK(rows[0].at("verified_at") == "2026-11-23T11:15:02.123Z");
    CHECK(rows[1].at("setting") == "block-ai-crawlers");
    CHECK(rows[1].at("state").is_null());
    CHECK(rows[1].at("verdict").is_null());
    CHECK(rows[1].at("verified_at").is_null());
    CHECK(rows[2].at("platform") == "forms-only");
}

TEST_CASE("a broken catalog leaves hello working and fails the other requests")
{
    Fixture f(catalog::try_load_catalog(fixtures / "catalogs" / "bad-expected"));
    const json hello = f.handle(protocol::HelloRequest {});
    CHECK(hello.at("ok") == true);
    CHECK(hello.at("catalog_version").is_null());
    CHECK(hello.at("catalog_error")
          == R"(example.json: settings[1].expected: must be "on" or "off")");
    CHECK(code_of([&] { (void)f.handle(protocol::CatalogRequest {}); })
          == ErrorCode::catalog_invalid);
    CHECK(code_of([&] { (void)f.handle(report(domain::State::on)); })
          == ErrorCode::catalog_invalid);
    CHECK(code_of([&] { (void)f.handle(protocol::StatusRequest {}); })
          == ErrorCode::catalog_invalid);
}

TEST_CASE("a deferred catalog: hello answers the cached version and the first use loads it once")
{
    int loads = 0;
    Fixture f(DeferredCatalog {cached_info("2026.11.23"), [&loads] {
                                   ++loads;
                                   return catalog::bundled_catalog(
                                       catalog::try_load_catalog(fixtures / "catalogs" / "valid"));
                               }});
    const json hello = f.handle(protocol::HelloRequest {});
    CHECK(hello.at("catalog_version") == "2026.11.23");
    CHECK(hello.at("catalog_error").is_null());
    CHECK(loads == 0);
    CHECK(f.handle(protocol::StatusRequest {}).at("settings").size() == 3);
    CHECK(f.handle(report(domain::State::on)).at("verdict") == "violation");
    CHECK(f.handle(protocol::CatalogRequest {}).at("catalog").at("version") == "2026.11.23");
    CHECK(loads == 1);
    CHECK(f.handle(protocol::HelloRequest {}) == hello);
}

TEST_CASE("a deferred catalog that no longer validates: catalog_invalid, and hello says so from then on")
{
    Fixture f(DeferredCatalog {cached_info("2026.11.23"), [] {
                                   return catalog::bundled_catalog(catalog::try_load_catalog(
                                       fixtures / "catalogs" / "bad-expected"));
                               }});
    CHECK(f.handle(protocol::HelloRequest {}).at("catalog_error").is_null());
    CHECK(code_of([&] { (void)f.handle(protocol::StatusRequest {}); })
          == ErrorCode::catalog_invalid);
    const json hello = f.handle(protocol::HelloRequest {});
    CHECK(hello.at("catalog_version").is_null());
    CHECK(hello.at("catalog_error")
          == R"(example.json: settings[1].expected: must be "on" or "off")");
    CHECK(code_of([&] { (void)f.handle(report(domain::State::on)); })
          == ErrorCode::catalog_invalid);
}

TEST_CASE("a broken user config leaves hello working and fails the other requests")
{
    catalog::ConfigLoad config;
    config.error = "/home/u/.config/optguard/config.json:1:2: oops";
    Fixture f(catalog::try_load_catalog(fixtures / "catalogs" / "valid"), config);
    const json hello = f.handle(protocol::HelloRequest {});
    CHECK(hello.at("catalog_version") == "2026.11.23");
    CHECK(hello.at("config_error") == "/home/u/.config/optguard/config.json:1:2: oops");
    CHECK(code_of([&] { (void)f.handle(protocol::CatalogRequest {}); })
          == ErrorCode::config_invalid);
    CHECK(code_of([&] { (void)f.handle(report(domain::State::on)); }) == ErrorCode::config_invalid);
}

TEST_CASE("a store that cannot be opened gives storage_error and is retried next time")
{
    Fixture f;
    f.fail_open = true;
    CHECK(code_of([&] { (void)f.handle(report(domain::State::on)); }) == ErrorCode::storage_error);
    CHECK(code_of([&] { (void)f.handle(protocol::StatusRequest {}); })
          == ErrorCode::storage_error);
    f.fail_open = false;
    CHECK(f.handle(report(domain::State::on)).at("ok") == true);
    CHECK(f.opens == 3);
    (void)f.handle(report(domain::State::off));
    CHECK(f.opens == 3); // opened once, then kept
}

TEST_CASE("a failed write gives storage_error and no ok reply")
{
    Fixture f;
    f.store->fail_writes = true;
    CHECK(code_of([&] { (void)f.handle(report(domain::State::on)); }) == ErrorCode::storage_error);
}

TEST_CASE("hello, catalog and status say which catalog is in use and how old it is")
{
    Fixture f;
    const json info = f.handle(protocol::HelloRequest {}).at("catalog_info");
    CHECK(info.at("version") == "2026.11.23");
    CHECK(info.at("date") == "2026-11-23");
    CHECK(info.at("source") == "bundled");
    CHECK(info.at("age_days") == 0); // noon of the same day
    CHECK(info.at("stale") == false);
    CHECK(f.handle(protocol::CatalogRequest {}).at("catalog_info") == info);
    CHECK(f.handle(protocol::StatusRequest {}).at("catalog_info") == info);
    Fixture broken(catalog::try_load_catalog(fixtures / "catalogs" / "bad-expected"));
    CHECK(broken.handle(protocol::HelloRequest {}).at("catalog_info").is_null());
}

TEST_CASE("install_catalog: refusals become catalog_rejected with their reason, success switches the catalog")
{
    int calls = 0;
    std::optional<catalog::ReleaseRejected> refuse;
    Dispatcher dispatcher(
        catalog::try_load_catalog(fixtures / "catalogs" / "valid"), {},
        []() -> std::unique_ptr<storage::ObservationStore> { return std::make_unique<test::MemoryStore>(); },
        {}, {},
        [&](std::string_view bytes, std::string_view signature) {
            ++calls;
            CHECK(bytes == "release bytes");
            CHECK(signature == "signature text");
            if (refuse) {
                throw *refuse;
            }
            storage::InstallOutcome outcome;
            outcome.previous_version = "2026.11.23";
            outcome.active = catalog::bundled_catalog(catalog::try_load_catalog(fixtures / "catalogs" / "valid"));
            outcome.active.load.catalog->version = "2026.12.01";
            outcome.active.info.version = "2026.12.01";
            outcome.active.info.date = "2026-12-01";
            outcome.active.info.origin = catalog::Origin::installed;
            outcome.active.info.key_id = "F900B97B85853D1D";
            outcome.new_policy_events.push_back({"example", "ai-training", "2026-11-30", "New terms."});
            return outcome;
        });
    const protocol::InstallCatalogRequest request {"release bytes", "signature text"};
    refuse.emplace(catalog::RejectReason::not_newer, "version 2026.11.01 is not newer");
    try {
        (void)dispatcher.handle(request, 1, noon);
        FAIL("no refusal");
    } catch (const protocol::ProtocolError& error) {
        CHECK(error.code() == ErrorCode::catalog_rejected);
        CHECK(error.reason() == "not_newer");
        CHECK(std::string(error.what()) == "version 2026.11.01 is not newer");
    }
    CHECK(dispatcher.handle(protocol::CatalogRequest {}, 2, noon).at("catalog").at("version") == "2026.11.23");

    refuse.reset();
    const json reply = dispatcher.handle(request, 3, noon);
    CHECK(reply.at("type") == "install_catalog");
    CHECK(reply.at("version") == "2026.12.01");
    CHECK(reply.at("previous_version") == "2026.11.23");
    CHECK(reply.at("new_policy_events")
          == json::parse(R"([{"platform":"example","setting":"ai-training","date":"2026-11-30","summary":"New terms."}])"));
    CHECK(reply.at("catalog_info").at("source") == "installed");
    CHECK(reply.at("catalog_info").at("key_id") == "F900B97B85853D1D");
    CHECK(dispatcher.handle(protocol::CatalogRequest {}, 4, noon).at("catalog").at("version") == "2026.12.01");
    CHECK(dispatcher.handle(protocol::HelloRequest {}, 5, noon).at("catalog_version") == "2026.12.01");
    CHECK(calls == 2);

    Fixture without;
    CHECK(code_of([&] { (void)without.handle(request); }) == ErrorCode::storage_error);
}

} // namespace OPTGUARD_TEST_FILE
