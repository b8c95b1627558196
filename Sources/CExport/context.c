/*
 * Where a call comes from, found without a cost per call: OpenSSL's async job functions
 * looked up in the process (never linked), and the map of loaded objects that lets the
 * decoder turn a caller's return address into a library.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <string.h>
#include "p11t_internal.h"

p11t_async_job_fn p11t_async_current_job;
p11t_async_wait_ctx_fn p11t_async_wait_ctx;

void p11t_async_refresh(void)
{
    if (__atomic_load_n(&p11t_async_current_job, __ATOMIC_ACQUIRE) != NULL)
        return;
    /* Both or neither: libcrypto 1.1 and 3.x have both. */
    p11t_async_wait_ctx_fn wait_ctx = (p11t_async_wait_ctx_fn)p11t_real_dlsym(RTLD_DEFAULT, "ASYNC_get_wait_ctx");
    p11t_async_job_fn current_job = (p11t_async_job_fn)p11t_real_dlsym(RTLD_DEFAULT, "ASYNC_get_current_job");
    if (wait_ctx == NULL || current_job == NULL)
        return;
    __atomic_store_n(&p11t_async_wait_ctx, wait_ctx, __ATOMIC_RELAXED);
    /* Release: a thread that sees the job fn sees the wait-ctx fn. */
    __atomic_store_n(&p11t_async_current_job, current_job, __ATOMIC_RELEASE);
}

void p11t_rare_refresh(void)
{
    p11t_async_refresh();
    if (p11t_hooks.library_map != NULL)
        p11t_hooks.library_map();
}

static int p11t_counts_visit(struct dl_phdr_info *info, size_t size, void *data)
{
    uint64_t *counts = data;
    if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs) {
        counts[0] = info->dlpi_adds;
        counts[1] = info->dlpi_subs;
    }
    return 1;  /* the counts are the same in every entry: the first one will do */
}

void p11t_loaded_objects_counts(uint64_t *adds, uint64_t *subs)
{
    uint64_t counts[2] = { 0, 0 };
    dl_iterate_phdr(p11t_counts_visit, counts);
    *adds = counts[0];
    *subs = counts[1];
}

struct p11t_objects_walk {
    p11t_loaded_object_fn each;
    void *context;
};

static int p11t_objects_visit(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    struct p11t_objects_walk *walk = data;
    uint64_t start = UINT64_MAX, end = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
            continue;
        uint64_t lo = (uint64_t)info->dlpi_addr + ph->p_vaddr;
        uint64_t hi = lo + ph->p_memsz;
        if (lo < start)
            start = lo;
        if (hi > end)
            end = hi;
    }
    if (end > start)
        walk->each(info->dlpi_name != NULL ? info->dlpi_name : "", start, end, walk->context);
    return 0;
}

void p11t_loaded_objects(p11t_loaded_object_fn each, void *context)
{
    struct p11t_objects_walk walk = { each, context };
    dl_iterate_phdr(p11t_objects_visit, &walk);
}
