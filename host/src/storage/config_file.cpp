#include "storage/config_file.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog.hpp"
#include "catalog/user_config.hpp"
#include "os/file_checks.hpp"
#include "storage/atomic_file.hpp"
#include "storage/file_lock.hpp"
#include "storage/observation_store.hpp"
#include "storage/private_directory.hpp"

namespace optguard::storage {

using json = nlohmann::json;

namespace {

// The current document, or null if there is no file. Throws CatalogError if it cannot be trusted
// or does not validate: a broken file is the person's to fix, never overwritten. Checked and read
// through one open file (os::read_trusted_file), so it cannot be swapped in between.
json read_current(const std::filesystem::path& path)
{
    os::TrustedFile file = os::read_trusted_file(path, catalog::max_config_bytes);
    if (file.missing) {
        return nullptr;
    }
    if (file.refused) {
        throw catalog::CatalogError(*file.refused);
    }
    json document = catalog::parse_json_document(file.text, path.string());
    (void)catalog::parse_user_config(document, path.string());
    return document;
}

} // namespace

catalog::ConfigLoad load_user_config(const std::filesystem::path& path)
{
    catalog::ConfigLoad result;
    // Checked and read through one open file, so it cannot be swapped in between. A missing file
    // is an empty config; a dangling link is refused, not taken for a missing file.
    os::TrustedFile file = os::read_trusted_file(path, catalog::max_config_bytes);
    if (file.missing) {
        return result;
    }
    if (file.refused) {
        result.error = std::move(*file.refused);
        return result;
    }
    try {
        // Messages name the full path: the user has to find this file to fix it.
        result.config
            = catalog::parse_user_config(catalog::parse_json_document(file.text, path.string()), path.string());
    } catch (const catalog::CatalogError& error) {
        result.error = error.what();
    } catch (const std::exception& error) {
        result.error = path.string() + ": " + error.what();
    }
    return result;
}


catalog::UserConfig save_choice(const std::filesystem::path& path, const catalog::Choice& choice)
{
    ensure_private_directory(path.parent_path(), "config folder");
    const FileLock lock(path.string() + ".lock");
    const json updated = catalog::apply_choice(read_current(path), choice);
    catalog::UserConfig config = catalog::parse_user_config(updated, path.string());
    write_file_atomically(path, updated.dump(2) + "\n");
    return config;
}

} // namespace optguard::storage
