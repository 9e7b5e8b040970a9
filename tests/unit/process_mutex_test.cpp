// The writers' queue (os/process_mutex.hpp, storage/write_gate.hpp): one writer at a time across
// processes, handed on to the one that waited, a turn that does not come in time is a clear
// storage error, a holder killed with SIGKILL blocks no one, and a lock file that is not one is
// left alone. Linux only (elsewhere there is no such mutex and writers poll, as before).
#include <doctest/doctest.h>

#if defined(__linux__)

#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <new>
#include <vector>
#include <string>
#include <thread>

#include <sched.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "os/process_mutex.hpp"
#include "storage/state_store.hpp"
#include "storage/write_gate.hpp"
#include "test_support.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using namespace std::chrono_literals;
using os::ProcessMutex;
using test::TempDir;

namespace {

std::unique_ptr<ProcessMutex> open_mutex(const std::filesystem::path& file)
{
    auto opened = ProcessMutex::open(file);
    INFO(opened.problem);
    REQUIRE(opened.mutex);
    CHECK(opened.problem.empty());
    return std::move(opened.mutex);
}

// A child that takes the mutex, says so on a pipe, and holds it until killed.
class Holder {
public:
    explicit Holder(const std::filesystem::path& file)
    {
        int ends[2];
        REQUIRE(::pipe(ends) == 0);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::close(ends[0]);
            auto opened = ProcessMutex::open(file);
            if (!opened.mutex || opened.mutex->lock(5s) != ProcessMutex::Lock::acquired) {
                ::_exit(1);
            }
            const char held = 'h';
            (void)!::write(ends[1], &held, 1);
            for (;;) {
                ::pause();
            }
        }
        ::close(ends[1]);
        char held = 0;
        REQUIRE(::read(ends[0], &held, 1) == 1);
        ::close(ends[0]);
    }
    ~Holder() { kill(); }
    Holder(const Holder&) = delete;
    Holder& operator=(const Holder&) = delete;
    Holder(Holder&&) = delete;
    Holder& operator=(Holder&&) = delete;

    void kill()
    {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
    }

private:
    pid_t pid_ = -1;
};

} // namespace

