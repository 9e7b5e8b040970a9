/* og-bench: the timing driver of the OptGuard benchmarks (bench/run calls it; see bench/README.md).
 *
 * It starts native messaging hosts the way the browser does (argv[1] = the caller's origin, stdin and
 * stdout pipes, stderr inherited) and times round trips with CLOCK_MONOTONIC. It knows nothing about
 * OptGuard beyond the framing (32-bit native-endian length + body), so the same code drives
 * optguard-host and the baselines (echo_host, fsync_host). Results go to stdout as one JSON object.
 *
 *   og-bench cold    --host PATH --base PATH [--base PATH ...] --iters N [--req JSON]
 *       Alternates one cold run of each: spawn, send one request (default hello), read the answer,
 *       close stdin, wait for exit. Per-run wall times of all, interleaved so drift hits all alike
 *       (the second baseline is reported as "base_2", and so on).
 *   og-bench warm    --cmd PATH [--base PATH] --n N [--warmup W] --req JSON [--req JSON ...] [--hwm]
 *       One process, one persistent pipe: W unmeasured then N measured request/answer round trips,
 *       cycling through the given requests. With --base, the baseline runs at the same time on its
 *       own pipe and the round trips alternate between the two. --hwm reads VmHWM/VmRSS from
 *       /proc/PID/status after the last answer and before stdin is closed.
 *   og-bench durable --cmd PATH --procs K --n N --req JSON
 *       K processes at once, each with its own host, released together after one warm-up request;
 *       each sends N requests one after the other. Aggregate rate over the common wall time.
 *
 * Common: --origin ORIGIN (default OptGuard's Chromium origin); --cpu N pins the driver, and so
 * every host it starts, to CPU N (round trips then never pay for a cross-CPU wake-up). Answers that
 * contain "ok":false are counted as errors (the first one is printed to stderr); nothing here
 * asserts on time. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fd_io.h"

extern char **environ;

enum { max_reqs = 64, max_bases = 4, max_frame = 4 * 1024 * 1024 };

static const char *opt_origin = "chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/";
static const char *opt_cmd, *opt_host, *opt_base;
static const char *opt_bases[max_bases];
static int n_bases;
static const char *opt_reqs[max_reqs];
static int n_reqs;
static long opt_n = 1000, opt_warmup = 100, opt_iters = 20, opt_procs = 1;
static int opt_hwm;
static long opt_cpu = -1;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *what) {
  fprintf(stderr, "og-bench: %s: %s\n", what, strerror(errno));
  exit(2);
}


typedef struct {
  pid_t pid;
  int to_child;   /* its stdin */
  int from_child; /* its stdout */
} child_t;

static child_t spawn_host(const char *path) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) die("pipe");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  char *argv[] = {(char *)path, (char *)opt_origin, NULL};
  child_t c;
  int rc = posix_spawn(&c.pid, path, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    errno = rc;
    die(path);
  }
  close(in[0]);
  close(out[1]);
  c.to_child = in[1];
  c.from_child = out[0];
  return c;
}

