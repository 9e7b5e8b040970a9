// Policy dates the member saw (policy_seen): the catalog's policy_documents, the notice file, and
// the request from parsing to the `due` reply, over a copy of the fixture catalog with a policy
// document, an in-memory reminder store and a temporary state folder, at a fixed time.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "catalog/catalog.hpp"
#include "browser/dispatcher.hpp"
#include "memory_reminder_store.hpp"
#include "memory_store.hpp"
#include "app/policy_notices.hpp"
#include "protocol/error_code.hpp"
#include "storage/observation_store.hpp"
#include "storage/policy_notice_file.hpp"
#include "test_support.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using json = nlohmann::json;
using protocol::ErrorCode;

namespace {

const std::filesystem::path fixtures = OPTGUARD_TEST_FIXTURES;
const domain::TimePoint noon = domain::from_unix_ms(1795432502123); // 2026-11-23T11:15:02.123Z
constexpr std::int64_t day_ms = 24LL * 3600 * 1000;

json read_json(const std::filesystem::path& path)
{
    std::ifstream in(path);
    return json::parse(in);
}

const json privacy_document = {
    {"id", "privacy-policy"},
    {"kind", "privacy"},
    {"title", "Privacy Policy"},
    {"pages", {"https://www.example.com/legal/privacy*"}},
    {"source", "https://www.example.com/legal/privacy"},
    {"checked", "2026-11-23"}};

// The valid fixture catalog, with `documents` as example.json's policy_documents.
std::filesystem::path catalog_with(const test::TempDir& dir, const json& documents)
{
    const auto source = fixtures / "catalogs" / "valid";
    json example = read_json(source / "example.json");
    example["policy_documents"] = documents;
    (void)dir.write("catalog/index.json", read_json(source / "index.json").dump());
    (void)dir.write("catalog/forms-only.json", read_json(source / "forms-only.json").dump());
    (void)dir.write("catalog/example.json", example.dump());
    return dir.path() / "catalog";
}

std::string load_error(const json& documents)
{
    const test::TempDir dir;
    return catalog::try_load_catalog(catalog_with(dir, documents)).error;
}

struct Fixture {
    test::TempDir dir;
    test::MemoryReminderStore* reminders = new test::MemoryReminderStore;
    std::unique_ptr<storage::ReminderStore> owned {reminders};
    Dispatcher dispatcher;

    Fixture()
        : dispatcher(catalog::try_load_catalog(catalog_with(dir, json::array({privacy_document}))), {},
                     []() -> std::unique_ptr<storage::ObservationStore> {
                         return std::make_unique<test::MemoryStore>();
                     },
                     [this]() -> std::unique_ptr<storage::ReminderStore> { return std::move(owned); },
                     {}, {}, dir.path() / "state")
    {
    }

    json send(const json& message, domain::TimePoint now = noon)
    {
        const std::string type = protocol::parse_type(message);
        return dispatcher.handle(protocol::parse_request(type, message), 1, now);
    }

    std::optional<ErrorCode> code_of(const json& message)
    {
        try {
            (void)send(message);
        } catch (const protocol::ProtocolError& error) {
            return error.code();
        }
        return std::nullopt;
    }

    // A compliant report (block-ai-crawlers is expected on, ai-training off).
    void verified(const char* setting, std::int64_t ms)
    {
        const bool expected_on = std::string(setting) == "block-ai-crawlers";
        storage::Observation row;
        row.platform = "example";
        row.setting = setting;
        row.state = expected_on ? domain::State::on : domain::State::off;
        row.verdict = domain::Verdict::compliant;
        row.url = "https://www.example.com/settings/privacy";
        row.observed_at = domain::from_unix_ms(ms);
        reminders->rows.push_back(row);
    }
};

json seen(const char* date, const char* document = "privacy-policy")
{
    return {{"id", 1}, {"type", "policy_seen"}, {"platform", "example"}, {"document", document},
            {"effective_date", date}};
}

} // namespace

TEST_CASE("catalog: policy_documents are validated like settings' pages")
{
    CHECK(load_error(json::array({privacy_document})).empty());
    json bad_kind = privacy_document;
    bad_kind["kind"] = "cookies";
    CHECK(load_error(json::array({bad_kind})).find("policy_documents[0].kind") != std::string::npos);
    json other_host = privacy_document;
    other_host["pages"] = {"https://policies.example.net/privacy"};
    CHECK(load_error(json::array({other_host})).find("is not listed in hosts") != std::string::npos);
    CHECK(load_error(json::array({privacy_document, privacy_document})).find("duplicate document id")
          != std::string::npos);
    json unknown_key = privacy_document;
    unknown_key["text"] = "page text";
    CHECK(load_error(json::array({unknown_key})).find("policy_documents[0]") != std::string::npos);

    const test::TempDir dir;
    const auto loaded = catalog::try_load_catalog(catalog_with(dir, json::array({privacy_document})));
    REQUIRE(loaded.catalog);
    // The extension takes the host's catalog when it is newer: the documents travel with it.
    CHECK(catalog::to_json(*loaded.catalog).at("platforms")[0].at("policy_documents")
          == json::array({privacy_document}));
}

