#pragma once
// A private world per test: temp XDG_STATE_HOME and XDG_CONFIG_HOME, a catalog folder, and helpers
// to start hosts in it and to look into the state database afterwards.

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host_process.hpp"

namespace optguard::itest {

inline const std::filesystem::path staged_catalog = OPTGUARD_TEST_STAGED_CATALOG;
inline const std::filesystem::path fixture_catalogs
    = std::filesystem::path(OPTGUARD_TEST_FIXTURES) / "catalogs";
inline constexpr const char* linkedin_page
    = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement";

// What one command-line run of the host printed, and how it ended.
struct CliRun {
    std::string out;
    std::string err; // this run's stderr only
    std::optional<int> status;
};

class TestEnv {
public:
    explicit TestEnv(std::filesystem::path catalog_dir = staged_catalog);
    ~TestEnv();
    TestEnv(const TestEnv&) = delete;
    TestEnv& operator=(const TestEnv&) = delete;
    TestEnv(TestEnv&&) = delete;
    TestEnv& operator=(TestEnv&&) = delete;

    [[nodiscard]] const std::filesystem::path& root() const { return root_; }
    [[nodiscard]] std::filesystem::path state_dir() const { return root_ / "state" / "optguard"; }
    [[nodiscard]] std::filesystem::path database() const { return state_dir() / "state.sqlite3"; }
    [[nodiscard]] std::filesystem::path config_file() const
    {
        return root_ / "config" / "optguard" / "config.json";
    }
    void write_config(const std::string& text) const;

    // A host launched the way Chrome launches it (or with other argv).
    std::unique_ptr<HostProcess> start(std::vector<std::string> args = {chrome_origin});
    // What the hosts started so far wrote to stderr.
    [[nodiscard]] std::string stderr_text() const;
    // The host as a person runs it (`optguard-host ARGS`, no stdin), to its exit.
    CliRun run_cli(std::vector<std::string> args);
    // The same through a link named `name` to the host (as the installer's `optguard` link).
    CliRun run_cli_as(const std::string& name, std::vector<std::string> args);

    // Direct look into the database (the test's own SQLite connection).
    [[nodiscard]] long long count_rows() const;
    [[nodiscard]] std::string integrity_check() const;
    [[nodiscard]] std::string query_text(const std::string& sql) const;

    std::map<std::string, std::string> env;

private:
    std::filesystem::path root_;
    int started_ = 0;
};

// A file's permission bits (lstat: a link's own), or 0 if it does not exist.
unsigned mode_of(const std::filesystem::path& path);

// The version in the staged catalog's index.json (the catalog changes independently of these tests).
std::string staged_catalog_version();

// The row (or catalog entry) of LinkedIn's training toggle in a `status` settings array or a
// `catalog` reply; throws if it is missing.
const nlohmann::json& linkedin_row(const nlohmann::json& status_settings);
const nlohmann::json& linkedin_entry(const nlohmann::json& catalog);

// A report request for LinkedIn's training toggle.
nlohmann::json linkedin_report(const nlohmann::json& id, const std::string& state,
                               const std::string& url = linkedin_page);

} // namespace optguard::itest
