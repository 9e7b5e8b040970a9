#include "storage/active_catalog.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "domain/reminders.hpp"
#include "os/file_checks.hpp"
#include "util/json_text.hpp"

namespace optguard::catalog {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// A key file is small; a larger "key" is not read at all.
std::optional<std::string> read_small_file(const fs::path& path, std::size_t max_bytes)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::string text(max_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (in.bad()) {
        return std::nullopt;
    }
    return text;
}

std::string describe_installed(const InstalledRelease& installed)
{
    return "the installed catalog " + installed.version + " ("
        + (installed.folder / installed_file_name).string() + ")";
}

} // namespace

std::string_view to_string(Origin origin) noexcept
{
    return origin == Origin::installed ? "installed" : "bundled";
}

CatalogPlaces catalog_places(const os::EnvLookup& env, const fs::path& executable)
{
    CatalogPlaces places;
    places.bundled = os::catalog_dir(env, executable);
    places.keys = os::keys_dir(places.bundled);
    try {
        places.installed = os::installed_catalogs_dir(env);
    } catch (const std::exception&) {
        places.installed = std::nullopt; // no home folder: the bundled catalog only
    }
    return places;
}

TrustedKeys load_trusted_keys(const fs::path& dir)
{
    TrustedKeys result;
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".pub") {
            files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        const std::string name = file.filename().string();
        const auto text = read_small_file(file, minisign::max_public_key_file_bytes);
        if (!text) {
            result.problems.push_back(file.string() + ": cannot read it");
            continue;
        }
        try {
            result.keys.push_back({minisign::parse_public_key(*text), name});
        } catch (const minisign::FormatError& error) {
            result.problems.push_back(file.string() + ": not a minisign public key: " + error.what());
        }
    }
    return result;
}

VerifiedRelease verify_release(std::string_view bytes, std::string_view signature,
                               const TrustedKeys& keys, const fs::path& keys_dir)
{
    if (bytes.size() > max_release_bytes) {
        throw ReleaseRejected(RejectReason::too_large,
                              "the catalog file is " + std::to_string(bytes.size())
                                  + " bytes; a catalog release is at most "
                                  + std::to_string(max_release_bytes) + " bytes ("
                                  + std::to_string(max_release_bytes / 1024U) + " KiB)");
    }
    if (!minisign::verification_available()) {
        throw ReleaseRejected(RejectReason::unsupported,
                              "this build of OptGuard cannot verify catalog signatures, so it "
                              "installs no catalog updates; it keeps its bundled catalog");
    }
    minisign::Signature parsed;
    try {
        parsed = minisign::parse_signature(signature);
    } catch (const minisign::FormatError& error) {
        throw ReleaseRejected(RejectReason::bad_signature_file,
                              std::string("the signature is not a minisign signature file: ")
                                  + error.what());
    }
    const std::string key_id = minisign::key_id_hex(parsed.key_id);
    const auto key = std::find_if(keys.keys.begin(), keys.keys.end(), [&](const TrustedKey& k) {
        return k.key.id == parsed.key_id;
    });
    if (keys.keys.empty()) {
        throw ReleaseRejected(RejectReason::untrusted_key,
                              "no trusted catalog signing key in " + keys_dir.string()
                                  + ", so no catalog update can be installed (the file is signed "
                                    "with key " + key_id + ")");
    }
    if (key == keys.keys.end()) {
        std::string trusted;
        for (const auto& k : keys.keys) {
            trusted += (trusted.empty() ? "" : ", ") + minisign::key_id_hex(k.key.id);
        }
        throw ReleaseRejected(RejectReason::untrusted_key,
                              "the catalog is signed with key " + key_id
                                  + ", which is not a trusted key (trusted: " + trusted + ", in "
                                  + keys_dir.string() + ")");
    }
    switch (minisign::verify(key->key, parsed, bytes)) {
    case minisign::Verification::valid:
        break;
    case minisign::Verification::wrong_key: // cannot happen: the key was found by its id
    case minisign::Verification::bad_signature:
        throw ReleaseRejected(RejectReason::bad_signature,
                              "the signature does not match the catalog file: the file was changed "
                              "or damaged after it was signed");
    case minisign::Verification::bad_trusted_comment:
        throw ReleaseRejected(RejectReason::bad_signature,
                              "the signature's trusted comment was changed after signing");
    case minisign::Verification::unavailable:
        throw ReleaseRejected(RejectReason::unsupported,
                              "signatures cannot be verified here (the crypto library failed to "
                              "start)");
    }
    try {
        return {parse_release(bytes), key_id};
    } catch (const CatalogError& error) {
        throw ReleaseRejected(RejectReason::invalid,
                              std::string("the catalog is signed but not valid: ") + error.what());
    }
}

std::vector<InstalledRelease> installed_releases(const fs::path& dir)
{
    std::vector<InstalledRelease> releases;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (is_version(name)) {
            releases.push_back({name, it->path()});
        }
    }
    std::sort(releases.begin(), releases.end(),
              [](const InstalledRelease& a, const InstalledRelease& b) {
                  return compare_versions(a.version, b.version) > 0;
              });
    return releases;
}

