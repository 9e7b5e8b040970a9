// os/host_probe.hpp on Windows: the host started with CreateProcessW, as Chrome and Firefox do
// there (the manifest's path, the browser's arguments, anonymous pipes on stdin/stdout, stderr to
// NUL), one `hello` frame, the reply read before the deadline. os/host_probe.cpp is the POSIX one.
#include "os/host_probe.hpp"

#include <thread>

#include <windows.h>

#include "os/win32/process.hpp"

namespace optguard::os {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

class Handle {
public:
    Handle() = default;
    explicit Handle(HANDLE handle) : handle_(handle) { }
    ~Handle() { reset(); }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle(Handle&&) = delete;
    Handle& operator=(Handle&&) = delete;
    [[nodiscard]] HANDLE get() const { return handle_; }
    HANDLE* out() { return &handle_; }
    void reset()
    {
        if (handle_ != nullptr && handle_ != INVALID_HANDLE_VALUE) {
            CloseHandle(handle_);
        }
        handle_ = nullptr;
    }

private:
    HANDLE handle_ = nullptr;
};

// Reads exactly `size` bytes before `deadline`. Returns "" on success, else what went wrong.
std::string read_exactly(HANDLE pipe, std::string& out, std::size_t size, Clock::time_point deadline)
{
    while (out.size() < size) {
        DWORD available = 0;
        if (PeekNamedPipe(pipe, nullptr, 0, nullptr, &available, nullptr) == 0) {
            return "closed its output";
        }
        if (available == 0) {
            if (Clock::now() >= deadline) {
                return "timed out";
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            continue;
        }
        char chunk[4096];
        const DWORD want = static_cast<DWORD>(std::min<std::size_t>({sizeof chunk, size - out.size(), available}));
        DWORD got = 0;
        if (ReadFile(pipe, chunk, want, &got, nullptr) == 0 || got == 0) {
            return "closed its output";
        }
        out.append(chunk, got);
    }
    return {};
}

} // namespace

HostProbe probe_host(const fs::path& executable, const std::vector<std::string>& args,
                     std::string_view request, const ReadReply& read_reply,
                     std::chrono::milliseconds timeout)
{
    HostProbe result;
    const auto deadline = Clock::now() + timeout;
    SECURITY_ATTRIBUTES inherit {sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
    Handle child_in;
    Handle to_host;
    Handle from_host;
    Handle child_out;
    if (CreatePipe(child_in.out(), to_host.out(), &inherit, 0) == 0
        || CreatePipe(from_host.out(), child_out.out(), &inherit, 0) == 0) {
        result.error = "could not start it: " + win32::error_message(GetLastError());
        return result;
    }
    // Our ends stay ours: the child inherits only its stdin and stdout (and NUL for stderr).
    SetHandleInformation(to_host.get(), HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(from_host.get(), HANDLE_FLAG_INHERIT, 0);
    Handle null_err(CreateFileW(L"NUL", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit,
                                OPEN_EXISTING, 0, nullptr));

    STARTUPINFOW startup {};
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = child_in.get();
    startup.hStdOutput = child_out.get();
    startup.hStdError = null_err.get();
    PROCESS_INFORMATION info {};
    std::wstring command = win32::command_line(executable, args);
    const std::wstring program = executable.wstring();
    if (CreateProcessW(program.c_str(), command.data(), nullptr, nullptr, TRUE, CREATE_NO_WINDOW,
                       nullptr, nullptr, &startup, &info)
        == 0) {
        result.error = "could not start it: " + win32::error_message(GetLastError());
        return result;
    }
    const Handle process(info.hProcess);
    const Handle thread(info.hThread);
    child_in.reset();
    child_out.reset();
    null_err.reset();

    DWORD written = 0;
    // A host that exits at once makes this fail; its output or exit status is the better diagnosis.
    (void)WriteFile(to_host.get(), request.data(), static_cast<DWORD>(request.size()), &written,
                    nullptr);
    to_host.reset();

    const auto read = [&](std::string& out, std::size_t size) {
        return read_exactly(from_host.get(), out, size, deadline);
    };
    const std::string status = read_reply(read, result.reply);
    from_host.reset();
    const bool exited = WaitForSingleObject(process.get(), 500) == WAIT_OBJECT_0;
    if (!exited) {
        TerminateProcess(process.get(), 1);
    }
    if (!result.reply) {
        result.error = status == "timed out"
            ? "did not answer within " + std::to_string(timeout.count()) + " ms"
            : status;
        DWORD code = 0;
        if (status == "closed its output" && exited && GetExitCodeProcess(process.get(), &code) != 0) {
            result.error += " (exit status " + std::to_string(code) + ")";
        }
    }
    return result;
}

} // namespace optguard::os
