#include "storage/catalog_cache.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#if !defined(_WIN32)
#include <unistd.h>
#endif

#include "build_config.hpp"
#include "domain/timestamp.hpp"
#include "os/file_checks.hpp"
#include "storage/atomic_file.hpp"
#include "storage/observation_store.hpp"
#include "storage/state_store.hpp"

namespace optguard::storage {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view header = "optguard-catalog-cache 2";
constexpr std::size_t max_cache_bytes = std::size_t {64} * 1024U;

std::uint64_t fnv1a64(std::string_view text) noexcept
{
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

std::string hex(std::uint64_t value)
{
    char text[17];
    const int n = std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return std::string(text, n > 0 ? static_cast<std::size_t>(n) : 0U);
}

// Splits off the next space-separated field (no empty fields, no other whitespace).
std::optional<std::string_view> next_field(std::string_view& line)
{
    if (line.empty()) {
        return std::nullopt;
    }
    const auto space = line.find(' ');
    const std::string_view field = line.substr(0, space);
    line = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
    if (field.empty()) {
        return std::nullopt;
    }
    return field;
}

template <typename Number>
std::optional<Number> number_field(std::string_view& line)
{
    const auto field = next_field(line);
    if (!field) {
        return std::nullopt;
    }
    Number value {};
    const auto [end, error] = std::from_chars(field->data(), field->data() + field->size(), value);
    if (error != std::errc() || end != field->data() + field->size()) {
        return std::nullopt;
    }
    return value;
}

// index.json or a platform file name as catalog/catalog.cpp accepts them: [a-z0-9-]+.json.
bool is_catalog_file_name(std::string_view name) noexcept
{
    constexpr std::string_view suffix = ".json";
    if (name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix) {
        return false;
    }
    for (const char c : name.substr(0, name.size() - suffix.size())) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            return false;
        }
    }
    return true;
}

std::optional<std::string_view> next_line(std::string_view& text)
{
    const auto end = text.find('\n');
    if (end == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    return line;
}

bool consume_prefix(std::string_view& line, std::string_view prefix) noexcept
{
    if (line.substr(0, prefix.size()) != prefix) {
        return false;
    }
    line.remove_prefix(prefix.size());
    return true;
}

// The whole file if it is a regular file of ours that nobody else can write, at most 64 KiB
// (os::read_trusted_file: the same checks as for config.json, on the file actually opened).
std::optional<std::string> read_private_file(const fs::path& path)
{
    os::TrustedFile file = os::read_trusted_file(path, max_cache_bytes);
    if (file.missing || file.refused) {
        return std::nullopt;
    }
    return std::move(file.text);
}

std::string_view kind_name(SourceStamp::Kind kind) noexcept
{
    switch (kind) {
    case SourceStamp::Kind::file: return "file";
    case SourceStamp::Kind::folder: return "folder";
    case SourceStamp::Kind::absent: return "absent";
    }
    return "absent";
}

// "-" or a minisign key id: 16 upper-case hex digits.
bool is_key_field(std::string_view text) noexcept
{
    if (text == "-") {
        return true;
    }
    return text.size() == 16 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
           });
}

// "<kind> <device> <inode> <size> <mtime> <ctime> <path to the end of the line>".
std::optional<SourceStamp> parse_source(std::string_view line)
{
    SourceStamp source;
    const auto kind = next_field(line);
    if (!kind) {
        return std::nullopt;
    }
    if (*kind == "file") {
        source.kind = SourceStamp::Kind::file;
    } else if (*kind == "folder") {
        source.kind = SourceStamp::Kind::folder;
    } else if (*kind == "absent") {
        source.kind = SourceStamp::Kind::absent;
    } else {
        return std::nullopt;
    }
    const auto device = number_field<std::uint64_t>(line);
    const auto inode = number_field<std::uint64_t>(line);
    const auto size = number_field<std::uint64_t>(line);
    const auto mtime = number_field<std::int64_t>(line);
    const auto ctime = number_field<std::int64_t>(line);
    if (!device || !inode || !size || !mtime || !ctime || line.empty()) {
        return std::nullopt;
    }
    source.device = *device;
    source.inode = *inode;
    source.size = *size;
    source.mtime_ns = *mtime;
    source.ctime_ns = *ctime;
    source.path = std::string(line);
    return source;
}

} // namespace

