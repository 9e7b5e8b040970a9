#include "browser/dispatcher.hpp"

#include <algorithm>
#include <utility>

#include "build_config.hpp"
#include "domain/url.hpp"
#include "domain/verdict.hpp"
#include "protocol/error_code.hpp"
#include "protocol/response.hpp"
#include "protocol/version.hpp"
#include "app/policy_notices.hpp"
#include "app/rejected.hpp"
#include "app/reminder_service.hpp"
#include "app/status_rows.hpp"
#include "app/status_report.hpp"
#include "util/json_text.hpp"

namespace optguard {

using json = nlohmann::json;
using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

json null_if_empty(const std::string& text)
{
    return text.empty() ? json(nullptr) : json(text);
}

} // namespace

Dispatcher::Dispatcher(CatalogSource catalog, catalog::ConfigLoad config,
                       StoreOpener open_store, ReminderStoreOpener open_reminders,
                       ConfigSaver save_choice, CatalogInstaller install_catalog,
                       std::filesystem::path policy_notice_dir)
    : policy_notice_dir_(std::move(policy_notice_dir))
    , config_(std::move(config))
    , open_store_(std::move(open_store))
    , open_reminders_(std::move(open_reminders))
    , save_choice_(std::move(save_choice))
    , install_catalog_(std::move(install_catalog))
{
    if (auto* loaded = std::get_if<catalog::CatalogLoad>(&catalog)) {
        use(catalog::bundled_catalog(std::move(*loaded)));
    } else if (auto* active = std::get_if<catalog::ActiveCatalog>(&catalog)) {
        use(std::move(*active));
    } else {
        deferred_ = std::move(std::get<DeferredCatalog>(catalog));
    }
}

void Dispatcher::use(catalog::ActiveCatalog active)
{
    catalog_ = std::move(active.load);
    info_ = std::move(active.info);
    notices_ = std::move(active.notices);
    effective_.reset();
}

json Dispatcher::catalog_info(domain::TimePoint now) const
{
    if (deferred_.load) {
        return catalog::info_json(deferred_.info, {}, now);
    }
    if (!catalog_.catalog) {
        return nullptr;
    }
    return catalog::info_json(info_, notices_, now);
}

json Dispatcher::handle(const protocol::Request& request, const json& id, domain::TimePoint now)
{
    try {
        // One `answer` overload per request type and no catch-all: a request type added to
        // protocol::Request without its handler does not compile.
        return std::visit([&](const auto& typed) -> json { return answer(typed, id, now); },
                          request);
    } catch (const storage::StorageError& error) {
        // The one place a storage failure becomes a reply.
        throw ProtocolError(ErrorCode::storage_error, error.what());
    } catch (const app::Rejected& error) {
        throw ProtocolError(error.why() == app::Refusal::unknown_setting ? ErrorCode::unknown_setting
                                                                          : ErrorCode::bad_request,
                            error.what());
    }
}

json Dispatcher::answer(const protocol::HelloRequest& /*request*/, const json& id,
                        domain::TimePoint now) const
{
    json reply = protocol::make_ok(id, "hello");
    reply["host"] = "optguard-host";
    reply["version"] = build_config::version;
    reply["protocol"] = protocol_version;
    if (deferred_.load) {
        reply["catalog_version"] = deferred_.info.version; // chosen from exactly these files
        reply["catalog_error"] = nullptr;
    } else {
        reply["catalog_version"]
            = catalog_.catalog ? json(catalog_.catalog->version) : json(nullptr);
        reply["catalog_error"] = null_if_empty(catalog_.error);
    }
    reply["catalog_info"] = catalog_info(now);
    reply["config_error"] = null_if_empty(config_.error);
    return reply;
}

json Dispatcher::answer(const protocol::CatalogRequest& /*request*/, const json& id,
                        domain::TimePoint now)
{
    json reply = protocol::make_ok(id, "catalog");
    reply["catalog"] = catalog::to_json(effective_catalog());
    reply["catalog_info"] = catalog_info(now);
    return reply;
}

json Dispatcher::answer(const protocol::InstallCatalogRequest& request, const json& id,
                        domain::TimePoint now)
{
    if (!install_catalog_) {
        throw storage::StorageError("this host cannot install catalogs");
    }
    storage::InstallOutcome outcome;
    try {
        outcome = install_catalog_(request.catalog, request.signature);
    } catch (const catalog::ReleaseRejected& error) {
        throw ProtocolError(ErrorCode::catalog_rejected, error.what(),
                            std::string(catalog::to_string(error.reason())));
    }
    deferred_ = DeferredCatalog {};
    use(std::move(outcome.active));
    json reply = protocol::make_ok(id, "install_catalog");
    reply["version"] = info_.version;
    reply["previous_version"] = null_if_empty(outcome.previous_version);
    reply["new_policy_events"] = storage::to_json(outcome.new_policy_events);
    reply["catalog_info"] = catalog_info(now);
    return reply;
}

