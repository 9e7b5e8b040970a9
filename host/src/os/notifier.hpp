#pragma once
// Desktop notifications through the platform's own tool (issue 5): notify-send on Linux, osascript on
// macOS, a PowerShell toast on Windows. The command line is built by a pure function (unit-tested
// for all three); running it is Boost.Process, found on PATH like a shell would.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "os/paths.hpp"

namespace optguard::os {

enum class NotifierKind { notify_send, osascript, powershell };

struct Notification {
    std::string title;
    std::string body;
    bool urgent = false; // drift/violation: shown as critical where the tool supports it
};

struct NotifierCommand {
    std::string program; // looked up on PATH
    std::vector<std::string> args;
};

// The tool this build uses: osascript on macOS, powershell on Windows, notify-send elsewhere.
[[nodiscard]] NotifierKind platform_notifier() noexcept;

[[nodiscard]] NotifierCommand build_command(NotifierKind kind, const Notification& notification);

// The first executable `name` in $PATH, or nullopt.
[[nodiscard]] std::optional<std::filesystem::path> find_on_path(const std::string& name,
                                                                const EnvLookup& env);

// Runs the command (stdin/stdout/stderr to the null device) and returns its exit status. Throws
// std::runtime_error if it cannot be started.
[[nodiscard]] int run_command(const std::filesystem::path& program,
                              const std::vector<std::string>& args);

} // namespace optguard::os
