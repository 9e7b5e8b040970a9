#pragma once
// Pure: the known-good state of a setting and the state a page showed -> a verdict. No I/O.

#include <optional>
#include <string_view>

namespace optguard::domain {

// What the content script read on the page.
enum class State { on, off, unknown };
// The known-good state from the catalog (or the user's override).
enum class Expected { on, off };
enum class Verdict { compliant, violation, unknown };

[[nodiscard]] std::string_view to_string(State state) noexcept;
[[nodiscard]] std::string_view to_string(Expected expected) noexcept;
[[nodiscard]] std::string_view to_string(Verdict verdict) noexcept;

[[nodiscard]] std::optional<State> state_from_string(std::string_view text) noexcept;
[[nodiscard]] std::optional<Expected> expected_from_string(std::string_view text) noexcept;
[[nodiscard]] std::optional<Verdict> verdict_from_string(std::string_view text) noexcept;

// compliant when the page shows the known-good state, violation when it shows the other one,
// unknown when the page could not be read.
[[nodiscard]] Verdict compute_verdict(Expected expected, State reported) noexcept;

} // namespace optguard::domain
