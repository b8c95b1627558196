/*
 * Managed mode (P11TRACE_MANAGED=yes): every library that asks for a module's function table
 * gets a table of its own, and each table behaves as a p11-kit managed module
 * (docs/managed.md):
 *   - C_Initialize reaches the module only for the first caller; later callers are counted;
 *   - C_Finalize closes the caller's own sessions and reaches the module when the count
 *     drops to zero;
 *   - C_CloseAllSessions closes only the sessions the caller opened through its table.
 * The module's own calls are made through the caller's table, so the trace shows them
 * (flagged as issued on the caller's behalf); a call answered here without the module is
 * flagged as absorbed. One lock guards all managed state: these five functions are rare,
 * and no other function takes it.
 */
#include <stdlib.h>
#include "p11t_internal.h"

static pthread_mutex_t p11t_managed_lock = PTHREAD_MUTEX_INITIALIZER;

/* Marks the current call as answered without the module (read by p11t_call_end). */
static void p11t_managed_absorb(void)
{
    p11t_thread.managed_absorbed = 1;
}

/* Adds a session to the caller's list; 0 when memory ran out (the session stays open and
 * simply is not closed on the caller's behalf later). */
static int p11t_managed_add_locked(p11t_module *m, CK_SESSION_HANDLE handle, CK_SLOT_ID slot)
{
    if (m->session_count == m->session_capacity) {
        size_t capacity = m->session_capacity ? m->session_capacity * 2 : 16;
        p11t_managed_session *grown = realloc(m->sessions, capacity * sizeof *grown);
        if (grown == NULL)
            return 0;
        m->sessions = grown;
        m->session_capacity = capacity;
    }
    m->sessions[m->session_count++] = (p11t_managed_session){ handle, slot };
    return 1;
}

static void p11t_managed_remove_locked(p11t_module *m, CK_SESSION_HANDLE handle)
{
    for (size_t i = 0; i < m->session_count; i++) {
        if (m->sessions[i].handle == handle) {
            m->sessions[i] = m->sessions[--m->session_count];
            return;
        }
    }
}

/* Takes the caller's sessions (on `slot`, or all when `all`) out of its list into a fresh
 * array the caller frees; *count receives how many. */
static CK_SESSION_HANDLE *p11t_managed_take_locked(p11t_module *m, int all, CK_SLOT_ID slot, size_t *count)
{
    *count = 0;
    if (m->session_count == 0)
        return NULL;
    CK_SESSION_HANDLE *taken = malloc(m->session_count * sizeof *taken);
    if (taken == NULL)
        return NULL;
    size_t kept = 0;
    for (size_t i = 0; i < m->session_count; i++) {
        if (all || m->sessions[i].slot == slot)
            taken[(*count)++] = m->sessions[i].handle;
        else
            m->sessions[kept++] = m->sessions[i];
    }
    m->session_count = kept;
    return taken;
}

/* Closes sessions on the caller's behalf, through its own table so that the trace shows
 * each C_CloseSession (nested in the call that caused it). Returns the first failure. */
static CK_RV p11t_managed_close(p11t_module *m, CK_SESSION_HANDLE *handles, size_t count)
{
    CK_RV first = CKR_OK;
    uint8_t outer = p11t_thread.managed_behalf;
    p11t_thread.managed_behalf = 1;
    for (size_t i = 0; i < count; i++) {
        CK_RV rv = m->table.C_CloseSession(handles[i]);
        /* A session the module already forgot (closed by an unmanaged caller) is closed. */
        if (rv != CKR_OK && rv != CKR_SESSION_HANDLE_INVALID && rv != CKR_SESSION_CLOSED && first == CKR_OK)
            first = rv;
    }
    p11t_thread.managed_behalf = outer;
    free(handles);
    return first;
}

CK_RV p11t_managed_C_Initialize(p11t_module *m, CK_VOID_PTR pInitArgs)
{
    pthread_mutex_lock(&p11t_managed_lock);
    CK_RV rv;
    if (m->initialized) {
        rv = CKR_CRYPTOKI_ALREADY_INITIALIZED;
        p11t_managed_absorb();
    } else if (m->entry->managed_initialized > 0) {
        m->entry->managed_initialized++;
        m->initialized = 1;
        rv = CKR_OK;
        p11t_managed_absorb();
    } else {
        rv = m->real->C_Initialize(pInitArgs);
        if (rv == CKR_OK) {
            m->entry->managed_initialized = 1;
            m->initialized = 1;
        }
    }
    pthread_mutex_unlock(&p11t_managed_lock);
    return rv;
}

CK_RV p11t_managed_C_Finalize(p11t_module *m, CK_VOID_PTR pReserved)
{
    if (pReserved != NULL)
        return m->real->C_Finalize(pReserved);  /* the module's own CKR_ARGUMENTS_BAD */
    pthread_mutex_lock(&p11t_managed_lock);
    if (!m->initialized) {
        pthread_mutex_unlock(&p11t_managed_lock);
        p11t_managed_absorb();
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    size_t count;
    CK_SESSION_HANDLE *mine = p11t_managed_take_locked(m, 1, 0, &count);
    pthread_mutex_unlock(&p11t_managed_lock);
    p11t_managed_close(m, mine, count);

    pthread_mutex_lock(&p11t_managed_lock);
    CK_RV rv = CKR_OK;
    if (m->initialized) {  /* another thread of the same caller may have finalised meanwhile */
        m->initialized = 0;
        if (--m->entry->managed_initialized == 0) {
            rv = m->real->C_Finalize(NULL);
        } else {
            p11t_managed_absorb();
        }
    } else {
        rv = CKR_CRYPTOKI_NOT_INITIALIZED;
        p11t_managed_absorb();
    }
    pthread_mutex_unlock(&p11t_managed_lock);
    return rv;
}

CK_RV p11t_managed_C_OpenSession(p11t_module *m, CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication,
                                 CK_NOTIFY Notify, CK_SESSION_HANDLE_PTR phSession)
{
    CK_RV rv = m->real->C_OpenSession(slotID, flags, pApplication, Notify, phSession);
    if (rv == CKR_OK && phSession != NULL) {
        pthread_mutex_lock(&p11t_managed_lock);
        p11t_managed_add_locked(m, *phSession, slotID);
        pthread_mutex_unlock(&p11t_managed_lock);
    }
    return rv;
}

CK_RV p11t_managed_C_CloseSession(p11t_module *m, CK_SESSION_HANDLE hSession)
{
    CK_RV rv = m->real->C_CloseSession(hSession);
    if (rv == CKR_OK || rv == CKR_SESSION_HANDLE_INVALID || rv == CKR_SESSION_CLOSED) {
        pthread_mutex_lock(&p11t_managed_lock);
        p11t_managed_remove_locked(m, hSession);
        pthread_mutex_unlock(&p11t_managed_lock);
    }
    return rv;
}

CK_RV p11t_managed_C_CloseAllSessions(p11t_module *m, CK_SLOT_ID slotID)
{
    pthread_mutex_lock(&p11t_managed_lock);
    if (!m->initialized) {
        pthread_mutex_unlock(&p11t_managed_lock);
        p11t_managed_absorb();
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    size_t count;
    CK_SESSION_HANDLE *mine = p11t_managed_take_locked(m, 0, slotID, &count);
    pthread_mutex_unlock(&p11t_managed_lock);
    CK_RV rv = p11t_managed_close(m, mine, count);
    p11t_managed_absorb();  /* the module's C_CloseAllSessions is never called (after the
                               nested closes, whose records reset the thread's flag) */
    return rv;
}
