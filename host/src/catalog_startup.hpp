#pragma once
// The catalog at the start of a browser session: deferred when the catalog cache vouches for the
// files exactly as they are (so `hello` reads no catalog file), otherwise chosen now
// (catalog/active_catalog.hpp: installed releases verified, then validated) and, if it was chosen
// without a notice, recorded in the cache for the next start.

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include "catalog/active_catalog.hpp"
#include "dispatcher.hpp"
#include "os/paths.hpp"

namespace optguard {

// $XDG_CACHE_HOME/optguard/catalog-cache (an absolute XDG_CACHE_HOME only, as the XDG spec says),
// default ~/.cache/optguard/catalog-cache; nullopt without a home folder.
[[nodiscard]] std::optional<std::filesystem::path> catalog_cache_file(const os::EnvLookup& env);

// `cache_file` may be nullopt (no cache). `host` is storage::host_identity() of this binary. Cache
// problems are never errors: they go to `log` and the catalog is chosen as without a cache.
[[nodiscard]] CatalogSource startup_catalog(const catalog::CatalogPlaces& places,
                                            const std::optional<std::filesystem::path>& cache_file,
                                            const std::string& host, std::ostream& log);

} // namespace optguard
