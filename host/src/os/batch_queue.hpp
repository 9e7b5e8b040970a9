#pragma once
// Group commit across the processes of one machine: a process with a write to make posts it in a
// slot of a shared file and waits; whichever process holds the combiner's role makes every posted
// write in one go (one transaction, one sync) and tells each poster how its write went. With 16
// writers at once, 16 writes cost one turn and one sync instead of 16 of each, and no one waits
// for 15 turns of others.
//
// The file (os/shared_file.hpp) holds a robust mutex (the combiner's role), a count of decided
// batches that posters sleep on (a futex), the batch in flight, and the slots. A process owns a slot
// while it holds an open-file-description lock on that slot's byte (F_OFD_SETLK), which the kernel
// gives back when the process dies, so a killed poster's slot is free again. A combiner killed
// mid-batch is found by the next one (the mutex tells it: EOWNERDEAD), which asks the committer
// whether that batch was made (every batch carries a number no other batch of the file had) and
// either tells its posters so or makes their writes again; writes whose posters are gone too are
// dropped, made or not. Nothing a poster waits for is lost or made twice.
// Linux only; elsewhere, and whenever the queue cannot take a write, submit() says so and the caller
// writes alone.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>

#include "os/shared_file.hpp"

namespace optguard::os {

class BatchQueue {
public:
    static constexpr std::size_t slot_count = 32; // processes writing at once; more write alone
    static constexpr std::size_t payload_capacity = 3840; // with its error text, one 4 KB page

    struct Opened {
        std::unique_ptr<BatchQueue> queue; // null when there is none
        std::string problem;               // why not, naming the file; empty when unsupported
    };
    // Opens `file`, creating or remaking it as os/shared_file.hpp says.
    [[nodiscard]] static Opened open(const std::filesystem::path& file);

    struct Item {
        std::span<const std::byte> payload;
        std::string error; // set by the committer when this write failed; empty: made
    };
    // What the combiner does with a batch; called in whichever process combines.
    class Committer {
    public:
        virtual ~Committer() = default;
        Committer() = default;
        Committer(const Committer&) = delete;
        Committer& operator=(const Committer&) = delete;
        Committer(Committer&&) = delete;
        Committer& operator=(Committer&&) = delete;
        // Makes the items' writes durably, in one go marked `batch` (0: no mark needed, the one
        // item is this process's own), and sets the error of each that failed (the others are
        // made). Throwing fails every item with the exception's text.
        virtual void commit(std::uint64_t batch, std::span<Item> items) = 0;
        // Whether the batch `batch` was made (asked when its combiner died before telling), and
        // if so, makes sure it is durable before answering. Throws when it cannot tell.
        virtual bool made(std::uint64_t batch) = 0;
    };

    enum class Outcome {
        made,
        failed,     // `error` says why
        not_queued, // nothing was posted: no slot free, too large, or the queue stopped working
    };
    struct Result {
        Outcome outcome;
        std::string error;
    };
    // Posts `payload` and returns once it is made or failed, combining whenever no other process
    // is. Gives up on a write no combiner has taken after `limit` (failed, nothing written), and on
    // one a combiner took but has not decided after twice that (failed, outcome unknown).
    [[nodiscard]] Result submit(std::span<const std::byte> payload, Committer& committer,
                                std::chrono::milliseconds limit);

    // Writes posted and not yet taken by a combiner (tests, diagnostics).
    [[nodiscard]] std::size_t waiting() const noexcept;

    ~BatchQueue();
    BatchQueue(const BatchQueue&) = delete;
    BatchQueue& operator=(const BatchQueue&) = delete;
    BatchQueue(BatchQueue&&) = delete;
    BatchQueue& operator=(BatchQueue&&) = delete;

    struct Shared; // the file's body (batch_queue.cpp)

private:
    explicit BatchQueue(std::unique_ptr<SharedFile> file) noexcept;
    [[nodiscard]] std::optional<std::size_t> claim_slot() noexcept;
    void release_slot() noexcept;
    void combine(Committer& committer) noexcept;
    void recover(Committer& committer) noexcept;

    std::unique_ptr<SharedFile> file_;
    Shared* shared_;
    std::mutex submitting_;           // threads of this process post one at a time
    std::optional<std::size_t> slot_; // the slot this process owns, once it has posted
};

} // namespace optguard::os
