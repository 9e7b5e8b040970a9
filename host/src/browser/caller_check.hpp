#pragma once
// Who started us: the browser names the calling extension in argv. Only OptGuard's own extension
// may talk to the host.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace optguard {

struct AllowList {
    std::vector<std::string> chrome_origins; // "chrome-extension://ID/"
    std::vector<std::string> firefox_ids;    // "name@domain"
};

// Every id this build knows (installer/extension-ids.tsv: the unpacked extension, the stores'
// whose ids are known, the Firefox add-on).
[[nodiscard]] AllowList default_allow_list();

// `args` are argv[1..]. Chromium: args[0] is the origin (a "--parent-window=N" may follow on
// Windows). Firefox: args[0] is the host manifest path, args[1] the add-on id.
[[nodiscard]] bool is_allowed_caller(std::span<const std::string_view> args,
                                     const AllowList& allow);

// The caller as named in argv, for the log line and the forbidden_origin message.
[[nodiscard]] std::string describe_caller(std::span<const std::string_view> args);

} // namespace optguard