json Dispatcher::answer(const protocol::ReportRequest& request, const json& id,
                        domain::TimePoint now)
{
    const catalog::Catalog& effective = effective_catalog();
    const catalog::Setting* setting = effective.find_setting(request.platform, request.setting);
    if (setting == nullptr) {
        throw ProtocolError(ErrorCode::unknown_setting,
                            "no setting " + util::quote(request.setting) + " of platform "
                                + util::quote(request.platform) + " in the catalog");
    }
    const auto url = domain::parse_https_url(request.url);
    if (!url) {
        throw ProtocolError(ErrorCode::bad_request,
                            "field 'url' must be an https URL, got " + util::quote(request.url));
    }
    const bool on_page = std::any_of(
        setting->pages.begin(), setting->pages.end(),
        [&](const std::string& pattern) { return domain::matches_page(pattern, request.url); });
    if (!on_page) {
        throw ProtocolError(ErrorCode::bad_request,
                            "field 'url' is not one of the pages of " + request.platform + "/"
                                + request.setting + ": " + util::quote(request.url));
    }

    storage::Observation observation;
    observation.platform = request.platform;
    observation.setting = request.setting;
    observation.state = request.state;
    observation.expected = setting->expected;
    observation.verdict = domain::compute_verdict(setting->expected, request.state);
    observation.url = url->without_query();
    observation.observed_at = now;
    store().record(observation); // durable before we answer ok

    json reply = protocol::make_ok(id, "report");
    reply["platform"] = observation.platform;
    reply["setting"] = observation.setting;
    reply["state"] = domain::to_string(observation.state);
    reply["verdict"] = domain::to_string(observation.verdict);
    reply["expected"] = domain::to_string(observation.expected);
    reply["opt_out_url"] = setting->opt_out_url;
    reply["observed_at"] = domain::format_utc_iso8601(now);
    return reply;
}

json Dispatcher::answer(const protocol::StatusRequest& /*request*/, const json& id,
                        domain::TimePoint now)
{
    const catalog::Catalog& effective = effective_catalog();
    json reply = protocol::make_ok(id, "status");
    // With reminder records, each row also says what is due, from the same read and the same rules
    // as `due` (status_report.hpp); a dispatcher without them lists the reports only.
    reply["settings"] = open_reminders_
        ? status::rows(effective, status::read(effective, &reminder_store()), now)
        : status_rows(effective, &store());
    reply["catalog_info"] = catalog_info(now);
    return reply;
}

json Dispatcher::answer(const protocol::SetChoiceRequest& request, const json& id,
                        domain::TimePoint /*now*/)
{
    const catalog::Choice& choice = request.choice;
    // A config that did not load is never overwritten: the person fixes it first.
    const catalog::Setting* known
        = effective_catalog().find_setting(choice.platform, choice.setting);
    if (known == nullptr) {
        throw ProtocolError(ErrorCode::unknown_setting,
                            "no setting " + util::quote(choice.setting) + " of platform "
                                + util::quote(choice.platform) + " in the catalog");
    }
    if (!save_choice_) {
        throw storage::StorageError("this host cannot write its configuration");
    }
    catalog::UserConfig saved;
    try {
        saved = save_choice_(choice);
    } catch (const catalog::CatalogError& error) {
        // Broken on disk (perhaps by hand, after this host started): say so from now on.
        config_.error = error.what();
        effective_.reset();
        throw ProtocolError(ErrorCode::config_invalid, error.what());
    }
    // The file may also hold other processes' choices made since this host started.
    config_.config = std::move(saved);
    effective_ = catalog::apply_user_config(*catalog_.catalog, config_.config);
    const catalog::Setting* setting = effective_->find_setting(choice.platform, choice.setting);

    json reply = protocol::make_ok(id, "set_choice");
    reply["platform"] = choice.platform;
    reply["setting"] = choice.setting;
    reply["watch"] = setting->watch;
    reply["expected"] = domain::to_string(setting->expected);
    reply["interval_days"] = setting->interval_days;
    json override_entry = json::object();
    const auto found = config_.config.settings.find(choice.key());
    if (found != config_.config.settings.end()) {
        if (found->second.watch) {
            override_entry["watch"] = *found->second.watch;
        }
        if (found->second.expected) {
            override_entry["expected"] = domain::to_string(*found->second.expected);
        }
        if (found->second.interval_days) {
            override_entry["interval_days"] = *found->second.interval_days;
        }
    }
    reply["override"] = std::move(override_entry);
    return reply;
}

