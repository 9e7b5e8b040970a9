#pragma once
// CLI mode (a person at a terminal): --version, --help, status [--json]. Reads the same catalog,
// config and state database as browser mode.

#include <filesystem>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

#include "os/paths.hpp"

namespace optguard::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

// The host's own name, what `program_name` falls back on.
inline constexpr std::string_view host_program = "optguard-host";

// The name a person started the program as, for usage lines and messages: argv[0]'s last path
// component ("optguard" through the installer's link, "optguard-host" itself; ".exe" dropped on
// Windows), or host_program when argv[0] is missing or empty.
[[nodiscard]] std::string program_name(std::string_view argv0);

// `args` are argv[1..]; `program` is program_name(argv[0]). Returns the exit status.
[[nodiscard]] int run(std::span<const std::string_view> args, std::ostream& out,
                      std::ostream& err, const os::EnvLookup& env,
                      const std::filesystem::path& executable, std::string_view program);

// The same with the real stdout, stderr, environment and executable; argv0 is main's argv[0].
[[nodiscard]] int run(std::string_view argv0, std::span<const std::string_view> args);

} // namespace optguard::cli
