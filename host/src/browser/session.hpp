#pragma once
// The read -> dispatch -> write loop, and the one catch-all of the host.

#include <functional>
#include <string>
#include <string_view>

#include "app/clock.hpp"
#include "browser/dispatcher.hpp"
#include "domain/timestamp.hpp"
#include "util/byte_channel.hpp"

namespace optguard {

class Session {
public:
    Session(util::ByteSource& in, util::ByteSink& out, util::ByteSink& log, Dispatcher& dispatcher,
            Clock clock);

    // Serves frames until end of input. Returns the process exit status: 0 after end of input,
    // too_large or bad_frame; 1 if stdout failed.
    [[nodiscard]] int run();

    // One frame body -> one serialised reply. Never throws; every failure becomes an error reply.
    // NOLINTNEXTLINE(bugprone-exception-escape): a false positive, see .clang-tidy
    [[nodiscard]] std::string handle_frame(std::string_view body) noexcept;

private:
    [[nodiscard]] bool send(const std::string& reply);

    util::ByteSource& in_;
    util::ByteSink& out_;
    util::ByteSink& log_;
    Dispatcher& dispatcher_;
    Clock clock_;
};

} // namespace optguard