std::string format_catalog_cache(const CatalogCacheEntry& entry)
{
    std::string text;
    text.append(header).append("\n");
    text.append("host ").append(entry.host).append("\n");
    text.append("folder ").append(entry.folder).append("\n");
    text.append("catalog ").append(entry.catalog.version).append("\n");
    text.append("origin ").append(entry.catalog.origin).append("\n");
    text.append("date ").append(entry.catalog.date).append("\n");
    text.append("key ").append(entry.catalog.key_id.empty() ? "-" : entry.catalog.key_id).append("\n");
    for (const auto& file : entry.files) {
        // Appended apart: `" " + std::to_string(n)` meets GCC 12's -O3 -Wrestrict false positive.
        const auto field = [&text](auto number) { text.append(" ").append(std::to_string(number)); };
        text.append("file ").append(file.name);
        field(file.device);
        field(file.inode);
        field(file.size);
        field(file.mtime_ns);
        field(file.ctime_ns);
        text.append("\n");
    }
    for (const auto& source : entry.sources) {
        // Appended apart, as above (GCC 12's -O3 -Wrestrict false positive).
        const auto field = [&text](auto number) { text.append(" ").append(std::to_string(number)); };
        text.append("source ").append(kind_name(source.kind));
        field(source.device);
        field(source.inode);
        field(source.size);
        field(source.mtime_ns);
        field(source.ctime_ns);
        text.append(" ").append(source.path).append("\n");
    }
    const std::string sum = hex(fnv1a64(text)); // of the lines above only
    text.append("sum ").append(sum).append("\n");
    return text;
}

std::optional<CatalogCacheEntry> parse_catalog_cache(std::string_view text)
{
    const auto sum_at = text.rfind("sum ");
    if (sum_at == std::string_view::npos || (sum_at > 0 && text[sum_at - 1] != '\n')) {
        return std::nullopt;
    }
    const std::string_view body = text.substr(0, sum_at);
    if (text.substr(sum_at) != "sum " + hex(fnv1a64(body)) + "\n") {
        return std::nullopt;
    }
    std::string_view rest = body;
    if (next_line(rest) != header) {
        return std::nullopt;
    }
    CatalogCacheEntry entry;
    auto line = next_line(rest);
    if (!line || !consume_prefix(*line, "host ") || line->empty()) {
        return std::nullopt;
    }
    entry.host = std::string(*line);
    line = next_line(rest);
    if (!line || !consume_prefix(*line, "folder ") || line->empty()) {
        return std::nullopt;
    }
    entry.folder = std::string(*line);
    line = next_line(rest);
    if (!line || !consume_prefix(*line, "catalog ") || !domain::is_calendar_date(*line, '.')) {
        return std::nullopt;
    }
    entry.catalog.version = std::string(*line);
    line = next_line(rest);
    if (!line || !consume_prefix(*line, "origin ") || (*line != "bundled" && *line != "installed")) {
        return std::nullopt;
    }
    entry.catalog.origin = std::string(*line);
    line = next_line(rest);
    if (!line || !consume_prefix(*line, "date ") || !domain::is_calendar_date(*line)) {
        return std::nullopt;
    }
    entry.catalog.date = std::string(*line);
    line = next_line(rest);
    if (!line || !consume_prefix(*line, "key ") || !is_key_field(*line)) {
        return std::nullopt;
    }
    entry.catalog.key_id = *line == "-" ? std::string() : std::string(*line);
    if (entry.catalog.origin == "installed" && entry.catalog.key_id.empty()) {
        return std::nullopt;
    }
    while (!rest.empty()) {
        line = next_line(rest);
        if (line && consume_prefix(*line, "source ")) {
            auto source = parse_source(*line);
            if (!source) {
                return std::nullopt;
            }
            entry.sources.push_back(std::move(*source));
            continue;
        }
        if (!line || !consume_prefix(*line, "file ") || !entry.sources.empty()) {
            return std::nullopt;
        }
        FileStamp file;
        const auto name = next_field(*line);
        const auto device = number_field<std::uint64_t>(*line);
        const auto inode = number_field<std::uint64_t>(*line);
        const auto size = number_field<std::uint64_t>(*line);
        const auto mtime = number_field<std::int64_t>(*line);
        const auto ctime = number_field<std::int64_t>(*line);
        if (!name || !is_catalog_file_name(*name) || !device || !inode || !size || !mtime || !ctime
            || !line->empty()) {
            return std::nullopt;
        }
        file.name = std::string(*name);
        file.device = *device;
        file.inode = *inode;
        file.size = *size;
        file.mtime_ns = *mtime;
        file.ctime_ns = *ctime;
        entry.files.push_back(std::move(file));
    }
    if (entry.files.empty() || entry.files.front().name != "index.json") {
        return std::nullopt;
    }
    return entry;
}

