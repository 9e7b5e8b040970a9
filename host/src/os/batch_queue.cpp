#include "os/batch_queue.hpp"

#if defined(__linux__)

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>
#include <exception>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace optguard::os {

namespace {

constexpr std::array<char, 8> file_magic {'O', 'G', 'Q', 'U', 'E', 'U', 'E', '1'};

// A slot's states. Its owner moves it free -> pending (posted) and, once decided, back to free; a
// combiner moves pending -> claimed (in its batch) -> made or failed. A pending write can be
// withdrawn by its owner (pending -> free) until a combiner claims it.
enum SlotState : std::uint32_t { slot_free = 0, slot_pending, slot_claimed, slot_made, slot_failed };

constexpr std::size_t error_capacity = 256;

// How long a poster sleeps before looking again on its own: a combiner that died is noticed
// within this (the mutex then tells the next one).
constexpr std::chrono::milliseconds nap {20};

std::uint32_t load(const std::uint32_t& word) noexcept
{
    return std::atomic_ref<const std::uint32_t>(word).load(std::memory_order_acquire);
}

void store(std::uint32_t& word, std::uint32_t value) noexcept
{
    std::atomic_ref<std::uint32_t>(word).store(value, std::memory_order_release);
}

bool move(std::uint32_t& word, std::uint32_t from, std::uint32_t to) noexcept
{
    return std::atomic_ref<std::uint32_t>(word).compare_exchange_strong(
        from, to, std::memory_order_acq_rel, std::memory_order_acquire);
}

void futex_wait(std::uint32_t& word, std::uint32_t seen, std::chrono::nanoseconds timeout) noexcept
{
    timespec relative {};
    relative.tv_sec = static_cast<time_t>(timeout.count() / 1'000'000'000);
    relative.tv_nsec = static_cast<long>(timeout.count() % 1'000'000'000);
    (void)::syscall(SYS_futex, &word, FUTEX_WAIT, seen, &relative, nullptr, 0);
}

void futex_wake_all(std::uint32_t& word) noexcept
{
    (void)::syscall(SYS_futex, &word, FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

bool lock_byte(int fd, std::size_t byte, short type) noexcept
{
    struct flock range {};
    range.l_type = type;
    range.l_whence = SEEK_SET;
    range.l_start = static_cast<off_t>(byte);
    range.l_len = 1;
    return ::fcntl(fd, F_OFD_SETLK, &range) == 0;
}

// Whether another open file (so another process, or another queue of this one) holds the lock on
// `byte`: whether the slot it stands for still has an owner. Asked only while taking over.
bool byte_locked_elsewhere(int fd, std::size_t byte) noexcept
{
    struct flock range {};
    range.l_type = F_WRLCK;
    range.l_whence = SEEK_SET;
    range.l_start = static_cast<off_t>(byte);
    range.l_len = 1;
    return ::fcntl(fd, F_OFD_GETLK, &range) != 0 || range.l_type != F_UNLCK;
}

// A number for the first batch that no earlier file at this path is likely to have used: the marks
// a committer keeps outlive the file (which is made again every boot).
std::uint64_t first_batch_number() noexcept
{
    std::uint64_t number = 0;
    if (::getrandom(&number, sizeof(number), 0) != static_cast<ssize_t>(sizeof(number))) {
        timespec now {};
        ::clock_gettime(CLOCK_REALTIME, &now);
        number = static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000U
            + static_cast<std::uint64_t>(now.tv_nsec);
    }
    return (number >> 1U) | 1U; // never 0, which means "no batch"
}

} // namespace

// The file's body: what every combiner reads, together in its first page; then, from the second
// page of the file on, one page per slot with what only that slot's poster and its combiner read.
// So a process maps the first page and the pages of the slots it touches, not the whole file.
struct BatchQueue::Shared {
    struct Slot {
        std::uint32_t state;
        std::uint32_t size;
        std::uint64_t batch; // the batch that claimed it
    };
    struct Content {
        std::array<char, error_capacity> error;
        std::array<std::byte, payload_capacity> payload;
    };
    pthread_mutex_t combiner;
    std::uint32_t decided;    // bumped after every batch; posters sleep on it
    std::uint64_t next_batch; // guarded by the combiner mutex, as is in_flight
    std::uint64_t in_flight;  // the batch being made, 0 when none
    std::array<Slot, slot_count> slots;

    // The body starts SharedFile::header_size (48) bytes into the file's first page.
    static constexpr std::size_t contents_offset = 4096 - 48;
    static constexpr std::size_t body_size = contents_offset + slot_count * sizeof(Content);
    Content& content(const Slot& slot) noexcept
    {
        const auto index = static_cast<std::size_t>(&slot - slots.data());
        return reinterpret_cast<Content*>(reinterpret_cast<char*>(this) + contents_offset)[index];
    }
};

static_assert(sizeof(BatchQueue::Shared::Content) == 4096, "a slot's content is one page");
static_assert(sizeof(BatchQueue::Shared) <= BatchQueue::Shared::contents_offset,
              "what combiners read fits in the first page");

namespace {

bool lay_out(BatchQueue::Shared* shared)
{
    pthread_mutexattr_t attributes;
    if (pthread_mutexattr_init(&attributes) != 0) {
        return false;
    }
    const bool ok = pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED) == 0
        && pthread_mutexattr_setrobust(&attributes, PTHREAD_MUTEX_ROBUST) == 0
        && pthread_mutex_init(&shared->combiner, &attributes) == 0;
    pthread_mutexattr_destroy(&attributes);
    shared->next_batch = first_batch_number();
    return ok;
}

// The error text a poster reads: `first` then `second`, cut to fit the slot.
void set_error(BatchQueue::Shared::Content& slot, std::string_view first,
               std::string_view second = {}) noexcept
{
    const std::size_t room = error_capacity - 1;
    const std::size_t head = std::min(first.size(), room);
    const std::size_t tail = std::min(second.size(), room - head);
    std::copy_n(first.begin(), head, slot.error.begin());
    std::copy_n(second.begin(), tail, slot.error.begin() + static_cast<std::ptrdiff_t>(head));
    slot.error[head + tail] = '\0';
}

} // namespace

BatchQueue::Opened BatchQueue::open(const std::filesystem::path& file)
{
    auto opened = SharedFile::open(file, file_magic, Shared::body_size, [](void* body) {
        return lay_out(static_cast<Shared*>(body));
    });
    if (!opened.file) {
        return {nullptr, std::move(opened.problem)};
    }
    return {std::unique_ptr<BatchQueue>(new BatchQueue(std::move(opened.file))), {}};
}

BatchQueue::BatchQueue(std::unique_ptr<SharedFile> file) noexcept
    : file_(std::move(file))
    , shared_(static_cast<Shared*>(file_->body()))
{
}

BatchQueue::~BatchQueue() { release_slot(); }

std::size_t BatchQueue::waiting() const noexcept
{
    return static_cast<std::size_t>(std::count_if(
        shared_->slots.begin(), shared_->slots.end(),
        [](const Shared::Slot& slot) { return load(slot.state) == slot_pending; }));
}

std::optional<std::size_t> BatchQueue::claim_slot() noexcept
{
    // Start where this process's id points, so processes rarely try the same slots.
    const auto start = static_cast<std::size_t>(::getpid()) % slot_count;
    for (std::size_t i = 0; i < slot_count; ++i) {
        const std::size_t index = (start + i) % slot_count;
        if (!lock_byte(file_->descriptor(), index, F_WRLCK)) {
            continue; // another process owns it
        }
        // Left by an owner that died: anything but a write a combiner has claimed can be reset.
        std::uint32_t& state = shared_->slots[index].state;
        const std::uint32_t left = load(state);
        if (left != slot_claimed && move(state, left, slot_free)) {
            return index;
        }
        (void)lock_byte(file_->descriptor(), index, F_UNLCK);
    }
    return std::nullopt;
}

void BatchQueue::release_slot() noexcept
{
    if (slot_) {
        (void)lock_byte(file_->descriptor(), *slot_, F_UNLCK);
        slot_.reset();
    }
}

BatchQueue::Result BatchQueue::submit(std::span<const std::byte> payload, Committer& committer,
                                      std::chrono::milliseconds limit)
{
    const std::lock_guard<std::mutex> one_at_a_time(submitting_);
    if (payload.size() > payload_capacity) {
        return {Outcome::not_queued, {}};
    }
    if (!slot_) {
        slot_ = claim_slot();
        if (!slot_) {
            return {Outcome::not_queued, {}};
        }
    }
    Shared::Slot& slot = shared_->slots[*slot_];
    Shared::Content& content = shared_->content(slot);
    std::copy(payload.begin(), payload.end(), content.payload.begin());
    slot.size = static_cast<std::uint32_t>(payload.size());
    store(slot.state, slot_pending);

    using clock = std::chrono::steady_clock;
    const auto posted = clock::now();
    for (;;) {
        const std::uint32_t seen = load(shared_->decided);
        switch (load(slot.state)) {
        case slot_made:
            store(slot.state, slot_free);
            return {Outcome::made, {}};
        case slot_failed: {
            std::string error(content.error.data());
            store(slot.state, slot_free);
            return {Outcome::failed, std::move(error)};
        }
        default:
            break;
        }
        const int rc = pthread_mutex_trylock(&shared_->combiner);
        if (rc == 0 || rc == EOWNERDEAD) {
            if (rc == EOWNERDEAD) {
                recover(committer);
                (void)pthread_mutex_consistent(&shared_->combiner);
            }
            combine(committer);
            pthread_mutex_unlock(&shared_->combiner);
            std::atomic_ref<std::uint32_t>(shared_->decided).fetch_add(1, std::memory_order_release);
            futex_wake_all(shared_->decided);
            continue;
        }
        const auto waited = clock::now() - posted;
        const bool unusable = rc != EBUSY;
        if ((unusable || waited >= limit) && move(slot.state, slot_pending, slot_free)) {
            if (unusable) {
                return {Outcome::not_queued, {}};
            }
            return {Outcome::failed, "no other OptGuard process finished writing within "
                                         + std::to_string(limit.count() / 1000)
                                         + " s; nothing was written, try again"};
        }
        if (waited >= 2 * limit) {
            // Claimed and still undecided: leave the slot to its batch and to a later owner.
            release_slot();
            return {Outcome::failed, "the write was handed to another OptGuard process, which "
                                     "did not say within "
                                         + std::to_string(2 * limit.count() / 1000)
                                         + " s whether it was made; look at the history before "
                                           "trying again"};
        }
        futex_wait(shared_->decided, seen, nap);
    }
}

void BatchQueue::combine(Committer& committer) noexcept
{
    const std::uint64_t batch = shared_->next_batch;
    shared_->next_batch = batch + 1 != 0 ? batch + 1 : 1;
    shared_->in_flight = batch; // before any slot is claimed, so a successor can tell
    std::vector<Shared::Slot*> claimed;
    std::vector<Item> items;
    try {
        claimed.reserve(slot_count);
        items.reserve(slot_count);
    } catch (...) {
        shared_->in_flight = 0;
        return; // out of memory: the posts stay pending for a combiner that can
    }
    for (auto& slot : shared_->slots) {
        // Read first: a compare-and-swap on every slot would write to each one's cache line.
        if (load(slot.state) == slot_pending && move(slot.state, slot_pending, slot_claimed)) {
            slot.batch = batch;
            claimed.push_back(&slot);
            items.push_back(
                {std::span<const std::byte>(shared_->content(slot).payload.data(), slot.size), {}});
        }
    }
    // A batch of this process's own write alone needs no mark: were this process to die making
    // it, no one would be left waiting for the answer (recover() drops such a write).
    const bool alone = claimed.size() == 1 && slot_ && claimed[0] == &shared_->slots[*slot_];
    if (!items.empty()) {
        try {
            committer.commit(alone ? 0 : batch, items);
        } catch (const std::exception& error) {
            for (auto& item : items) {
                item.error = error.what();
            }
        } catch (...) {
            for (auto& item : items) {
                item.error = "the write failed for an unknown reason";
            }
        }
        for (std::size_t i = 0; i < claimed.size(); ++i) {
            if (items[i].error.empty()) {
                store(claimed[i]->state, slot_made);
            } else {
                set_error(shared_->content(*claimed[i]), items[i].error);
                store(claimed[i]->state, slot_failed);
            }
        }
    }
    shared_->in_flight = 0;
}

void BatchQueue::recover(Committer& committer) noexcept
{
    const std::uint64_t batch = shared_->in_flight;
    std::vector<Shared::Slot*> in_batch; // claimed by the dead combiner, their posters still waiting
    for (std::size_t index = 0; index < slot_count; ++index) {
        auto& slot = shared_->slots[index];
        if (load(slot.state) != slot_claimed) {
            continue;
        }
        if (index != slot_ && !byte_locked_elsewhere(file_->descriptor(), index)) {
            // Its poster is gone too: no one waits for it, and it must not be made twice.
            store(slot.state, slot_free);
        } else if (batch == 0 || slot.batch != batch) {
            store(slot.state, slot_pending); // claimed before its batch number was written
        } else {
            try {
                in_batch.push_back(&slot);
            } catch (...) {
                store(slot.state, slot_pending); // out of memory: ask about it another time
            }
        }
    }
    if (!in_batch.empty()) {
        bool made = false;
        std::string unknown;
        try {
            made = committer.made(batch);
        } catch (const std::exception& error) {
            unknown = error.what();
        } catch (...) {
            unknown = "unknown error";
        }
        for (auto* slot : in_batch) {
            if (!unknown.empty()) {
                set_error(shared_->content(*slot),
                          "the OptGuard process writing this ended before saying whether it was "
                          "made, and that cannot be read now: ",
                          unknown);
                store(slot->state, slot_failed);
            } else {
                store(slot->state, made ? slot_made : slot_pending);
            }
        }
    }
    shared_->in_flight = 0;
}

} // namespace optguard::os

#else // Windows, macOS: no shared queue; every process writes alone.

namespace optguard::os {

struct BatchQueue::Shared {};

BatchQueue::Opened BatchQueue::open(const std::filesystem::path& /*file*/) { return {}; }
BatchQueue::BatchQueue(std::unique_ptr<SharedFile> file) noexcept
    : file_(std::move(file))
    , shared_(nullptr)
{
}
BatchQueue::~BatchQueue() = default;
std::size_t BatchQueue::waiting() const noexcept { return 0; }
BatchQueue::Result BatchQueue::submit(std::span<const std::byte> /*payload*/,
                                      Committer& /*committer*/, std::chrono::milliseconds /*limit*/)
{
    return {Outcome::not_queued, {}};
}

} // namespace optguard::os

#endif
