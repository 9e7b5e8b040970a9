#include "app/clock.hpp"

#include <chrono>

namespace optguard {

domain::TimePoint system_now()
{
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
}

} // namespace optguard
