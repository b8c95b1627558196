#include "caller.h"

#include <dlfcn.h>
#include <stddef.h>

static CK_FUNCTION_LIST *p11t_caller_f;
static CK_SLOT_ID p11t_caller_slot;

CK_RV p11t_caller_load(const char *module)
{
    void *handle = dlopen(module, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL)
        return CKR_GENERAL_ERROR;
    CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(handle, "C_GetFunctionList");
    if (get == NULL)
        return CKR_GENERAL_ERROR;
    return get(&p11t_caller_f);
}

CK_RV p11t_caller_initialize(void)
{
    CK_C_INITIALIZE_ARGS args = { NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, NULL };
    return p11t_caller_f->C_Initialize(&args);
}

CK_RV p11t_caller_open(const char *pin, CK_SESSION_HANDLE *session)
{
    CK_SLOT_ID slots[8];
    CK_ULONG count = 8;
    CK_RV rv = p11t_caller_f->C_GetSlotList(CK_TRUE, slots, &count);
    if (rv != CKR_OK)
        return rv;
    if (count == 0)
        return CKR_TOKEN_NOT_PRESENT;
    p11t_caller_slot = slots[0];
    rv = p11t_caller_f->C_OpenSession(slots[0], CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, session);
    if (rv != CKR_OK)
        return rv;
    CK_ULONG length = 0;
    while (pin[length] != '\0')
        length++;
    rv = p11t_caller_f->C_Login(*session, CKU_USER, (CK_UTF8CHAR_PTR)pin, length);
    return rv == CKR_USER_ALREADY_LOGGED_IN ? CKR_OK : rv;
}

CK_RV p11t_caller_sign(CK_SESSION_HANDLE session)
{
    CK_OBJECT_CLASS class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE query[] = { { CKA_CLASS, &class, sizeof class } };
    CK_OBJECT_HANDLE key;
    CK_ULONG found = 0;
    CK_RV rv = p11t_caller_f->C_FindObjectsInit(session, query, 1);
    if (rv != CKR_OK)
        return rv;
    rv = p11t_caller_f->C_FindObjects(session, &key, 1, &found);
    CK_RV end = p11t_caller_f->C_FindObjectsFinal(session);
    if (rv != CKR_OK)
        return rv;
    if (end != CKR_OK)
        return end;
    if (found != 1)
        return CKR_KEY_HANDLE_INVALID;
    CK_MECHANISM mechanism = { CKM_SHA256_RSA_PKCS, NULL, 0 };
    rv = p11t_caller_f->C_SignInit(session, &mechanism, key);
    if (rv != CKR_OK)
        return rv;
    CK_BYTE data[32] = { 1, 2, 3 };
    CK_BYTE signature[1024];
    CK_ULONG length = sizeof signature;
    return p11t_caller_f->C_Sign(session, data, sizeof data, signature, &length);
}

CK_RV p11t_caller_close(CK_SESSION_HANDLE session)
{
    return p11t_caller_f->C_CloseSession(session);
}

CK_RV p11t_caller_close_all(void)
{
    return p11t_caller_f->C_CloseAllSessions(p11t_caller_slot);
}

CK_RV p11t_caller_finalize(void)
{
    return p11t_caller_f->C_Finalize(NULL);
}
