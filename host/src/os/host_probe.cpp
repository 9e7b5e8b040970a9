#include "os/host_probe.hpp"

#include <cerrno>
#include <csignal>

#include <boost/process.hpp>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>


namespace optguard::os {

namespace bp = boost::process;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Reads exactly `size` bytes before `deadline`. Returns "" on success, else what went wrong.
std::string read_exactly(int fd, std::string& out, std::size_t size, Clock::time_point deadline)
{
    while (out.size() < size) {
        const auto left
            = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            return "timed out";
        }
        pollfd poll_fd {fd, POLLIN, 0};
        const int ready = ::poll(&poll_fd, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            return "timed out";
        }
        char chunk[4096];
        const std::size_t want = std::min(sizeof chunk, size - out.size());
        const ssize_t n = ::read(fd, chunk, want);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return "closed its output";
        }
        out.append(chunk, static_cast<std::size_t>(n));
    }
    return {};
}

} // namespace

HostProbe probe_host(const fs::path& executable, const std::vector<std::string>& args,
                     std::string_view request, const ReadReply& read_reply,
                     std::chrono::milliseconds timeout)
{
    // A host that exits before reading our request must not kill us with SIGPIPE.
    static const bool sigpipe_ignored = [] {
        (void)std::signal(SIGPIPE, SIG_IGN);
        return true;
    }();
    (void)sigpipe_ignored;

    HostProbe result;
    const auto deadline = Clock::now() + timeout;
    bp::pipe to_host;
    bp::pipe from_host;
    ::fcntl(to_host.native_sink(), F_SETFD, FD_CLOEXEC);
    ::fcntl(from_host.native_source(), F_SETFD, FD_CLOEXEC);
    std::error_code ec;
    bp::child child(bp::exe = boost::filesystem::path(executable.string()), bp::args = args,
                    bp::std_in < to_host, bp::std_out > from_host, bp::std_err > bp::null, ec);
    if (ec) {
        result.error = "could not start it: " + ec.message();
        return result;
    }
    // A host that exits at once makes this write fail (EPIPE); what it wrote, or its exit status,
    // is still the better diagnosis, so the output is read either way.
    (void)!::write(to_host.native_sink(), request.data(), request.size());
    to_host.close();

    const auto read = [&](std::string& out, std::size_t size) {
        return read_exactly(from_host.native_source(), out, size, deadline);
    };
    const std::string status = read_reply(read, result.reply);
    from_host.close();
    if (!child.wait_for(std::chrono::milliseconds(500), ec)) {
        child.terminate(ec);
    }
    if (!result.reply) {
        result.error = status == "timed out"
            ? "did not answer within " + std::to_string(timeout.count()) + " ms"
            : status;
        if (status == "closed its output" && !child.running(ec)) {
            result.error += " (exit status " + std::to_string(child.exit_code()) + ")";
        }
    }
    return result;
}

} // namespace optguard::os
