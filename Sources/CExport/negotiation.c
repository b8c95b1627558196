/*
 * Version negotiation: what C_GetFunctionList, C_GetInterfaceList and C_GetInterface return,
 * at a module's exported entry points and through our own tables. The rules:
 *   - a table obtained through C_GetFunctionList has the 2.40 layout, whatever its version says;
 *   - an interface's table has the layout its own version names (2.x, 3.0/3.1, 3.2 and later);
 *   - "PKCS 11" interfaces are wrapped, vendor interfaces pass through untouched;
 *   - a 2.x module (no C_GetInterface*) is offered exactly one interface, its 2.x table:
 *     never a 3.x function it lacks.
 */
#define _GNU_SOURCE
#include <string.h>
#include "p11t_internal.h"

static const char p11t_interface_name[] = "PKCS 11";

static uint8_t p11t_layout_of(const CK_VERSION *v)
{
    if (v->major < 3)
        return P11T_LAYOUT_2_40;
    if (v->major == 3 && v->minor < 2)
        return P11T_LAYOUT_3_0;
    return P11T_LAYOUT_3_2;
}

static int p11t_is_standard(const CK_INTERFACE *i)
{
    return i->pInterfaceName != NULL && strcmp((const char *)i->pInterfaceName, p11t_interface_name) == 0
        && i->pFunctionList != NULL;
}

void p11t_wrap_interface(p11t_entry *entry, CK_INTERFACE *interface, void *caller)
{
    if (interface == NULL || !p11t_is_standard(interface))
        return;
    if (p11t_is_own(interface->pFunctionList))
        return;
    const CK_VERSION *v = interface->pFunctionList;  /* every list starts with its version */
    p11t_module *m = p11t_wrap_table(entry, interface->pFunctionList, p11t_layout_of(v), caller);
    if (m != NULL)
        interface->pFunctionList = &m->table;
}

/* The interface of ours that stands for the module's interface `theirs`. */
static CK_INTERFACE *p11t_our_interface(p11t_entry *entry, CK_INTERFACE *theirs, void *caller)
{
    if (theirs == NULL || !p11t_is_standard(theirs) || p11t_is_own(theirs->pFunctionList))
        return theirs;
    const CK_VERSION *v = theirs->pFunctionList;
    p11t_module *m = p11t_wrap_table(entry, theirs->pFunctionList, p11t_layout_of(v), caller);
    if (m == NULL)
        return theirs;
    m->interface.flags = theirs->flags;
    return &m->interface;
}

/* ---- a 2.x module offered as a 3.x one: exactly its 2.x table ---- */

static CK_RV p11t_v2_table(p11t_entry *e, p11t_module **out, void *caller)
{
    CK_FUNCTION_LIST_PTR list = NULL;
    if (e->get_function_list == NULL)
        return CKR_GENERAL_ERROR;
    CK_RV rv = e->get_function_list(&list);
    if (rv != CKR_OK)
        return rv;
    if (list == NULL)
        return CKR_GENERAL_ERROR;
    *out = p11t_wrap_table(e, list, P11T_LAYOUT_2_40, caller);
    return *out ? CKR_OK : CKR_HOST_MEMORY;
}

static CK_RV p11t_synth_interface_list(p11t_entry *e, CK_INTERFACE_PTR list, CK_ULONG_PTR count, void *caller)
{
    if (count == NULL)
        return CKR_ARGUMENTS_BAD;
    if (list == NULL) {
        *count = 1;
        return CKR_OK;
    }
    if (*count < 1) {
        *count = 1;
        return CKR_BUFFER_TOO_SMALL;
    }
    p11t_module *m = NULL;
    CK_RV rv = p11t_v2_table(e, &m, caller);
    if (rv != CKR_OK)
        return rv;
    list[0] = m->interface;
    *count = 1;
    return CKR_OK;
}

static CK_RV p11t_synth_interface(p11t_entry *e, CK_UTF8CHAR_PTR name, CK_VERSION_PTR version,
                                  CK_INTERFACE_PTR_PTR pp, CK_FLAGS flags, void *caller)
{
    if (pp == NULL)
        return CKR_ARGUMENTS_BAD;
    if (name != NULL && strcmp((const char *)name, p11t_interface_name) != 0)
        return CKR_ARGUMENTS_BAD;
    if (flags & ~(CK_FLAGS)0 & CKF_INTERFACE_FORK_SAFE)
        return CKR_ARGUMENTS_BAD;  /* a 2.x module makes no fork-safety promise */
    p11t_module *m = NULL;
    CK_RV rv = p11t_v2_table(e, &m, caller);
    if (rv != CKR_OK)
        return rv;
    if (version != NULL && (version->major != m->table.version.major || version->minor != m->table.version.minor))
        return CKR_ARGUMENTS_BAD;
    *pp = &m->interface;
    return CKR_OK;
}

/* ---- at a module's exported entry points ---- */

