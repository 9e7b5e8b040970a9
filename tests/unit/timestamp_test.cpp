#include <doctest/doctest.h>

#include "domain/timestamp.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::domain;

TEST_CASE("timestamps format as UTC ISO 8601 with milliseconds")
{
    CHECK(format_utc_iso8601(from_unix_ms(1795432502123)) == "2026-11-23T11:15:02.123Z");
    CHECK(format_utc_iso8601(from_unix_ms(0)) == "1970-01-01T00:00:00.000Z");
    CHECK(format_utc_iso8601(from_unix_ms(1709251199999)) == "2024-02-29T23:59:59.999Z");
    CHECK(format_utc_iso8601(from_unix_ms(5)) == "1970-01-01T00:00:00.005Z");
}

TEST_CASE("timestamps before 1970 round down to the earlier second")
{
    CHECK(format_utc_iso8601(from_unix_ms(-1)) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("unix milliseconds round-trip")
{
    CHECK(to_unix_ms(from_unix_ms(1795432502123)) == 1795432502123);
    CHECK(to_unix_ms(from_unix_ms(-42)) == -42);
}

TEST_CASE("calendar dates must exist")
{
    CHECK(is_calendar_date("2026-11-23"));
    CHECK(is_calendar_date("2024-02-29"));
    CHECK_FALSE(is_calendar_date("2026-02-29"));
    CHECK_FALSE(is_calendar_date("2026-13-01"));
    CHECK_FALSE(is_calendar_date("2026-1-01"));
    CHECK_FALSE(is_calendar_date("2026/11/23"));
    CHECK_FALSE(is_calendar_date("2026-11-2x"));
    CHECK(is_calendar_date("2026.11.23", '.'));
    CHECK_FALSE(is_calendar_date("2026-11-23", '.'));
}

} // namespace OPTGUARD_TEST_FILE
