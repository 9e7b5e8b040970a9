#pragma once
// The reminder commands (issue 5): due [--json], remind, snooze ID DURATION, ack ID, filed ID DATE,
// export --format json|csv|md [--output FILE]. ID is PLATFORM/SETTING. They read and write the same
// state database as the browser's host.

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <span>
#include <string_view>

#include "domain/timestamp.hpp"
#include "os/paths.hpp"

namespace optguard::cli {

inline constexpr std::string_view reminder_usage
    = "  due [--json]    what to re-check now, per platform, and why\n"
      "  remind          show a desktop notification for what is due (the daily timer runs this)\n"
      "  snooze ID DUR   hide a reminder for DUR: 12h, 1d, 7d, 1w ... (ID is platform/setting)\n"
      "  ack ID          acknowledge a reminder: quiet until something new happens\n"
      "  filed ID DATE   record that you filed the form ID on DATE (YYYY-MM-DD)\n"
      "  export --format json|csv|md [--output FILE]\n"
      "                  the verification history, for your records\n";

// The exit status if args[0] names a reminder command, nullopt otherwise. `program` (the name the
// person started the program as) begins its messages and usage lines.
[[nodiscard]] std::optional<int> run_reminder_command(std::span<const std::string_view> args,
                                                      std::ostream& out, std::ostream& err,
                                                      const os::EnvLookup& env,
                                                      const std::filesystem::path& executable,
                                                      domain::TimePoint now,
                                                      std::string_view program);

} // namespace optguard::cli