TEST_CASE("the process mutex lets one process at a time in")
{
    const TempDir dir;
    const auto file = dir.path() / "lock";
    // Counted with a read, a pause and a write: any two processes inside at once lose a count, and
    // `inside` sees them.
    struct Tally {
        std::atomic<int> count {0};
        std::atomic<int> inside {0};
        std::atomic<int> overlaps {0};
    };
    void* memory = ::mmap(nullptr, sizeof(Tally), PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(memory != MAP_FAILED);
    auto* tally = new (memory) Tally;
    constexpr int processes = 6;
    constexpr int rounds = 300;
    std::vector<pid_t> children;
    for (int p = 0; p < processes; ++p) {
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            auto opened = ProcessMutex::open(file); // each opens (and maybe creates) it itself
            if (!opened.mutex) {
                ::_exit(2);
            }
            for (int i = 0; i < rounds; ++i) {
                if (opened.mutex->lock(10s) != ProcessMutex::Lock::acquired) {
                    ::_exit(3);
                }
                if (tally->inside.fetch_add(1) != 0) {
                    tally->overlaps.fetch_add(1);
                }
                const int seen = tally->count.load();
                ::sched_yield();
                tally->count.store(seen + 1);
                tally->inside.fetch_sub(1);
                opened.mutex->unlock();
            }
            ::_exit(0);
        }
        children.push_back(pid);
    }
    for (const pid_t pid : children) {
        int status = -1;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    CHECK(tally->overlaps == 0);
    CHECK(tally->count == processes * rounds);
    tally->~Tally();
    ::munmap(memory, sizeof(Tally));

    struct stat info {};
    REQUIRE(::stat(file.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777U) == 0600U);
}

TEST_CASE("the holder's release hands the mutex to the process waiting for it")
{
    // The holder gives the mutex back and at once asks for it again, as a host does that writes
    // report after report. A process already waiting must get it first; an ordinary futex mutex
    // lets the holder take it back while the woken waiter is still getting a CPU.
    const TempDir dir;
    const auto file = dir.path() / "lock";
    const auto mutex = open_mutex(file);
    REQUIRE(mutex->lock(5s) == ProcessMutex::Lock::acquired);

    // Who had it after the holder let go: 1 = the waiter, 2 = the holder again.
    void* memory = ::mmap(nullptr, sizeof(std::atomic<int>) * 2, PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(memory != MAP_FAILED);
    auto* order = new (memory) std::array<std::atomic<int>, 2> {};
    std::atomic<int>& next = (*order)[0];
    std::atomic<int>& waiter_got = (*order)[1];
    const pid_t waiter = ::fork();
    REQUIRE(waiter >= 0);
    if (waiter == 0) {
        auto opened = ProcessMutex::open(file);
        if (!opened.mutex || opened.mutex->lock(10s) != ProcessMutex::Lock::acquired) {
            ::_exit(1);
        }
        waiter_got = next.fetch_add(1) + 1;
        opened.mutex->unlock();
        ::_exit(0);
    }
    // Until the waiter sleeps in the kernel on the mutex (its system call is futex).
    const std::string waiting_call = std::to_string(SYS_futex) + " ";
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
        std::ifstream in("/proc/" + std::to_string(waiter) + "/syscall");
        std::string call;
        std::getline(in, call);
        if (call.starts_with(waiting_call)) {
            break;
        }
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(1ms);
    }
    mutex->unlock();
    REQUIRE(mutex->lock(10s) == ProcessMutex::Lock::acquired);
    const int holder_got = next.fetch_add(1) + 1;
    mutex->unlock();
    int status = -1;
    REQUIRE(::waitpid(waiter, &status, 0) == waiter);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(waiter_got.load() == 1);
    CHECK(holder_got == 2);
    ::munmap(memory, sizeof(std::atomic<int>) * 2);
}

TEST_CASE("a process mutex held too long times out, its holder killed with SIGKILL blocks no one")
{
    const TempDir dir;
    const auto file = dir.path() / "lock";
    const auto mutex = open_mutex(file);
    Holder holder(file);

    const auto start = std::chrono::steady_clock::now();
    CHECK(mutex->lock(200ms) == ProcessMutex::Lock::timed_out);
    const auto waited = std::chrono::steady_clock::now() - start;
    CHECK(waited >= 200ms);
    CHECK(waited < 3s);

    holder.kill(); // dies holding it
    REQUIRE(mutex->lock(2s) == ProcessMutex::Lock::acquired);
    mutex->unlock();
    // Consistent again: taken and given back as usual.
    REQUIRE(mutex->lock(2s) == ProcessMutex::Lock::acquired);
    mutex->unlock();
}

TEST_CASE("a write whose turn does not come in time fails with a clear storage error")
{
    const TempDir dir;
    auto store = storage::StateStore::open(dir.path() / "s");
    REQUIRE(store->writes().queues());
    const auto lock_file = dir.path() / "s" / (std::string(storage::database_file_name)
                                               + storage::write_lock_suffix);
    REQUIRE(std::filesystem::exists(lock_file));

    // A gate like the store's, with a short limit, on the same database and lock file.
    storage::WriteGate gate(store->connection(), lock_file, 300ms);
    REQUIRE(gate.queues());
    Holder holder(lock_file);
    bool ran = false;
    try {
        gate.write([&ran] { ran = true; });
        FAIL("the write ran while another process had the turn");
    } catch (const storage::StorageError& error) {
        const std::string message = error.what();
        CHECK(message.find("state.sqlite3") != std::string::npos);
        CHECK(message.find("another OptGuard process is still writing") != std::string::npos);
        CHECK(message.find("nothing was written") != std::string::npos);
    }
    CHECK_FALSE(ran);

    holder.kill();
    gate.write([&ran] { ran = true; });
    CHECK(ran);
}

TEST_CASE("a lock file that is not one is left alone, one of an earlier boot or half made is made again")
{
    const TempDir dir;

    SUBCASE("another size")
    {
        const auto file = dir.write("lock", "not a lock file");
        const auto opened = ProcessMutex::open(file);
        CHECK_FALSE(opened.mutex);
        CHECK(opened.problem.find(file.string()) != std::string::npos);
        CHECK(opened.problem.find("left as it is") != std::string::npos);
        std::string text(64, '\0');
        std::FILE* in = std::fopen(file.c_str(), "rb");
        REQUIRE(in != nullptr);
        text.resize(std::fread(text.data(), 1, text.size(), in));
        std::fclose(in);
        CHECK(text == "not a lock file");
    }
    SUBCASE("another header")
    {
        const auto file = dir.path() / "lock";
        open_mutex(file);
        const auto size = std::filesystem::file_size(file);
        dir.write("lock", std::string(size, 'x'));
        const auto opened = ProcessMutex::open(file);
        CHECK_FALSE(opened.mutex);
        CHECK(opened.problem.find("not a file of this version") != std::string::npos);
        CHECK(std::filesystem::file_size(file) == size);
    }
    SUBCASE("half made: the right size, nothing written")
    {
        const auto file = dir.path() / "lock";
        open_mutex(file);
        dir.write("lock", std::string(std::filesystem::file_size(file), '\0'));
        const auto mutex = open_mutex(file);
        CHECK(mutex->lock(1s) == ProcessMutex::Lock::acquired);
        mutex->unlock();
    }
    SUBCASE("left held in an earlier boot")
    {
        const auto file = dir.path() / "lock";
        Holder holder(file); // holds it, as a thread of the earlier boot would forever
        {
            // The boot id follows the 8-byte magic and the 4-byte size.
            std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
            io.seekp(12);
            io.write("00000000-0000-0000-0000-000000000000", 36);
        }
        const auto mutex = open_mutex(file);
        CHECK(mutex->lock(1s) == ProcessMutex::Lock::acquired);
        mutex->unlock();
    }
}

} // namespace OPTGUARD_TEST_FILE

#endif
