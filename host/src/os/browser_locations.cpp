#include "os/browser_locations.hpp"

#include <array>
#include <string>

#ifdef _WIN32
#include <windows.h>

#include "os/win32/process.hpp"
#else
#include <unistd.h>
#endif

namespace optguard::os {

namespace fs = std::filesystem;

namespace {

// Keep in step with installer/browsers.tsv (tests/unit/browser_locations_test.cpp compares them).
constexpr BrowserLocation locations[] = {
    {"chrome", "Google Chrome", "linux", "user", "chromium", "$CONFIG/google-chrome/NativeMessagingHosts", "$CONFIG/google-chrome,google-chrome,google-chrome-stable", "-"},
    {"chrome-beta", "Google Chrome Beta", "linux", "user", "chromium", "$CONFIG/google-chrome-beta/NativeMessagingHosts", "$CONFIG/google-chrome-beta,google-chrome-beta", "-"},
    {"chrome-dev", "Google Chrome Dev", "linux", "user", "chromium", "$CONFIG/google-chrome-unstable/NativeMessagingHosts", "$CONFIG/google-chrome-unstable,google-chrome-unstable", "-"},
    {"chrome-canary", "Google Chrome Canary", "linux", "user", "chromium", "$CONFIG/google-chrome-canary/NativeMessagingHosts", "$CONFIG/google-chrome-canary,google-chrome-canary", "-"},
    {"chromium", "Chromium", "linux", "user", "chromium", "$CONFIG/chromium/NativeMessagingHosts", "$CONFIG/chromium,chromium,chromium-browser", "-"},
    {"edge", "Microsoft Edge", "linux", "user", "chromium", "$CONFIG/microsoft-edge/NativeMessagingHosts", "$CONFIG/microsoft-edge,microsoft-edge,microsoft-edge-stable", "-"},
    {"edge-beta", "Microsoft Edge Beta", "linux", "user", "chromium", "$CONFIG/microsoft-edge-beta/NativeMessagingHosts", "$CONFIG/microsoft-edge-beta,microsoft-edge-beta", "-"},
    {"edge-dev", "Microsoft Edge Dev", "linux", "user", "chromium", "$CONFIG/microsoft-edge-dev/NativeMessagingHosts", "$CONFIG/microsoft-edge-dev,microsoft-edge-dev", "-"},
    {"brave", "Brave", "linux", "user", "chromium", "$CONFIG/BraveSoftware/Brave-Browser/NativeMessagingHosts", "$CONFIG/BraveSoftware/Brave-Browser,brave-browser,brave", "-"},
    {"vivaldi", "Vivaldi", "linux", "user", "chromium", "$CONFIG/vivaldi/NativeMessagingHosts", "$CONFIG/vivaldi,vivaldi,vivaldi-stable", "-"},
    {"opera", "Opera", "linux", "user", "chromium", "$CONFIG/google-chrome/NativeMessagingHosts", "$CONFIG/opera,opera", "-"},
    {"firefox", "Firefox", "linux", "user", "firefox", "~/.mozilla/native-messaging-hosts", "~/.mozilla,firefox,firefox-esr", "-"},
    {"librewolf", "LibreWolf", "linux", "user", "firefox", "~/.librewolf/native-messaging-hosts", "~/.librewolf,librewolf", "-"},
    {"firefox-snap", "Firefox (Snap)", "linux", "user", "firefox", "~/.mozilla/native-messaging-hosts", "~/snap/firefox", "-"},
    {"chromium-snap", "Chromium (Snap)", "linux", "user", "chromium", "~/snap/chromium/common/chromium/NativeMessagingHosts", "~/snap/chromium", "unreachable: the Snap confinement does not let Chromium start programs outside the snap. Fix: install Chromium from your distribution (not the snap) or use Google Chrome, then run the installer again"},
    {"flatpak-com.google.Chrome", "Google Chrome (Flatpak)", "linux", "user", "chromium", "~/.var/app/com.google.Chrome/config/google-chrome/NativeMessagingHosts", "~/.var/app/com.google.Chrome", "unreachable: the Flatpak sandbox cannot start the helper installed on the host system. Fix: install the browser from your distribution or the vendor's .deb/.rpm, then run the installer again"},
    {"flatpak-org.chromium.Chromium", "Chromium (Flatpak)", "linux", "user", "chromium", "~/.var/app/org.chromium.Chromium/config/chromium/NativeMessagingHosts", "~/.var/app/org.chromium.Chromium", "unreachable: the Flatpak sandbox cannot start the helper installed on the host system. Fix: install the browser from your distribution or the vendor's .deb/.rpm, then run the installer again"},
    {"flatpak-com.microsoft.Edge", "Microsoft Edge (Flatpak)", "linux", "user", "chromium", "~/.var/app/com.microsoft.Edge/config/microsoft-edge/NativeMessagingHosts", "~/.var/app/com.microsoft.Edge", "unreachable: the Flatpak sandbox cannot start the helper installed on the host system. Fix: install the browser from your distribution or the vendor's .deb/.rpm, then run the installer again"},
    {"flatpak-com.brave.Browser", "Brave (Flatpak)", "linux", "user", "chromium", "~/.var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser/NativeMessagingHosts", "~/.var/app/com.brave.Browser", "unreachable: the Flatpak sandbox cannot start the helper installed on the host system. Fix: install the browser from your distribution or the vendor's .deb/.rpm, then run the installer again"},
    {"flatpak-org.mozilla.firefox", "Firefox (Flatpak)", "linux", "user", "firefox", "~/.var/app/org.mozilla.firefox/.mozilla/native-messaging-hosts", "~/.var/app/org.mozilla.firefox", "unreachable: the Flatpak sandbox cannot start the helper installed on the host system. Fix: install the browser from your distribution, then run the installer again"},
    {"flatpak-io.gitlab.librewolf-community", "LibreWolf (Flatpak)", "linux", "user", "firefox", "~/.var/app/io.gitlab.librewolf-community/.mozilla/native-messaging-hosts", "~/.var/app/io.gitlab.librewolf-community", "unreachable: the Flatpak sandbox cannot start the helper installed on the host system. Fix: install the browser from your distribution, then run the installer again"},
    {"chrome", "Google Chrome", "linux", "system", "chromium", "/etc/opt/chrome/native-messaging-hosts", "/opt/google/chrome,google-chrome,google-chrome-stable,google-chrome-beta,google-chrome-unstable", "-"},
    {"chromium", "Chromium", "linux", "system", "chromium", "/etc/chromium/native-messaging-hosts", "/usr/lib/chromium,chromium,chromium-browser", "-"},
    {"edge", "Microsoft Edge", "linux", "system", "chromium", "/etc/opt/edge/native-messaging-hosts", "/opt/microsoft/msedge,microsoft-edge,microsoft-edge-stable", "-"},
    {"firefox", "Firefox", "linux", "system", "firefox", "/usr/lib/mozilla/native-messaging-hosts", "/usr/lib/firefox-esr,/usr/lib/firefox,firefox,firefox-esr", "-"},
    {"librewolf", "LibreWolf", "linux", "system", "firefox", "/usr/lib/librewolf/native-messaging-hosts", "/usr/share/librewolf,librewolf", "-"},
    {"brave", "Brave", "linux", "system", "chromium", "/etc/chromium/native-messaging-hosts", "/opt/brave.com/brave,brave-browser", "-"},
    {"vivaldi", "Vivaldi", "linux", "system", "chromium", "/etc/chromium/native-messaging-hosts", "/opt/vivaldi,vivaldi,vivaldi-stable", "-"},
    {"opera", "Opera", "linux", "system", "chromium", "/etc/opt/chrome/native-messaging-hosts", "/usr/lib/x86_64-linux-gnu/opera,opera", "-"},
    {"chrome", "Google Chrome", "macos", "user", "chromium", "~/Library/Application Support/Google/Chrome/NativeMessagingHosts", "/Applications/Google Chrome.app,~/Library/Application Support/Google/Chrome", "-"},
    {"chrome-beta", "Google Chrome Beta", "macos", "user", "chromium", "~/Library/Application Support/Google/Chrome Beta/NativeMessagingHosts", "/Applications/Google Chrome Beta.app,~/Library/Application Support/Google/Chrome Beta", "-"},
    {"chrome-dev", "Google Chrome Dev", "macos", "user", "chromium", "~/Library/Application Support/Google/Chrome Dev/NativeMessagingHosts", "/Applications/Google Chrome Dev.app,~/Library/Application Support/Google/Chrome Dev", "-"},
    {"chrome-canary", "Google Chrome Canary", "macos", "user", "chromium", "~/Library/Application Support/Google/Chrome Canary/NativeMessagingHosts", "/Applications/Google Chrome Canary.app,~/Library/Application Support/Google/Chrome Canary", "-"},
    {"chromium", "Chromium", "macos", "user", "chromium", "~/Library/Application Support/Chromium/NativeMessagingHosts", "/Applications/Chromium.app,~/Library/Application Support/Chromium", "-"},
    {"edge", "Microsoft Edge", "macos", "user", "chromium", "~/Library/Application Support/Microsoft Edge/NativeMessagingHosts", "/Applications/Microsoft Edge.app,~/Library/Application Support/Microsoft Edge", "-"},
    {"brave", "Brave", "macos", "user", "chromium", "~/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts", "/Applications/Brave Browser.app,~/Library/Application Support/BraveSoftware/Brave-Browser", "-"},
    {"vivaldi", "Vivaldi", "macos", "user", "chromium", "~/Library/Application Support/Vivaldi/NativeMessagingHosts", "/Applications/Vivaldi.app,~/Library/Application Support/Vivaldi", "-"},
    {"opera", "Opera", "macos", "user", "chromium", "~/Library/Application Support/Google/Chrome/NativeMessagingHosts", "/Applications/Opera.app,~/Library/Application Support/com.operasoftware.Opera", "-"},
    {"firefox", "Firefox", "macos", "user", "firefox", "~/Library/Application Support/Mozilla/NativeMessagingHosts", "/Applications/Firefox.app,~/Library/Application Support/Firefox", "-"},
    {"librewolf", "LibreWolf", "macos", "user", "firefox", "~/Library/Application Support/LibreWolf/NativeMessagingHosts", "/Applications/LibreWolf.app,~/Library/Application Support/LibreWolf", "-"},
    {"chrome", "Google Chrome", "macos", "system", "chromium", "/Library/Google/Chrome/NativeMessagingHosts", "/Applications/Google Chrome.app", "-"},
    {"chromium", "Chromium", "macos", "system", "chromium", "/Library/Application Support/Chromium/NativeMessagingHosts", "/Applications/Chromium.app", "-"},
    {"edge", "Microsoft Edge", "macos", "system", "chromium", "/Library/Microsoft/Edge/NativeMessagingHosts", "/Applications/Microsoft Edge.app", "-"},
    {"firefox", "Firefox", "macos", "system", "firefox", "/Library/Application Support/Mozilla/NativeMessagingHosts", "/Applications/Firefox.app", "-"},
    {"brave", "Brave", "macos", "system", "chromium", "/Library/Application Support/Chromium/NativeMessagingHosts", "/Applications/Brave Browser.app", "-"},
    {"vivaldi", "Vivaldi", "macos", "system", "chromium", "/Library/Application Support/Chromium/NativeMessagingHosts", "/Applications/Vivaldi.app", "-"},
    {"opera", "Opera", "macos", "system", "chromium", "/Library/Google/Chrome/NativeMessagingHosts", "/Applications/Opera.app", "-"},
    {"chrome", "Google Chrome", "windows", "user", "chromium", "HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts", "%LOCALAPPDATA%\\Google\\Chrome\\User Data,%ProgramFiles%\\Google\\Chrome\\Application\\chrome.exe", "-"},
    {"chromium", "Chromium", "windows", "user", "chromium", "HKCU\\Software\\Chromium\\NativeMessagingHosts", "%LOCALAPPDATA%\\Chromium\\User Data", "-"},
    {"edge", "Microsoft Edge", "windows", "user", "chromium", "HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts", "%LOCALAPPDATA%\\Microsoft\\Edge\\User Data,%ProgramFiles(x86)%\\Microsoft\\Edge\\Application\\msedge.exe", "-"},
    {"brave", "Brave", "windows", "user", "chromium", "HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts", "%LOCALAPPDATA%\\BraveSoftware\\Brave-Browser\\User Data", "-"},
    {"vivaldi", "Vivaldi", "windows", "user", "chromium", "HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts", "%LOCALAPPDATA%\\Vivaldi\\User Data", "-"},
    {"opera", "Opera", "windows", "user", "chromium", "HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts", "%APPDATA%\\Opera Software\\Opera Stable", "-"},
    {"firefox", "Firefox", "windows", "user", "firefox", "HKCU\\Software\\Mozilla\\NativeMessagingHosts", "%APPDATA%\\Mozilla\\Firefox,%ProgramFiles%\\Mozilla Firefox\\firefox.exe", "-"},
    {"chrome", "Google Chrome", "windows", "system", "chromium", "HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts", "%LOCALAPPDATA%\\Google\\Chrome\\User Data,%ProgramFiles%\\Google\\Chrome\\Application\\chrome.exe", "-"},
    {"chromium", "Chromium", "windows", "system", "chromium", "HKLM\\Software\\Chromium\\NativeMessagingHosts", "%LOCALAPPDATA%\\Chromium\\User Data", "-"},
    {"edge", "Microsoft Edge", "windows", "system", "chromium", "HKLM\\Software\\Microsoft\\Edge\\NativeMessagingHosts", "%LOCALAPPDATA%\\Microsoft\\Edge\\User Data,%ProgramFiles(x86)%\\Microsoft\\Edge\\Application\\msedge.exe", "-"},
    {"firefox", "Firefox", "windows", "system", "firefox", "HKLM\\Software\\Mozilla\\NativeMessagingHosts", "%APPDATA%\\Mozilla\\Firefox,%ProgramFiles%\\Mozilla Firefox\\firefox.exe", "-"},
    {"brave", "Brave", "windows", "system", "chromium", "HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts", "%LOCALAPPDATA%\\BraveSoftware\\Brave-Browser\\User Data", "-"},
    {"vivaldi", "Vivaldi", "windows", "system", "chromium", "HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts", "%LOCALAPPDATA%\\Vivaldi\\User Data", "-"},
    {"opera", "Opera", "windows", "system", "chromium", "HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts", "%APPDATA%\\Opera Software\\Opera Stable", "-"},
};

bool on_path(std::string_view command, const EnvLookup& env)
{
    const auto path = env("PATH");
    if (!path) {
        return false;
    }
    std::string_view rest = *path;
    while (true) {
        const auto colon = rest.find(':');
        const std::string_view dir = rest.substr(0, colon);
        if (!dir.empty()) {
            const fs::path candidate = fs::path(dir) / command;
            if (::access(candidate.c_str(), X_OK) == 0) {
                return true;
            }
        }
        if (colon == std::string_view::npos) {
            return false;
        }
        rest.remove_prefix(colon + 1);
    }
}

} // namespace

std::span<const BrowserLocation> browser_locations() { return locations; }

std::string_view current_os()
{
#if defined(__APPLE__)
    return "macos";
#elif defined(_WIN32)
    return "windows";
#else
    return "linux";
#endif
}

bool unreachable(const BrowserLocation& location)
{
    return location.note.starts_with("unreachable:");
}

fs::path expand_location(std::string_view path, const EnvLookup& env, const fs::path& root)
{
    if (path.starts_with("~/")) {
        return home_dir(env) / path.substr(2);
    }
    if (path.starts_with("$CONFIG/")) {
        const auto config = env("XDG_CONFIG_HOME");
        const fs::path base = config && !config->empty() && fs::path(*config).is_absolute()
            ? fs::path(*config)
            : home_dir(env) / ".config";
        return base / path.substr(8);
    }
    if (path.starts_with('%')) {
        // %LOCALAPPDATA%\Google\... (Windows probes): unset variables match nothing.
        const auto end = path.find('%', 1);
        const auto value = end == std::string_view::npos ? std::nullopt : env(path.substr(1, end - 1));
        if (!value || value->empty()) {
            return {};
        }
        return fs::path(*value + std::string(path.substr(end + 1)));
    }
    if (path.starts_with('/') && !root.empty()) {
        return root / path.substr(1);
    }
    return fs::path(path);
}

bool browser_present(const BrowserLocation& location, const EnvLookup& env, const fs::path& root)
{
    std::string_view rest = location.probe;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view entry = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (entry.starts_with('/') || entry.starts_with("~/") || entry.starts_with("$CONFIG/")
            || entry.starts_with('%')) {
            std::error_code ec;
            const fs::path expanded = expand_location(entry, env, root);
            if (!expanded.empty() && fs::exists(expanded, ec)) {
                return true;
            }
        } else if (!entry.empty() && on_path(entry, env)) {
            return true;
        }
    }
    return false;
}

