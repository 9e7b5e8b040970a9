#pragma once
// One line of browser mode's log on stderr: "optguard-host: <what><detail>".

#include <string>
#include <string_view>

#include "util/byte_channel.hpp"

namespace optguard {

// One write, so the line arrives whole. Never throws: it also logs from the session's catch-all,
// and a log that cannot be written has nowhere to say so.
inline void log_line(util::ByteSink& log, std::string_view what,
                     std::string_view detail = {}) noexcept
{
    try {
        std::string line = "optguard-host: ";
        line.append(what).append(detail).append("\n");
        (void)log.write(line);
    } catch (...) {
        // Nowhere left to report it.
    }
}

} // namespace optguard
