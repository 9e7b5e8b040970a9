#pragma once
// The catalog cache: a record that this host binary chose, verified and validated a catalog from
// the files exactly as they are now, and what that catalog is (version, date, bundled or installed,
// signing key). It lets a browser-mode host answer `hello` without reading, verifying and
// validating the catalog at start-up, which was two thirds of a cold `hello` (bench figure 1).
//
// The record never replaces verification or validation: the first request that uses the catalog
// chooses it again (storage/active_catalog.hpp: every installed release verified again, signature
// and validation; dispatcher.hpp, DeferredCatalog). A record that is missing, unreadable, not
// ours, damaged (its checksum does not match) or stale is ignored, and the host chooses the
// catalog now and writes a new record. Stale means: a bundled catalog file, the folder of trusted
// keys or a key in it, the folder of installed releases, a release folder or a file in it differs
// (device, inode, size, mtime or ctime; appeared or went), or the host binary changed. A new
// release installed, a key added, a release damaged: each changes one of these. Only a catalog
// chosen with no notice (no installed release refused) is recorded.
//
// Format, one line each, then a checksum of everything before it:
//   optguard-catalog-cache 2
//   host <host version> <size of the executable> <its mtime in ns>
//   folder <the bundled catalog folder, as the host was given it>
//   catalog <catalog version>
//   origin bundled|installed
//   date <YYYY-MM-DD>
//   key <key id>|-
//   file <name> <device> <inode> <size> <mtime ns> <ctime ns>      (bundled; index.json first)
//   source absent|file|folder <device> <inode> <size> <mtime ns> <ctime ns> <path>
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

// A path outside the bundled catalog folder that the choice of catalog depends on.
struct SourceStamp {
    enum class Kind { absent, file, folder };
    Kind kind = Kind::absent;
    std::string path; // absolute, no line breaks
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::int64_t ctime_ns = 0;

    friend bool operator==(const SourceStamp&, const SourceStamp&) = default;
};

// What the record says the catalog is.
struct CachedCatalog {
    std::string version; // YYYY.MM.DD
    std::string origin;  // "bundled" or "installed"
    std::string date;    // YYYY-MM-DD
    std::string key_id;  // empty for bundled

    friend bool operator==(const CachedCatalog&, const CachedCatalog&) = default;
};

struct CatalogCacheEntry {
    std::string host;   // host_identity()
    std::string folder; // the bundled catalog folder (no line breaks)
    CachedCatalog catalog;
    std::vector<FileStamp> files;
    std::vector<SourceStamp> sources;

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

// What the record in `cache_file` says the catalog is, if the record is intact, written by `host`,
// and every file it lists in `catalog_dir` and every source still has the same stamp. Never
// throws.
[[nodiscard]] std::optional<CachedCatalog> read_catalog_cache(
    const std::filesystem::path& cache_file, const std::filesystem::path& catalog_dir,
    const std::string& host);

// Stamps every catalog-named (*.json) regular file directly in `dir`; taken before a load, it is
// the `before` of write_catalog_cache. Empty if the folder cannot be read. Never throws.
[[nodiscard]] std::vector<FileStamp> stamp_catalog_folder(const std::filesystem::path& dir);

// Stamps each of `roots` (or records it absent), what is directly in it, and what is directly in
// each folder in it: the trusted keys folder and the installed releases folder. Never throws.
[[nodiscard]] std::vector<SourceStamp> stamp_sources(const std::vector<std::filesystem::path>& roots);

// Records that `files` (index.json first) in `catalog_dir`, with the `sources` stamped before the
// choice (stamp_sources), gave `catalog`. Creates the folder of `cache_file` private (0700), writes
// the file atomically with mode 0600. Records nothing, and returns false, unless every file still
// has the stamp it had in `before` and stamp_sources(roots) still equals `sources`: what changed,
// appeared or went while the catalog was being chosen is never vouched for. Throws StorageError.
bool write_catalog_cache(const std::filesystem::path& cache_file,
                         const std::filesystem::path& catalog_dir,
                         const std::vector<std::string>& files, const CachedCatalog& catalog,
                         const std::string& host, const std::vector<FileStamp>& before,
                         const std::vector<std::filesystem::path>& roots,
                         const std::vector<SourceStamp>& sources);

} // namespace optguard::storage
