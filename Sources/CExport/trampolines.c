/*
 * The generated trampolines and the tables built from them. Every function body comes from
 * generated/p11t_trampolines.inc (scripts/generate); this file only allocates slots.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
#include "p11t_internal.h"

p11t_module p11t_modules[P11T_MAX_MODULES];
p11t_entry p11t_entries[P11T_MAX_ENTRIES];

#include "generated/p11t_trampolines.inc"

static pthread_mutex_t p11t_slots_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned p11t_modules_used;   /* guarded by p11t_slots_lock */
static unsigned p11t_entries_used;   /* guarded by p11t_slots_lock */

typedef void (*p11t_any_fn)(void);

/* The function pointers of a list, as an array (all members after `version` are pointers). */
static p11t_any_fn *p11t_entries_of(CK_FUNCTION_LIST_3_2 *list)
{
    return (p11t_any_fn *)(void *)&list->C_Initialize;
}

p11t_module *p11t_wrap_table(p11t_entry *entry, void *real, uint8_t layout, void *caller)
{
    if (real == NULL)
        return NULL;
    /* Managed mode needs the module's shared state, which lives in its entry. */
    int managed = p11t_hooks.managed && entry != NULL;
    if (!managed)
        caller = NULL;
    pthread_mutex_lock(&p11t_slots_lock);
    p11t_module *found = NULL;
    for (unsigned i = 0; i < p11t_modules_used; i++) {
        if (p11t_modules[i].real == real && p11t_modules[i].layout == layout && p11t_modules[i].caller == caller) {
            found = &p11t_modules[i];
            break;
        }
    }
    if (found == NULL && p11t_modules_used < P11T_MAX_MODULES) {
        unsigned s = p11t_modules_used;
        p11t_module *m = &p11t_modules[s];
        CK_FUNCTION_LIST_3_2 *r = real;
        m->real = r;
        m->layout = layout;
        m->entry = entry;
        m->caller = caller;
        m->managed = (uint8_t)managed;
        /* Same version, same NULL entries: a function the module lacks stays absent. */
        memset(&m->table, 0, sizeof m->table);
        m->table.version = r->version;
        p11t_any_fn *ours = p11t_entries_of(&m->table);
        p11t_any_fn *theirs = p11t_entries_of(r);
        const p11t_any_fn *tramp = p11t_entries_of((CK_FUNCTION_LIST_3_2 *)&p11t_slot_templates[s]);
        for (unsigned i = 0; i < layout; i++)
            ours[i] = theirs[i] != NULL ? tramp[i] : NULL;
        m->interface.pInterfaceName = (CK_UTF8CHAR_PTR) "PKCS 11";
        m->interface.pFunctionList = &m->table;
        m->interface.flags = 0;
        m->log_index = entry ? entry->log_index : 255;
        if (p11t_hooks.register_module != NULL) {
            const char *path = entry ? entry->path : "";
            Dl_info info;
            const char *caller_path = NULL;
            if (managed)
                caller_path = caller != NULL && dladdr(caller, &info) != 0 && info.dli_fname != NULL
                    ? info.dli_fname : "?";
            m->log_index = p11t_hooks.register_module(path, layout, r->version.major, r->version.minor,
                                                      entry ? entry->how : P11T_HOW_CONFIG, caller_path);
        }
        /* Publish only when complete: readers of p11t_modules_used see filled slots. */
        __atomic_store_n(&p11t_modules_used, s + 1, __ATOMIC_RELEASE);
        found = m;
    }
    pthread_mutex_unlock(&p11t_slots_lock);
    return found;
}

p11t_entry *p11t_entry_find_or_add(void *base, const char *path, uint8_t how)
{
    pthread_mutex_lock(&p11t_slots_lock);
    p11t_entry *found = NULL;
    for (unsigned i = 0; i < p11t_entries_used; i++) {
        if (p11t_entries[i].base == base) {
            found = &p11t_entries[i];
            break;
        }
    }
    if (found == NULL && p11t_entries_used < P11T_MAX_ENTRIES) {
        found = &p11t_entries[p11t_entries_used];
        memset(found, 0, sizeof *found);
        found->base = base;
        found->how = how;
        found->log_index = 255;
        strncpy(found->path, path ? path : "", sizeof found->path - 1);
        p11t_entries_used++;
    }
    pthread_mutex_unlock(&p11t_slots_lock);
    return found;
}

void *p11t_entry_symbol(p11t_entry *entry, int which)
{
    ptrdiff_t s = entry - p11t_entries;
    if (s < 0 || s >= P11T_MAX_ENTRIES || which < 0 || which > 2)
        return NULL;
    return p11t_entry_symbols[s][which];
}

void *p11t_caller_key(const void *pc)
{
    Dl_info info;
    if (!p11t_hooks.managed || pc == NULL || dladdr(pc, &info) == 0)
        return NULL;
    return info.dli_fbase;
}

int p11t_is_own(const void *fn)
{
    static void *self_base;  /* written once; a racing second write stores the same value */
    Dl_info info;
    if (self_base == NULL) {
        if (dladdr((void *)p11t_is_own, &info) == 0)
            return 0;
        self_base = info.dli_fbase;
    }
    return dladdr(fn, &info) != 0 && info.dli_fbase == self_base;
}
