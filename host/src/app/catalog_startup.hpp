#pragma once
// The catalog at the start of a browser session: deferred when the catalog cache vouches for the
// files exactly as they are (so `hello` reads no catalog file), otherwise chosen now
// (storage/active_catalog.hpp: installed releases verified, then validated) and, if it was chosen
// without a notice, recorded in the cache for the next start.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "storage/active_catalog.hpp"
#include "os/paths.hpp"
#include "util/byte_channel.hpp"

namespace optguard {

// A catalog that the catalog cache (storage/catalog_cache.hpp) says was chosen, verified and
// validated from exactly the files there are now, as `info`: `hello` answers from it without
// reading the files, and the first request that uses the catalog chooses it again with `load`
// (whose result, even an error, then stands for the rest of the session, in `hello` too).
struct DeferredCatalog {
    catalog::CatalogInfo info;
    std::function<catalog::ActiveCatalog()> load;
};

// The catalog chosen now (a plain load is taken as the bundled catalog), or deferred.
using CatalogSource = std::variant<catalog::CatalogLoad, catalog::ActiveCatalog, DeferredCatalog>;

// $XDG_CACHE_HOME/optguard/catalog-cache (an absolute XDG_CACHE_HOME only, as the XDG spec says),
// default ~/.cache/optguard/catalog-cache; nullopt without a home folder.
[[nodiscard]] std::optional<std::filesystem::path> catalog_cache_file(const os::EnvLookup& env);

// `cache_file` may be nullopt (no cache). `host` is storage::host_identity() of this binary. Cache
// problems are never errors: they go to `log` and the catalog is chosen as without a cache.
[[nodiscard]] CatalogSource startup_catalog(const catalog::CatalogPlaces& places,
                                            const std::optional<std::filesystem::path>& cache_file,
                                            const std::string& host, util::ByteSink& log);

} // namespace optguard
