#pragma once
// Pure time helpers. Time is always a parameter; nothing here reads a clock.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace optguard::domain {

// Wall-clock time at millisecond resolution, the resolution of the wire format and the database.
using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

[[nodiscard]] std::int64_t to_unix_ms(TimePoint time) noexcept;
[[nodiscard]] TimePoint from_unix_ms(std::int64_t ms) noexcept;

// "2026-11-23T11:15:02.123Z": UTC, ISO 8601, always three fraction digits. Times before 1970 work.
[[nodiscard]] std::string format_utc_iso8601(TimePoint time);

// True if `text` is a valid calendar date written YYYY-MM-DD (catalog dates) or, with
// separator '.', YYYY.MM.DD (catalog versions).
[[nodiscard]] bool is_calendar_date(std::string_view text, char separator = '-') noexcept;

} // namespace optguard::domain
