// Group commit across processes (os/batch_queue.hpp): every posted write is made exactly once,
// writes posted together are made together, a committer's errors reach the writes they concern, a
// write no one takes in time is withdrawn, a combiner killed mid-batch loses and repeats nothing,
// and a process that ends gives its slot back. Threads with a queue each stand for processes (each
// queue has its own open file, so its own slot locks); a fork stands in where a process must die.
// Linux only (elsewhere nothing is queued and every report is written alone).
#include <doctest/doctest.h>

#if defined(__linux__)

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <csignal>

#include <sys/wait.h>
#include <unistd.h>

#include "os/batch_queue.hpp"
#include "test_support.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using namespace std::chrono_literals;
using os::BatchQueue;
using test::TempDir;

namespace {

std::unique_ptr<BatchQueue> open_queue(const std::filesystem::path& file)
{
    auto opened = BatchQueue::open(file);
    INFO(opened.problem);
    REQUIRE(opened.queue);
    return std::move(opened.queue);
}

std::span<const std::byte> bytes_of(const std::string& text)
{
    return std::as_bytes(std::span(text.data(), text.size()));
}

std::string text_of(std::span<const std::byte> bytes)
{
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Keeps every batch it is given; fails writes that say "bad"; `hold`, when set, runs inside
// commit (to keep the combiner's role taken).
class Recorder final : public BatchQueue::Committer {
public:
    void commit(std::uint64_t batch, std::span<BatchQueue::Item> items) override
    {
        std::vector<std::string> texts;
        for (auto& item : items) {
            texts.push_back(text_of(item.payload));
            if (texts.back() == "bad") {
                item.error = "a bad write";
            }
        }
        {
            const std::lock_guard<std::mutex> guard(mutex_);
            batches_.emplace_back(batch, std::move(texts));
        }
        if (hold) {
            hold();
        }
        if (fail_all) {
            throw std::runtime_error("the disk is full");
        }
    }
    bool made(std::uint64_t batch) override
    {
        const std::lock_guard<std::mutex> guard(mutex_);
        asked_.push_back(batch);
        return answer;
    }
    std::vector<std::pair<std::uint64_t, std::vector<std::string>>> batches()
    {
        const std::lock_guard<std::mutex> guard(mutex_);
        return batches_;
    }
    std::vector<std::uint64_t> asked()
    {
        const std::lock_guard<std::mutex> guard(mutex_);
        return asked_;
    }

    std::function<void()> hold;
    bool fail_all = false;
    bool answer = false;

private:
    std::mutex mutex_;
    std::vector<std::pair<std::uint64_t, std::vector<std::string>>> batches_;
    std::vector<std::uint64_t> asked_;
};

// Blocks the thread that combines until released, and says when it has started.
class Gate {
public:
    void enter()
    {
        std::unique_lock<std::mutex> lock(mutex_);
        entered_ = true;
        changed_.notify_all();
        changed_.wait(lock, [this] { return open_; });
    }
    void wait_entered()
    {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return entered_; });
    }
    void open()
    {
        const std::lock_guard<std::mutex> guard(mutex_);
        open_ = true;
        changed_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool entered_ = false;
    bool open_ = false;
};

} // namespace

TEST_CASE("a write posted alone is made by its own process, in a batch of one")
{
    const TempDir dir;
    const auto queue = open_queue(dir.path() / "queue");
    Recorder recorder;
    const std::string write = "report 1";
    const auto result = queue->submit(bytes_of(write), recorder, 1s);
    CHECK(result.outcome == BatchQueue::Outcome::made);
    const auto batches = recorder.batches();
    REQUIRE(batches.size() == 1);
    CHECK(batches[0].second == std::vector<std::string> {"report 1"});
    CHECK(batches[0].first == 0); // its own write alone: nothing to mark
}

