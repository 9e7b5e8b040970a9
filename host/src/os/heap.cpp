#include "os/heap.hpp"

#include <cstdlib> // defines __GLIBC__ where the C library is glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace optguard::os {

namespace {

// Above the most the host frees at once (its peak heap is ~4 MB, bench/ figure 4).
[[maybe_unused]] constexpr int keep_up_to_bytes = 8 * 1024 * 1024;

} // namespace

void keep_freed_heap() noexcept
{
#if defined(__GLIBC__)
    // Failure only leaves glibc's default (128 KB) in place: slower, not wrong.
    (void)::mallopt(M_TRIM_THRESHOLD, keep_up_to_bytes);
#endif
}

} // namespace optguard::os
