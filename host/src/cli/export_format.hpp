#pragma once
// Pure: the verification history as JSON, CSV or Markdown (`optguard export`, issue 5). Only the
// enumerated fields the host stores are in it: setting, state, verdict, time, page URL without
// query; never page content or personal data.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/timestamp.hpp"
#include "storage/observation_store.hpp"

namespace optguard::cli {

enum class ExportFormat { json, csv, md };
[[nodiscard]] std::optional<ExportFormat> export_format_from_string(std::string_view text) noexcept;

struct ExportRow {
    storage::Observation observation;
    std::string platform_name; // from the catalog; the id if the catalog no longer has it
    std::string title;
    std::string policy_source; // the vendor's page the catalog's facts come from
};

struct ExportMeta {
    domain::TimePoint generated_at;
    std::string catalog_version;
    std::string host_version;
};

[[nodiscard]] std::string format_export(ExportFormat format, const std::vector<ExportRow>& rows,
                                        const ExportMeta& meta);

// RFC 4180: quoted when it holds a comma, quote, CR or LF; a leading = + - @ is prefixed with '
// so a spreadsheet does not run it as a formula.
[[nodiscard]] std::string csv_field(std::string_view text);

} // namespace optguard::cli
