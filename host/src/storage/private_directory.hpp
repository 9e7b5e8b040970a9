#pragma once
// The private-folder policy (os/private_folder.hpp) for storage: the same check, thrown as a
// StorageError.

#include <filesystem>
#include <string_view>

namespace optguard::storage {

// Creates `dir` (and missing parents) with mode 0700, or refuses it as os::prepare_private_folder
// says. `what` names the folder in the message: "<what> <path> is writable by group or others;
// run: chmod 700 <path>". Throws StorageError.
void ensure_private_directory(const std::filesystem::path& dir, std::string_view what = "state folder");

} // namespace optguard::storage
