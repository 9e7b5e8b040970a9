#include "storage/private_directory.hpp"

#include <string>

#include "os/private_folder.hpp"
#include "storage/storage_error.hpp"

namespace optguard::storage {

void ensure_private_directory(const std::filesystem::path& dir, std::string_view what)
{
    if (auto reason = os::prepare_private_folder(dir)) {
        throw StorageError(std::string(what) + " " + *reason);
    }
}

} // namespace optguard::storage
