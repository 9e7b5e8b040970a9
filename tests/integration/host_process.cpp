#include "host_process.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <boost/process.hpp>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "os/fd_io.hpp"
#include "protocol/frame_io.hpp"

namespace optguard::itest {

namespace bp = boost::process;

namespace {

void set_cloexec(int fd)
{
    // Our ends of the pipes must not leak into hosts started later, or a host never sees EOF on
    // stdin while a sibling holds a copy of the write end.
    if (fd >= 0) {
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
}

} // namespace

struct HostProcess::Impl {
    bp::pipe to_host;
    bp::pipe from_host;
    bp::child child;
    std::string buffer;
    bool eof = false;
    std::optional<int> exit_status;

    // Appends what is available within `deadline` to buffer; false on timeout.
    bool fill(std::chrono::steady_clock::time_point deadline)
    {
        const int fd = from_host.native_source();
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                return false;
            }
            pollfd poll_fd {fd, POLLIN, 0};
            const int ready = ::poll(&poll_fd, 1, static_cast<int>(left.count()));
            if (ready < 0 && errno == EINTR) {
                continue;
            }
            if (ready <= 0) {
                return false;
            }
            char chunk[65536];
            const ssize_t n = ::read(fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                eof = true;
                return true;
            }
            buffer.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
    }
};

HostProcess::HostProcess(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env,
                         const std::filesystem::path& stderr_file,
                         const std::filesystem::path& executable)
    : impl_(std::make_unique<Impl>())
{
    static const bool sigpipe_ignored = [] {
        std::signal(SIGPIPE, SIG_IGN); // a host that exits early must not kill the test runner
        return true;
    }();
    (void)sigpipe_ignored;

    set_cloexec(impl_->to_host.native_sink());
    set_cloexec(impl_->from_host.native_source());
    // The environment is set through env(1) rather than bp::environment: Boost 1.74's
    // basic_environment_impl::find() compares "NAME=" against shorter entries with std::equal and
    // reads past their end (AddressSanitizer reports it). env(1) then execs the host in place, so
    // the child's pid is the host's.
    std::vector<std::string> argv;
    for (const auto& [name, value] : env) {
        if (value.empty()) {
            argv.insert(argv.end(), {"-u", name});
        }
    }
    for (const auto& [name, value] : env) {
        if (!value.empty()) {
            argv.push_back(name + "=" + value);
        }
    }
    argv.push_back(executable.string());
    argv.insert(argv.end(), args.begin(), args.end());
    impl_->child = bp::child(bp::exe = "/usr/bin/env", bp::args = argv,
                             bp::std_in < impl_->to_host, bp::std_out > impl_->from_host,
                             bp::std_err > boost::filesystem::path(stderr_file.string()));
}

HostProcess::~HostProcess()
{
    try {
        close_stdin();
        if (!wait_exit(5s)) {
            kill();
        }
    } catch (...) {
        // Destructors must not throw; the child is gone or will be reaped by bp::child.
    }
}

bool HostProcess::send_raw(std::string_view bytes)
{
    const int fd = impl_->to_host.native_sink();
    if (fd < 0) {
        return false;
    }
    return optguard::os::write_all(fd, bytes) == 0;
}

bool HostProcess::send(const nlohmann::json& message)
{
    return send_raw(protocol::encode_frame(message.dump()));
}

void HostProcess::close_stdin()
{
    const int fd = impl_->to_host.native_sink();
    if (fd >= 0) {
        ::close(fd);
        impl_->to_host.assign_sink(-1);
    }
}

std::optional<std::string> HostProcess::read_frame(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string& buffer = impl_->buffer;
    for (;;) {
        if (buffer.size() >= 4) {
            std::uint32_t length = 0;
            std::memcpy(&length, buffer.data(), 4);
            if (buffer.size() >= 4 + static_cast<std::size_t>(length)) {
                std::string body = buffer.substr(4, length);
                buffer.erase(0, 4 + static_cast<std::size_t>(length));
                return body;
            }
        }
        if (impl_->eof) {
            if (!buffer.empty()) {
                throw std::runtime_error("host output ended inside a frame ("
                                         + std::to_string(buffer.size()) + " bytes left)");
            }
            return std::nullopt;
        }
        if (!impl_->fill(deadline)) {
            throw std::runtime_error("timed out waiting for a frame from the host");
        }
    }
}

nlohmann::json HostProcess::read_reply(std::chrono::milliseconds timeout)
{
    const auto body = read_frame(timeout);
    if (!body) {
        throw std::runtime_error("the host closed stdout instead of replying");
    }
    return nlohmann::json::parse(*body);
}

nlohmann::json HostProcess::request(const nlohmann::json& message, std::chrono::milliseconds timeout)
{
    if (!send(message)) {
        throw std::runtime_error("cannot write to the host's stdin");
    }
    return read_reply(timeout);
}

std::string HostProcess::read_all(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!impl_->eof) {
        if (!impl_->fill(deadline)) {
            throw std::runtime_error("timed out waiting for the host to close stdout");
        }
    }
    std::string all;
    all.swap(impl_->buffer);
    return all;
}

std::optional<int> HostProcess::wait_exit(std::chrono::milliseconds timeout)
{
    if (impl_->exit_status) {
        return impl_->exit_status;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const pid_t child_pid = impl_->child.id();
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(child_pid, &status, WNOHANG);
        if (done == child_pid) {
            impl_->exit_status = WIFEXITED(status) ? WEXITSTATUS(status)
                                                   : 128 + WTERMSIG(status);
            impl_->child.detach(); // reaped by us; bp::child must not wait or kill it again
            return impl_->exit_status;
        }
        if (done < 0 && errno != EINTR) {
            throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(5ms);
    }
}

void HostProcess::kill()
{
    if (impl_->exit_status) {
        return;
    }
    ::kill(impl_->child.id(), SIGKILL);
    (void)wait_exit(10s);
}

int HostProcess::pid() const
{
    return impl_->child.id();
}

ProgramRun run_program(const std::string& program, const std::vector<std::string>& args,
                       const std::filesystem::path& scratch, std::chrono::milliseconds timeout)
{
    static std::atomic<int> runs {0};
    const int n = runs++;
    const std::filesystem::path out_file = scratch / ("program-" + std::to_string(n) + ".out");
    const std::filesystem::path err_file = scratch / ("program-" + std::to_string(n) + ".err");
    const auto start = std::chrono::steady_clock::now();
    bp::child child(bp::search_path(program), bp::args = args, bp::std_in < bp::null,
                    bp::std_out > boost::filesystem::path(out_file.string()),
                    bp::std_err > boost::filesystem::path(err_file.string()));
    ProgramRun run;
    std::error_code ec;
    // Polled, not child.wait_for(): Boost.Process 1.74's wait_for can miss the exit of a child that
    // ends while it waits, and then returns only at the timeout.
    const auto deadline = start + timeout;
    while (child.running(ec) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!child.running(ec)) {
        child.wait(ec);
        run.status = child.exit_code();
    } else {
        child.terminate(ec);
    }
    run.took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    const auto slurp = [](const std::filesystem::path& file) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    };
    run.out = slurp(out_file);
    run.err = slurp(err_file);
    std::filesystem::remove(out_file, ec);
    std::filesystem::remove(err_file, ec);
    return run;
}

} // namespace optguard::itest
