/*
 * The exported PKCS#11 entry points, module loading for the module-config way in, and the
 * one-time bootstrap of the Swift half.
 *
 * Module config: P11TRACE_MODULE names the real module; it is dlopen'ed RTLD_LOCAL on the
 * first entry-point call and never initialised by us (the application's C_Initialize is).
 * Preload: without P11TRACE_MODULE our exported entry points stand for the next definition
 * in the process (an application linked directly against a module), except when a module
 * calls its own entry point, which is passed straight to that module's definition.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include "p11t_internal.h"

p11t_entry *p11t_entry_find_or_add(void *base, const char *path, uint8_t how);
extern void p11t_swift_bootstrap(p11t_swift_hooks *hooks);

static uint8_t p11t_filter_none[P11T_FUNCTION_SLOTS];
static void p11t_record_nothing(const p11t_call *call) { (void)call; }

p11t_swift_hooks p11t_hooks = { p11t_record_nothing, NULL, NULL, NULL, NULL, 0, p11t_filter_none, 0 };

static pthread_once_t p11t_once = PTHREAD_ONCE_INIT;

static void p11t_after_fork_child(void)
{
    if (p11t_hooks.after_fork_child != NULL)
        p11t_hooks.after_fork_child();
}

/* The objects still loaded at exit: the last map, for callers loaded after the others. */
static void p11t_at_exit(void)
{
    if (p11t_hooks.library_map != NULL)
        p11t_hooks.library_map();
}

static void p11t_init_once(void)
{
    p11t_swift_bootstrap(&p11t_hooks);
    pthread_atfork(NULL, NULL, p11t_after_fork_child);
    p11t_async_refresh();
    if (p11t_hooks.enabled)
        atexit(p11t_at_exit);
}

void p11t_init(void)
{
    pthread_once(&p11t_once, p11t_init_once);
}

/* Environment is ignored in set-uid/set-gid processes (AT_SECURE). */
static const char *p11t_secure_getenv(const char *name)
{
    return getauxval(AT_SECURE) ? NULL : getenv(name);
}

static void p11t_entry_resolve(p11t_entry *e, void *handle)
{
    if (e->get_function_list == NULL)
        e->get_function_list = (CK_C_GetFunctionList)p11t_real_dlsym(handle, "C_GetFunctionList");
    if (e->get_interface_list == NULL)
        e->get_interface_list = (CK_C_GetInterfaceList)p11t_real_dlsym(handle, "C_GetInterfaceList");
    if (e->get_interface == NULL)
        e->get_interface = (CK_C_GetInterface)p11t_real_dlsym(handle, "C_GetInterface");
    /* A module that is really us (loaded twice, or named by mistake): never wrap ourselves. */
    if (e->get_function_list && p11t_is_own((void *)e->get_function_list))
        e->get_function_list = NULL;
    if (e->get_interface_list && p11t_is_own((void *)e->get_interface_list))
        e->get_interface_list = NULL;
    if (e->get_interface && p11t_is_own((void *)e->get_interface))
        e->get_interface = NULL;
}

static void p11t_entry_register(p11t_entry *e)
{
    p11t_init();
    if (e->log_index == 255 && p11t_hooks.register_module != NULL)
        e->log_index = p11t_hooks.register_module(e->path, 0, 0, 0, e->how, NULL);
}

p11t_entry *p11t_entry_for(void *fn, uint8_t how)
{
    Dl_info info;
    if (fn == NULL || dladdr(fn, &info) == 0 || info.dli_fbase == NULL)
        return NULL;
    char resolved[PATH_MAX];
    const char *path = info.dli_fname;
    if (path != NULL && realpath(path, resolved) != NULL)
        path = resolved;
    p11t_entry *e = p11t_entry_find_or_add(info.dli_fbase, path, how);
    if (e == NULL)
        return NULL;
    void *handle = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
    if (handle != NULL) {
        p11t_entry_resolve(e, handle);
        dlclose(handle);  /* drops only the reference RTLD_NOLOAD added */
    }
    p11t_entry_register(e);
    return e;
}

/* The module named by P11TRACE_MODULE, loaded once. */
static p11t_entry *p11t_configured;
static pthread_once_t p11t_configured_once = PTHREAD_ONCE_INIT;

