/*
 * The LD_PRELOAD hook. Applications and libraries obtain a module's entry points with
 * dlsym(handle, "C_GetFunctionList" | "C_GetInterfaceList" | "C_GetInterface"); we answer
 * with the entry point of our wrapper for that module. Every other symbol is the real
 * dlsym's answer, unchanged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <string.h>
#include "p11t_internal.h"

typedef void *(*p11t_dlsym_fn)(void *, const char *);

static p11t_dlsym_fn p11t_next_dlsym;

void *p11t_real_dlsym(void *handle, const char *symbol)
{
    p11t_dlsym_fn fn = __atomic_load_n(&p11t_next_dlsym, __ATOMIC_ACQUIRE);
    if (fn == NULL) {
        /* dlvsym is not hooked; glibc 2.34 moved dlsym into libc with a new version. */
        fn = (p11t_dlsym_fn)dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.34");
        if (fn == NULL)
            fn = (p11t_dlsym_fn)dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.2.5");
        __atomic_store_n(&p11t_next_dlsym, fn, __ATOMIC_RELEASE);
    }
    return fn ? fn(handle, symbol) : NULL;
}

/* RTLD_NEXT means "after the caller", and the real dlsym would take us for the caller.
 * Walk the objects loaded after the caller's, in load order, as the dynamic linker would. */
struct p11t_next_search {
    void *caller_base;
    const char *symbol;
    int after;
    void *found;
};

static int p11t_next_visit(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    struct p11t_next_search *s = data;
    if (s->found != NULL)
        return 1;
    if (!s->after) {
        Dl_info di;
        /* Compare load bases: dlpi_addr is the bias, so ask dladdr for the base. */
        if (info->dlpi_phnum > 0) {
            const void *addr = (const void *)(info->dlpi_addr + info->dlpi_phdr[0].p_vaddr);
            if (dladdr(addr, &di) != 0 && di.dli_fbase == s->caller_base)
                s->after = 1;
        }
        return 0;
    }
    const char *name = info->dlpi_name;
    void *h = dlopen(name != NULL && *name ? name : NULL, RTLD_LAZY | RTLD_NOLOAD);
    if (h != NULL) {
        void *sym = p11t_real_dlsym(h, s->symbol);
        if (sym != NULL) {
            Dl_info di;
            if (dladdr(sym, &di) != 0 && !p11t_is_own(sym))
                s->found = sym;
        }
        dlclose(h);
    }
    return s->found != NULL;
}

static void *p11t_dlsym_next(void *caller, const char *symbol)
{
    Dl_info di;
    if (dladdr(caller, &di) == 0)
        return NULL;
    struct p11t_next_search s = { di.dli_fbase, symbol, 0, NULL };
    dl_iterate_phdr(p11t_next_visit, &s);
    return s.found;
}

static int p11t_entry_kind(const char *symbol)
{
    if (symbol == NULL || symbol[0] != 'C' || symbol[1] != '_' || symbol[2] != 'G')
        return -1;
    if (strcmp(symbol, "C_GetFunctionList") == 0)
        return 0;
    if (strcmp(symbol, "C_GetInterfaceList") == 0)
        return 1;
    if (strcmp(symbol, "C_GetInterface") == 0)
        return 2;
    return -1;
}

__attribute__((visibility("default")))
void *dlsym(void *handle, const char *symbol)
{
    void *caller = __builtin_return_address(0);
    void *found = handle == RTLD_NEXT ? p11t_dlsym_next(caller, symbol) : p11t_real_dlsym(handle, symbol);
    int kind = p11t_entry_kind(symbol);
    if (found == NULL || kind < 0 || p11t_is_own(found) || p11t_is_own(caller))
        return found;
    p11t_init();
    if (!p11t_hooks.enabled)
        return found;
    p11t_entry *e = p11t_entry_for(found, P11T_HOW_DLSYM);
    /* A module is being looked up: libcrypto or the library asking may be new. */
    p11t_rare_refresh();
    if (e == NULL)
        return found;
    void *wrapped = p11t_entry_symbol(e, kind);
    return wrapped != NULL ? wrapped : found;
}
