#include <string>

#include <doctest/doctest.h>

#include "util/json_text.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::util;

namespace {

std::string nested_arrays(std::size_t depth)
{
    return std::string(depth, '[') + std::string(depth, ']');
}

} // namespace

TEST_CASE("JSON parser accepts nesting of exactly 64 levels and rejects 65")
{
    CHECK_FALSE(parse_json_text(nested_arrays(64)).failure.has_value());
    const JsonParseResult deep = parse_json_text(nested_arrays(65));
    REQUIRE(deep.failure.has_value());
    CHECK(deep.failure->description == "nested deeper than 64 levels");
    CHECK(deep.value.is_discarded());
}

TEST_CASE("JSON parser counts objects and arrays alike when limiting depth")
{
    std::string text;
    for (int i = 0; i < 64; ++i) {
        text += (i % 2 == 0) ? R"({"a":)" : "[";
    }
    text += "1";
    for (int i = 63; i >= 0; --i) {
        text += (i % 2 == 0) ? "}" : "]";
    }
    CHECK_FALSE(parse_json_text(text).failure.has_value());
    CHECK(parse_json_text("[" + text + "]").failure.has_value());
}

TEST_CASE("JSON parser survives 100000 levels of nesting and an unterminated deep prefix")
{
    CHECK(parse_json_text(nested_arrays(100'000)).failure.has_value());
    CHECK(parse_json_text(std::string(100'000, '[')).failure.has_value());
    CHECK(parse_json_text(std::string(100'000, '{')).failure.has_value());
}

TEST_CASE("JSON parser reports the line and column of a syntax error")
{
    const JsonParseResult result = parse_json_text("{\n  \"a\": 1,\n  \"b\": @\n}");
    REQUIRE(result.failure.has_value());
    CHECK(result.failure->position.line == 3);
    CHECK(result.failure->position.column == 8);
    CHECK(result.failure->description == "syntax error while parsing value - invalid literal");
}

TEST_CASE("JSON parser rejects invalid UTF-8 inside strings")
{
    const JsonParseResult result = parse_json_text("{\"a\":\"\xC3\x28\"}");
    REQUIRE(result.failure.has_value());
    // The description never carries the raw input bytes.
    for (const char c : result.failure->description) {
        CHECK(static_cast<unsigned char>(c) < 0x80);
    }
}

TEST_CASE("JSON parser rejects numbers that overflow a double")
{
    CHECK(parse_json_text("1e999").failure.has_value());
    CHECK(parse_json_text("-1e999").failure.has_value());
}

TEST_CASE("JSON parser keeps the last of duplicate keys")
{
    const JsonParseResult result = parse_json_text(R"({"a":1,"a":2})");
    REQUIRE_FALSE(result.failure.has_value());
    CHECK(result.value.at("a") == 2);
    CHECK(result.value.size() == 1);
}

TEST_CASE("line_column maps 1-based byte offsets to 1-based lines and columns")
{
    CHECK(line_column("abc", 1).line == 1);
    CHECK(line_column("abc", 3).column == 3);
    CHECK(line_column("a\nbc", 3).line == 2);
    CHECK(line_column("a\nbc", 3).column == 1);
    CHECK(line_column("a\nbc", 4).column == 2);
    CHECK(line_column("", 0).line == 1);
}

TEST_CASE("describe_value renders invalid UTF-8 as ASCII without throwing and shortens long values")
{
    const nlohmann::json bad = std::string("\xFF\xFE");
    std::string text;
    CHECK_NOTHROW(text = describe_value(bad));
    for (const char c : text) {
        CHECK(static_cast<unsigned char>(c) < 0x80);
    }
    CHECK(describe_value(std::string(500, 'a')).size() == 63);
    CHECK(quote("on") == "\"on\"");
}

} // namespace OPTGUARD_TEST_FILE
