#include "app/catalog_startup.hpp"

#include "storage/catalog_cache.hpp"
#include "storage/observation_store.hpp"

namespace optguard {

namespace fs = std::filesystem;

namespace {

// The folders besides the bundled catalog whose content decides which catalog is used.
std::vector<fs::path> source_roots(const catalog::CatalogPlaces& places)
{
    std::vector<fs::path> roots {places.keys};
    if (places.installed) {
        roots.push_back(*places.installed);
    }
    return roots;
}

} // namespace

std::optional<fs::path> catalog_cache_file(const os::EnvLookup& env)
{
    try {
        return os::cache_dir(env) / storage::catalog_cache_file_name;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

CatalogSource startup_catalog(const catalog::CatalogPlaces& places,
                              const std::optional<fs::path>& cache_file, const std::string& host,
                              util::ByteSink& log)
{
    if (cache_file) {
        if (auto cached = storage::read_catalog_cache(*cache_file, places.bundled, host)) {
            catalog::CatalogInfo info;
            info.version = cached->version;
            info.date = cached->date;
            info.origin = cached->origin == "installed" ? catalog::Origin::installed
                                                        : catalog::Origin::bundled;
            info.key_id = cached->key_id;
            return DeferredCatalog {std::move(info),
                                    [places] { return catalog::select_catalog(places); }};
        }
    }
    // Stamped before the choice and compared after it: only what did not change while it was
    // read is recorded.
    const auto roots = source_roots(places);
    const auto before = cache_file ? storage::stamp_catalog_folder(places.bundled)
                                   : std::vector<storage::FileStamp> {};
    const auto sources_before = cache_file ? storage::stamp_sources(roots)
                                           : std::vector<storage::SourceStamp> {};
    catalog::ActiveCatalog active = catalog::select_catalog(places);
    if (cache_file && active.load.catalog && active.notices.empty()) {
        try {
            // The bundled files the choice read: its index.json and, when it is the one used,
            // every platform file; an installed release's bundled index only.
            std::vector<std::string> files {"index.json"};
            if (active.info.origin == catalog::Origin::bundled) {
                files = active.load.catalog->files;
            }
            const storage::CachedCatalog cached {active.info.version,
                                                 std::string(catalog::to_string(active.info.origin)),
                                                 active.info.date, active.info.key_id};
            (void)storage::write_catalog_cache(*cache_file, places.bundled, files, cached, host,
                                               before, roots, sources_before);
        } catch (const std::exception& error) {
            (void)log.write("optguard-host: catalog cache not written: " + std::string(error.what())
                            + "\n");
        }
    }
    return active;
}

} // namespace optguard
