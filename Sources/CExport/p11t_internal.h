/*
 * Internal declarations of the C half: module slots, entry slots and the inline helpers the
 * generated trampolines use. Not visible to Swift.
 */
#ifndef P11T_INTERNAL_H
#define P11T_INTERNAL_H

#include <pthread.h>
#include <time.h>
#include "p11t_export.h"
#include "generated/p11t_function_ids.h"

/* Fixed copies of the trampolines: one per wrapped function table. p11-kit uses libffi
 * closures for this; fixed copies need no executable memory and no dependency, and 32
 * tables cover every process we have seen (a proxy and a handful of modules, each
 * perhaps through two interface versions). A table past the last slot is handed out
 * unwrapped and counted, never refused. */
#define P11T_MAX_MODULES 32
/* Modules reached through their exported entry points (dlsym, module config). */
#define P11T_MAX_ENTRIES 32

/* Entries in the three function-list layouts. */
enum { P11T_LAYOUT_2_40 = 68, P11T_LAYOUT_3_0 = 92, P11T_LAYOUT_3_2 = 104 };

/* How a module came to be wrapped (recorded in the log's module metadata). */
enum { P11T_HOW_CONFIG = 0, P11T_HOW_DLSYM = 1, P11T_HOW_EXPORT = 2 };

/* A module reached through its exported entry points. */
typedef struct p11t_entry {
    void *base;                         /* load address of the module (dladdr), the key */
    CK_C_GetFunctionList get_function_list;
    CK_C_GetInterfaceList get_interface_list;
    CK_C_GetInterface get_interface;
    uint8_t log_index;
    uint8_t how;
    char path[512];
    /* Managed mode: how many callers' tables have initialised the module (guarded by the
     * managed lock, docs/managed.md). */
    unsigned managed_initialized;
} p11t_entry;

/* Managed mode: a session opened through one caller's table. */
typedef struct p11t_managed_session {
    CK_SESSION_HANDLE handle;
    CK_SLOT_ID slot;
} p11t_managed_session;

/* One wrapped function table. */
typedef struct p11t_module {
    CK_FUNCTION_LIST_3_2 *real;         /* the module's table; only `layout` entries exist */
    CK_FUNCTION_LIST_3_2 table;         /* ours: same version, same NULL entries */
    CK_INTERFACE interface;             /* ours, when handed out through C_GetInterface* */
    p11t_entry *entry;                  /* the module this table came from */
    void *caller;                       /* managed mode: load address of the calling library */
    /* Managed mode, guarded by the managed lock: this caller has initialised the module, and
     * the sessions it opened (grown by realloc, never on the record path). */
    p11t_managed_session *sessions;
    size_t session_count, session_capacity;
    uint8_t initialized;
    uint8_t managed;                    /* this table behaves as a managed module */
    uint8_t layout;
    uint8_t log_index;
} p11t_module;

extern p11t_module p11t_modules[P11T_MAX_MODULES];
extern p11t_entry p11t_entries[P11T_MAX_ENTRIES];
extern p11t_swift_hooks p11t_hooks;

/* Loads configuration and the Swift half once. Safe to call from any entry point. */
void p11t_init(void);

/* The wrapped table for `real` seen with `layout` entries, handed to the library loaded at
 * `caller` (used only in managed mode, where each calling library gets a table of its own);
 * NULL when all slots are used. */
p11t_module *p11t_wrap_table(p11t_entry *entry, void *real, uint8_t layout, void *caller);
/* Wraps one interface in place when it is a "PKCS 11" interface; others are left alone. */
void p11t_wrap_interface(p11t_entry *entry, CK_INTERFACE *interface, void *caller);
/* The load address of the library holding code address `pc` in managed mode; NULL otherwise
 * (then every caller shares one table per module and layout). */
void *p11t_caller_key(const void *pc);
/* The entry slot for the module whose entry point is `fn`; NULL when all slots are used. */
p11t_entry *p11t_entry_for(void *fn, uint8_t how);
/* The wrapped entry point of `entry` for symbol kind 0/1/2 (C_GetFunctionList, ...List, ...). */
void *p11t_entry_symbol(p11t_entry *entry, int which);
/* 1 when fn is one of this library's own functions (never wrap ourselves). */
int p11t_is_own(const void *fn);

/* The entry-point logic shared by every entry slot and by our own exports. */
CK_RV p11t_entry_get_function_list(p11t_entry *e, CK_FUNCTION_LIST_PTR_PTR pp, void *caller);
CK_RV p11t_entry_get_interface_list(p11t_entry *e, CK_INTERFACE_PTR list, CK_ULONG_PTR count, void *caller);
CK_RV p11t_entry_get_interface(p11t_entry *e, CK_UTF8CHAR_PTR name, CK_VERSION_PTR version,
                               CK_INTERFACE_PTR_PTR pp, CK_FLAGS flags, void *caller);

/* The real dlsym, never our hook. */
void *p11t_real_dlsym(void *handle, const char *symbol);

/* OpenSSL's ASYNC_get_current_job and ASYNC_get_wait_ctx, found with the real dlsym in the
 * process's global scope (we never link libcrypto); NULL while no libcrypto is loaded.
 * Written only by p11t_async_refresh (bootstrap, the dlsym hook, rare calls), read per call. */
