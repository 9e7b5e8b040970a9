#include "domain/duration.hpp"

#include <cstdint>

namespace optguard::domain {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) noexcept
{
    using namespace std::chrono;
    if (text.size() < 2 || text.size() > 12) {
        return std::nullopt;
    }
    std::int64_t count = 0;
    for (const char c : text.substr(0, text.size() - 1)) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        count = count * 10 + (c - '0'); // at most 11 digits: no overflow
    }
    milliseconds unit {};
    switch (text.back()) {
    case 'm': unit = minutes(1); break;
    case 'h': unit = hours(1); break;
    case 'd': unit = hours(24); break;
    case 'w': unit = hours(24 * 7); break;
    default: return std::nullopt;
    }
    if (count <= 0 || count > max_snooze / unit) {
        return std::nullopt;
    }
    const milliseconds total = unit * count;
    if (total < min_snooze) {
        return std::nullopt;
    }
    return total;
}

} // namespace optguard::domain
