#pragma once
// CLI mode (a person at a terminal): --version, --help, status [--json]. Reads the same catalog,
// config and state database as browser mode.

#include <filesystem>
#include <iosfwd>
#include <span>
#include <string_view>

#include "os/paths.hpp"

namespace optguard::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

// `args` are argv[1..]. Returns the exit status.
[[nodiscard]] int run(std::span<const std::string_view> args, std::ostream& out,
                      std::ostream& err, const os::EnvLookup& env,
                      const std::filesystem::path& executable);

// The same with the real stdout, stderr, environment and executable.
[[nodiscard]] int run(std::span<const std::string_view> args);

} // namespace optguard::cli
