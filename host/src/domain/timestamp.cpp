#include "domain/timestamp.hpp"

#include <cstdio>

namespace optguard::domain {

std::int64_t to_unix_ms(TimePoint time) noexcept
{
    return static_cast<std::int64_t>(time.time_since_epoch().count());
}

TimePoint from_unix_ms(std::int64_t ms) noexcept
{
    return TimePoint(std::chrono::milliseconds(ms));
}

std::string format_utc_iso8601(TimePoint time)
{
    using namespace std::chrono;
    const auto day = floor<days>(time);
    const year_month_day date(day);
    const hh_mm_ss clock(time - day); // non-negative: floor rounds towards the past
    const int year = static_cast<int>(date.year());
    if (year >= 0 && year <= 9999) {
        // By hand: snprintf was a tenth of a `status` reply's cost (one call per row).
        std::string text = "0000-00-00T00:00:00.000Z";
        const auto put = [&text](std::size_t at, std::size_t width, long long value) {
            for (std::size_t i = width; i > 0; --i) {
                text[at + i - 1] = static_cast<char>('0' + value % 10);
                value /= 10;
            }
        };
        put(0, 4, year);
        put(5, 2, static_cast<unsigned>(date.month()));
        put(8, 2, static_cast<unsigned>(date.day()));
        put(11, 2, clock.hours().count());
        put(14, 2, clock.minutes().count());
        put(17, 2, clock.seconds().count());
        put(20, 3, clock.subseconds().count());
        return text;
    }
    char text[40];
    const int n = std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                                static_cast<int>(date.year()),
                                static_cast<unsigned>(date.month()),
                                static_cast<unsigned>(date.day()),
                                static_cast<int>(clock.hours().count()),
                                static_cast<int>(clock.minutes().count()),
                                static_cast<int>(clock.seconds().count()),
                                static_cast<int>(clock.subseconds().count()));
    return std::string(text, n > 0 ? static_cast<std::size_t>(n) : 0U);
}

bool is_calendar_date(std::string_view text, char separator) noexcept
{
    if (text.size() != 10 || text[4] != separator || text[7] != separator) {
        return false;
    }
    int values[3] = {0, 0, 0};
    const std::size_t starts[3] = {0, 5, 8};
    const std::size_t lengths[3] = {4, 2, 2};
    for (std::size_t part = 0; part < 3; ++part) {
        for (std::size_t i = 0; i < lengths[part]; ++i) {
            const char c = text[starts[part] + i];
            if (c < '0' || c > '9') {
                return false;
            }
            values[part] = values[part] * 10 + (c - '0');
        }
    }
    const std::chrono::year_month_day date {std::chrono::year(values[0]),
                                            std::chrono::month(static_cast<unsigned>(values[1])),
                                            std::chrono::day(static_cast<unsigned>(values[2]))};
    return date.ok();
}

} // namespace optguard::domain