static void p11t_load_configured(void)
{
    const char *path = p11t_secure_getenv("P11TRACE_MODULE");
    if (path == NULL || *path == '\0')
        return;
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        fprintf(stderr, "p11trace: cannot load P11TRACE_MODULE=%s: %s\n", path, dlerror());
        return;
    }
    void *fn = p11t_real_dlsym(handle, "C_GetFunctionList");
    if (fn == NULL || p11t_is_own(fn)) {
        fprintf(stderr, "p11trace: P11TRACE_MODULE=%s is not a PKCS#11 module%s\n", path,
                fn ? " (it is p11trace itself)" : "");
        return;
    }
    p11t_configured = p11t_entry_for(fn, P11T_HOW_CONFIG);
}

/* Which module our exported entry point stands for, given who called it. NULL: none. */
static p11t_entry *p11t_export_target(void *caller, const char *symbol, void **passthrough)
{
    pthread_once(&p11t_configured_once, p11t_load_configured);
    *passthrough = NULL;
    if (p11t_configured != NULL)
        return p11t_configured;
    /* A module calling its own entry point resolves to ours under LD_PRELOAD: hand it back. */
    Dl_info info;
    if (dladdr(caller, &info) != 0 && info.dli_fname != NULL && !p11t_is_own(caller)) {
        void *handle = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
        if (handle != NULL) {
            void *own = p11t_real_dlsym(handle, symbol);
            dlclose(handle);
            Dl_info def;
            if (own != NULL && !p11t_is_own(own) && dladdr(own, &def) != 0 && def.dli_fbase == info.dli_fbase) {
                *passthrough = own;
                return NULL;
            }
        }
    }
    void *next = p11t_real_dlsym(RTLD_NEXT, symbol);
    if (next == NULL || p11t_is_own(next))
        return NULL;
    return p11t_entry_for(next, P11T_HOW_EXPORT);
}

static void p11t_no_module(void)
{
    static int said;
    if (!__atomic_exchange_n(&said, 1, __ATOMIC_RELAXED))
        fprintf(stderr, "p11trace: no PKCS#11 module to wrap: set P11TRACE_MODULE to the real module's path\n");
}

__attribute__((visibility("default")))
CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList)
{
    void *pass;
    p11t_entry *e = p11t_export_target(__builtin_return_address(0), "C_GetFunctionList", &pass);
    if (pass != NULL)
        return ((CK_C_GetFunctionList)pass)(ppFunctionList);
    if (e == NULL) {
        p11t_no_module();
        return CKR_GENERAL_ERROR;
    }
    return p11t_entry_get_function_list(e, ppFunctionList, __builtin_return_address(0));
}

__attribute__((visibility("default")))
CK_RV C_GetInterfaceList(CK_INTERFACE_PTR pInterfacesList, CK_ULONG_PTR pulCount)
{
    void *pass;
    p11t_entry *e = p11t_export_target(__builtin_return_address(0), "C_GetInterfaceList", &pass);
    if (pass != NULL)
        return ((CK_C_GetInterfaceList)pass)(pInterfacesList, pulCount);
    if (e == NULL) {
        p11t_no_module();
        return CKR_GENERAL_ERROR;
    }
    return p11t_entry_get_interface_list(e, pInterfacesList, pulCount, __builtin_return_address(0));
}

__attribute__((visibility("default")))
CK_RV C_GetInterface(CK_UTF8CHAR_PTR pInterfaceName, CK_VERSION_PTR pVersion, CK_INTERFACE_PTR_PTR ppInterface,
                     CK_FLAGS flags)
{
    void *pass;
    p11t_entry *e = p11t_export_target(__builtin_return_address(0), "C_GetInterface", &pass);
    if (pass != NULL)
        return ((CK_C_GetInterface)pass)(pInterfaceName, pVersion, ppInterface, flags);
    if (e == NULL) {
        p11t_no_module();
        return CKR_GENERAL_ERROR;
    }
    return p11t_entry_get_interface(e, pInterfaceName, pVersion, ppInterface, flags, __builtin_return_address(0));
}
