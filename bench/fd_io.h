/* Whole-buffer read/write on a file descriptor, retrying on EINTR and short transfers. Shared by the
 * benchmark's driver and its baseline hosts; header-only so each baseline stays one small binary. */
#ifndef OPTGUARD_BENCH_FD_IO_H
#define OPTGUARD_BENCH_FD_IO_H

#include <errno.h>
#include <stddef.h>
#include <unistd.h>

/* 0 when all n bytes were read; -1 at end of input or on error. */
static inline int read_all(int fd, void *buf, size_t n) {
  char *p = buf;
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

/* 0 when all n bytes were written; -1 on error. */
static inline int write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

#endif
