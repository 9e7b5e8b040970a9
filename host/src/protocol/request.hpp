#pragma once
// Frame body -> typed request. Only JSON shape, types and enum values are checked here; whether a
// platform/setting exists or a URL matches its pages is the dispatcher's job (it has the catalog).

#include <chrono>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "domain/choice.hpp"
#include "domain/verdict.hpp"

namespace optguard::protocol {

inline constexpr std::size_t max_id_chars = 128;

struct HelloRequest {};
struct CatalogRequest {};
struct StatusRequest {};
struct ReportRequest {
    std::string platform;
    std::string setting;
    domain::State state = domain::State::unknown;
    std::string url;
};

// Reminders (issue 5). Whether the platform/setting exists is the dispatcher's check.
struct DueRequest {};
struct SnoozeRequest {
    std::string platform;
    std::string setting;
    std::chrono::milliseconds duration {}; // parsed from "1d", "1w", "7d", "12h", ...
};
struct AckRequest {
    std::string platform;
    std::string setting;
};
struct FiledRequest {
    std::string platform;
    std::string setting;
    std::string date; // a calendar date YYYY-MM-DD; "not in the future" needs the clock: dispatcher
};

// set_choice: the person's watch / expected choice for one setting (docs/protocol.md).
struct SetChoiceRequest {
    domain::Choice choice;
};

// install_catalog: a signed catalog release the extension fetched (docs/protocol.md).
struct InstallCatalogRequest {
    std::string catalog;   // the release file's exact bytes (from `catalog` or `catalog_base64`)
    std::string signature; // the minisign signature file's text
};

// --- policy_seen: a policy document's date the member saw on its page (docs/protocol.md) ---
struct PolicySeenRequest {
    std::string platform;
    std::string document;
    std::string effective_date; // a calendar date; "not in the future" needs the clock
};
// --- end policy_seen ---

using Request = std::variant<HelloRequest, CatalogRequest, ReportRequest, StatusRequest,
                             DueRequest, SnoozeRequest, AckRequest, FiledRequest,
                             SetChoiceRequest, InstallCatalogRequest, PolicySeenRequest>;

// Step 1: the frame body must be a JSON object (UTF-8, nesting <= 64). Throws ProtocolError(bad_json).
[[nodiscard]] nlohmann::json parse_message(std::string_view body);

// Step 2: `id` must be a string of at most 128 characters or an integer. Throws
// ProtocolError(bad_request); the reply then carries "id": null.
[[nodiscard]] nlohmann::json parse_id(const nlohmann::json& message);

// Step 3: `type` must be a string. Throws ProtocolError(bad_request).
[[nodiscard]] std::string parse_type(const nlohmann::json& message);

// Step 4: the type-specific fields. Throws ProtocolError(unknown_type or bad_request). Unknown extra
// fields are ignored.
[[nodiscard]] Request parse_request(std::string_view type, const nlohmann::json& message);

} // namespace optguard::protocol
