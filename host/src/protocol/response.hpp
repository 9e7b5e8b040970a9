#pragma once
// Typed result/error -> JSON reply, and the reply's serialisation with the size limit.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "protocol/error_code.hpp"

namespace optguard::protocol {

// {"id": id, "type": type, "ok": true}; handlers add their fields.
[[nodiscard]] nlohmann::json make_ok(const nlohmann::json& id, std::string_view type);

// {"id": id, "type": type, "ok": false, "error": {"code": ..., "message": ...}}. `type` is the
// request's type string, or null when the request had none.
// A non-empty `reason` is added as error.reason (install_catalog's refusals).
[[nodiscard]] nlohmann::json make_error(const nlohmann::json& id, const nlohmann::json& type,
                                        ErrorCode code, std::string_view message,
                                        std::string_view reason = {});

// Serialises a reply. Throws nlohmann::json::type_error (316) if a string in it is not valid UTF-8
// and ProtocolError(internal) if it is larger than max_response_bytes; Session turns both into an
// `internal` reply.
[[nodiscard]] std::string serialize_response(const nlohmann::json& response);

} // namespace optguard::protocol
