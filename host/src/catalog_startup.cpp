#include "catalog_startup.hpp"

#include "storage/catalog_cache.hpp"
#include "storage/observation_store.hpp"

namespace optguard {

namespace fs = std::filesystem;

std::optional<fs::path> catalog_cache_file(const os::EnvLookup& env)
{
    try {
        return os::cache_dir(env) / storage::catalog_cache_file_name;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

CatalogSource startup_catalog(const fs::path& catalog_dir, const std::optional<fs::path>& cache_file,
                              const std::string& host, std::ostream& log)
{
    if (cache_file) {
        if (auto version = storage::read_catalog_cache(*cache_file, catalog_dir, host)) {
            return DeferredCatalog {std::move(*version),
                                    [catalog_dir] { return catalog::try_load_catalog(catalog_dir); }};
        }
    }
    // Stamped before the load and compared after it: only files that did not change while they
    // were read are recorded.
    const auto before = cache_file ? storage::stamp_catalog_folder(catalog_dir)
                                   : std::vector<storage::FileStamp> {};
    catalog::CatalogLoad loaded = catalog::try_load_catalog(catalog_dir);
    if (cache_file && loaded.catalog) {
        try {
            (void)storage::write_catalog_cache(*cache_file, catalog_dir, loaded.catalog->files,
                                               loaded.catalog->version, host, before);
        } catch (const std::exception& error) {
            log << "optguard-host: catalog cache not written: " << error.what() << '\n';
        }
    }
    return loaded;
}

} // namespace optguard
