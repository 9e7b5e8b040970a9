#pragma once
// Non-throwing JSON parsing with a nesting limit and a readable error position, shared by the
// protocol (request frames) and the catalog/config loaders.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace optguard::util {

inline constexpr std::size_t max_json_depth = 64;

struct TextPosition {
    std::size_t line = 1;   // 1-based
    std::size_t column = 1; // 1-based, in bytes
};

struct JsonParseFailure {
    TextPosition position;
    std::size_t byte = 0;     // 1-based offset of the byte where parsing stopped (0 if unknown)
    std::string description;  // ASCII-only, e.g. "syntax error while parsing value - invalid literal"
};

struct JsonParseResult { // NOLINT(bugprone-exception-escape): see .clang-tidy
    nlohmann::json value;                    // discarded if failure is set
    std::optional<JsonParseFailure> failure; // set when the text is not JSON or nests too deeply
};

// Parses `text` without exceptions and without recursion proportional to the input: nlohmann's
// parser keeps its own stack, and a callback stops building values nested deeper than max_depth.
// Invalid UTF-8 in strings is a parse failure (nlohmann's lexer checks it).
[[nodiscard]] JsonParseResult parse_json_text(std::string_view text,
                                              std::size_t max_depth = max_json_depth);

// Line and column of a 1-based byte offset as nlohmann reports it.
[[nodiscard]] TextPosition line_column(std::string_view text, std::size_t byte) noexcept;

// A short ASCII rendering of a value for error messages: never throws on invalid UTF-8 and never
// carries raw bytes of the input into a reply.
[[nodiscard]] std::string describe_value(const nlohmann::json& value, std::size_t max_chars = 60);

// Quotes a string for a message, ASCII-escaped and shortened like describe_value.
[[nodiscard]] std::string quote(std::string_view text, std::size_t max_chars = 60);

} // namespace optguard::util
