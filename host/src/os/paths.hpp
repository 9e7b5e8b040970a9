#pragma once
// Where things live: the XDG state and config folders and the catalog folder.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace optguard::os {

// Looks up an environment variable; injectable so tests need not touch the real environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

[[nodiscard]] EnvLookup process_environment();

// $HOME if absolute, else this user's entry in /etc/passwd. Throws std::runtime_error if neither.
[[nodiscard]] std::filesystem::path home_dir(const EnvLookup& env);

// The home folder of `uid` in the text of an /etc/passwd file (name:pw:uid:gid:gecos:home:shell),
// if a well-formed line has it and it is absolute. The host reads the file itself rather than
// calling getpwuid(): it is linked statically, and glibc's name service would load shared modules.
[[nodiscard]] std::optional<std::filesystem::path> home_in_passwd(std::string_view passwd,
                                                                  unsigned long uid);

// $XDG_STATE_HOME/optguard, default ~/.local/state/optguard. Relative XDG values are ignored, as
// the XDG spec says. Throws std::runtime_error if there is no home folder.
[[nodiscard]] std::filesystem::path state_dir(const EnvLookup& env);

// $XDG_CONFIG_HOME/optguard/config.json, default ~/.config/optguard/config.json.
[[nodiscard]] std::filesystem::path config_file(const EnvLookup& env);

// $XDG_CACHE_HOME/optguard, default ~/.cache/optguard (Windows: %LOCALAPPDATA%\OptGuard\cache).
// What is kept there can be rebuilt (the catalog cache). Throws std::runtime_error if there is no
// home folder.
[[nodiscard]] std::filesystem::path cache_dir(const EnvLookup& env);

// $XDG_DATA_HOME/optguard, default ~/.local/share/optguard (Windows: %LOCALAPPDATA%\OptGuard\data).
// Signed catalog updates are installed under it (installed_catalogs_dir). Throws
// std::runtime_error if there is no home folder.
[[nodiscard]] std::filesystem::path data_dir(const EnvLookup& env);

// data_dir/catalogs: one folder per installed catalog release.
[[nodiscard]] std::filesystem::path installed_catalogs_dir(const EnvLookup& env);

// The trusted catalog signing keys: the folder `keys` beside the bundled catalog folder
// (share/optguard/keys), so an installed prefix, or a test's, carries its own trust.
[[nodiscard]] std::filesystem::path keys_dir(const std::filesystem::path& catalog_dir);

// $OPTGUARD_CATALOG_DIR if set, else <folder of the executable>/../share/optguard/catalog.
[[nodiscard]] std::filesystem::path catalog_dir(const EnvLookup& env,
                                                const std::filesystem::path& executable);

// The running executable (/proc/self/exe), or an empty path if it cannot be read.
[[nodiscard]] std::filesystem::path current_executable();

} // namespace optguard::os
