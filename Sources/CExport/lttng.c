/*
 * The LTTng backend's C part: finding and loading the tracepoint provider, numbering calls as
 * they start, and each thread's scratch buffer. The interposer does not link liblttng-ust;
 * the provider library does, and it is loaded only here, only for P11TRACE_BACKEND=lttng.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "p11t_internal.h"

p11t_lttng_provider p11t_lttng;

/* Calls started so far in this process; the LTTng backend's call numbers. */
static uint64_t p11t_lttng_sequence;

int p11t_lttng_load(char *error, size_t size)
{
    Dl_info info;
    if (dladdr((void *)p11t_lttng_load, &info) == 0 || info.dli_fname == NULL) {
        snprintf(error, size, "cannot find the directory of libp11trace.so");
        return 0;
    }
    char path[PATH_MAX];
    const char *slash = strrchr(info.dli_fname, '/');
    int length = slash == NULL ? 0 : (int)(slash - info.dli_fname) + 1;
    if (snprintf(path, sizeof path, "%.*s%s", length, info.dli_fname, P11T_LTTNG_PROVIDER) >= (int)sizeof path) {
        snprintf(error, size, "path of %s too long", P11T_LTTNG_PROVIDER);
        return 0;
    }
    /* Never dlclosed: LTTng-UST keeps pointers into the provider (its probes) while the
     * process runs. */
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        snprintf(error, size, "cannot load %s: %s", path, dlerror());
        return 0;
    }
    p11t_lttng_provider found = {
        (p11t_lttng_call_fn)p11t_real_dlsym(handle, "p11t_lttng_call"),
        (p11t_lttng_process_fn)p11t_real_dlsym(handle, "p11t_lttng_process"),
        (p11t_lttng_module_fn)p11t_real_dlsym(handle, "p11t_lttng_module"),
        (p11t_lttng_library_fn)p11t_real_dlsym(handle, "p11t_lttng_library"),
        NULL,
    };
    p11t_lttng_call_state_fn state = (p11t_lttng_call_state_fn)p11t_real_dlsym(handle, "p11t_lttng_call_state");
    found.call_state = state == NULL ? NULL : state();
    if (found.call == NULL || found.process == NULL || found.module == NULL || found.library == NULL
        || found.call_state == NULL) {
        snprintf(error, size, "%s lacks the p11t_lttng_* functions", path);
        return 0;
    }
    p11t_lttng = found;
    return 1;
}

/* Whether the last call seen found p11trace:call recorded. Relaxed throughout: it only decides
 * whether the metadata events are written again, and the exchange makes that happen once per
 * start of recording. */
static int p11t_lttng_recording;

void p11t_lttng_note_recording(void)
{
    __atomic_store_n(&p11t_lttng_recording, p11t_lttng_call_enabled(), __ATOMIC_RELAXED);
}

void p11t_lttng_before(p11t_call *call)
{
    if (!p11t_lttng_call_enabled()) {
        if (__builtin_expect(__atomic_load_n(&p11t_lttng_recording, __ATOMIC_RELAXED), 0))
            __atomic_store_n(&p11t_lttng_recording, 0, __ATOMIC_RELAXED);
        call->unrecorded = 1;
        return;
    }
    if (__builtin_expect(!__atomic_load_n(&p11t_lttng_recording, __ATOMIC_RELAXED), 0)) {
        /* A session began recording since the last call: it has none of the metadata events
         * written at bootstrap. Once, whichever thread gets here first. */
        int expected = 0;
        if (__atomic_compare_exchange_n(&p11t_lttng_recording, &expected, 1, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)
            && p11t_hooks.metadata != NULL)
            p11t_hooks.metadata();
    }
    /* Relaxed: the number only has to be unique and follow the order the increments took. */
    call->sequence = __atomic_add_fetch(&p11t_lttng_sequence, 1, __ATOMIC_RELAXED);
}

void p11t_lttng_reset_sequence(void)
{
    /* In the child just after fork: no other thread exists. */
    __atomic_store_n(&p11t_lttng_sequence, 0, __ATOMIC_RELAXED);
}

static pthread_key_t p11t_lttng_scratch_key;
static pthread_once_t p11t_lttng_scratch_once = PTHREAD_ONCE_INIT;

static void p11t_lttng_scratch_free(void *scratch)
{
    p11t_thread.lttng_scratch = NULL;
    free(scratch);
}

static void p11t_lttng_scratch_key_create(void)
{
    pthread_key_create(&p11t_lttng_scratch_key, p11t_lttng_scratch_free);
}

uint8_t *p11t_lttng_thread_scratch(p11t_thread_state *t)
{
    uint32_t generation = p11t_log_generation_get();
    if (__builtin_expect(t->tid == 0 || t->generation != generation, 0)) {
        t->tid = p11t_gettid();
        t->generation = generation;
    }
    if (__builtin_expect(t->lttng_scratch == NULL, 0)) {
        /* Once per thread, like a chunk of the binary log. */
        pthread_once(&p11t_lttng_scratch_once, p11t_lttng_scratch_key_create);
        t->lttng_scratch = malloc(P11T_LTTNG_SCRATCH_SIZE);
        if (t->lttng_scratch != NULL)
            pthread_setspecific(p11t_lttng_scratch_key, t->lttng_scratch);
    }
    return t->lttng_scratch;
}
