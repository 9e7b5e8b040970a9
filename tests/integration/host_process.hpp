#pragma once
// The real optguard-host as a child process with pipes. Every read has a deadline, so a hung host
// fails the test instead of hanging CI. This header stays free of Boost so only host_process.cpp
// pays for compiling Boost.Process.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace optguard::itest {

using namespace std::chrono_literals;

inline constexpr std::chrono::milliseconds default_timeout = 15s;

// What OptGuard's Chrome extension passes as argv[1].
inline constexpr const char* chrome_origin = "chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/";

class HostProcess {
public:
    // Starts the host with `args` (argv[1..]) and `env` added to (or, when empty, removed from) the
    // test's environment; stderr goes to `stderr_file`. `executable` (argv[0]): the built host, or
    // another path to it (a link with another name).
    HostProcess(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                const std::filesystem::path& stderr_file,
                const std::filesystem::path& executable = OPTGUARD_TEST_HOST_EXE);
    ~HostProcess();
    HostProcess(const HostProcess&) = delete;
    HostProcess& operator=(const HostProcess&) = delete;
    HostProcess(HostProcess&&) = delete;
    HostProcess& operator=(HostProcess&&) = delete;

    // Writes raw bytes to the host's stdin. False if the host closed it (it exited).
    bool send_raw(std::string_view bytes);
    // Writes one frame holding `message` serialised.
    bool send(const nlohmann::json& message);
    void close_stdin();

    // The next frame's body; nullopt at end of output. Throws std::runtime_error on timeout or a
    // malformed frame.
    std::optional<std::string> read_frame(std::chrono::milliseconds timeout = default_timeout);
    // The next frame parsed as JSON; throws if there is none.
    nlohmann::json read_reply(std::chrono::milliseconds timeout = default_timeout);
    // send + read_reply.
    nlohmann::json request(const nlohmann::json& message,
                           std::chrono::milliseconds timeout = default_timeout);
    // Everything left on stdout until the host closes it.
    std::string read_all(std::chrono::milliseconds timeout = default_timeout);

    // The exit status once the host has exited, or nullopt after `timeout`. A death by signal is
    // reported as 128 + signal number.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout = default_timeout);
    // SIGKILL, then reap.
    void kill();
    [[nodiscard]] int pid() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One run of another program (e.g. the sqlite3 tool): what it printed, how it ended, how long it took.
struct ProgramRun {
    std::string out;
    std::string err;
    std::optional<int> status; // nullopt: killed at the timeout
    std::chrono::milliseconds took {0};
};

// Runs `program` (looked up on PATH) with `args` and no stdin, to its exit or `timeout` (then it is
// killed). `scratch` is a folder for its output files.
ProgramRun run_program(const std::string& program, const std::vector<std::string>& args,
                       const std::filesystem::path& scratch,
                       std::chrono::milliseconds timeout = default_timeout);

} // namespace optguard::itest
