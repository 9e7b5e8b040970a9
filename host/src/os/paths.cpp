#include "os/paths.hpp"

#include <cstdlib>
#include <stdexcept>

#include <pwd.h>
#include <unistd.h>

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

} // namespace

fs::path home_dir(const EnvLookup& env)
{
    if (const auto home = absolute_env(env, "HOME")) {
        return *home;
    }
    // The browser may start us with a scrubbed environment; fall back to the password database.
    if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr && entry->pw_dir != nullptr
        && entry->pw_dir[0] == '/') {
        return fs::path(entry->pw_dir);
    }
    throw std::runtime_error("cannot find the home folder: HOME is not set");
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
    return (base ? *base : home_dir(env) / ".local" / "state") / "optguard";
}

fs::path config_file(const EnvLookup& env)
{
    const auto base = absolute_env(env, "XDG_CONFIG_HOME");
    return (base ? *base : home_dir(env) / ".config") / "optguard" / "config.json";
}

fs::path catalog_dir(const EnvLookup& env, const fs::path& executable)
{
    if (const auto value = env("OPTGUARD_CATALOG_DIR"); value && !value->empty()) {
        return fs::path(*value);
    }
    // build/host/optguard-host -> build/share/optguard/catalog; PREFIX/bin -> PREFIX/share.
    return (executable.parent_path() / ".." / "share" / "optguard" / "catalog").lexically_normal();
}

fs::path current_executable()
{
    std::error_code ec;
    fs::path path = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : path;
}

} // namespace optguard::os
