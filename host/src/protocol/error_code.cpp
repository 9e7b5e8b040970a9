#include "protocol/error_code.hpp"

#include <utility>

namespace optguard::protocol {

namespace {

struct CodeName {
    ErrorCode code;
    std::string_view name;
};

constexpr std::array<CodeName, all_error_codes.size()> code_names = {{
    {ErrorCode::bad_json, "bad_json"},
    {ErrorCode::bad_request, "bad_request"},
    {ErrorCode::unknown_type, "unknown_type"},
    {ErrorCode::unknown_setting, "unknown_setting"},
    {ErrorCode::too_large, "too_large"},
    {ErrorCode::bad_frame, "bad_frame"},
    {ErrorCode::forbidden_origin, "forbidden_origin"},
    {ErrorCode::catalog_invalid, "catalog_invalid"},
    {ErrorCode::catalog_rejected, "catalog_rejected"},
    {ErrorCode::config_invalid, "config_invalid"},
    {ErrorCode::storage_error, "storage_error"},
    {ErrorCode::internal, "internal"},
}};

} // namespace

std::string_view to_string(ErrorCode code) noexcept
{
    for (const auto& entry : code_names) {
        if (entry.code == code) {
            return entry.name;
        }
    }
    return "internal";
}

std::optional<ErrorCode> error_code_from_string(std::string_view text) noexcept
{
    for (const auto& entry : code_names) {
        if (entry.name == text) {
            return entry.code;
        }
    }
    return std::nullopt;
}

ProtocolError::ProtocolError(ErrorCode code, const std::string& message, std::string reason)
    : std::runtime_error(message)
    , code_(code)
    , reason_(std::move(reason))
{
}

} // namespace optguard::protocol