namespace {

#if !defined(_WIN32)
std::int64_t nanoseconds_of(const struct timespec& time)
{
    constexpr std::int64_t ns_per_s = 1'000'000'000;
    return static_cast<std::int64_t>(time.tv_sec) * ns_per_s + time.tv_nsec;
}

FileStamp stamp_of(const struct stat& info, const std::string& name)
{
    FileStamp stamp;
    stamp.name = name;
    stamp.device = static_cast<std::uint64_t>(info.st_dev);
    stamp.inode = static_cast<std::uint64_t>(info.st_ino);
    stamp.size = static_cast<std::uint64_t>(info.st_size);
    stamp.mtime_ns = nanoseconds_of(info.st_mtim);
    stamp.ctime_ns = nanoseconds_of(info.st_ctim);
    return stamp;
}
#endif

// `path` is the file, `name` what the stamp calls it. A string path: building an fs::path per file
// was half the cost of checking the record at start-up.
std::optional<FileStamp> stamp_path(const fs::path::string_type& path, const std::string& name)
{
#if defined(_WIN32)
    // No inode or ctime: size and mtime only.
    FileStamp stamp;
    stamp.name = name;
    std::error_code ec;
    const fs::path file(path);
    const auto size = fs::file_size(file, ec);
    if (ec) {
        return std::nullopt;
    }
    const auto mtime = fs::last_write_time(file, ec);
    if (ec) {
        return std::nullopt;
    }
    stamp.size = size;
    stamp.mtime_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch())
                         .count();
    return stamp;
#else
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
        return std::nullopt;
    }
    return stamp_of(info, name);
#endif
}

// Stamps the files of one folder, as every check and record of the catalog folder does. On POSIX
// through the folder opened once: each file is then one name for the kernel to look up rather
// than the whole path, and a start checks every catalog file.
class FolderStamper {
public:
    explicit FolderStamper(const fs::path& dir)
        : prefix_((dir / "").native())
    {
#if !defined(_WIN32)
        fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
#endif
    }
    FolderStamper(const FolderStamper&) = delete;
    FolderStamper& operator=(const FolderStamper&) = delete;
    ~FolderStamper()
    {
#if !defined(_WIN32)
        if (fd_ >= 0) {
            ::close(fd_);
        }
#endif
    }

    [[nodiscard]] std::optional<FileStamp> stamp(const std::string& name)
    {
#if !defined(_WIN32)
        if (fd_ >= 0) {
            struct stat info {};
            if (::fstatat(fd_, name.c_str(), &info, 0) != 0 || !S_ISREG(info.st_mode)) {
                return std::nullopt;
            }
            return stamp_of(info, name);
        }
#endif
        fs::path::string_type path = prefix_;
        path.append(name.begin(), name.end());
        return stamp_path(path, name);
    }

private:
    fs::path::string_type prefix_;
#if !defined(_WIN32)
    int fd_ = -1;
#endif
};

} // namespace

std::optional<FileStamp> stamp_file(const fs::path& dir, const std::string& name)
{
    return stamp_path((dir / name).native(), name);
}

std::string host_identity(const fs::path& executable)
{
    if (executable.empty()) {
        return {};
    }
    const auto stamp = stamp_file(executable.parent_path(), executable.filename().string());
    if (!stamp) {
        return {};
    }
    return std::string(build_config::version) + " " + std::to_string(stamp->size) + " "
        + std::to_string(stamp->mtime_ns);
}

namespace {

// A source as it is now: absent, a regular file or a folder (anything else is stamped as a file
// of size 0, so it differs from what a record holds).
SourceStamp stamp_source(const fs::path& path)
{
    SourceStamp stamp;
    stamp.path = path.string();
#if defined(_WIN32)
    // No inode or ctime: kind, size and mtime only.
    std::error_code ec;
    const auto status = fs::symlink_status(path, ec);
    if (ec || !fs::exists(status)) {
        return stamp;
    }
    stamp.kind = fs::is_directory(status) ? SourceStamp::Kind::folder : SourceStamp::Kind::file;
    if (fs::is_regular_file(status)) {
        stamp.size = fs::file_size(path, ec);
    }
    const auto mtime = fs::last_write_time(path, ec);
    if (!ec) {
        stamp.mtime_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             mtime.time_since_epoch())
                             .count();
    }
#else
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
        return stamp; // absent (or unreadable: the same, it is looked at again next time)
    }
    stamp.kind = S_ISDIR(info.st_mode) ? SourceStamp::Kind::folder : SourceStamp::Kind::file;
    stamp.device = static_cast<std::uint64_t>(info.st_dev);
    stamp.inode = static_cast<std::uint64_t>(info.st_ino);
    stamp.size = S_ISREG(info.st_mode) ? static_cast<std::uint64_t>(info.st_size) : 0U;
    stamp.mtime_ns = nanoseconds_of(info.st_mtim);
    stamp.ctime_ns = nanoseconds_of(info.st_ctim);
