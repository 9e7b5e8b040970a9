#pragma once
// Browser-launched mode: check the caller, load catalog and config, serve frames on stdin/stdout.

#include <span>
#include <string_view>

namespace optguard {

// `args` are argv[1..]. Returns the process exit status.
[[nodiscard]] int run_browser_mode(std::span<const std::string_view> args);

} // namespace optguard
