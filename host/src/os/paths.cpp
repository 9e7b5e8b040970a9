#include "os/paths.hpp"

#include <cstdlib>
#include <stdexcept>

#ifdef _WIN32
#include <windows.h>
#else
#include <pwd.h>
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
    // The browser may start us with a scrubbed environment; fall back to the password database.
    if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr && entry->pw_dir != nullptr
        && entry->pw_dir[0] == '/') {
        return fs::path(entry->pw_dir);
    }
    throw std::runtime_error("cannot find the home folder: HOME is not set");
#endif
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
    const auto base = absolute_env(env, "XDG_STATE_HOME");
#ifdef _WIN32
    if (!base) {
        return app_data_dir(env) / "state";
    }
#endif
    return (base ? *base : home_dir(env) / ".local" / "state") / "optguard";
}

fs::path config_file(const EnvLookup& env)
{
    const auto base = absolute_env(env, "XDG_CONFIG_HOME");
#ifdef _WIN32
    if (!base) {
        return app_data_dir(env) / "config.json";
    }
#endif
    return (base ? *base : home_dir(env) / ".config") / "optguard" / "config.json";
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
