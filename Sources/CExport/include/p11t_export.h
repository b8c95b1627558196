/*
 * The boundary between the C half of the interposer (ABI, trampolines, thread-local state)
 * and its Swift half (configuration, the binary log, the encoder). Swift sees exactly what
 * this header declares. Nothing here allocates, locks or throws.
 */
#ifndef P11T_EXPORT_H
#define P11T_EXPORT_H

#include <stdint.h>
#include <stddef.h>
#include <time.h>
#include "p11t_pkcs11.h"
#include "p11t_lttng_abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest number of parameters any PKCS#11 function takes (C_UnwrapKeyAuthenticated). */
#define P11T_MAX_ARGS 12
/* Values captured before the call (length pointers' contents). */
#define P11T_MAX_PRE 4

/* One traced call, filled by a generated trampoline and handed to the Swift encoder. It lives
 * on the trampoline's stack. */
typedef struct p11t_call {
    uint64_t t0;                   /* start, monotonic ns */
    uint64_t t1;                   /* end, monotonic ns */
    uint64_t args[P11T_MAX_ARGS];  /* the arguments, widened to 64 bits (pointers as addresses) */
    uint64_t pre[P11T_MAX_PRE];    /* *pulLen before the call, for out buffers and arrays */
    uint64_t rv;                   /* the module's return value */
    uint64_t caller;               /* return address into the calling code */
    uint64_t job;                  /* OpenSSL ASYNC_JOB the call ran in (0: none, or no libcrypto) */
    uint64_t wait_ctx;             /* that job's ASYNC_WAIT_CTX (0 outside a job) */
    uint64_t sequence;             /* LTTng backend: the call's number in the process, taken as it
                                      starts (p11t_lttng_before); 0 otherwise */
    uint32_t pre_mask;             /* bit i: pre[i] holds a value */
    uint16_t function;             /* function id (spec/functions.json) */
    uint8_t module;                /* module index in the log */
    uint8_t nested;                /* 1 when another traced call is in progress on this thread */
    uint8_t managed;               /* managed mode: bit 0 issued on the caller's behalf (not by the
                                      application), bit 1 absorbed (did not reach the module) */
    uint8_t unrecorded;            /* set by a `before` hook: no backend records this call, so
                                      its clocks are not read and the record hook not called */
} p11t_call;

/* Per-thread writer state. The record path touches only this and the chunk it points to. */
typedef struct p11t_thread_state {
    uint8_t *chunk;           /* current chunk (NULL: none yet) */
    uint64_t last_start;      /* start time of the previous record in this chunk */
    uint64_t last_caller;     /* caller address of the previous record in this chunk */
    uintptr_t stack_lo;       /* this thread's stack, for safe pre-call peeks */
    uintptr_t stack_hi;
    uint32_t position;        /* write offset in the chunk */
    uint32_t generation;      /* log generation the chunk belongs to */
    uint32_t tid;             /* kernel thread id, 0 until known */
    uint32_t chunk_index;     /* how many chunks this thread has taken */
    uint32_t depth;           /* traced calls in progress on this thread */
    uint32_t busy;            /* the encoder is running on this thread (signal re-entry guard) */
    uint8_t managed_behalf;   /* managed mode is issuing calls on a caller's behalf */
    uint8_t managed_absorbed; /* managed mode answered the current call without the module */
    uint8_t *lttng_scratch;   /* LTTng backend: where this thread encodes a record (NULL: none yet) */
} p11t_thread_state;

/* The thread's state. Initial-exec TLS: one instruction, no call into the dynamic linker. */
extern __thread p11t_thread_state p11t_thread __attribute__((tls_model("initial-exec")));

static inline p11t_thread_state *p11t_thread_state_get(void) { return &p11t_thread; }

/* The record clock. With an invariant TSC (constant_tsc and nonstop_tsc) records carry TSC
 * ticks, read in a few ns; the log holds the calibration that turns them into ns (header and
 * chunk anchors, docs/log-format.md). Otherwise CLOCK_MONOTONIC ns (vDSO, ~20-30 ns a read).
 * Chosen once at bootstrap, before any call is recorded. */
extern uint8_t p11t_clock_is_tsc;