CK_RV p11t_entry_get_function_list(p11t_entry *e, CK_FUNCTION_LIST_PTR_PTR pp, void *caller)
{
    p11t_init();
    if (e->get_function_list == NULL)
        return CKR_GENERAL_ERROR;
    int trace = p11t_should_trace(P11T_FN_C_GetFunctionList);
    p11t_call call;
    if (trace) {
        p11t_call_begin_index(&call, e->log_index, P11T_FN_C_GetFunctionList, caller);
        call.args[0] = (uint64_t)(uintptr_t)pp;
        p11t_call_start(&call);
    }
    CK_RV rv = e->get_function_list(pp);
    if (rv == CKR_OK && pp != NULL && *pp != NULL && !p11t_is_own(*pp) && p11t_hooks.enabled) {
        p11t_module *m = p11t_wrap_table(e, *pp, P11T_LAYOUT_2_40, p11t_caller_key(caller));
        if (m != NULL)
            *pp = (CK_FUNCTION_LIST_PTR)(void *)&m->table;
    }
    if (trace)
        p11t_call_end(&call, rv);
    return rv;
}

CK_RV p11t_entry_get_interface_list(p11t_entry *e, CK_INTERFACE_PTR list, CK_ULONG_PTR count, void *caller)
{
    p11t_init();
    int trace = p11t_should_trace(P11T_FN_C_GetInterfaceList);
    p11t_call call;
    if (trace) {
        p11t_call_begin_index(&call, e->log_index, P11T_FN_C_GetInterfaceList, caller);
        call.args[0] = (uint64_t)(uintptr_t)list;
        call.args[1] = (uint64_t)(uintptr_t)count;
        p11t_call_peek(&call, 0, count);
        p11t_call_start(&call);
    }
    CK_RV rv;
    if (e->get_interface_list != NULL) {
        rv = e->get_interface_list(list, count);
        if (rv == CKR_OK && list != NULL && count != NULL && p11t_hooks.enabled)
            for (CK_ULONG i = 0; i < *count; i++)
                p11t_wrap_interface(e, &list[i], p11t_caller_key(caller));
    } else {
        rv = p11t_synth_interface_list(e, list, count, p11t_caller_key(caller));
    }
    if (trace)
        p11t_call_end(&call, rv);
    return rv;
}

CK_RV p11t_entry_get_interface(p11t_entry *e, CK_UTF8CHAR_PTR name, CK_VERSION_PTR version,
                               CK_INTERFACE_PTR_PTR pp, CK_FLAGS flags, void *caller)
{
    p11t_init();
    int trace = p11t_should_trace(P11T_FN_C_GetInterface);
    p11t_call call;
    if (trace) {
        p11t_call_begin_index(&call, e->log_index, P11T_FN_C_GetInterface, caller);
        call.args[0] = (uint64_t)(uintptr_t)name;
        call.args[1] = (uint64_t)(uintptr_t)version;
        call.args[2] = (uint64_t)(uintptr_t)pp;
        call.args[3] = (uint64_t)flags;
        p11t_call_start(&call);
    }
    CK_RV rv;
    if (e->get_interface != NULL) {
        rv = e->get_interface(name, version, pp, flags);
        if (rv == CKR_OK && pp != NULL && p11t_hooks.enabled)
            *pp = p11t_our_interface(e, *pp, p11t_caller_key(caller));
    } else {
        rv = p11t_synth_interface(e, name, version, pp, flags, p11t_caller_key(caller));
    }
    if (trace)
        p11t_call_end(&call, rv);
    return rv;
}

/* ---- through our own tables ---- */

CK_RV p11t_special_C_GetFunctionList(p11t_module *m, CK_FUNCTION_LIST_PTR_PTR pp)
{
    CK_RV rv = m->real->C_GetFunctionList(pp);
    if (rv == CKR_OK && pp != NULL && *pp != NULL && !p11t_is_own(*pp)) {
        p11t_module *w = p11t_wrap_table(m->entry, *pp, P11T_LAYOUT_2_40, m->caller);
        if (w != NULL)
            *pp = (CK_FUNCTION_LIST_PTR)(void *)&w->table;
    }
    return rv;
}

CK_RV p11t_special_C_GetInterfaceList(p11t_module *m, CK_INTERFACE_PTR list, CK_ULONG_PTR count)
{
    CK_RV rv = m->real->C_GetInterfaceList(list, count);
    if (rv == CKR_OK && list != NULL && count != NULL)
        for (CK_ULONG i = 0; i < *count; i++)
            p11t_wrap_interface(m->entry, &list[i], m->caller);
    return rv;
}

CK_RV p11t_special_C_GetInterface(p11t_module *m, CK_UTF8CHAR_PTR name, CK_VERSION_PTR version,
                                  CK_INTERFACE_PTR_PTR pp, CK_FLAGS flags)
{
    CK_RV rv = m->real->C_GetInterface(name, version, pp, flags);
    if (rv == CKR_OK && pp != NULL)
        *pp = p11t_our_interface(m->entry, *pp, m->caller);
    return rv;
}
