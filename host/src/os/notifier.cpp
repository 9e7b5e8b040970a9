#include "os/notifier.hpp"

#ifdef _WIN32
#include <windows.h>

#include "os/win32/process.hpp"
#else
#include <boost/process.hpp>
#include <unistd.h>
#endif

namespace optguard::os {

namespace {

// AppleScript string literal contents: backslash and double quote escaped.
std::string applescript_quoted(const std::string& text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '\\' || c == '"') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

// PowerShell single-quoted literal: a quote is doubled; nothing else is special.
std::string powershell_quoted(const std::string& text)
{
    std::string out = "'";
    for (const char c : text) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out + "'";
}

} // namespace

NotifierKind platform_notifier() noexcept
{
#if defined(__APPLE__)
    return NotifierKind::osascript;
#elif defined(_WIN32)
    return NotifierKind::powershell;
#else
    return NotifierKind::notify_send;
#endif
}

NotifierCommand build_command(NotifierKind kind, const Notification& notification)
{
    switch (kind) {
    case NotifierKind::notify_send:
        // "--" so a title starting with "-" is never read as an option.
        return {"notify-send",
                {"--app-name=OptGuard", notification.urgent ? "--urgency=critical" : "--urgency=normal",
                 "--", notification.title, notification.body}};
    case NotifierKind::osascript:
        return {"osascript",
                {"-e", "display notification " + applescript_quoted(notification.body)
                           + " with title " + applescript_quoted(notification.title)}};
    case NotifierKind::powershell: {
        // Title and body travel as PowerShell literals and are XML-escaped by PowerShell itself.
        const std::string script
            = "$t = " + powershell_quoted(notification.title) + "; $b = "
            + powershell_quoted(notification.body)
            + "; [Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, "
              "ContentType = WindowsRuntime] > $null;"
              " $x = New-Object Windows.Data.Xml.Dom.XmlDocument;"
              " $x.LoadXml('<toast><visual><binding template=\"ToastGeneric\"><text>' +"
              " [Security.SecurityElement]::Escape($t) + '</text><text>' +"
              " [Security.SecurityElement]::Escape($b) + '</text></binding></visual></toast>');"
              " [Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier('OptGuard')"
              ".Show([Windows.UI.Notifications.ToastNotification]::new($x))";
        return {"powershell", {"-NoProfile", "-NonInteractive", "-Command", script}};
    }
    }
    return {};
}

#ifdef _WIN32
// Windows: PATH is split on ';', entries are absolute when they start with a drive or a share,
// and a command is found as NAME.exe.
std::optional<std::filesystem::path> find_on_path(const std::string& name, const EnvLookup& env)
{
    const std::optional<std::string> path = env("PATH");
    if (!path || name.empty() || name.find_first_of("/\\:") != std::string::npos) {
        return std::nullopt;
    }
    std::size_t start = 0;
    while (start <= path->size()) {
        const std::size_t end = std::min(path->find(';', start), path->size());
        const std::filesystem::path dir(path->substr(start, end - start));
        if (dir.is_absolute()) {
            for (const std::string& file : {name + ".exe", name}) {
                std::error_code ec;
                if (std::filesystem::is_regular_file(dir / file, ec)) {
                    return dir / file;
                }
            }
        }
        start = end + 1;
    }
    return std::nullopt;
}

int run_command(const std::filesystem::path& program, const std::vector<std::string>& args)
{
    std::wstring command = win32::command_line(program, args);
    STARTUPINFOW startup {};
    startup.cb = sizeof startup;
    PROCESS_INFORMATION info {};
    // No console window for powershell; its standard handles are not ours (none inherited).
    if (CreateProcessW(program.wstring().c_str(), command.data(), nullptr, nullptr, FALSE,
                       CREATE_NO_WINDOW, nullptr, nullptr, &startup, &info)
        == 0) {
        throw std::runtime_error("cannot start " + program.string() + ": "
                                 + win32::error_message(GetLastError()));
    }
    WaitForSingleObject(info.hProcess, INFINITE);
    DWORD code = 1;
    (void)GetExitCodeProcess(info.hProcess, &code);
    CloseHandle(info.hThread);
    CloseHandle(info.hProcess);
    return static_cast<int>(code);
}
#else
std::optional<std::filesystem::path> find_on_path(const std::string& name, const EnvLookup& env)
{
    const std::optional<std::string> path = env("PATH");
    if (!path || name.empty() || name.find('/') != std::string::npos) {
        return std::nullopt;
    }
    std::size_t start = 0;
    while (start <= path->size()) {
        const std::size_t end = std::min(path->find(':', start), path->size());
        const std::string dir = path->substr(start, end - start);
        if (!dir.empty() && dir.front() == '/') { // relative PATH entries are ignored
            const std::filesystem::path candidate = std::filesystem::path(dir) / name;
            std::error_code ec;
            if (std::filesystem::is_regular_file(candidate, ec)
                && ::access(candidate.c_str(), X_OK) == 0) {
                return candidate;
            }
        }
        start = end + 1;
    }
    return std::nullopt;
}

int run_command(const std::filesystem::path& program, const std::vector<std::string>& args)
{
    namespace bp = boost::process;
    try {
        bp::child child(bp::exe = program.string(), bp::args = args, bp::std_in < bp::null,
                        bp::std_out > bp::null, bp::std_err > bp::null);
        child.wait();
        return child.exit_code();
    } catch (const std::exception& error) {
        throw std::runtime_error("cannot start " + program.string() + ": " + error.what());
    }
}

#endif

} // namespace optguard::os