TEST_CASE("writes posted by many processes at once are each made exactly once")
{
    const TempDir dir;
    constexpr int writers = 8;
    constexpr int per_writer = 300;
    Recorder recorder;
    std::atomic<int> not_made {0};
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            auto opened = BatchQueue::open(dir.path() / "queue");
            if (!opened.queue) {
                not_made += per_writer;
                return;
            }
            for (int i = 0; i < per_writer; ++i) {
                const std::string write = std::to_string(w) + "/" + std::to_string(i);
                if (opened.queue->submit(bytes_of(write), recorder, 5s).outcome
                    != BatchQueue::Outcome::made) {
                    ++not_made;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(not_made == 0);
    std::multiset<std::string> made;
    std::set<std::uint64_t> numbers;
    std::size_t marked = 0;
    for (const auto& [batch, texts] : recorder.batches()) {
        if (batch != 0) { // 0: a batch of its combiner's own write alone, not marked
            numbers.insert(batch);
            ++marked;
        }
        made.insert(texts.begin(), texts.end());
    }
    CHECK(made.size() == std::size_t {writers * per_writer});
    std::set<std::string> distinct(made.begin(), made.end());
    CHECK(distinct.size() == made.size()); // none twice
    CHECK(numbers.size() == marked); // every marked batch its own number
}

TEST_CASE("writes that wait while another process combines are made together, in the next batch")
{
    const TempDir dir;
    const auto holder = open_queue(dir.path() / "queue");
    Recorder recorder;
    Gate gate;
    bool first = true;
    recorder.hold = [&] {
        if (std::exchange(first, false)) {
            gate.enter();
        }
    };
    std::thread combiner([&] { (void)holder->submit(bytes_of("first"), recorder, 5s); });
    gate.wait_entered();

    constexpr int waiters = 5;
    std::atomic<int> made {0};
    std::vector<std::thread> threads;
    for (int w = 0; w < waiters; ++w) {
        threads.emplace_back([&, w] {
            auto opened = BatchQueue::open(dir.path() / "queue");
            if (opened.queue
                && opened.queue->submit(bytes_of("w" + std::to_string(w)), recorder, 30s).outcome
                    == BatchQueue::Outcome::made) {
                ++made;
            }
        });
    }
    // Until all five are posted (the combiner's role stays taken meanwhile).
    const auto give_up = std::chrono::steady_clock::now() + 30s;
    while (holder->waiting() < waiters && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(1ms);
    }
    CHECK(holder->waiting() == waiters);
    gate.open();
    combiner.join();
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(made == waiters);
    const auto batches = recorder.batches();
    REQUIRE(batches.size() == 2);
    CHECK(batches[0].second == std::vector<std::string> {"first"});
    CHECK(batches[1].second.size() == std::size_t {waiters});
}

TEST_CASE("a committer's error reaches the write it concerns, and a committer that throws fails its batch")
{
    const TempDir dir;
    const auto queue = open_queue(dir.path() / "queue");
    Recorder recorder;

    SUBCASE("one write fails")
    {
        const auto bad = queue->submit(bytes_of("bad"), recorder, 1s);
        CHECK(bad.outcome == BatchQueue::Outcome::failed);
        CHECK(bad.error == "a bad write");
        CHECK(queue->submit(bytes_of("good"), recorder, 1s).outcome == BatchQueue::Outcome::made);
    }
    SUBCASE("the committer throws")
    {
        recorder.fail_all = true;
        const auto failed = queue->submit(bytes_of("good"), recorder, 1s);
        CHECK(failed.outcome == BatchQueue::Outcome::failed);
        CHECK(failed.error == "the disk is full");
        recorder.fail_all = false;
        CHECK(queue->submit(bytes_of("again"), recorder, 1s).outcome == BatchQueue::Outcome::made);
    }
}

TEST_CASE("a write too large for a slot is not queued, and the caller writes it alone")
{
    const TempDir dir;
    const auto queue = open_queue(dir.path() / "queue");
    Recorder recorder;
    const std::string large(BatchQueue::payload_capacity + 1, 'x');
    CHECK(queue->submit(bytes_of(large), recorder, 1s).outcome == BatchQueue::Outcome::not_queued);
    CHECK(recorder.batches().empty());
    const std::string fits(BatchQueue::payload_capacity, 'x');
    CHECK(queue->submit(bytes_of(fits), recorder, 1s).outcome == BatchQueue::Outcome::made);
}

TEST_CASE("a write no combiner takes in time is withdrawn: failed, and never made later")
{
    const TempDir dir;
    const auto holder = open_queue(dir.path() / "queue");
    const auto waiter = open_queue(dir.path() / "queue");
    Recorder holding;
    Gate gate;
    holding.hold = [&gate] { gate.enter(); };
    std::thread combiner([&] { (void)holder->submit(bytes_of("first"), holding, 5s); });
    gate.wait_entered(); // the combiner's role is taken, and stays taken

    Recorder recorder;
    const auto result = waiter->submit(bytes_of("late"), recorder, 200ms);
    CHECK(result.outcome == BatchQueue::Outcome::failed);
    CHECK(result.error.find("nothing was written") != std::string::npos);

    gate.open();
    combiner.join();
    holding.hold = nullptr;
    // The next batch, whoever makes it, does not carry the withdrawn write.
    CHECK(waiter->submit(bytes_of("next"), recorder, 1s).outcome == BatchQueue::Outcome::made);
    for (const auto& [batch, texts] : recorder.batches()) {
        CHECK(std::find(texts.begin(), texts.end(), "late") == texts.end());
    }
    for (const auto& [batch, texts] : holding.batches()) {
        CHECK(std::find(texts.begin(), texts.end(), "late") == texts.end());
    }
}

// A child process: runs `body` and ends with its result as exit status (never returns).
template <class Body> pid_t fork_child(Body&& body)
{
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::_exit(std::forward<Body>(body)());
    }
    return pid;
}

int exit_status_of(pid_t pid)
{
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    return WEXITSTATUS(status);
}

// A pipe whose ends a parent and its children use for one-byte signals.
struct Signal {
    Signal() { REQUIRE(::pipe(ends) == 0); }
    void send() const { REQUIRE(::write(ends[1], "x", 1) == 1); }
    void receive() const
    {
        char byte = 0;
        (void)::read(ends[0], &byte, 1);
    }
    int ends[2] {-1, -1};
};

void wait_until_waiting(const BatchQueue& queue, std::size_t count)
{
    const auto give_up = std::chrono::steady_clock::now() + 30s;
    while (queue.waiting() < count && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(1ms);
    }
    REQUIRE(queue.waiting() == count);
}

TEST_CASE("a combiner killed mid-batch: the next asks whether its batch was made, then tells or "
          "makes again, and drops writes whose posters are gone too")
{
    const TempDir dir;
    const auto file = dir.path() / "queue";
    const auto watcher = open_queue(file);

    for (const bool was_made : {true, false}) {
        CAPTURE(was_made);
        Signal holding;
        Signal release;
        Signal report;
        // 1. One child takes the combiner's role and keeps it until released.
        const pid_t holder = fork_child([&] {
            auto opened = BatchQueue::open(file);
            Recorder recorder;
            recorder.hold = [&] {
                holding.send();
                release.receive();
            };
            return opened.queue
                    && opened.queue->submit(bytes_of("first"), recorder, 30s).outcome
                        == BatchQueue::Outcome::made
                ? 0
                : 1;
        });
        holding.receive();
        // 2. A poster that will outlive the combiner: posts, then is stopped while it waits.
        const pid_t survivor = fork_child([&] {
            auto opened = BatchQueue::open(file);
            Recorder recorder;
            recorder.answer = was_made;
            if (!opened.queue) {
                return 10;
            }
            const auto result = opened.queue->submit(bytes_of("mine"), recorder, 30s);
            // What it saw, for the parent: asked once, and what it made itself.
            std::string seen = std::to_string(recorder.asked().size()) + ":";
            for (const auto& [batch, texts] : recorder.batches()) {
                for (const auto& text : texts) {
                    seen += text + ",";
                }
            }
            (void)::write(report.ends[1], seen.data(), seen.size());
            return result.outcome == BatchQueue::Outcome::made ? 0 : 11;
        });
        wait_until_waiting(*watcher, 1);
        REQUIRE(::kill(survivor, SIGSTOP) == 0);
        // 3. A poster that becomes the next combiner and dies making the batch.
        const pid_t dying = fork_child([&] {
            auto opened = BatchQueue::open(file);
            Recorder recorder;
            recorder.hold = [] { ::_exit(0); };
            if (opened.queue) {
                (void)opened.queue->submit(bytes_of("second"), recorder, 30s);
            }
            return 20; // not reached
        });
        wait_until_waiting(*watcher, 2);
        release.send();
        CHECK(exit_status_of(holder) == 0);
        CHECK(exit_status_of(dying) == 0); // died inside commit, with "mine" and "second" claimed
        // 4. The survivor goes on: it takes over, asks, and either is told or makes "mine" again;
        // "second", whose poster is gone, is neither asked about nor made again.
        REQUIRE(::kill(survivor, SIGCONT) == 0);
        CHECK(exit_status_of(survivor) == 0);
        std::string seen(64, '\0');
        seen.resize(static_cast<std::size_t>(std::max<ssize_t>(0, ::read(report.ends[0], seen.data(), seen.size()))));
        CHECK(seen == (was_made ? "1:" : "1:mine,"));
    }
}

TEST_CASE("a combiner killed making only its own write: no one is asked, and it is not made again")
{
    const TempDir dir;
    const auto file = dir.path() / "queue";
    const pid_t child = fork_child([&] {
        auto opened = BatchQueue::open(file);
        Recorder dying;
        dying.hold = [] { ::_exit(0); };
        if (opened.queue) {
            (void)opened.queue->submit(bytes_of("orphan"), dying, 5s);
        }
        return 3; // not reached
    });
    REQUIRE(exit_status_of(child) == 0);

    const auto queue = open_queue(file);
    Recorder recorder;
    CHECK(queue->submit(bytes_of("mine"), recorder, 1s).outcome == BatchQueue::Outcome::made);
    CHECK(recorder.asked().empty());
    const auto batches = recorder.batches();
    REQUIRE(batches.size() == 1);
    CHECK(batches[0].second == std::vector<std::string> {"mine"});
}

TEST_CASE("a process that ends without closing its queue gives its slot back")
{
    const TempDir dir;
    const auto file = dir.path() / "queue";
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        auto opened = BatchQueue::open(file);
        Recorder recorder;
        const bool made = opened.queue
            && opened.queue->submit(bytes_of("child"), recorder, 5s).outcome
                == BatchQueue::Outcome::made;
        ::_exit(made ? 0 : 1); // no destructor: the kernel gives the slot back
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);

    // Every slot can be owned again: one queue (one open file) per slot, each posting once.
    std::vector<std::unique_ptr<BatchQueue>> queues;
    Recorder recorder;
    int made = 0;
    for (std::size_t i = 0; i < BatchQueue::slot_count; ++i) {
        queues.push_back(open_queue(file));
        made += queues.back()->submit(bytes_of("w"), recorder, 1s).outcome
            == BatchQueue::Outcome::made;
    }
    CHECK(made == static_cast<int>(BatchQueue::slot_count));
    // And one more finds none: it is told so, to write alone.
    const auto extra = open_queue(file);
    CHECK(extra->submit(bytes_of("x"), recorder, 1s).outcome == BatchQueue::Outcome::not_queued);
}

} // namespace OPTGUARD_TEST_FILE

#endif
