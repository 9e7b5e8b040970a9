#include "protocol/response.hpp"

#include "protocol/frame_io.hpp"

namespace optguard::protocol {

using json = nlohmann::json;

json make_ok(const json& id, std::string_view type)
{
    return {{"id", id}, {"type", type}, {"ok", true}};
}

json make_error(const json& id, const json& type, ErrorCode code, std::string_view message,
                std::string_view reason)
{
    json reply = {{"id", id},
                  {"type", type},
                  {"ok", false},
                  {"error", {{"code", to_string(code)}, {"message", message}}}};
    if (!reason.empty()) {
        reply["error"]["reason"] = reason;
    }
    return reply;
}

std::string serialize_response(const json& response)
{
    std::string text = response.dump(); // strict: invalid UTF-8 throws type_error.316
    if (text.size() > max_response_bytes) {
        throw ProtocolError(ErrorCode::internal,
                            "response of " + std::to_string(text.size())
                                + " bytes exceeds the limit of "
                                + std::to_string(max_response_bytes));
    }
    return text;
}

} // namespace optguard::protocol
