#pragma once
// Pure: snooze durations as people write them ("1d", "1w", "7d", "12h", "90m") <-> milliseconds.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace optguard::domain {

inline constexpr std::chrono::milliseconds min_snooze = std::chrono::minutes(1);
inline constexpr std::chrono::milliseconds max_snooze = std::chrono::hours(24 * 365);

// A positive integer followed by one unit: m (minutes), h (hours), d (days of 24 hours), w (weeks).
// nullopt for anything else, and for durations under 1 minute or over 365 days.
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) noexcept;

// What parse_duration accepts, for error messages.
inline constexpr const char* duration_syntax
    = "a number and a unit m, h, d or w (for example 12h, 1d, 7d, 1w), from 1 minute to 365 days";

} // namespace optguard::domain
