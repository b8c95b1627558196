/*
 * The interface between the interposer and its LTTng-UST tracepoint provider,
 * libp11trace-lttng.so (docs/lttng.md). The interposer never links liblttng-ust: it dlopens
 * the provider only when the LTTng backend is chosen and calls the functions below through
 * pointers it looks up once. Header only: both sides include it, neither links the other.
 */
#ifndef P11T_LTTNG_ABI_H
#define P11T_LTTNG_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One finished call: the `p11trace:call` event. `record` is the call record exactly as a
 * chunk of the binary log holds it (docs/log-format.md, "Call records"), made
 * self-contained: its start delta is relative to `start` (so 0) and its caller delta to 0. */
typedef struct p11t_lttng_call_event {
    uint64_t sequence;      /* 1, 2, 3... per process, in the order calls began */
    uint64_t start;         /* CLOCK_MONOTONIC ns */
    uint64_t duration;      /* ns */
    uint64_t rv;            /* the module's return value */
    uint64_t caller;        /* return address into the calling code */
    uint64_t job;           /* OpenSSL ASYNC_JOB (0: none) */
    uint64_t wait_ctx;      /* its ASYNC_WAIT_CTX */
    const uint8_t *record;  /* the call record's bytes, `size` field included */
    uint32_t record_size;
    uint32_t pid;           /* the traced process */
    uint32_t tid;           /* kernel thread id */
    uint16_t function;      /* function id (spec/functions.json) */
    uint8_t module;         /* module index (p11trace:module) */
    uint8_t flags;          /* the record's flags byte */
} p11t_lttng_call_event;

/* The traced process: the `p11trace:process` event, the binary log's header. */
typedef struct p11t_lttng_process_event {
    uint64_t monotonic_origin;  /* CLOCK_MONOTONIC ns ... */
    uint64_t wall_origin;       /* ... and CLOCK_REALTIME ns since the epoch at the same moment */
    uint32_t pid;
    uint32_t ppid;
    uint8_t ulong_size;         /* sizeof(CK_ULONG) */
    uint8_t capture;            /* 0 lengths, 1 data, 2 secrets */
    uint8_t set_uid;
    const char *name;           /* /proc/self/comm */
    const char *executable;
    const char *command_line;
    const char *writer;         /* "p11trace <version>" */
} p11t_lttng_process_event;

/* A wrapped module's function table: the `p11trace:module` event. */
typedef struct p11t_lttng_module_event {
    uint32_t pid;
    const char *path;
    const char *caller;         /* managed mode: the library the table was handed to; "" otherwise */
    uint8_t index;
    uint8_t layout;             /* table entries: 68, 92 or 104; 0 while only entry points were seen */
    uint8_t major;
    uint8_t minor;
    uint8_t how;                /* 0 configuration, 1 preload dlsym, 2 preload entry point */
} p11t_lttng_module_event;

/* One loaded object of a library map: the `p11trace:library` event. */
typedef struct p11t_lttng_library_event {
    uint32_t pid;
    uint64_t snapshot;          /* the map it belongs to: 1, 2, 3... */
    uint64_t start;
    uint64_t end;
    const char *path;
} p11t_lttng_library_event;

/* The provider's exported functions, looked up with dlsym under these names. */
typedef void (*p11t_lttng_call_fn)(const p11t_lttng_call_event *event);
typedef void (*p11t_lttng_process_fn)(const p11t_lttng_process_event *event);
typedef void (*p11t_lttng_module_fn)(const p11t_lttng_module_event *event);
typedef void (*p11t_lttng_library_fn)(const p11t_lttng_library_event *event);
/* The address of the `p11trace:call` tracepoint's state: non-zero while a session records the
 * event. Read before encoding a call, so that a process with no session recording it pays a
 * load and a branch. */
typedef const int *(*p11t_lttng_call_state_fn)(void);

/* The provider's file name, found beside libp11trace.so. */
#define P11T_LTTNG_PROVIDER "libp11trace-lttng.so"

#ifdef __cplusplus
}
#endif

#endif /* P11T_LTTNG_ABI_H */