typedef void *(*p11t_async_job_fn)(void);
typedef void *(*p11t_async_wait_ctx_fn)(void *job);
extern p11t_async_job_fn p11t_async_current_job;
extern p11t_async_wait_ctx_fn p11t_async_wait_ctx;
/* Looks the two functions up again when they are still missing (libcrypto loaded since), and
 * has the Swift half write a new map of loaded objects when it changed. Never per call. */
void p11t_async_refresh(void);
void p11t_rare_refresh(void);

/* ---- record path helpers used by the generated trampolines ---- */

static inline int p11t_should_trace(uint16_t fn)
{
    return p11t_hooks.enabled && p11t_hooks.filter[fn];
}

static inline void p11t_call_begin_index(p11t_call *c, uint8_t log_index, uint16_t fn, void *caller)
{
    p11t_thread_state *t = &p11t_thread;
    c->function = fn;
    c->module = log_index;
    c->caller = (uint64_t)(uintptr_t)caller;
    /* Calls that come rarely and around the time libraries are loaded (a module being set
     * up, a connection's session opened) look for libcrypto and new objects again. `fn` is a
     * constant in every trampoline, so the other functions do not even test it. */
    if (fn == P11T_FN_C_Initialize || fn == P11T_FN_C_GetFunctionList || fn == P11T_FN_C_OpenSession)
        p11t_rare_refresh();
    /* Without libcrypto: one load and one predictable branch. With it: two calls into
     * libcrypto, each reading a thread-local (OpenSSL's async context). */
    /* Acquire pairs with the release in p11t_async_refresh: the wait-ctx fn is set first. */
    p11t_async_job_fn current_job = __atomic_load_n(&p11t_async_current_job, __ATOMIC_ACQUIRE);
    c->job = 0;
    c->wait_ctx = 0;
    if (__builtin_expect(current_job != NULL, 0)) {
        void *job = current_job();
        if (job != NULL) {
            c->job = (uint64_t)(uintptr_t)job;
            c->wait_ctx = (uint64_t)(uintptr_t)p11t_async_wait_ctx(job);
        }
    }
    c->pre_mask = 0;
    c->unrecorded = 0;
    c->nested = t->depth != 0;
    c->managed = t->managed_behalf;
    t->managed_absorbed = 0;
    t->depth++;
}

static inline void p11t_call_begin(p11t_call *c, const p11t_module *m, uint16_t fn, void *caller)
{
    p11t_call_begin_index(c, m->log_index, fn, caller);
}

/* Reads *p before the call only when p points into the live part of this thread's stack
 * (between our frame and the stack's top): such memory is always mapped. Anything else
 * could be a wild pointer that the module would never touch for this call. */
static inline void p11t_call_peek(p11t_call *c, int i, const CK_ULONG *p)
{
    p11t_thread_state *t = &p11t_thread;
    if (t->stack_hi == 0)
        p11t_thread_stack_init(t);
    uintptr_t a = (uintptr_t)p;
    uintptr_t lo = (uintptr_t)__builtin_frame_address(0);
    if (a >= lo && a + sizeof(CK_ULONG) <= t->stack_hi && a % _Alignof(CK_ULONG) == 0) {
        c->pre[i] = *p;
        c->pre_mask |= 1u << i;
    }
}

/* The arguments are in place and the module is about to be called: backends that write
 * inputs before the call (the live text backend) see them now; then the clock starts. */
static inline void p11t_call_start(p11t_call *c)
{
    if (p11t_hooks.before != NULL)
        p11t_hooks.before(c);
    if (__builtin_expect(!c->unrecorded, 1))
        c->t0 = p11t_clock_read();
}

static inline void p11t_call_end(p11t_call *c, CK_RV rv)
{
    if (__builtin_expect(!c->unrecorded, 1))
        c->t1 = p11t_clock_read();
    c->rv = rv;
    c->managed |= (uint8_t)(p11t_thread.managed_absorbed << 1);
    p11t_thread.managed_absorbed = 0;
    p11t_thread.depth--;
    if (__builtin_expect(!c->unrecorded, 1))
        p11t_hooks.record(c);
}

/* Managed mode (managed.c): what a managed table does instead of calling the module
 * directly. Called by the generated trampolines when m->managed is set. */
CK_RV p11t_managed_C_Initialize(p11t_module *m, CK_VOID_PTR pInitArgs);
CK_RV p11t_managed_C_Finalize(p11t_module *m, CK_VOID_PTR pReserved);
CK_RV p11t_managed_C_OpenSession(p11t_module *m, CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication,
                                 CK_NOTIFY Notify, CK_SESSION_HANDLE_PTR phSession);
CK_RV p11t_managed_C_CloseSession(p11t_module *m, CK_SESSION_HANDLE hSession);
CK_RV p11t_managed_C_CloseAllSessions(p11t_module *m, CK_SLOT_ID slotID);

/* The negotiation functions, called by the trampolines of our own tables. */
CK_RV p11t_special_C_GetFunctionList(p11t_module *m, CK_FUNCTION_LIST_PTR_PTR pp);
CK_RV p11t_special_C_GetInterfaceList(p11t_module *m, CK_INTERFACE_PTR list, CK_ULONG_PTR count);
CK_RV p11t_special_C_GetInterface(p11t_module *m, CK_UTF8CHAR_PTR name, CK_VERSION_PTR version,
                                  CK_INTERFACE_PTR_PTR pp, CK_FLAGS flags);


#endif /* P11T_INTERNAL_H */
