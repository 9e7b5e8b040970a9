#include "domain/verdict.hpp"

namespace optguard::domain {

std::string_view to_string(State state) noexcept
{
    switch (state) {
    case State::on:
        return "on";
    case State::off:
        return "off";
    case State::unknown:
        return "unknown";
    }
    return "unknown";
}

std::string_view to_string(Expected expected) noexcept
{
    return expected == Expected::on ? "on" : "off";
}

std::string_view to_string(Verdict verdict) noexcept
{
    switch (verdict) {
    case Verdict::compliant:
        return "compliant";
    case Verdict::violation:
        return "violation";
    case Verdict::unknown:
        return "unknown";
    }
    return "unknown";
}

std::optional<State> state_from_string(std::string_view text) noexcept
{
    if (text == "on") {
        return State::on;
    }
    if (text == "off") {
        return State::off;
    }
    if (text == "unknown") {
        return State::unknown;
    }
    return std::nullopt;
}

std::optional<Expected> expected_from_string(std::string_view text) noexcept
{
    if (text == "on") {
        return Expected::on;
    }
    if (text == "off") {
        return Expected::off;
    }
    return std::nullopt;
}

std::optional<Verdict> verdict_from_string(std::string_view text) noexcept
{
    if (text == "compliant") {
        return Verdict::compliant;
    }
    if (text == "violation") {
        return Verdict::violation;
    }
    if (text == "unknown") {
        return Verdict::unknown;
    }
    return std::nullopt;
}

Verdict compute_verdict(Expected expected, State reported) noexcept
{
    switch (reported) {
    case State::unknown:
        return Verdict::unknown;
    case State::on:
        return expected == Expected::on ? Verdict::compliant : Verdict::violation;
    case State::off:
        return expected == Expected::off ? Verdict::compliant : Verdict::violation;
    }
    return Verdict::unknown;
}

} // namespace optguard::domain
