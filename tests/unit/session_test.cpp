#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "memory_store.hpp"
#include "protocol/frame_io.hpp"
#include "browser/session.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using json = nlohmann::json;

namespace {

const std::filesystem::path fixtures = OPTGUARD_TEST_FIXTURES;

// Runs a session over `input` and collects the replies and the log.
struct Run {
    std::vector<json> replies;
    std::string log;
    int exit_status = -1;
    int clock_reads = 0;
};

Run run_session(const std::string& input, test::MemoryStore* store = nullptr,
                catalog::CatalogLoad catalog = catalog::try_load_catalog(fixtures / "catalogs"
                                                                         / "valid"))
{
    Run run;
    std::unique_ptr<storage::ObservationStore> owned(store != nullptr ? store
                                                                      : new test::MemoryStore);
    if (store != nullptr) {
        // The caller keeps looking at it; hand out a non-owning view by releasing on return.
    }
    Dispatcher dispatcher(std::move(catalog), {},
                          [&owned]() { return std::move(owned); });
    util::StringSource in(input);
    util::StringSink out;
    util::StringSink log;
    Session session(in, out, log, dispatcher, [&run]() {
        ++run.clock_reads;
        return domain::from_unix_ms(1795432502123);
    });
    run.exit_status = session.run();
    util::StringSource replies(out.text());
    for (;;) {
        const protocol::FrameReadResult frame = protocol::read_frame(replies);
        if (frame.status != protocol::ReadStatus::frame) {
            REQUIRE(frame.status == protocol::ReadStatus::end_of_input);
            break;
        }
        run.replies.push_back(json::parse(frame.body));
    }
    run.log = log.text();
    return run;
}

std::string frame(const std::string& body)
{
    return protocol::encode_frame(body);
}

std::string error_code(const json& reply)
{
    return reply.at("error").at("code").get<std::string>();
}

} // namespace

TEST_CASE("session answers every frame in order and exits 0 at end of input")
{
    const Run run = run_session(frame(R"({"id":1,"type":"hello"})") + frame(R"({"id":2,"type":"status"})"));
    CHECK(run.exit_status == 0);
    REQUIRE(run.replies.size() == 2);
    CHECK(run.replies[0].at("id") == 1);
    CHECK(run.replies[1].at("type") == "status");
}

