#include "os/paths.hpp"

#include <charconv>
#include <cstdlib>
#include <stdexcept>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace optguard::os {

namespace fs = std::filesystem;

namespace {

std::optional<fs::path> absolute_env(const EnvLookup& env, std::string_view name)
{
    const auto value = env(name);
    if (!value || value->empty() || fs::path(*value).is_relative()) {
        return std::nullopt;
    }
    return fs::path(*value);
}

#ifdef _WIN32
// %LOCALAPPDATA%\OptGuard: per user, not roaming, readable only by that user (and administrators).
fs::path app_data_dir(const EnvLookup& env)
{
    if (const auto local = absolute_env(env, "LOCALAPPDATA")) {
        return *local / "OptGuard";
    }
    return home_dir(env) / "AppData" / "Local" / "OptGuard";
}
#endif

// OptGuard's folder under an XDG base: $<xdg_variable>/optguard when that is absolute, else
// ~/<home_default>/optguard; on Windows, without the variable, %LOCALAPPDATA%\OptGuard\<windows_name>.
fs::path optguard_folder(const EnvLookup& env, std::string_view xdg_variable,
                         const fs::path& home_default, std::string_view windows_name)
{
    const auto base = absolute_env(env, xdg_variable);
#ifdef _WIN32
    if (!base) {
        return windows_name.empty() ? app_data_dir(env) : app_data_dir(env) / windows_name;
    }
#else
    (void)windows_name;
#endif
    return (base ? *base : home_dir(env) / home_default) / "optguard";
}

} // namespace

fs::path home_dir(const EnvLookup& env)
{
    if (const auto home = absolute_env(env, "HOME")) {
        return *home;
    }
#ifdef _WIN32
    if (const auto profile = absolute_env(env, "USERPROFILE")) {
        return *profile;
    }
    throw std::runtime_error("cannot find the home folder: USERPROFILE is not set");
#else
    // The browser may start us with a scrubbed environment; fall back to the password file.
    std::string text;
    if (const int fd = ::open("/etc/passwd", O_RDONLY | O_CLOEXEC); fd >= 0) {
        char chunk[8192];
        for (ssize_t n = 0; (n = ::read(fd, chunk, sizeof chunk)) > 0;) {
            text.append(chunk, static_cast<std::size_t>(n));
        }
        ::close(fd);
    }
    if (const auto home = home_in_passwd(text, ::getuid())) {
        return *home;
    }
    throw std::runtime_error("cannot find the home folder: HOME is not set and /etc/passwd has no "
                             "entry for this user");
#endif
}

std::optional<fs::path> home_in_passwd(std::string_view passwd, unsigned long uid)
{
    while (!passwd.empty()) {
        const std::size_t end = passwd.find('\n');
        std::string_view line = passwd.substr(0, end);
        passwd = end == std::string_view::npos ? std::string_view() : passwd.substr(end + 1);
        std::string_view fields[7];
        std::size_t count = 0;
        while (count < 7) {
            const std::size_t colon = line.find(':');
            fields[count++] = line.substr(0, colon);
            if (colon == std::string_view::npos) {
                break;
            }
            line.remove_prefix(colon + 1);
        }
        if (count != 7) {
            continue; // not name:pw:uid:gid:gecos:home:shell
        }
        unsigned long line_uid = 0;
        const std::string_view id = fields[2];
        const auto [rest, error] = std::from_chars(id.data(), id.data() + id.size(), line_uid);
        if (error != std::errc() || rest != id.data() + id.size() || id.empty() || line_uid != uid) {
            continue;
        }
        if (!fields[5].empty() && fields[5].front() == '/') {
            return fs::path(fields[5]);
        }
        return std::nullopt;
    }
    return std::nullopt;
}

EnvLookup process_environment()
{
    return [](std::string_view name) -> std::optional<std::string> {
        const char* value = std::getenv(std::string(name).c_str());
        if (value == nullptr) {
            return std::nullopt;
        }
        return std::string(value);
    };
}

fs::path state_dir(const EnvLookup& env)
{
    return optguard_folder(env, "XDG_STATE_HOME", fs::path(".local") / "state", "state");
}

fs::path config_file(const EnvLookup& env)
{
    return optguard_folder(env, "XDG_CONFIG_HOME", ".config", "") / "config.json";
}

fs::path cache_dir(const EnvLookup& env)
{
    return optguard_folder(env, "XDG_CACHE_HOME", ".cache", "cache");
}

fs::path data_dir(const EnvLookup& env)
{
    return optguard_folder(env, "XDG_DATA_HOME", fs::path(".local") / "share", "data");
}

fs::path installed_catalogs_dir(const EnvLookup& env)
{
    return data_dir(env) / "catalogs";
}

fs::path keys_dir(const fs::path& catalog_dir)
{
    // lexically: "share/optguard/catalog/" (a trailing separator) has the same parent.
    fs::path dir = catalog_dir.lexically_normal();
    if (!dir.has_filename()) {
        dir = dir.parent_path();
    }
    return dir.parent_path() / "keys";
}

fs::path catalog_dir(const EnvLookup& env, const fs::path& executable)
{
    if (const auto value = env("OPTGUARD_CATALOG_DIR"); value && !value->empty()) {
        return fs::path(*value);
    }
#ifdef _WIN32
    // install.ps1 puts the catalog beside the host: InstallDir\share\optguard\catalog.
    const fs::path beside = executable.parent_path() / "share" / "optguard" / "catalog";
    std::error_code ec;
    if (fs::is_directory(beside, ec)) {
        return beside;
    }
#endif
    // build/host/optguard-host -> build/share/optguard/catalog; PREFIX/bin -> PREFIX/share.
    return (executable.parent_path() / ".." / "share" / "optguard" / "catalog").lexically_normal();
}

fs::path current_executable()
{
#ifdef _WIN32
    std::wstring buffer(MAX_PATH, L'\0');
    while (true) {
        const DWORD size = GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
        if (size == 0) {
            return {};
        }
        if (size < buffer.size()) {
            buffer.resize(size);
            return fs::path(buffer);
        }
        buffer.resize(buffer.size() * 2);
    }
#endif
    std::error_code ec;
    fs::path path = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : path;
}

} // namespace optguard::os
