#include "test_env.hpp"

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <sqlite3.h>
#include <sys/stat.h>

namespace optguard::itest {

namespace fs = std::filesystem;

namespace {

struct Db {
    sqlite3* handle = nullptr;
    explicit Db(const fs::path& file)
    {
        if (sqlite3_open_v2(file.c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            const std::string message = handle != nullptr ? sqlite3_errmsg(handle) : "no memory";
            sqlite3_close(handle);
            throw std::runtime_error("cannot open " + file.string() + ": " + message);
        }
        sqlite3_busy_timeout(handle, 5000);
    }
    ~Db() { sqlite3_close(handle); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    Db(Db&&) = delete;
    Db& operator=(Db&&) = delete;

    // All rows of the result, columns joined by '|', rows by '\n'.
    std::string query(const std::string& sql) const
    {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
            throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(handle));
        }
        std::string out;
        int rc = 0;
        while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
            if (!out.empty()) {
                out += '\n';
            }
            for (int i = 0; i < sqlite3_column_count(statement); ++i) {
                if (i > 0) {
                    out += '|';
                }
                const unsigned char* text = sqlite3_column_text(statement, i);
                out += text != nullptr ? reinterpret_cast<const char*>(text) : "NULL";
            }
        }
        sqlite3_finalize(statement);
        if (rc != SQLITE_DONE) {
            throw std::runtime_error(std::string("step: ") + sqlite3_errmsg(handle));
        }
        return out;
    }
};

} // namespace

TestEnv::TestEnv(fs::path catalog_dir)
{
    std::random_device random;
    for (int attempt = 0;; ++attempt) {
        root_ = fs::temp_directory_path()
            / ("optguard-it-" + std::to_string(random()) + std::to_string(random()));
        if (fs::create_directory(root_)) {
            break;
        }
        if (attempt > 100) {
            throw std::runtime_error("cannot create a temporary folder");
        }
    }
    env["XDG_STATE_HOME"] = (root_ / "state").string();
    env["XDG_CONFIG_HOME"] = (root_ / "config").string();
    env["XDG_CACHE_HOME"] = (root_ / "cache").string();
    env["XDG_DATA_HOME"] = (root_ / "data").string();
    env["OPTGUARD_CATALOG_DIR"] = catalog_dir.string();
}

TestEnv::~TestEnv()
{
    std::error_code ec;
    fs::remove_all(root_, ec);
}

void TestEnv::write_config(const std::string& text) const
{
    fs::create_directories(config_file().parent_path());
    std::ofstream(config_file(), std::ios::binary | std::ios::trunc) << text;
}

std::unique_ptr<HostProcess> TestEnv::start(std::vector<std::string> args)
{
    const fs::path log = root_ / ("stderr-" + std::to_string(started_++) + ".txt");
    return std::make_unique<HostProcess>(args, env, log);
}

CliRun TestEnv::run_cli(std::vector<std::string> args)
{
    return run_cli_as("", std::move(args));
}

CliRun TestEnv::run_cli_as(const std::string& name, std::vector<std::string> args)
{
    const std::string before = stderr_text();
    std::unique_ptr<HostProcess> host;
    if (name.empty()) {
        host = start(std::move(args));
    } else {
        const fs::path link = root_ / "bin" / name;
        fs::create_directories(link.parent_path());
        if (!fs::is_symlink(link)) {
            fs::create_symlink(OPTGUARD_TEST_HOST_EXE, link);
        }
        const fs::path log = root_ / ("stderr-" + std::to_string(started_++) + ".txt");
        host = std::make_unique<HostProcess>(args, env, log, link);
    }
    host->close_stdin();
    CliRun run;
    run.out = host->read_all();
    run.status = host->wait_exit();
    run.err = stderr_text().substr(before.size());
    return run;
}

std::string TestEnv::stderr_text() const
{
    std::string all;
    for (int i = 0; i < started_; ++i) {
        std::ifstream in(root_ / ("stderr-" + std::to_string(i) + ".txt"), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        all += text.str();
    }
    return all;
}

long long TestEnv::count_rows() const
{
    return std::stoll(Db(database()).query("SELECT count(*) FROM observations"));
}

std::string TestEnv::integrity_check() const
{
    return Db(database()).query("PRAGMA integrity_check");
}

std::string TestEnv::query_text(const std::string& sql) const
{
    return Db(database()).query(sql);
}

std::string staged_catalog_version()
{
    std::ifstream in(staged_catalog / "index.json", std::ios::binary);
    return nlohmann::json::parse(in).at("version").get<std::string>();
}

const nlohmann::json& linkedin_row(const nlohmann::json& status_settings)
{
    for (const auto& row : status_settings) {
        if (row.at("platform") == "linkedin" && row.at("setting") == "generative-ai-training") {
            return row;
        }
    }
    throw std::runtime_error("no linkedin/generative-ai-training row");
}

const nlohmann::json& linkedin_entry(const nlohmann::json& catalog)
{
    for (const auto& platform : catalog.at("platforms")) {
        if (platform.at("platform") == "linkedin") {
            for (const auto& setting : platform.at("settings")) {
                if (setting.at("id") == "generative-ai-training") {
                    return setting;
                }
            }
        }
    }
    throw std::runtime_error("no linkedin/generative-ai-training entry");
}

nlohmann::json linkedin_report(const nlohmann::json& id, const std::string& state,
                               const std::string& url)
{
    return {{"id", id},
            {"type", "report"},
            {"platform", "linkedin"},
            {"setting", "generative-ai-training"},
            {"state", state},
            {"url", url}};
}

unsigned mode_of(const std::filesystem::path& path)
{
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
        return 0;
    }
    return static_cast<unsigned>(info.st_mode & 07777);
}

} // namespace optguard::itest
