#include "storage/catalog_install.hpp"

#include <chrono>
#include <random>
#include <set>
#include <tuple>

#include "storage/atomic_file.hpp"
#include "storage/file_lock.hpp"
#include "storage/observation_store.hpp"
#include "storage/state_store.hpp"

namespace optguard::storage {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr const char* lock_name = ".lock";
constexpr std::string_view temp_prefix = ".tmp-";
constexpr std::string_view old_prefix = ".old-";

std::string random_suffix()
{
    std::random_device random;
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    return std::to_string(random()) + "-" + std::to_string(now);
}

void remove_quietly(const fs::path& path)
{
    std::error_code ec;
    fs::remove_all(path, ec); // a leftover is removed by the next install
}

std::set<std::tuple<std::string, std::string, std::string, std::string>>
event_keys(const catalog::Catalog& catalog)
{
    std::set<std::tuple<std::string, std::string, std::string, std::string>> keys;
    for (const auto& platform : catalog.platforms) {
        for (const auto& setting : platform.settings) {
            for (const auto& event : setting.policy_events) {
                keys.emplace(platform.id, setting.id, event.date, event.summary);
            }
        }
    }
    return keys;
}

} // namespace

std::vector<NewPolicyEvent> new_policy_events(const catalog::Catalog* before,
                                              const catalog::Catalog& after)
{
    const auto old_keys = before != nullptr ? event_keys(*before) : decltype(event_keys(after)) {};
    std::vector<NewPolicyEvent> events;
    for (const auto& key : event_keys(after)) {
        if (old_keys.count(key) == 0) {
            events.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key)});
        }
    }
    return events;
}

json to_json(const std::vector<NewPolicyEvent>& events)
{
    json out = json::array();
    for (const auto& event : events) {
        out.push_back({{"platform", event.platform},
                       {"setting", event.setting},
                       {"date", event.date},
                       {"summary", event.summary}});
    }
    return out;
}

InstallOutcome install_release(const catalog::CatalogPlaces& places, std::string_view bytes,
                               std::string_view signature)
{
    using catalog::RejectReason;
    using catalog::ReleaseRejected;
    // Verified and validated before anything is written or locked.
    const catalog::TrustedKeys keys = catalog::load_trusted_keys(places.keys);
    catalog::VerifiedRelease verified = catalog::verify_release(bytes, signature, keys, places.keys);
    if (!places.installed) {
        throw StorageError("cannot install a catalog: no home folder to keep it in");
    }
    const fs::path& dir = *places.installed;
    ensure_private_directory(dir.parent_path(), "data folder");
    ensure_private_directory(dir, "catalog folder");
    const FileLock lock(dir / lock_name);

    catalog::ActiveCatalog before = catalog::select_catalog(places);
    InstallOutcome outcome;
    if (before.load.catalog) {
        outcome.previous_version = before.info.version;
        outcome.previous_origin = before.info.origin;
        if (catalog::compare_versions(verified.release.version, before.info.version) <= 0) {
            throw ReleaseRejected(RejectReason::not_newer,
                                  "version " + verified.release.version
                                      + " is not newer than the catalog in use, "
                                      + before.info.version + " ("
                                      + std::string(catalog::to_string(before.info.origin)) + ")");
        }
    }

    // Leftovers of an install that was interrupted (the lock says none is running).
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind(temp_prefix, 0) == 0 || name.rfind(old_prefix, 0) == 0) {
            remove_quietly(it->path());
        }
    }

    const std::string& version = verified.release.version;
    const fs::path temp = dir / (std::string(temp_prefix) + version + "-" + random_suffix());
    const fs::path target = dir / version;
    try {
        ensure_private_directory(temp, "catalog folder");
        write_file_atomically(temp / catalog::installed_file_name, bytes);
        write_file_atomically(temp / catalog::installed_signature_name, signature);
        // A folder of this version can only be one that did not verify (else it would be in use
        // and this one not newer): set aside, replaced, then removed.
        fs::path set_aside;
        if (fs::exists(fs::symlink_status(target))) {
            set_aside = dir / (std::string(old_prefix) + version + "-" + random_suffix());
            fs::rename(target, set_aside);
        }
        fs::rename(temp, target);
        sync_directory(dir);
        if (!set_aside.empty()) {
            remove_quietly(set_aside);
        }
    } catch (const fs::filesystem_error& error) {
        remove_quietly(temp);
        throw StorageError("cannot install the catalog in " + dir.string() + ": " + error.what());
    } catch (...) {
        remove_quietly(temp);
        throw;
    }

    // Keep the new release and the installed one it replaces (a fallback); drop older ones.
    for (const auto& installed : catalog::installed_releases(dir)) {
        const bool keep = installed.version == version
            || (before.info.origin == catalog::Origin::installed
                && installed.version == before.info.version);
        if (!keep) {
            remove_quietly(installed.folder);
        }
    }
    try {
        sync_directory(dir);
    } catch (const StorageError&) {
        // The new release is in place and durable; pruning is only tidying.
    }

    outcome.new_policy_events = new_policy_events(
        before.load.catalog ? &*before.load.catalog : nullptr, verified.release.catalog);
    outcome.active.info.version = version;
    outcome.active.info.date = verified.release.date;
    outcome.active.info.origin = catalog::Origin::installed;
    outcome.active.info.key_id = verified.key_id;
    outcome.active.info.path = target / catalog::installed_file_name;
    outcome.active.load.catalog = std::move(verified.release.catalog);
    return outcome;
}

} // namespace optguard::storage