#endif
    return stamp;
}

// The entries directly in `dir`, sorted.
std::vector<fs::path> entries_of(const fs::path& dir)
{
    std::vector<fs::path> entries;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        entries.push_back(it->path());
    }
    std::sort(entries.begin(), entries.end());
    return entries;
}

} // namespace

std::vector<SourceStamp> stamp_sources(const std::vector<fs::path>& roots)
{
    std::vector<SourceStamp> stamps;
    try {
        for (const auto& root : roots) {
            stamps.push_back(stamp_source(root));
            if (stamps.back().kind != SourceStamp::Kind::folder) {
                continue;
            }
            for (const auto& entry : entries_of(root)) {
                stamps.push_back(stamp_source(entry));
                if (stamps.back().kind == SourceStamp::Kind::folder) {
                    for (const auto& inner : entries_of(entry)) {
                        stamps.push_back(stamp_source(inner));
                    }
                }
            }
        }
    } catch (const std::exception&) {
        stamps.clear();
        stamps.push_back(SourceStamp {}); // never equal to a real stamping: nothing is recorded
        stamps.back().path = "?";
    }
    return stamps;
}

std::optional<CachedCatalog> read_catalog_cache(const fs::path& cache_file,
                                                const fs::path& catalog_dir, const std::string& host)
{
    try {
        if (host.empty()) {
            return std::nullopt;
        }
        const auto text = read_private_file(cache_file);
        if (!text) {
            return std::nullopt;
        }
        const auto entry = parse_catalog_cache(*text);
        if (!entry || entry->host != host || entry->folder != catalog_dir.string()) {
            return std::nullopt;
        }
        FolderStamper folder(catalog_dir);
        for (const auto& recorded : entry->files) {
            const auto now = folder.stamp(recorded.name);
            if (!now || !(*now == recorded)) {
                return std::nullopt;
            }
        }
        for (const auto& recorded : entry->sources) {
            if (!(stamp_source(fs::path(recorded.path)) == recorded)) {
                return std::nullopt;
            }
        }
        return entry->catalog;
    } catch (const std::exception&) {
        return std::nullopt; // e.g. bad_alloc: no cache, the catalog is loaded as without one
    }
}

std::vector<FileStamp> stamp_catalog_folder(const fs::path& dir)
{
    std::vector<FileStamp> stamps;
    try {
        std::error_code ec;
        FolderStamper folder(dir);
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (is_catalog_file_name(name)) {
                if (auto stamp = folder.stamp(name)) {
                    stamps.push_back(std::move(*stamp));
                }
            }
        }
    } catch (const std::exception&) {
        stamps.clear(); // nothing recorded: the catalog is loaded again next time
    }
    return stamps;
}

bool write_catalog_cache(const fs::path& cache_file, const fs::path& catalog_dir,
                         const std::vector<std::string>& files, const CachedCatalog& catalog,
                         const std::string& host, const std::vector<FileStamp>& before,
                         const std::vector<fs::path>& roots, const std::vector<SourceStamp>& sources)
{
    if (host.empty() || files.empty() || files.front() != "index.json") {
        return false;
    }
    CatalogCacheEntry entry;
    entry.host = host;
    entry.folder = catalog_dir.string();
    if (entry.folder.empty() || entry.folder.find_first_of("\r\n") != std::string::npos) {
        return false;
    }
    entry.catalog = catalog;
    FolderStamper folder(catalog_dir);
    for (const auto& name : files) {
        if (!is_catalog_file_name(name)) {
            return false;
        }
        auto stamp = folder.stamp(name);
        const auto earlier = std::find_if(before.begin(), before.end(),
                                          [&](const FileStamp& s) { return s.name == name; });
        if (!stamp || earlier == before.end() || !(*earlier == *stamp)) {
            return false; // changed (or appeared) while the catalog was being read
        }
        entry.files.push_back(std::move(*stamp));
    }
    if (stamp_sources(roots) != sources) {
        return false; // a key, a release or a folder changed while the catalog was being chosen
    }
    for (const auto& source : sources) {
        if (source.path.empty() || source.path.find_first_of("\r\n") != std::string::npos) {
            return false;
        }
    }
    entry.sources = sources;
    // The record must read back as it is meant (e.g. a version or key that is not well formed).
    const std::string text = format_catalog_cache(entry);
    if (!(parse_catalog_cache(text) == entry)) {
        return false;
    }
    ensure_private_directory(cache_file.parent_path(), "cache folder");
    write_file_atomically(cache_file, text);
    return true;
}

} // namespace optguard::storage