/* Exit status of the child, or -1 if it was killed by a signal. */
static int finish_host(child_t *c) {
  if (c->to_child >= 0) close(c->to_child);
  c->to_child = -1;
  int st;
  while (waitpid(c->pid, &st, 0) < 0)
    if (errno != EINTR) die("waitpid");
  close(c->from_child);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

typedef struct {
  char *frame; /* header + body of the request */
  size_t frame_len;
} request_t;

static request_t make_request(const char *json) {
  request_t r;
  size_t n = strlen(json);
  r.frame = malloc(4 + n);
  uint32_t len = (uint32_t)n;
  memcpy(r.frame, &len, 4);
  memcpy(r.frame + 4, json, n);
  r.frame_len = 4 + n;
  return r;
}

static char *answer_buf;
static long errors;
static size_t last_answer_len;

/* One round trip; returns 0 or -1 if the pipe broke. */
static int round_trip(child_t *c, const request_t *r) {
  if (write_all(c->to_child, r->frame, r->frame_len) != 0) return -1;
  uint32_t len;
  if (read_all(c->from_child, &len, 4) != 0) return -1;
  if (len > max_frame) return -1;
  if (read_all(c->from_child, answer_buf, len) != 0) return -1;
  answer_buf[len] = '\0';
  last_answer_len = len;
  if (strstr(answer_buf, "\"ok\":false") != NULL || strstr(answer_buf, "\"ok\": false") != NULL) {
    if (errors++ == 0) fprintf(stderr, "og-bench: error answer: %.600s\n", answer_buf);
  }
  return 0;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array, in microseconds. */
static double pct_us(const int64_t *sorted, long n, double p) {
  if (n <= 0) return 0;
  long k = (long)((p / 100.0) * (double)n + 0.999999) - 1;
  if (k < 0) k = 0;
  if (k >= n) k = n - 1;
  return (double)sorted[k] / 1000.0;
}

static void print_summary(const char *name, int64_t *lat, long n) {
  qsort(lat, (size_t)n, sizeof *lat, cmp_i64);
  double sum = 0;
  for (long i = 0; i < n; i++) sum += (double)lat[i];
  printf("\"%s\":{\"n\":%ld,\"min_us\":%.3f,\"p50_us\":%.3f,\"p90_us\":%.3f,\"p99_us\":%.3f,"
         "\"max_us\":%.3f,\"mean_us\":%.3f}",
         name, n, pct_us(lat, n, 0), pct_us(lat, n, 50), pct_us(lat, n, 90), pct_us(lat, n, 99),
         n ? (double)lat[n - 1] / 1000.0 : 0.0, n ? sum / (double)n / 1000.0 : 0.0);
}

static long proc_status_kb(pid_t pid, const char *key) {
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  FILE *f = fopen(path, "r");
  if (f == NULL) return -1;
  long v = -1;
  size_t kl = strlen(key);
  while (fgets(line, sizeof line, f) != NULL)
    if (strncmp(line, key, kl) == 0 && line[kl] == ':') v = strtol(line + kl + 1, NULL, 10);
  fclose(f);
  return v;
}

/* ---- cold ---- */

static int64_t cold_once(const char *path, const request_t *r, int *status) {
  int64_t t0 = now_ns();
  child_t c = spawn_host(path);
  int broke = round_trip(&c, r);
  *status = finish_host(&c);
  int64_t t1 = now_ns();
  if (broke) *status = 1000;
  return t1 - t0;
}

static int cmd_cold(void) {
  if (!opt_host || n_bases == 0) {
    fprintf(stderr, "og-bench cold: --host and --base are required\n");
    return 2;
  }
  request_t r = make_request(n_reqs ? opt_reqs[0] : "{\"id\":1,\"type\":\"hello\"}");
  /* programs[0] is the host, the rest are baselines; each iteration runs every one once, starting
   * with a different one each time so drift and cache effects hit all alike. */
  const char *programs[1 + max_bases];
  int n_prog = 1 + n_bases;
  programs[0] = opt_host;
  for (int k = 0; k < n_bases; k++) programs[1 + k] = opt_bases[k];
  int64_t *t[1 + max_bases];
  for (int k = 0; k < n_prog; k++) t[k] = calloc((size_t)opt_iters, sizeof(int64_t));
  int bad_exit = 0, st;
  long host_errors = 0;
  /* One unmeasured run of each: page cache, dynamic loader cache, first-time DB creation. */
  for (int k = 0; k < n_prog; k++) cold_once(programs[k], &r, &st);
  for (long i = 0; i < opt_iters; i++) {
    for (int j = 0; j < n_prog; j++) {
      int k = (int)((i + j) % n_prog);
      long e0 = errors;
      t[k][i] = cold_once(programs[k], &r, &st);
      if (k == 0) {
        if (st != 0) bad_exit++;
        host_errors += errors - e0;
      }
    }
  }
  printf("{");
  print_summary("host", t[0], opt_iters);
  for (int k = 1; k < n_prog; k++) {
    char name[16];
    snprintf(name, sizeof name, k == 1 ? "base" : "base_%d", k);
    printf(",");
    print_summary(name, t[k], opt_iters);
  }
  printf(",\"host_errors\":%ld,\"host_bad_exits\":%d}\n", host_errors, bad_exit);
  return 0;
}

/* ---- warm ---- */

typedef struct {
  const char *path;
  child_t c;
  int64_t *lat;
  size_t answer_bytes;
  long errors;
  long hwm, rss;
  int exit_status;
} warm_side_t;

static void print_side(const char *name, warm_side_t *s, long n) {
  double total = 0;
  for (long i = 0; i < n; i++) total += (double)s->lat[i];
  printf("\"%s\":{", name);
  print_summary("latency", s->lat, n);
  printf(",\"msgs_per_s\":%.1f,\"answer_bytes_mean\":%.1f,\"errors\":%ld,\"exit\":%d,"
         "\"vm_hwm_kb\":%ld,\"vm_rss_kb\":%ld}",
         (double)n / (total / 1e9), (double)s->answer_bytes / (double)n, s->errors, s->exit_status,
         s->hwm, s->rss);
}

/* With --base, both programs run at once and the requests alternate between them (host, base, host,
 * base, ...), so both see the same machine at the same moment. */
static int cmd_warm(void) {
  if (!opt_cmd || n_reqs == 0) {
    fprintf(stderr, "og-bench warm: --cmd and --req are required\n");
    return 2;
  }
  request_t reqs[max_reqs];
  for (int i = 0; i < n_reqs; i++) reqs[i] = make_request(opt_reqs[i]);
  warm_side_t sides[2] = {{.path = opt_cmd}, {.path = opt_base}};
  int n_sides = opt_base ? 2 : 1;
  for (int k = 0; k < n_sides; k++) {
    sides[k].lat = calloc((size_t)opt_n, sizeof(int64_t));
    sides[k].c = spawn_host(sides[k].path);
  }
  for (long i = 0; i < opt_warmup; i++)
    for (int k = 0; k < n_sides; k++)
      if (round_trip(&sides[k].c, &reqs[i % n_reqs]) != 0) goto broken;
  for (long i = 0; i < opt_n; i++) {
    for (int j = 0; j < n_sides; j++) {
      int k = (int)((i + j) % n_sides); /* alternate which goes first */
      warm_side_t *s = &sides[k];
      long e0 = errors;
      int64_t t0 = now_ns();
      if (round_trip(&s->c, &reqs[i % n_reqs]) != 0) goto broken;
      s->lat[i] = now_ns() - t0;
      s->answer_bytes += last_answer_len;
      s->errors += errors - e0;
    }
  }
  for (int k = 0; k < n_sides; k++) {
    sides[k].hwm = opt_hwm ? proc_status_kb(sides[k].c.pid, "VmHWM") : -1;
    sides[k].rss = opt_hwm ? proc_status_kb(sides[k].c.pid, "VmRSS") : -1;
  }
  for (int k = 0; k < n_sides; k++) sides[k].exit_status = finish_host(&sides[k].c);
  printf("{");
  print_side("host", &sides[0], opt_n);
  if (n_sides == 2) {
    printf(",");
    print_side("base", &sides[1], opt_n);
  }
  printf("}\n");
  return 0;
broken:
  for (int k = 0; k < n_sides; k++)
    fprintf(stderr, "og-bench warm: %s closed the pipe or failed (exit %d)\n", sides[k].path,
            finish_host(&sides[k].c));
  return 1;
}

/* ---- durable ---- */

typedef struct {
  int64_t start, end;
  long errors;
  int broken, exit_status;
} worker_result_t;

static int cmd_durable(void) {
  if (!opt_cmd || n_reqs == 0 || opt_procs < 1) {
    fprintf(stderr, "og-bench durable: --cmd, --procs and --req are required\n");
    return 2;
  }
  long k = opt_procs, n = opt_n;
  size_t lat_bytes = (size_t)(k * n) * sizeof(int64_t);
  int64_t *lat = mmap(NULL, lat_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  worker_result_t *res = mmap(NULL, (size_t)k * sizeof *res, PROT_READ | PROT_WRITE,
                              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (lat == MAP_FAILED || res == MAP_FAILED) die("mmap");
  /* ready/go start every worker's timed loop at once; done/stop keep every host running until all
     loops are over, so no host's exit (the kernel tearing a process down) lands inside another
     worker's timed reports. */
  int ready[2], go[2], done[2], stop[2];
  if (pipe(ready) != 0 || pipe(go) != 0 || pipe(done) != 0 || pipe(stop) != 0) die("pipe");
  request_t reqs[max_reqs];
  for (int i = 0; i < n_reqs; i++) reqs[i] = make_request(opt_reqs[i]);
  pid_t *workers = calloc((size_t)k, sizeof *workers);
  for (long w = 0; w < k; w++) {
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
      close(ready[0]);
      close(go[1]);
      close(done[0]);
      close(stop[1]);
      worker_result_t *me = &res[w];
      child_t c = spawn_host(opt_cmd);
      int broke = round_trip(&c, &reqs[0]); /* warm-up: the host is up and has opened its DB */
      char byte = 'r', sink;
      if (write_all(ready[1], &byte, 1) != 0) _exit(2);
      while (read(go[0], &sink, 1) < 0 && errno == EINTR) {
      } /* EOF = everyone starts */
      long e0 = errors;
      me->start = now_ns();
      for (long i = 0; i < n && !broke; i++) {
        int64_t t0 = now_ns();
        if (round_trip(&c, &reqs[i % n_reqs]) != 0) broke = 1;
        lat[w * n + i] = now_ns() - t0;
      }
      me->end = now_ns();
      me->errors = errors - e0;
      me->broken = broke;
      if (write_all(done[1], &byte, 1) != 0) _exit(2);
      while (read(stop[0], &sink, 1) < 0 && errno == EINTR) {
      } /* EOF = every worker is done */
      me->exit_status = finish_host(&c);
      _exit(0);
    }
    workers[w] = pid;
  }
  close(ready[1]);
  close(go[0]);
  close(done[1]);
  close(stop[0]);
  for (long w = 0; w < k; w++) {
    char byte;
    if (read_all(ready[0], &byte, 1) != 0) {
      fprintf(stderr, "og-bench durable: a worker died before starting\n");
      return 1;
    }
  }
  close(go[1]); /* release all workers at once */
  for (long w = 0; w < k; w++) {
    char byte;
    if (read_all(done[0], &byte, 1) != 0) break; /* a worker died: waitpid below still reaps it */
  }
  close(stop[1]); /* now the hosts may exit */
  for (long w = 0; w < k; w++) waitpid(workers[w], NULL, 0);
  int64_t first = res[0].start, last = res[0].end;
  long errs = 0;
  int broken = 0, bad_exit = 0;
  for (long w = 0; w < k; w++) {
    if (res[w].start < first) first = res[w].start;
    if (res[w].end > last) last = res[w].end;
    errs += res[w].errors;
    broken += res[w].broken;
    bad_exit += res[w].exit_status != 0;
  }
  double wall_s = (double)(last - first) / 1e9;
  printf("{");
  print_summary("latency", lat, k * n);
  printf(",\"procs\":%ld,\"per_proc\":%ld,\"wall_s\":%.4f,\"ops_per_s\":%.1f,\"errors\":%ld,"
         "\"broken\":%d,\"bad_exits\":%d}\n",
         k, n, wall_s, (double)(k * n) / wall_s, errs, broken, bad_exit);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: og-bench cold|warm|durable [options]  (see the top of bench/driver.c)\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  answer_buf = malloc(max_frame + 1);
  const char *mode = argv[1];
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--hwm") == 0) {
      opt_hwm = 1;
      continue;
    }
    if (v == NULL) {
      fprintf(stderr, "og-bench: %s needs a value\n", a);
      return 2;
    }
    i++;
    if (strcmp(a, "--origin") == 0) opt_origin = v;
    else if (strcmp(a, "--cmd") == 0) opt_cmd = v;
    else if (strcmp(a, "--host") == 0) opt_host = v;
    else if (strcmp(a, "--base") == 0) {
      if (n_bases == max_bases) {
        fprintf(stderr, "og-bench: at most %d --base\n", max_bases);
        return 2;
      }
      if (n_bases == 0) opt_base = v;
      opt_bases[n_bases++] = v;
    }
    else if (strcmp(a, "--n") == 0) opt_n = atol(v);
    else if (strcmp(a, "--warmup") == 0) opt_warmup = atol(v);
    else if (strcmp(a, "--iters") == 0) opt_iters = atol(v);
    else if (strcmp(a, "--procs") == 0) opt_procs = atol(v);
    else if (strcmp(a, "--cpu") == 0) opt_cpu = atol(v);
    else if (strcmp(a, "--req") == 0) {
      if (n_reqs == max_reqs) {
        fprintf(stderr, "og-bench: at most %d --req\n", max_reqs);
        return 2;
      }
      opt_reqs[n_reqs++] = v;
    } else {
      fprintf(stderr, "og-bench: unknown option %s\n", a);
      return 2;
    }
  }
  if (opt_n < 1 || opt_iters < 1) {
    fprintf(stderr, "og-bench: --n and --iters must be at least 1\n");
    return 2;
  }
  if (opt_cpu >= 0) { /* the driver and every host it starts share this one CPU */
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET((size_t)opt_cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) die("sched_setaffinity");
  }
  if (strcmp(mode, "cold") == 0) return cmd_cold();
  if (strcmp(mode, "warm") == 0) return cmd_warm();
  if (strcmp(mode, "durable") == 0) return cmd_durable();
  fprintf(stderr, "og-bench: unknown mode %s\n", mode);
  return 2;
}
