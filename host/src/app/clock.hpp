#pragma once
// The one place the host reads the wall clock: pure logic takes the time as a parameter, and
// tests pass a fixed one.

#include <functional>

#include "domain/timestamp.hpp"

namespace optguard {

// Read once per request or command.
using Clock = std::function<domain::TimePoint()>;
[[nodiscard]] domain::TimePoint system_now();

} // namespace optguard
