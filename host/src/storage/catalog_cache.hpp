#pragma once
// The catalog cache: a record that this host binary loaded and validated the catalog files, exactly
// as they are now, and which catalog version they hold. It lets a browser-mode host answer `hello`
// (catalog_version, catalog_error) without parsing and validating every catalog file at start-up,
// which was two thirds of a cold `hello` (bench figure 1).
//
// The record never replaces validation: every request that uses the catalog still loads and
// validates it (dispatcher.hpp, DeferredCatalog). A record that is missing, unreadable, not ours,
// damaged (its checksum does not match) or stale (a file's device, inode, size, mtime or ctime
// differs, or the host binary changed) is ignored, and the host loads the catalog and writes a new
// record. Only a catalog that validated is recorded.
//
// Format, one line each, then a checksum of everything before it:
//   optguard-catalog-cache 1
//   host <host version> <size of the executable> <its mtime in ns>
//   folder <the catalog folder, as the host was given it>
//   catalog <catalog version>
//   file <name> <device> <inode> <size> <mtime ns> <ctime ns>      (index.json first)
//   sum <FNV-1a 64 of the lines above, hex>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace optguard::storage {

inline constexpr const char* catalog_cache_file_name = "catalog-cache";

// What identifies one file's content without reading it.
struct FileStamp {
    std::string name; // relative to the catalog folder
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::int64_t ctime_ns = 0;

    friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

struct CatalogCacheEntry {
    std::string host;            // host_identity()
    std::string folder;          // the catalog folder (no line breaks)
    std::string catalog_version; // YYYY.MM.DD
    std::vector<FileStamp> files;

    friend bool operator==(const CatalogCacheEntry&, const CatalogCacheEntry&) = default;
};

// Pure: the record as text, and back. parse returns nullopt for anything that is not exactly a
// record this code writes (wrong header, bad field, bad checksum, trailing bytes).
[[nodiscard]] std::string format_catalog_cache(const CatalogCacheEntry& entry);
[[nodiscard]] std::optional<CatalogCacheEntry> parse_catalog_cache(std::string_view text);

// This host binary: its version, and the size and mtime of `executable` (any rebuild, whose
// validation rules may differ, invalidates the record). Empty if the executable cannot be read.
[[nodiscard]] std::string host_identity(const std::filesystem::path& executable);

// Stats `dir / name`; nullopt if it cannot be.
[[nodiscard]] std::optional<FileStamp> stamp_file(const std::filesystem::path& dir,
                                                  const std::string& name);

// The catalog version recorded in `cache_file` if the record is intact, written by `host`, and
// every file it lists in `catalog_dir` still has the same stamp. Never throws.
[[nodiscard]] std::optional<std::string> read_catalog_cache(const std::filesystem::path& cache_file,
                                                            const std::filesystem::path& catalog_dir,
                                                            const std::string& host);

// Stamps every catalog-named (*.json) regular file directly in `dir`; taken before a load, it is
// the `before` of write_catalog_cache. Empty if the folder cannot be read. Never throws.
[[nodiscard]] std::vector<FileStamp> stamp_catalog_folder(const std::filesystem::path& dir);

// Records that `files` (index.json first) in `catalog_dir` validated as catalog `version`.
// Creates the folder of `cache_file` private (0700), writes the file atomically with mode 0600.
// Records nothing, and returns false, unless every file still has the stamp it had in `before`
// (stamp_catalog_folder before the load): a file that changed, appeared or went while the catalog
// was being read is never vouched for. Throws StorageError.
bool write_catalog_cache(const std::filesystem::path& cache_file,
                         const std::filesystem::path& catalog_dir,
                         const std::vector<std::string>& files, const std::string& version,
                         const std::string& host, const std::vector<FileStamp>& before);

} // namespace optguard::storage
