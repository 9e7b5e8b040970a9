// libFuzzer target: the catalog and user-config loaders on arbitrary file contents. The first byte
// picks what the rest is (index.json, a platform file, config.json); the rest is written to a file
// and loaded the way the host loads it. Invariants: only CatalogError escapes, and a config that
// loads can be applied to the real catalog.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "catalog/catalog.hpp"
#include "catalog/user_config.hpp"
#include "storage/config_file.hpp"
#include "util/json_text.hpp"

namespace {

namespace fs = std::filesystem;
using namespace optguard;

const fs::path& scratch()
{
    static const fs::path dir = [] {
        const fs::path made = fs::temp_directory_path()
            / ("optguard-fuzz-" + std::to_string(::getpid()));
        fs::create_directories(made);
        fs::permissions(made, fs::perms(0700));
        return made;
    }();
    return dir;
}

const catalog::Catalog& real_catalog()
{
    static const catalog::Catalog loaded = catalog::load_catalog(OPTGUARD_FUZZ_CATALOG);
    return loaded;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    const int kind = data[0] % 3;
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        if (kind == 0) {
            // Straight from text, as read_json_file does, then the index validator.
            const auto parsed = util::parse_json_text(text);
            if (!parsed.failure) {
                (void)catalog::parse_index(parsed.value, "index.json");
            }
        } else if (kind == 1) {
            const auto parsed = util::parse_json_text(text);
            if (!parsed.failure) {
                const catalog::Platform platform = catalog::parse_platform(parsed.value, "x.json");
                for (const auto& setting : platform.settings) {
                    (void)catalog::to_json(setting).dump();
                }
            }
        } else {
            const fs::path file = scratch() / "config.json";
            {
                std::ofstream out(file, std::ios::binary | std::ios::trunc);
                out << text;
            }
            fs::permissions(file, fs::perms(0600));
            const catalog::ConfigLoad load = storage::load_user_config(file);
            if (load.error.empty()) {
                const catalog::Catalog applied = catalog::apply_user_config(real_catalog(), load.config);
                (void)catalog::to_json(applied).dump();
            }
        }
    } catch (const catalog::CatalogError&) {
        // The expected way to refuse a file.
    }
    return 0;
}