static inline uint64_t p11t_clock_read(void)
{
#if defined(__x86_64__)
    if (__builtin_expect(p11t_clock_is_tsc, 1))
        return __builtin_ia32_rdtsc();
#endif
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* CLOCK_MONOTONIC ns. */
uint64_t p11t_monotonic_ns(void);
/* A record-clock reading and a CLOCK_MONOTONIC reading taken as close together as possible
 * (the shortest of a few tries), for calibration anchors. */
void p11t_clock_pair(uint64_t *clock, uint64_t *monotonic);
/* Chooses the record clock (1: TSC ticks, 0: CLOCK_MONOTONIC ns); called once at bootstrap. */
void p11t_clock_use_tsc(int on);
/* 1 when records carry TSC ticks. */
int p11t_clock_uses_tsc(void);
/* 1 when the CPU's TSC is invariant (constant_tsc and nonstop_tsc in /proc/cpuinfo) and the
 * kernel itself keeps the TSC as its clocksource (so the CPUs' TSCs agree). */
int p11t_tsc_is_invariant(void);
/* Kernel thread id (a system call: cache it). */
uint32_t p11t_gettid(void);
/* Fills this thread's stack bounds in its state (once per thread). */
void p11t_thread_stack_init(p11t_thread_state *t);

/* 1 in a set-uid/set-gid process (AT_SECURE): configuration from the environment is ignored. */
int p11t_secure_process(void);

/* Copies n bytes from src, which may be any address, without faulting. Returns 1 when all n
 * bytes were copied, 0 when any of them is unreadable (dst is then unspecified). */
int p11t_safe_copy(void *dst, const void *src, size_t n);

/* What the Swift half hands to C at bootstrap. */
typedef struct p11t_swift_hooks {
    /* Records one finished call. Never fails visibly: a call it cannot record is counted. */
    void (*record)(const p11t_call *call);
    /* NULL, or called with the inputs in place just before the module is called (t0 unset);
     * it may fill `sequence`, or set `unrecorded`. */
    void (*before)(p11t_call *call);
    /* Registers a wrapped module; returns its index in the log (0..254), 255 when full. `caller`
     * is NULL, or in managed mode the path of the library the table was handed to (each
     * caller's table then has an index of its own). */
    uint8_t (*register_module)(const char *path, uint8_t layout, uint8_t major, uint8_t minor, uint8_t how,
                               const char *caller);
    /* Called in the child after fork(): the child must never write into its parent's file. */
    void (*after_fork_child)(void);
    /* NULL, or writes a map of the loaded objects to the log when it changed since the last
     * one (never on the record path: at bootstrap, module registration, rare calls, exit). */
    void (*library_map)(void);
    /* 1 when calls are recorded at all (a log or other backend is configured). */
    int enabled;
    /* Per-function record filter: filter[id] != 0 records the function. */
    const uint8_t *filter;
    /* 1 in managed mode (P11TRACE_MANAGED): one table per calling library, each behaving as a
     * p11-kit managed module (docs/managed.md). */
    int managed;
    /* NULL, or (LTTng backend) writes the process, module and library events again: called on
     * the first call recorded after a session began recording p11trace:call in a process that
     * was already running, so that the trace names its modules and callers. Rare; may lock. */
    void (*metadata)(void);
} p11t_swift_hooks;

/* Publishes a finished record: its size is stored last, with release ordering, so that a
 * reader of the mapped file (or a crash) sees either no record or the whole record. */
static inline void p11t_commit_record(uint8_t *at, uint16_t size)
{
    __atomic_store_n((uint16_t *)(void *)at, size, __ATOMIC_RELEASE);
}

/* The process is exiting or has forked: the log generation to compare a thread's chunk with. */
extern uint32_t p11t_log_generation;

static inline uint32_t p11t_log_generation_get(void)
{
    return __atomic_load_n(&p11t_log_generation, __ATOMIC_ACQUIRE);
}

static inline void p11t_log_generation_bump(void)
{
    __atomic_add_fetch(&p11t_log_generation, 1, __ATOMIC_RELEASE);
}

/* Mechanism parameter descriptors (spec/mechanisms.json, generated/p11t_mechanisms.inc). The
 * encoder walks them to record a parameter field by field without knowing any structure. */
enum {
    P11T_PARAM_ULONG = 1,       /* CK_ULONG (any name domain) */
    P11T_PARAM_BOOL = 2,        /* CK_BBOOL */
    P11T_PARAM_HANDLE = 3,      /* CK_OBJECT_HANDLE */
    P11T_PARAM_BYTES = 4,       /* pointer; byte count in the CK_ULONG at offset `length` */
    P11T_PARAM_BYTES_BITS = 5,  /* pointer; bit count in the CK_ULONG at offset `length` */
    P11T_PARAM_BYTES_FIXED = 6, /* pointer to `length` bytes */
    P11T_PARAM_ARRAY = 7,       /* `length` bytes inside the structure */
};

typedef struct p11t_param_field {
    uint16_t offset;       /* offsetof the field */
    uint16_t length;       /* see the kinds above */
    uint8_t kind;          /* P11T_PARAM_* */
    uint8_t buffer_class;  /* bytes kinds: 0 public, 1 data, 2 secret (as in the function table) */
} p11t_param_field;

typedef struct p11t_param_layout {
    uint16_t id;           /* structure id in the log; 0: recorded as raw bytes (form 1) */
    uint16_t size;         /* sizeof the structure: ulParameterLen must equal it */
    uint16_t field_count;
    const p11t_param_field *fields;
} p11t_param_layout;

/* The layout of `mechanism`'s parameter when `length` is its exact size, else NULL. With
 * `message` set, the 3.0 message parameter of the mechanism (authenticated wrapping). */
const p11t_param_layout *p11t_param_layout_for(CK_MECHANISM_TYPE mechanism, CK_ULONG length, int message);
/* The message parameter of C_EncryptMessage* / C_DecryptMessage* told apart by its size (the
 * mechanism was given to C_MessageEncryptInit, which the record path does not remember). */
const p11t_param_layout *p11t_message_param_layout_for(CK_ULONG length);

/* One loaded object: its path ("" for the main program, whose path the caller finds) and the
 * address range its loadable segments span. */
typedef void (*p11t_loaded_object_fn)(const char *path, uint64_t start, uint64_t end, void *context);
/* The dynamic linker's counts of objects loaded and unloaded so far (they change exactly when
 * the set of loaded objects does). */
void p11t_loaded_objects_counts(uint64_t *adds, uint64_t *subs);
/* Calls `each` for every loaded object, in load order. */
void p11t_loaded_objects(p11t_loaded_object_fn each, void *context);

/* ---- the LTTng backend (lttng.c, docs/lttng.md) ---- */

/* The provider's functions, NULL until p11t_lttng_load succeeded. */
typedef struct p11t_lttng_provider {
    p11t_lttng_call_fn call;
    p11t_lttng_process_fn process;
    p11t_lttng_module_fn module;
    p11t_lttng_library_fn library;
    const int *call_state;  /* the p11trace:call tracepoint's state */
} p11t_lttng_provider;

extern p11t_lttng_provider p11t_lttng;

/* Accessors for Swift (which cannot read a mutable C global): set once at bootstrap, read
 * afterwards. */
static inline int p11t_lttng_loaded(void) { return p11t_lttng.call != NULL; }
/* Whether a session records p11trace:call now. Relaxed: LTTng flips the state from its
 * listener thread; a call that races with the flip is recorded or not, either is right. */
static inline int p11t_lttng_call_enabled(void) { return __atomic_load_n(p11t_lttng.call_state, __ATOMIC_RELAXED) != 0; }
static inline void p11t_lttng_emit_call(const p11t_lttng_call_event *e) { p11t_lttng.call(e); }
static inline void p11t_lttng_emit_process(const p11t_lttng_process_event *e) { p11t_lttng.process(e); }
static inline void p11t_lttng_emit_module(const p11t_lttng_module_event *e) { p11t_lttng.module(e); }
static inline void p11t_lttng_emit_library(const p11t_lttng_library_event *e) { p11t_lttng.library(e); }

/* Loads libp11trace-lttng.so from the directory this library was loaded from (RTLD_NOW |
 * RTLD_LOCAL; never unloaded) and looks up its functions. Returns 1 on success; otherwise 0
 * with the reason in `error` (NUL-terminated, at most `size` bytes). Called once, at bootstrap. */
int p11t_lttng_load(char *error, size_t size);

/* The `before` hook of the LTTng backend: while a session records p11trace:call, numbers
 * the call in the order calls start (one relaxed atomic increment); otherwise marks it
 * unrecorded, so that the call costs no clock read and no record hook. */
void p11t_lttng_before(p11t_call *call);

/* Starts the numbering again at 1 (in a forked child). */
void p11t_lttng_reset_sequence(void);

/* Notes whether a session records p11trace:call now (at bootstrap, when the metadata events
 * have just been written), so that only a later start writes them again. */
void p11t_lttng_note_recording(void);

/* Room for one record: the record's u16 size bounds it. */
#define P11T_LTTNG_SCRATCH_SIZE 65535

/* This thread's scratch buffer (P11T_LTTNG_SCRATCH_SIZE bytes), allocated on its first call
 * and freed when the thread exits; also keeps t->tid current (after a fork too). NULL when
 * the allocation failed. */
uint8_t *p11t_lttng_thread_scratch(p11t_thread_state *t);

/* Number of traced function ids plus one (ids start at 1). */
#define P11T_FUNCTION_SLOTS 128

#ifdef __cplusplus
}
#endif

#endif /* P11T_EXPORT_H */
