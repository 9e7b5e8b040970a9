#pragma once
// The process's standard input, output and error as byte channels (util/byte_channel.hpp): what
// browser mode speaks native messaging over and logs to, without C++ streams.

#include "util/byte_channel.hpp"

namespace optguard::os {

// Buffered: one read asks for whatever the pipe holds, so pipelined frames cost one call.
[[nodiscard]] util::ByteSource& standard_input();
// Unbuffered: each write goes out whole before it returns (a reply, a log line).
[[nodiscard]] util::ByteSink& standard_output();
[[nodiscard]] util::ByteSink& standard_error();

} // namespace optguard::os