bool is_registry_key(std::string_view folder)
{
    return folder.starts_with("HKCU\\") || folder.starts_with("HKLM\\");
}

std::optional<std::string> registered_manifest(std::string_view key, std::string_view host_name)
{
#ifdef _WIN32
    if (!is_registry_key(key)) {
        return std::nullopt;
    }
    const HKEY hive = key.starts_with("HKCU") ? HKEY_CURRENT_USER : HKEY_LOCAL_MACHINE;
    const std::wstring subkey
        = win32::widen(std::string(key.substr(5)) + "\\" + std::string(host_name));
    DWORD size = 0;
    constexpr DWORD flags = RRF_RT_REG_SZ; // the 64-bit view, where install.ps1 writes
    if (RegGetValueW(hive, subkey.c_str(), nullptr, flags, nullptr, nullptr, &size) != ERROR_SUCCESS
        || size < sizeof(wchar_t)) {
        return std::nullopt;
    }
    std::wstring value(size / sizeof(wchar_t), L'\0');
    if (RegGetValueW(hive, subkey.c_str(), nullptr, flags, nullptr, value.data(), &size)
        != ERROR_SUCCESS) {
        return std::nullopt;
    }
    value.resize(size / sizeof(wchar_t));
    while (!value.empty() && value.back() == L'\0') {
        value.pop_back();
    }
    return win32::narrow(value);
#else
    (void)key;
    (void)host_name;
    return std::nullopt;
#endif
}

fs::path system_root(const EnvLookup& env)
{
    const auto value = env("OPTGUARD_ROOT");
    if (value && !value->empty() && fs::path(*value).is_absolute()) {
        return fs::path(*value);
    }
    return {};
}

} // namespace optguard::os
