#include "util/json_text.hpp"

#include <string>

namespace optguard::util {

using json = nlohmann::json;

namespace {

// A SAX handler that ignores every value and only records why and where parsing failed. Used for a
// second pass once the non-throwing parse reported failure, to get a position for the message.
class FailureRecorder final : public nlohmann::json_sax<json> {
public:
    bool null() override { return true; }
    bool boolean(bool /*value*/) override { return true; }
    bool number_integer(number_integer_t /*value*/) override { return true; }
    bool number_unsigned(number_unsigned_t /*value*/) override { return true; }
    bool number_float(number_float_t /*value*/, const string_t& /*text*/) override { return true; }
    bool string(string_t& /*value*/) override { return true; }
    bool binary(binary_t& /*value*/) override { return true; }
    bool start_object(std::size_t /*elements*/) override { return true; }
    bool key(string_t& /*value*/) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t /*elements*/) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t position, const std::string& /*last_token*/,
                     const nlohmann::detail::exception& ex) override
    {
        byte = position;
        description = clean_description(ex.what());
        return false;
    }

    std::size_t byte = 0;
    std::string description = "not valid JSON";

private:
    // nlohmann's text is "[json.exception.parse_error.101] parse error at line 1, column 2:
    // syntax error while parsing value - invalid literal; last read: '...'". We compute line and
    // column ourselves and drop "last read", which can hold raw (even invalid UTF-8) input bytes.
    static std::string clean_description(std::string_view what)
    {
        std::string_view text = what;
        if (const auto colon = text.find(": "); colon != std::string_view::npos
            && text.substr(0, colon).find("parse error") != std::string_view::npos) {
            text.remove_prefix(colon + 2);
        }
        if (const auto last_read = text.find("; last read"); last_read != std::string_view::npos) {
            text = text.substr(0, last_read);
        }
        std::string out;
        for (const char c : text) {
            const auto u = static_cast<unsigned char>(c);
            out.push_back(u >= 0x20 && u < 0x7F ? c : '?');
        }
        return out.empty() ? std::string("not valid JSON") : out;
    }
};

} // namespace

JsonParseResult parse_json_text(std::string_view text, std::size_t max_depth)
{
    JsonParseResult result;
    bool too_deep = false;
    const auto limit = static_cast<int>(max_depth);
    // depth is the number of containers already open when an event fires; a container that starts
    // at depth `limit` would be the (limit+1)-th level.
    json::parser_callback_t callback = [&too_deep, limit](int depth, json::parse_event_t event,
                                                          json& /*parsed*/) {
        if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start)
            && depth >= limit) {
            too_deep = true;
            return false;
        }
        return !too_deep;
    };
    result.value = json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/false);

    if (too_deep) {
        result.value = json(json::value_t::discarded);
        JsonParseFailure failure;
        failure.description = "nested deeper than " + std::to_string(max_depth) + " levels";
        result.failure = failure;
        return result;
    }
    if (result.value.is_discarded()) {
        FailureRecorder recorder;
        (void)json::sax_parse(text.begin(), text.end(), &recorder);
        JsonParseFailure failure;
        failure.byte = recorder.byte;
        failure.position = line_column(text, recorder.byte);
        failure.description = recorder.description;
        result.failure = failure;
    }
    return result;
}

TextPosition line_column(std::string_view text, std::size_t byte) noexcept
{
    TextPosition position;
    if (byte == 0) {
        return position;
    }
    // nlohmann counts the offending byte itself, so the error sits at index byte-1.
    const std::size_t end = std::min(byte - 1, text.size());
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++position.line;
            line_start = i + 1;
        }
    }
    position.column = end - line_start + 1;
    return position;
}

std::string describe_value(const nlohmann::json& value, std::size_t max_chars)
{
    std::string text = value.dump(-1, ' ', /*ensure_ascii=*/true, json::error_handler_t::replace);
    if (text.size() > max_chars) {
        text.resize(max_chars);
        text += "...";
    }
    return text;
}

std::string quote(std::string_view text, std::size_t max_chars)
{
    return describe_value(json(std::string(text)), max_chars);
}

} // namespace optguard::util
