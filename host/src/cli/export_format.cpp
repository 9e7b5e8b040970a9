#include "cli/export_format.hpp"

#include <map>
#include <set>

#include <nlohmann/json.hpp>

namespace optguard::cli {

using json = nlohmann::json;

namespace {

// Markdown table cell: pipes escaped, line breaks flattened.
std::string md_cell(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string format_json(const std::vector<ExportRow>& rows, const ExportMeta& meta)
{
    json records = json::array();
    for (const auto& row : rows) {
        const auto& o = row.observation;
        records.push_back({{"platform", o.platform},
                           {"setting", o.setting},
                           {"title", row.title},
                           {"state", domain::to_string(o.state)},
                           {"verdict", domain::to_string(o.verdict)},
                           {"expected", domain::to_string(o.expected)},
                           {"verified_at", domain::format_utc_iso8601(o.observed_at)},
                           {"url", o.url},
                           {"policy_source", row.policy_source}});
    }
    return json {{"generated_at", domain::format_utc_iso8601(meta.generated_at)},
                 {"generator", "optguard-host " + meta.host_version},
                 {"catalog_version", meta.catalog_version},
                 {"records", std::move(records)}}
               .dump(2)
        + "\n";
}

std::string format_csv(const std::vector<ExportRow>& rows)
{
    std::string out = "platform,setting,title,state,verdict,expected,verified_at,url,policy_source\r\n";
    for (const auto& row : rows) {
        const auto& o = row.observation;
        out += csv_field(o.platform) + ',' + csv_field(o.setting) + ',' + csv_field(row.title) + ','
            + std::string(domain::to_string(o.state)) + ','
            + std::string(domain::to_string(o.verdict)) + ','
            + std::string(domain::to_string(o.expected)) + ','
            + domain::format_utc_iso8601(o.observed_at) + ',' + csv_field(o.url) + ','
            + csv_field(row.policy_source) + "\r\n";
    }
    return out;
}

std::string format_md(const std::vector<ExportRow>& rows, const ExportMeta& meta)
{
    // The newest check of each setting, for the summary.
    std::map<std::pair<std::string, std::string>, const ExportRow*> latest;
    for (const auto& row : rows) {
        latest[{row.observation.platform, row.observation.setting}] = &row; // rows are oldest first
    }
    std::size_t violations = 0;
    for (const auto& [key, row] : latest) {
        violations += row->observation.verdict == domain::Verdict::violation ? 1 : 0;
    }
    std::string out = "# AI-training opt-out verification record\n\n";
    out += "Generated " + domain::format_utc_iso8601(meta.generated_at) + " by optguard-host "
        + meta.host_version + " (catalog " + meta.catalog_version + ").\n\n";
    out += "## What was checked\n\n"
           "OptGuard read the state of each platform's \"use my data to train AI\" control on the "
           "platform's own settings page, in the user's browser, and compared it with the state "
           "that keeps the data out of AI training (the *expected* column). Each row below is one "
           "such reading: when it was made, the page it was made on, the state found and the "
           "verdict. Nothing else was recorded: no page content and no personal data.\n\n";
    out += "## Summary\n\n";
    if (latest.empty()) {
        out += "No verification has been recorded yet.\n\n";
    } else {
        out += std::to_string(latest.size()) + " setting(s) checked, " + std::to_string(rows.size())
            + " reading(s) in total; at the latest reading " + std::to_string(violations)
            + " setting(s) allowed AI training and "
            + std::to_string(latest.size() - violations) + " did not or could not be read.\n\n";
        out += "| platform | setting | latest state | verdict | verified at (UTC) |\n";
        out += "| --- | --- | --- | --- | --- |\n";
        for (const auto& [key, row] : latest) {
            const auto& o = row->observation;
            out += "| " + md_cell(row->platform_name) + " | " + md_cell(row->title) + " | "
                + std::string(domain::to_string(o.state)) + " | "
                + std::string(domain::to_string(o.verdict)) + " | "
                + domain::format_utc_iso8601(o.observed_at) + " |\n";
        }
        out += "\n";
    }
    out += "## History\n\n";
    out += "| verified at (UTC) | platform | setting | state | expected | verdict | page | policy source |\n";
    out += "| --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for (const auto& row : rows) {
        const auto& o = row.observation;
        out += "| " + domain::format_utc_iso8601(o.observed_at) + " | " + md_cell(row.platform_name)
            + " | " + md_cell(row.title) + " | " + std::string(domain::to_string(o.state)) + " | "
            + std::string(domain::to_string(o.expected)) + " | "
            + std::string(domain::to_string(o.verdict)) + " | " + md_cell(o.url) + " | "
            + md_cell(row.policy_source) + " |\n";
    }
    return out;
}

} // namespace

std::optional<ExportFormat> export_format_from_string(std::string_view text) noexcept
{
    if (text == "json") {
        return ExportFormat::json;
    }
    if (text == "csv") {
        return ExportFormat::csv;
    }
    if (text == "md") {
        return ExportFormat::md;
    }
    return std::nullopt;
}

std::string csv_field(std::string_view text)
{
    std::string value(text);
    if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@')) {
        value.insert(value.begin(), '\'');
    }
    if (value.find_first_of(",\"\r\n") == std::string::npos) {
        return value;
    }
    std::string out = "\"";
    for (const char c : value) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

std::string format_export(ExportFormat format, const std::vector<ExportRow>& rows,
                          const ExportMeta& meta)
{
    switch (format) {
    case ExportFormat::json: return format_json(rows, meta);
    case ExportFormat::csv: return format_csv(rows);
    case ExportFormat::md: return format_md(rows, meta);
    }
    return {};
}

} // namespace optguard::cli
