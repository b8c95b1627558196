/*
 * A malloc-family interposer that counts heap allocations, for the allocation guard of the
 * record path: LD_PRELOAD it ahead of the program; the program reads the count through
 * p11t_alloc_count(), found with dlsym(RTLD_DEFAULT, ...). Counting is per process, relaxed
 * atomics (the count is read only between measured batches).
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static uint64_t p11t_allocations;

static void p11t_count(void)
{
    __atomic_add_fetch(&p11t_allocations, 1, __ATOMIC_RELAXED);
}

__attribute__((visibility("default"))) uint64_t p11t_alloc_count(void)
{
    return __atomic_load_n(&p11t_allocations, __ATOMIC_RELAXED);
}

__attribute__((visibility("default"))) void *malloc(size_t n)
{
    p11t_count();
    return __libc_malloc(n);
}

__attribute__((visibility("default"))) void *calloc(size_t n, size_t m)
{
    p11t_count();
    return __libc_calloc(n, m);
}

__attribute__((visibility("default"))) void *realloc(void *p, size_t n)
{
    p11t_count();
    return __libc_realloc(p, n);
}

__attribute__((visibility("default"))) void *memalign(size_t a, size_t n)
{
    p11t_count();
    return __libc_memalign(a, n);
}

__attribute__((visibility("default"))) void *aligned_alloc(size_t a, size_t n)
{
    p11t_count();
    return __libc_memalign(a, n);
}

__attribute__((visibility("default"))) int posix_memalign(void **out, size_t a, size_t n)
{
    p11t_count();
    void *p = __libc_memalign(a, n);
    if (p == NULL)
        return 12; /* ENOMEM */
    *out = p;
    return 0;
}

__attribute__((visibility("default"))) void free(void *p)
{
    __libc_free(p);
}
