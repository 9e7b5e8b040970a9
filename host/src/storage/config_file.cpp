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

namespace optguard::storage {

using json = nlohmann::json;

namespace {

constexpr mode_t group_other_bits = S_IRWXG | S_IRWXO;

// The optguard folder: created 0700, or an existing real folder of ours made 0700.
void ensure_private_folder(const std::filesystem::path& folder)
{
    std::error_code ec;
    if (folder.has_parent_path()) {
        std::filesystem::create_directories(folder.parent_path(), ec);
        if (ec) {
            throw StorageError("cannot create " + folder.parent_path().string() + ": "
                               + ec.message());
        }
    }
    if (::mkdir(folder.c_str(), S_IRWXU) != 0 && errno != EEXIST) {
        throw StorageError("cannot create " + folder.string() + ": " + std::strerror(errno));
    }
    struct stat info {};
    if (::lstat(folder.c_str(), &info) != 0) {
        throw StorageError("cannot read " + folder.string() + ": " + std::strerror(errno));
    }
    if (S_ISLNK(info.st_mode) || !S_ISDIR(info.st_mode)) {
        throw StorageError(folder.string()
                           + " is not a folder (a symbolic link or a file); move it away and "
                             "OptGuard creates a private folder there");
    }
    if (info.st_uid != ::geteuid()) {
        throw StorageError(folder.string() + " belongs to another user; move it away or "
                                             "chown it to yourself");
    }
    if ((info.st_mode & group_other_bits) != 0 && ::chmod(folder.c_str(), S_IRWXU) != 0) {
        throw StorageError("cannot make " + folder.string() + " private: " + std::strerror(errno));
    }
}

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

catalog::UserConfig save_choice(const std::filesystem::path& path, const catalog::Choice& choice)
{
    ensure_private_folder(path.parent_path());
    const FileLock lock(path.string() + ".lock");
    const json updated = catalog::apply_choice(read_current(path), choice);
    catalog::UserConfig config = catalog::parse_user_config(updated, path.string());
    write_file_atomically(path, updated.dump(2) + "\n");
    return config;
}

} // namespace optguard::storage
