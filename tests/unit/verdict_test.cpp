#include <doctest/doctest.h>

#include "domain/verdict.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::domain;

TEST_CASE("verdict is compliant when the page shows the known-good state")
{
    CHECK(compute_verdict(Expected::off, State::off) == Verdict::compliant);
    CHECK(compute_verdict(Expected::on, State::on) == Verdict::compliant);
}

TEST_CASE("verdict is a violation when the page shows the other known state")
{
    CHECK(compute_verdict(Expected::off, State::on) == Verdict::violation);
    CHECK(compute_verdict(Expected::on, State::off) == Verdict::violation);
}

TEST_CASE("verdict is unknown when the page could not be read, whatever is expected")
{
    CHECK(compute_verdict(Expected::off, State::unknown) == Verdict::unknown);
    CHECK(compute_verdict(Expected::on, State::unknown) == Verdict::unknown);
}

TEST_CASE("states, expectations and verdicts round-trip through their wire strings")
{
    for (const State state : {State::on, State::off, State::unknown}) {
        CHECK(state_from_string(to_string(state)) == state);
    }
    for (const Expected expected : {Expected::on, Expected::off}) {
        CHECK(expected_from_string(to_string(expected)) == expected);
    }
    for (const Verdict verdict : {Verdict::compliant, Verdict::violation, Verdict::unknown}) {
        CHECK(verdict_from_string(to_string(verdict)) == verdict);
    }
    CHECK_FALSE(state_from_string("On").has_value());
    CHECK_FALSE(expected_from_string("unknown").has_value());
    CHECK_FALSE(verdict_from_string("").has_value());
}

} // namespace OPTGUARD_TEST_FILE