TEST_CASE("session keeps serving after a bad message inside a well-formed frame")
{
    const Run run = run_session(frame("") + frame("nope") + frame(std::string(100'000, '['))
                                + frame(R"({"type":"hello"})") + frame(R"({"id":5,"type":7})")
                                + frame(R"({"id":6,"type":"launch"})")
                                + frame(R"({"id":7,"type":"hello"})"));
    CHECK(run.exit_status == 0);
    REQUIRE(run.replies.size() == 7);
    CHECK(error_code(run.replies[0]) == "bad_json");
    CHECK(error_code(run.replies[1]) == "bad_json");
    CHECK(error_code(run.replies[2]) == "bad_json");
    CHECK(error_code(run.replies[3]) == "bad_request");
    CHECK(run.replies[3].at("id").is_null());
    CHECK(error_code(run.replies[4]) == "bad_request");
    CHECK(run.replies[4].at("id") == 5);
    CHECK(run.replies[4].at("type").is_null());
    CHECK(error_code(run.replies[5]) == "unknown_type");
    CHECK(run.replies[5].at("type") == "launch");
    CHECK(run.replies[6].at("ok") == true);
}

TEST_CASE("session answers a too-large frame once and stops reading")
{
    const std::string header = protocol::encode_frame("").replace(0, 4, "\x01\x00\x10\x00", 4);
    const Run run = run_session(header + frame(R"({"id":1,"type":"hello"})"));
    CHECK(run.exit_status == 0);
    REQUIRE(run.replies.size() == 1);
    CHECK(error_code(run.replies[0]) == "too_large");
    CHECK(run.replies[0].at("error").at("message")
          == "frame of 1048577 bytes exceeds the limit of 1048576");
}

TEST_CASE("session answers a truncated header or body with bad_frame and exits 0")
{
    SUBCASE("header")
    {
        const Run run = run_session(frame(R"({"id":1,"type":"hello"})") + std::string("\x05\x00", 2));
        CHECK(run.exit_status == 0);
        REQUIRE(run.replies.size() == 2);
        CHECK(error_code(run.replies[1]) == "bad_frame");
        CHECK(run.replies[1].at("error").at("message")
              == "input ended inside a frame header after 2 of 4 bytes");
    }
    SUBCASE("body")
    {
        const Run run = run_session(frame(R"({"id":1,"type":"hello"})").substr(0, 10));
        CHECK(run.exit_status == 0);
        REQUIRE(run.replies.size() == 1);
        CHECK(run.replies[0].at("error").at("message")
              == "input ended inside a frame after 6 of 23 bytes");
    }
}

TEST_CASE("session reads the clock once per dispatched request")
{
    const Run run = run_session(frame(R"({"id":1,"type":"hello"})") + frame("bad")
                                + frame(R"({"id":2,"type":"status"})"));
    CHECK(run.clock_reads == 2);
}

TEST_CASE("session turns a bug into an internal reply with details only in the log")
{
    auto* store = new test::MemoryStore;
    store->throw_bug = true;
    const Run run = run_session(
        frame(R"({"id":"r","type":"report","platform":"example","setting":"ai-training","state":"on","url":"https://www.example.com/settings/privacy"})")
            + frame(R"({"id":2,"type":"hello"})"),
        store);
    REQUIRE(run.replies.size() == 2);
    CHECK(run.replies[0].at("id") == "r");
    CHECK(run.replies[0].at("type") == "report");
    CHECK(error_code(run.replies[0]) == "internal");
    CHECK(run.replies[0].at("error").at("message") == "internal error; see the host's log");
    CHECK(run.log.find("secret detail of a bug") != std::string::npos);
    CHECK(run.replies[1].at("ok") == true);
}

TEST_CASE("session answers internal when a reply would exceed 1 MB or is not valid UTF-8")
{
    catalog::CatalogLoad catalog = catalog::try_load_catalog(fixtures / "catalogs" / "valid");
    REQUIRE(catalog.catalog.has_value());
    SUBCASE("too large")
    {
        catalog.catalog->platforms[0].settings[0].entry["why"] = std::string(1'000'001, 'x');
        const Run run = run_session(frame(R"({"id":1,"type":"catalog"})"), nullptr, catalog);
        REQUIRE(run.replies.size() == 1);
        CHECK(error_code(run.replies[0]) == "internal");
        CHECK(run.log.find("exceeds the limit of 1000000") != std::string::npos);
    }
    SUBCASE("invalid UTF-8")
    {
        catalog.catalog->platforms[0].settings[0].entry["why"] = std::string("\xFF\xFE");
        const Run run = run_session(frame(R"({"id":1,"type":"catalog"})"), nullptr, catalog);
        REQUIRE(run.replies.size() == 1);
        CHECK(error_code(run.replies[0]) == "internal");
        CHECK(run.log.find("316") != std::string::npos);
    }
}

TEST_CASE("handle_frame echoes an id of every accepted JSON type")
{
    for (const char* id : {"0", "-9223372036854775808", "18446744073709551615", "\"\"",
                           "\"\\u0000\"", "\"\\ud83d\\ude00\""}) {
        CAPTURE(id);
        const Run run = run_session(frame(std::string(R"({"type":"hello","id":)") + id + "}"));
        REQUIRE(run.replies.size() == 1);
        CHECK(run.replies[0].at("ok") == true);
        CHECK(run.replies[0].at("id") == json::parse(id));
    }
    for (const char* id : {"null", "true", "1.5", "[]", "{}", "1e400", "-0.0"}) {
        CAPTURE(id);
        const Run run = run_session(frame(std::string(R"({"type":"hello","id":)") + id + "}"));
        REQUIRE(run.replies.size() == 1);
        CHECK(run.replies[0].at("ok") == false);
        CHECK(run.replies[0].at("id").is_null());
    }
}

} // namespace OPTGUARD_TEST_FILE