TEST_CASE("notice file: the newest date per document, a broken file is never overwritten")
{
    const test::TempDir dir;
    CHECK(storage::read_policy_notices(dir.path() / "none").empty());
    const auto at = domain::from_unix_ms(1795432502123);
    CHECK(storage::record_policy_notice(dir.path(), {"example", "privacy-policy", "2026-11-20", at})
          == "2026-11-20");
    // A cached older copy does not move it back; a newer one replaces it.
    CHECK(storage::record_policy_notice(dir.path(), {"example", "privacy-policy", "2026-01-01", at})
          == "2026-11-20");
    CHECK(storage::record_policy_notice(dir.path(), {"example", "privacy-policy", "2026-11-22", at})
          == "2026-11-22");
    CHECK(storage::read_policy_notices(dir.path())
          == std::vector<storage::PolicyNotice> {{"example", "privacy-policy", "2026-11-22", at}});

    const auto broken = dir.write("broken/policy-notices.json", "{\"format\": 1, \"notices\": [{}]}");
    CHECK_THROWS_AS((void)storage::read_policy_notices(broken.parent_path()), storage::StorageError);
    CHECK_THROWS_AS(storage::record_policy_notice(broken.parent_path(),
                                                  {"example", "privacy-policy", "2026-11-22", at}),
                    storage::StorageError);
    std::ifstream in(broken);
    std::ostringstream text;
    text << in.rdbuf();
    CHECK(text.str() == "{\"format\": 1, \"notices\": [{}]}");
}

TEST_CASE("policy_seen: a date newer than the last check makes the platform's settings due")
{
    Fixture fixture;
    const std::int64_t now_ms = domain::to_unix_ms(noon);
    fixture.verified("ai-training", now_ms - 5 * day_ms);
    fixture.verified("block-ai-crawlers", now_ms - 5 * day_ms);
    CHECK(fixture.send({{"id", 1}, {"type", "due"}}).at("count") == 1); // forms-only/objection

    const json reply = fixture.send(seen("2026-11-21"));
    CHECK(reply.at("type") == "policy_seen");
    CHECK(reply.at("effective_date") == "2026-11-21");

    const json due = fixture.send({{"id", 2}, {"type", "due"}});
    CHECK(due.at("count") == 3);
    const json& example = due.at("platforms")[0];
    CHECK(example.at("platform") == "example");
    CHECK(example.at("severity") == "high");
    REQUIRE(example.at("settings").size() == 2);
    for (const auto& setting : example.at("settings")) {
        const json& reason = setting.at("reasons")[0];
        CHECK(reason.at("code") == "policy_event");
        CHECK(reason.at("policy_date") == "2026-11-21");
        CHECK(reason.at("document") == "privacy-policy");
        CHECK(reason.at("document_kind") == "privacy");
        CHECK(reason.at("message") == "Example's privacy policy changed on 2026-11-21 (seen when you opened it)");
    }
    // Checked again after the change: no longer due.
    fixture.verified("ai-training", now_ms - 1000);
    CHECK(fixture.send({{"id", 3}, {"type", "due"}}).at("count") == 2);
}

TEST_CASE("policy_seen: an older date than the last check changes nothing, refusals")
{
    Fixture fixture;
    const std::int64_t now_ms = domain::to_unix_ms(noon);
    fixture.verified("ai-training", now_ms - 5 * day_ms);
    fixture.verified("block-ai-crawlers", now_ms - 5 * day_ms);
    (void)fixture.send(seen("2026-11-10"));
    CHECK(fixture.send({{"id", 1}, {"type", "due"}}).at("count") == 1);

    CHECK(fixture.code_of(seen("2026-11-25")) == ErrorCode::bad_request); // after tomorrow
    CHECK(fixture.code_of(seen("2026-11-24")) == std::nullopt);           // a time zone ahead
    CHECK(fixture.code_of(seen("2026-02-30")) == ErrorCode::bad_request);
    CHECK(fixture.code_of(seen("November 3, 2025")) == ErrorCode::bad_request);
    CHECK(fixture.code_of(seen("2026-11-20", "terms")) == ErrorCode::unknown_setting);
    json missing = seen("2026-11-20");
    missing.erase("document");
    CHECK(fixture.code_of(missing) == ErrorCode::bad_request);
}

TEST_CASE("policy_seen: a host without a state folder says so")
{
    const test::TempDir dir;
    Dispatcher dispatcher(catalog::try_load_catalog(catalog_with(dir, json::array({privacy_document}))),
                          {}, []() -> std::unique_ptr<storage::ObservationStore> {
                              return std::make_unique<test::MemoryStore>();
                          });
    const json message = seen("2026-11-20");
    try {
        (void)dispatcher.handle(protocol::parse_request("policy_seen", message), 1, noon);
        FAIL("expected storage_error");
    } catch (const protocol::ProtocolError& error) {
        CHECK(error.code() == ErrorCode::storage_error);
    }
}

} // namespace OPTGUARD_TEST_FILE
