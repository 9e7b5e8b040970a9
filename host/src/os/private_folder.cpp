#include "os/private_folder.hpp"

#include <system_error>

#include <sys/stat.h>

#include "os/file_checks.hpp"
#include "os/scoped_umask.hpp"

namespace optguard::os {

std::optional<std::string> private_folder_refusal(const std::filesystem::path& path)
{
    return untrusted_folder_reason(path);
}

std::optional<std::string> prepare_private_folder(const std::filesystem::path& path)
{
    {
        const ScopedUmask mask(077);
        std::error_code ec;
        std::filesystem::create_directories(path, ec);
        // A link or a file in the way is reported below, in the same words as everywhere.
        if (ec && ec != std::errc::file_exists && ec != std::errc::not_a_directory) {
            return "cannot create " + path.string() + ": " + ec.message();
        }
    }
    if (auto reason = private_folder_refusal(path)) {
        return reason;
    }
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) {
        return "cannot create " + path.string() + ": " + (ec ? ec.message() : "it does not exist");
    }
    return std::nullopt;
}

} // namespace optguard::os
