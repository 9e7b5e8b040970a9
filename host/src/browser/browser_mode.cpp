#include "browser/browser_mode.hpp"

#include <csignal>
#include <string>

#include "browser/caller_check.hpp"
#include "browser/host_log.hpp"
#include "app/catalog_startup.hpp"
#include "catalog/catalog.hpp"
#include "catalog/user_config.hpp"
#include "browser/dispatcher.hpp"
#include "os/paths.hpp"
#include "os/standard_streams.hpp"
#include "protocol/frame_io.hpp"
#include "protocol/response.hpp"
#include "browser/session.hpp"
#include "storage/catalog_cache.hpp"
#include "storage/catalog_install.hpp"
#include "storage/reminder_store.hpp"
#include "storage/config_file.hpp"
#include "storage/state_store.hpp"

namespace optguard {

int run_browser_mode(std::span<const std::string_view> args)
{
    protocol::use_binary_stdio();
#ifdef SIGPIPE // Windows has none: a write to a closed pipe fails there
    // A closed port must show up as a failed write we can log, not as death by SIGPIPE.
    (void)std::signal(SIGPIPE, SIG_IGN); // cannot fail for a valid signal number
#endif
    // Frames and log lines go through os/standard_streams.hpp, never std::cin/cout/cerr: a C++
    // stream would set up the locale at every start (util/byte_channel.hpp).
    util::ByteSink& log = os::standard_error();

    if (!is_allowed_caller(args, default_allow_list())) {
        log_line(log, "refusing caller ", describe_caller(args));
        const std::string reply = protocol::serialize_response(protocol::make_error(
            nullptr, nullptr, protocol::ErrorCode::forbidden_origin,
            "this host serves only the OptGuard extension"));
        (void)protocol::write_frame(os::standard_output(), reply);
        return 1;
    }

    const os::EnvLookup env = os::process_environment();
    const std::filesystem::path executable = os::current_executable();
    const catalog::CatalogPlaces places = catalog::catalog_places(env, executable);
    CatalogSource catalog = startup_catalog(places, catalog_cache_file(env),
                                            storage::host_identity(executable), log);
    if (const auto* active = std::get_if<catalog::ActiveCatalog>(&catalog); active != nullptr) {
        for (const auto& notice : active->notices) {
            log_line(log, "catalog: ", notice);
        }
        if (!active->load.error.empty()) {
            log_line(log, "catalog: ", active->load.error);
        }
    }
    catalog::ConfigLoad config;
    try {
        config = storage::load_user_config(os::config_file(env));
    } catch (const std::exception& error) {
        config.error = error.what();
    }
    if (!config.error.empty()) {
        log_line(log, "config: ", config.error);
    }

    Dispatcher dispatcher(std::move(catalog), std::move(config),
                          [env]() -> std::unique_ptr<storage::ObservationStore> {
                              return storage::StateStore::open(os::state_dir(env));
                          },
                          [env]() -> std::unique_ptr<storage::ReminderStore> {
                              return storage::SqliteReminderStore::open(os::state_dir(env));
                          },
                          [env](const catalog::Choice& choice) {
                              return storage::save_choice(os::config_file(env), choice);
                          },
                          [places](std::string_view bytes, std::string_view signature) {
                              return storage::install_release(places, bytes, signature);
                          },
                          os::state_dir(env));
    Session session(os::standard_input(), os::standard_output(), log, dispatcher, system_now);
    return session.run();
}

} // namespace optguard
