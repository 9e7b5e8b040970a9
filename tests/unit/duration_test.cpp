#include <doctest/doctest.h>

#include "domain/duration.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::domain;
using namespace std::chrono_literals;

TEST_CASE("snooze durations: a number and a unit m, h, d or w")
{
    CHECK(parse_duration("1d") == std::chrono::milliseconds(24h));
    CHECK(parse_duration("1w") == std::chrono::milliseconds(7 * 24h));
    CHECK(parse_duration("7d") == std::chrono::milliseconds(7 * 24h));
    CHECK(parse_duration("12h") == std::chrono::milliseconds(12h));
    CHECK(parse_duration("90m") == std::chrono::milliseconds(90min));
    CHECK(parse_duration("365d") == std::chrono::milliseconds(365 * 24h));
}

TEST_CASE("snooze durations refuse other spellings, zero, and more than 365 days")
{
    for (const char* text : {"", "d", "7", "0d", "-1d", "1.5d", "7 d", " 7d", "7D", "7s", "1y", "366d",
                             "53w", "99999999999d", "1d2h"}) {
        CAPTURE(text);
        CHECK_FALSE(parse_duration(text));
    }
}

} // namespace OPTGUARD_TEST_FILE
