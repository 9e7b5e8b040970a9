#include "browser/session.hpp"

#include <nlohmann/json.hpp>

#include "browser/host_log.hpp"
#include "protocol/error_code.hpp"
#include "protocol/frame_io.hpp"
#include "protocol/request.hpp"
#include "protocol/response.hpp"

namespace optguard {

using json = nlohmann::json;
using protocol::ErrorCode;

namespace {

// The last resort if even an error reply cannot be serialised (it is all ASCII we wrote).
constexpr std::string_view fallback_internal_reply =
    R"({"id":null,"type":null,"ok":false,"error":{"code":"internal","message":"internal error; see the host's log"}})";

std::string error_reply(const json& id, const json& type, ErrorCode code, std::string_view message,
                        std::string_view reason = {})
{
    try {
        return protocol::serialize_response(protocol::make_error(id, type, code, message, reason));
    } catch (...) {
        return std::string(fallback_internal_reply);
    }
}

} // namespace

Session::Session(util::ByteSource& in, util::ByteSink& out, util::ByteSink& log,
                 Dispatcher& dispatcher, Clock clock)
    : in_(in)
    , out_(out)
    , log_(log)
    , dispatcher_(dispatcher)
    , clock_(std::move(clock))
{
}

// NOLINTNEXTLINE(bugprone-exception-escape): a false positive, see .clang-tidy
std::string Session::handle_frame(std::string_view body) noexcept
{
    json id = nullptr;
    json type = nullptr;
    try {
        const json message = protocol::parse_message(body);
        id = protocol::parse_id(message);
        type = protocol::parse_type(message);
        const protocol::Request request
            = protocol::parse_request(type.get_ref<const std::string&>(), message);
        const domain::TimePoint now = clock_();
        return protocol::serialize_response(dispatcher_.handle(request, id, now));
    } catch (const protocol::ProtocolError& error) {
        if (error.code() == ErrorCode::internal) {
            log_line(log_, "internal error: ", error.what());
            return error_reply(id, type, ErrorCode::internal, "internal error; see the host's log");
        }
        return error_reply(id, type, error.code(), error.what(), error.reason());
    } catch (const json::type_error& error) {
        // 316: a reply string was not valid UTF-8. Our messages are ASCII, so this is a bug.
        log_line(log_, "cannot serialise the reply: ", error.what());
        return error_reply(id, type, ErrorCode::internal, "internal error; see the host's log");
    } catch (const std::exception& error) {
        log_line(log_, "internal error: ", error.what());
        return error_reply(id, type, ErrorCode::internal, "internal error; see the host's log");
    } catch (...) {
        log_line(log_, "internal error: ", "unknown exception");
        return error_reply(id, type, ErrorCode::internal, "internal error; see the host's log");
    }
}

bool Session::send(const std::string& reply)
{
    if (!protocol::write_frame(out_, reply)) {
        log_line(log_, "cannot write to stdout; the browser closed the port");
        return false;
    }
    return true;
}

int Session::run()
{
    for (;;) {
        protocol::FrameReadResult frame = protocol::read_frame(in_);
        switch (frame.status) {
        case protocol::ReadStatus::frame:
            if (!send(handle_frame(frame.body))) {
                return 1;
            }
            break;
        case protocol::ReadStatus::end_of_input:
            return 0;
        case protocol::ReadStatus::too_large: {
            // The rest of the frame is still in the pipe and we cannot skip it safely: answer, stop.
            const std::string message = "frame of " + std::to_string(frame.declared_length)
                + " bytes exceeds the limit of " + std::to_string(protocol::max_request_bytes);
            log_line(log_, message);
            return send(error_reply(nullptr, nullptr, ErrorCode::too_large, message)) ? 0 : 1;
        }
        case protocol::ReadStatus::truncated_header: {
            const std::string message = "input ended inside a frame header after "
                + std::to_string(frame.bytes_received) + " of 4 bytes";
            log_line(log_, message);
            return send(error_reply(nullptr, nullptr, ErrorCode::bad_frame, message)) ? 0 : 1;
        }
        case protocol::ReadStatus::truncated_body: {
            const std::string message = "input ended inside a frame after "
                + std::to_string(frame.bytes_received) + " of "
                + std::to_string(frame.declared_length) + " bytes";
            log_line(log_, message);
            return send(error_reply(nullptr, nullptr, ErrorCode::bad_frame, message)) ? 0 : 1;
        }
        }
    }
}

} // namespace optguard
