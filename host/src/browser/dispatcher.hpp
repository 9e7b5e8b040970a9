#pragma once
// Request -> reply. Returns values and does no I/O of its own: storage goes through an
// ObservationStore that is opened on the first request needing it, so `hello` never touches the
// disk and a storage failure becomes a storage_error reply.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "app/catalog_startup.hpp"
#include "storage/active_catalog.hpp"
#include "catalog/catalog.hpp"
#include "catalog/choice.hpp"
#include "catalog/user_config.hpp"
#include "domain/timestamp.hpp"
#include "protocol/request.hpp"
#include "storage/observation_store.hpp"
#include "storage/catalog_install.hpp"
#include "storage/reminder_store.hpp"

namespace optguard {

class Dispatcher {
public:
    // Opens the store; throws storage::StorageError (or std::exception) on failure.
    using StoreOpener = std::function<std::unique_ptr<storage::ObservationStore>()>;

    // Opens the reminder records (issue 5); without one, reminder requests get storage_error.
    using ReminderStoreOpener = std::function<std::unique_ptr<storage::ReminderStore>()>;

    // Applies a choice to the user's config file and returns the configuration now in it; throws
    // catalog::CatalogError (the file is broken: config_invalid) or storage::StorageError.
    // Without one, set_choice answers storage_error.
    using ConfigSaver = std::function<catalog::UserConfig(const catalog::Choice&)>;

    // Installs a signed catalog release (storage/catalog_install.hpp); throws
    // catalog::ReleaseRejected or storage::StorageError. Without one, install_catalog answers
    // storage_error.
    using CatalogInstaller
        = std::function<storage::InstallOutcome(std::string_view bytes, std::string_view signature)>;

    Dispatcher(CatalogSource catalog, catalog::ConfigLoad config, StoreOpener open_store,
               ReminderStoreOpener open_reminders = {},
               ConfigSaver save_choice = {},
               CatalogInstaller install_catalog = {},
               std::filesystem::path policy_notice_dir = {});

    // Throws protocol::ProtocolError for every expected failure; a storage failure becomes
    // storage_error here and nowhere else.
    [[nodiscard]] nlohmann::json handle(const protocol::Request& request, const nlohmann::json& id,
                                        domain::TimePoint now);

private:
    // One handler per request type (docs/protocol.md); handle() visits them.
    [[nodiscard]] nlohmann::json answer(const protocol::HelloRequest& request,
                                        const nlohmann::json& id, domain::TimePoint now) const;
    [[nodiscard]] nlohmann::json answer(const protocol::CatalogRequest& request,
                                        const nlohmann::json& id, domain::TimePoint now);
    [[nodiscard]] nlohmann::json answer(const protocol::ReportRequest& request,
                                        const nlohmann::json& id, domain::TimePoint now);
    [[nodiscard]] nlohmann::json answer(const protocol::StatusRequest& request,
                                        const nlohmann::json& id, domain::TimePoint now);
    [[nodiscard]] nlohmann::json answer(const protocol::DueRequest& request,
                                        const nlohmann::json& id, domain::TimePoint now);
    [[nodiscard]] nlohmann::json answer(const protocol::SnoozeRequest& request,
                                        const nlohmann::json& id, domain::TimePoint now);
    [[nodiscard]] nlohmann::json answer(const protocol::AckRequest& request,
                                        const nlohmann::json& id, domain::TimePoint now);
    [[nodiscard]] nlohmann::json answer(const protocol::FiledRequest& request,
                                        const nlohmann::json& id, domain::TimePoint now);
    [[nodiscard]] nlohmann::json answer(const protocol::SetChoiceRequest& request,
                                        const nlohmann::json& id, domain::TimePoint now);
    [[nodiscard]] nlohmann::json answer(const protocol::InstallCatalogRequest& request,
                                        const nlohmann::json& id, domain::TimePoint now);
    [[nodiscard]] nlohmann::json answer(const protocol::PolicySeenRequest& request,
                                        const nlohmann::json& id, domain::TimePoint now);

    // The catalog_info object, or null when no catalog loaded.
    [[nodiscard]] nlohmann::json catalog_info(domain::TimePoint now) const;
    // Takes over a chosen catalog (at start, after a deferred load, after an install).
    void use(catalog::ActiveCatalog active);
    // The catalog with the user's config applied, loaded and computed on first use; throws
    // catalog_invalid / config_invalid.
    [[nodiscard]] const catalog::Catalog& effective_catalog();
    [[nodiscard]] storage::ObservationStore& store();
    [[nodiscard]] storage::ReminderStore& reminder_store();
    // Where the policy dates live (app/policy_notices.hpp); without it policy_seen answers
    // storage_error.
    std::filesystem::path policy_notice_dir_;

    catalog::CatalogLoad catalog_;
    catalog::CatalogInfo info_;          // what catalog_ is, when it loaded
    std::vector<std::string> notices_;   // installed releases passed over when it was chosen
    DeferredCatalog deferred_; // load is empty once catalog_ holds the result
    catalog::ConfigLoad config_;
    std::optional<catalog::Catalog> effective_;
    StoreOpener open_store_;
    std::unique_ptr<storage::ObservationStore> store_;
    ReminderStoreOpener open_reminders_;
    std::unique_ptr<storage::ReminderStore> reminder_store_;
    ConfigSaver save_choice_;
    CatalogInstaller install_catalog_;
};

} // namespace optguard