const catalog::Catalog& Dispatcher::effective_catalog()
{
    if (deferred_.load) {
        const auto load = std::exchange(deferred_.load, {});
        try {
            use(load());
        } catch (const std::exception& error) {
            catalog::ActiveCatalog failed;
            failed.load.error = error.what();
            use(std::move(failed));
        }
    }
    if (!catalog_.catalog) {
        throw ProtocolError(ErrorCode::catalog_invalid, catalog_.error);
    }
    if (!config_.error.empty()) {
        throw ProtocolError(ErrorCode::config_invalid, config_.error);
    }
    if (!effective_) {
        effective_ = catalog::apply_user_config(*catalog_.catalog, config_.config);
    }
    return *effective_;
}

storage::ObservationStore& Dispatcher::store()
{
    if (!store_) {
        // Not cached on failure: the next request tries again (the disk may have been freed).
        try {
            store_ = open_store_();
        } catch (const storage::StorageError&) {
            throw;
        } catch (const std::exception& error) {
            throw storage::StorageError(error.what());
        }
        if (!store_) {
            throw storage::StorageError("no state database");
        }
    }
    return *store_;
}

json Dispatcher::answer(const protocol::DueRequest& /*request*/, const json& id,
                        domain::TimePoint now)
{
    const catalog::Catalog& effective = effective_catalog();
    storage::ReminderStore& store = reminder_store();
    status::Snapshot snapshot = status::read(effective, &store);
    // Dates the member saw on policy pages count as policy events (app/policy_notices.hpp).
    if (!policy_notice_dir_.empty()) {
        (void)policy_notices::add_recorded(snapshot.histories, effective, policy_notice_dir_);
    }
    json reply = protocol::make_ok(id, "due");
    reply.update(reminders::due_json(effective, snapshot.histories, now));
    // The same evaluation for fleet tools (docs/fleet.md): the extension asks `due` after every
    // report and at least every 6 hours, so the fleet view follows the browser. A record that
    // cannot be written (disk full) must not cost the person their reminders; the view's
    // recorded_at then shows the organisation that it is stale.
    try {
        (void)store.publish_status(status::fleet_rows(effective, snapshot, now), now);
    } catch (const storage::StorageError&) { // NOLINT(bugprone-empty-catch): said above
    }
    return reply;
}

json Dispatcher::answer(const protocol::SnoozeRequest& request, const json& id,
                        domain::TimePoint now)
{
    const catalog::Catalog& effective = effective_catalog();
    (void)reminders::require_setting(effective, request.platform, request.setting);
    json reply = protocol::make_ok(id, "snooze");
    reply.update(reminders::snooze(effective, reminder_store(), request.platform, request.setting,
                                   request.duration, now));
    return reply;
}

json Dispatcher::answer(const protocol::AckRequest& request, const json& id, domain::TimePoint now)
{
    const catalog::Catalog& effective = effective_catalog();
    (void)reminders::require_setting(effective, request.platform, request.setting);
    json reply = protocol::make_ok(id, "ack");
    reply.update(
        reminders::acknowledge(effective, reminder_store(), request.platform, request.setting, now));
    return reply;
}

json Dispatcher::answer(const protocol::FiledRequest& request, const json& id,
                        domain::TimePoint now)
{
    const catalog::Catalog& effective = effective_catalog();
    (void)reminders::require_setting(effective, request.platform, request.setting);
    json reply = protocol::make_ok(id, "filed");
    reply.update(reminders::filed(effective, reminder_store(), request.platform, request.setting,
                                  request.date, now));
    return reply;
}

json Dispatcher::answer(const protocol::PolicySeenRequest& request, const json& id,
                        domain::TimePoint now)
{
    const catalog::Catalog& effective = effective_catalog();
    if (policy_notice_dir_.empty()) {
        throw ProtocolError(ErrorCode::storage_error, "this host cannot record policy dates");
    }
    json reply = protocol::make_ok(id, "policy_seen");
    reply.update(policy_notices::record(effective, policy_notice_dir_, request.platform,
                                        request.document, request.effective_date, now));
    return reply;
}

storage::ReminderStore& Dispatcher::reminder_store()
{
    if (!reminder_store_) {
        if (!open_reminders_) {
            throw storage::StorageError("this host has no reminder records");
        }
        try {
            reminder_store_ = open_reminders_();
        } catch (const storage::StorageError&) {
            throw;
        } catch (const std::exception& error) {
            throw storage::StorageError(error.what());
        }
        if (!reminder_store_) {
            throw storage::StorageError("no state database");
        }
    }
    return *reminder_store_;
}

} // namespace optguard