VerifiedRelease read_installed_release(const InstalledRelease& installed, const TrustedKeys& keys,
                                       const fs::path& keys_dir)
{
    if (auto reason = os::untrusted_folder_reason(installed.folder)) {
        throw ReleaseRejected(RejectReason::invalid, *reason);
    }
    const auto read = [](const fs::path& path, std::size_t max_bytes) {
        os::TrustedFile file = os::read_trusted_file(path, max_bytes);
        if (file.missing) {
            throw ReleaseRejected(RejectReason::invalid, path.string() + " is missing");
        }
        if (file.refused) {
            throw ReleaseRejected(RejectReason::invalid, *file.refused);
        }
        return std::move(file.text);
    };
    const std::string bytes = read(installed.folder / installed_file_name, max_release_bytes);
    const std::string signature
        = read(installed.folder / installed_signature_name, minisign::max_signature_file_bytes);
    VerifiedRelease verified = verify_release(bytes, signature, keys, keys_dir);
    if (verified.release.version != installed.version) {
        throw ReleaseRejected(RejectReason::invalid,
                              "its folder is named " + installed.version + " but it holds version "
                                  + verified.release.version);
    }
    return verified;
}

ActiveCatalog bundled_catalog(CatalogLoad load, const fs::path& folder)
{
    ActiveCatalog active;
    active.load = std::move(load);
    if (active.load.catalog) {
        active.info.version = active.load.catalog->version;
        active.info.date = version_date(active.info.version);
        active.info.origin = Origin::bundled;
        active.info.path = folder;
    }
    return active;
}

ActiveCatalog select_catalog(const CatalogPlaces& places)
{
    ActiveCatalog active;
    // The bundled catalog's version decides which installed releases can be newer; the whole
    // bundled catalog is validated only if it is the one used.
    std::optional<std::string> bundled_version;
    try {
        bundled_version
            = parse_index(read_json_file(places.bundled / "index.json", "index.json"), "index.json")
                  .version;
    } catch (const std::exception&) {
        bundled_version = std::nullopt; // its full load below reports why
    }

    std::vector<InstalledRelease> candidates;
    if (places.installed) {
        if (auto reason = os::untrusted_folder_reason(*places.installed)) {
            active.notices.push_back("installed catalogs were not used: " + *reason);
        } else {
            candidates = installed_releases(*places.installed);
        }
    }
    std::optional<TrustedKeys> keys;
    const auto try_installed = [&](const InstalledRelease& installed) -> bool {
        if (!keys) {
            keys = load_trusted_keys(places.keys);
        }
        try {
            VerifiedRelease verified = read_installed_release(installed, *keys, places.keys);
            active.info.version = verified.release.version;
            active.info.date = verified.release.date;
            active.info.origin = Origin::installed;
            active.info.key_id = verified.key_id;
            active.info.path = installed.folder / installed_file_name;
            active.load.catalog = std::move(verified.release.catalog);
            active.load.error.clear();
            return true;
        } catch (const ReleaseRejected& error) {
            active.notices.push_back(describe_installed(installed) + " was not used: " + error.what());
        } catch (const std::exception& error) {
            active.notices.push_back(describe_installed(installed) + " was not used: " + error.what());
        }
        return false;
    };

    // Newer than the bundled catalog: the newest that verifies.
    std::size_t next = 0;
    for (; next < candidates.size(); ++next) {
        if (bundled_version && compare_versions(candidates[next].version, *bundled_version) <= 0) {
            break;
        }
        if (try_installed(candidates[next])) {
            return active;
        }
    }
    {
        ActiveCatalog bundled = bundled_catalog(try_load_catalog(places.bundled), places.bundled);
        active.load = std::move(bundled.load);
        active.info = std::move(bundled.info);
    }
    if (active.load.catalog) {
        return active;
    }
    // A broken bundled catalog: an older installed release still beats none.
    const std::string bundled_error = active.load.error;
    for (; next < candidates.size(); ++next) {
        if (try_installed(candidates[next])) {
            active.notices.push_back("the bundled catalog does not load: " + bundled_error);
            return active;
        }
    }
    active.load.catalog.reset();
    active.load.error = bundled_error;
    return active;
}

int age_days(const CatalogInfo& info, domain::TimePoint now)
{
    const auto start = domain::date_start_utc(info.date);
    if (!start || *start >= now) {
        return 0;
    }
    return static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(now - *start).count()
                            / 24);
}

bool is_stale(const CatalogInfo& info, domain::TimePoint now)
{
    return age_days(info, now) > stale_after_days;
}

std::string stale_warning(const CatalogInfo& info, domain::TimePoint now)
{
    if (!is_stale(info, now)) {
        return {};
    }
    return "This catalog is " + std::to_string(age_days(info, now)) + " days old (of "
        + info.date + "), and no newer signed catalog has been installed for more than "
        + std::to_string(stale_after_days)
        + " days: what OptGuard knows about platform settings and policy changes may be out of "
          "date.";
}

json info_json(const CatalogInfo& info, const std::vector<std::string>& notices,
               domain::TimePoint now)
{
    json out = json::object();
    out["version"] = info.version;
    out["date"] = info.date;
    out["source"] = to_string(info.origin);
    out["key_id"] = info.key_id.empty() ? json(nullptr) : json(info.key_id);
    out["age_days"] = age_days(info, now);
    out["stale_after_days"] = stale_after_days;
    out["stale"] = is_stale(info, now);
    const std::string warning = stale_warning(info, now);
    out["warning"] = warning.empty() ? json(nullptr) : json(warning);
    out["notices"] = notices;
    return out;
}

} // namespace optguard::catalog
