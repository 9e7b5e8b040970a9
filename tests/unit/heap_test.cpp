// os/heap.hpp: once the host has said so, memory it frees stays with the process for the next
// allocation instead of going back to the system. glibc only; AddressSanitizer brings its own
// allocator, which glibc's settings do not reach.
#include <doctest/doctest.h>

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)

#include <cstdlib>
#include <vector>

#include <malloc.h>

#include "os/heap.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

TEST_CASE("freed heap memory stays with the process")
{
    optguard::os::keep_freed_heap();
    // 2 MB in blocks below glibc's mmap threshold, so they come from the heap, freed from the top
    // down: glibc's default would hand everything over 128 KB at the top back at once.
    constexpr std::size_t block = 16 * 1024;
    std::vector<void*> blocks;
    for (int i = 0; i < 128; ++i) {
        blocks.push_back(std::malloc(block));
        REQUIRE(blocks.back() != nullptr);
    }
    for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) {
        std::free(*it);
    }
    // keepcost: the free memory at the top of the heap, which a trim would return.
    CHECK(::mallinfo2().keepcost >= 1024 * 1024);
}

} // namespace OPTGUARD_TEST_FILE

#endif
