#pragma once
// The protocol's error codes: one enum, one code <-> wire string table (docs/protocol.md).

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace optguard::protocol {

enum class ErrorCode {
    bad_json,
    bad_request,
    unknown_type,
    unknown_setting,
    too_large,
    bad_frame,
    forbidden_origin,
    catalog_invalid,
    catalog_rejected,
    config_invalid,
    storage_error,
    internal,
};

inline constexpr std::array all_error_codes = {
    ErrorCode::bad_json,        ErrorCode::bad_request,     ErrorCode::unknown_type,
    ErrorCode::unknown_setting, ErrorCode::too_large,       ErrorCode::bad_frame,
    ErrorCode::forbidden_origin, ErrorCode::catalog_invalid, ErrorCode::catalog_rejected,
    ErrorCode::config_invalid,  ErrorCode::storage_error,   ErrorCode::internal,
};

[[nodiscard]] std::string_view to_string(ErrorCode code) noexcept;
[[nodiscard]] std::optional<ErrorCode> error_code_from_string(std::string_view text) noexcept;

// The one exception type of parsing and validation. Caught only in Session, which turns it into an
// error reply that echoes the request's id and type.
class ProtocolError : public std::runtime_error {
public:
    // `reason` (may be empty) goes on the wire as error.reason: why a catalog was rejected.
    ProtocolError(ErrorCode code, const std::string& message, std::string reason = {});
    [[nodiscard]] ErrorCode code() const noexcept { return code_; }
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

private:
    ErrorCode code_;
    std::string reason_;
};

} // namespace optguard::protocol
