/*
 * Steps that several scenarios share. Each prints the calls it makes.
 */
#include "conf.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

void *p11t_conf_symbol(p11t_conf *c, const char *name)
{
    return dlsym(c->dl, name);
}

CK_RV p11t_conf_get_function_list(p11t_conf *c)
{
    void *sym = p11t_conf_symbol(c, "C_GetFunctionList");
    CK_C_GetFunctionList get;
    memcpy(&get, &sym, sizeof(get)); /* ISO C has no object-to-function pointer cast */
    if (get == NULL) {
        p11t_conf_say("C_GetFunctionList absent");
        return P11T_CONF_ABSENT;
    }
    CK_FUNCTION_LIST *list = NULL;
    CK_RV rv = get(&list);
    if (rv == CKR_OK && list == NULL)
        rv = CKR_GENERAL_ERROR; /* reported as such: nothing to continue with */
    p11t_conf_emit("C_GetFunctionList", rv, "version=%s", rv == CKR_OK ? p11t_conf_version(list->version) : "");
    if (rv == CKR_OK)
        c->f = list;
    return rv;
}

void p11t_conf_find_slot(p11t_conf *c)
{
    CK_ULONG n = 0;
    CK_RV rv = P11T_CALL(c, C_GetSlotList, CK_TRUE, NULL, &n);
    p11t_conf_emit("C_GetSlotList", rv, "count=%lu (tokenPresent, length query)", (unsigned long)n);
    if (rv != CKR_OK || n == 0)
        return;
    CK_SLOT_ID *slots = calloc(n, sizeof(*slots));
    if (slots == NULL)
        return;
    rv = P11T_CALL(c, C_GetSlotList, CK_TRUE, slots, &n);
    p11t_conf_emit("C_GetSlotList", rv, "count=%lu first=%lu (tokenPresent)", (unsigned long)n,
                   (unsigned long)(n ? slots[0] : 0));
    if (rv == CKR_OK && n > 0)
        c->slot = slots[0];
    free(slots);
}

CK_SESSION_HANDLE p11t_conf_open(p11t_conf *c, CK_FLAGS flags)
{
    CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
    CK_RV rv = P11T_CALL(c, C_OpenSession, c->slot, flags, NULL, NULL, &h);
    p11t_conf_emit("C_OpenSession", rv, "session=%lu (flags=0x%lx)", (unsigned long)h, (unsigned long)flags);
    return rv == CKR_OK ? h : CK_INVALID_HANDLE;
}

void p11t_conf_session_info(p11t_conf *c, CK_SESSION_HANDLE h)
{
    CK_SESSION_INFO info;
    memset(&info, 0, sizeof(info));
    CK_RV rv = P11T_CALL(c, C_GetSessionInfo, h, &info);
    p11t_conf_emit("C_GetSessionInfo", rv, "slotID=%lu state=%lu flags=0x%lx ulDeviceError=%lu",
                   (unsigned long)info.slotID, (unsigned long)info.state, (unsigned long)info.flags,
                   (unsigned long)info.ulDeviceError);
}

void p11t_conf_login(p11t_conf *c, CK_USER_TYPE who, const char *pin)
{
    CK_RV rv = P11T_CALL(c, C_Login, c->session, who, (CK_UTF8CHAR_PTR)pin, (CK_ULONG)strlen(pin));
    p11t_conf_emit("C_Login", rv, "- (userType=%lu)", (unsigned long)who);
}

CK_OBJECT_HANDLE p11t_conf_secret_key(p11t_conf *c, const char *label, CK_KEY_TYPE type, const CK_BYTE *value,
                                      CK_ULONG len, bool sensitive)
{
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE, sens = sensitive ? CK_TRUE : CK_FALSE;
    CK_ATTRIBUTE tmpl[] = {
        {CKA_CLASS, &cls, sizeof(cls)},       {CKA_KEY_TYPE, &type, sizeof(type)},
        {CKA_TOKEN, &no, sizeof(no)},         {CKA_PRIVATE, &no, sizeof(no)},
        {CKA_SENSITIVE, &sens, sizeof(sens)}, {CKA_EXTRACTABLE, &yes, sizeof(yes)},
        {CKA_ENCRYPT, &yes, sizeof(yes)},     {CKA_DECRYPT, &yes, sizeof(yes)},
        {CKA_SIGN, &yes, sizeof(yes)},        {CKA_VERIFY, &yes, sizeof(yes)},
        {CKA_WRAP, &yes, sizeof(yes)},        {CKA_UNWRAP, &yes, sizeof(yes)},
        {CKA_DERIVE, &yes, sizeof(yes)},      {CKA_LABEL, (void *)label, (CK_ULONG)strlen(label)},
        {CKA_VALUE, (void *)value, len},
    };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_RV rv = P11T_CALL(c, C_CreateObject, c->session, tmpl, sizeof(tmpl) / sizeof(tmpl[0]), &h);
    p11t_conf_emit("C_CreateObject", rv, "object=%lu (%s)", (unsigned long)h, label);
    return rv == CKR_OK ? h : CK_INVALID_HANDLE;
}

void p11t_conf_show_attr(p11t_conf *c, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, bool show)
{
    CK_ATTRIBUTE a = {type, NULL, 0};
    CK_RV rv = P11T_CALL(c, C_GetAttributeValue, c->session, h, &a, 1);
    p11t_conf_emit_always("C_GetAttributeValue", rv, "type=0x%lx len=%s (length query)", (unsigned long)type,
                          p11t_conf_ulong(a.ulValueLen));
    if (rv != CKR_OK || a.ulValueLen == CK_UNAVAILABLE_INFORMATION || a.ulValueLen > 4096)
        return;
    unsigned char buf[4096];
    a.pValue = buf;
    rv = P11T_CALL(c, C_GetAttributeValue, c->session, h, &a, 1);
    if (show)
        p11t_conf_emit("C_GetAttributeValue", rv, "type=0x%lx len=%lu hex=%s", (unsigned long)type,
                       (unsigned long)a.ulValueLen, p11t_conf_hex(buf, a.ulValueLen));
    else
        p11t_conf_emit("C_GetAttributeValue", rv, "type=0x%lx len=%lu", (unsigned long)type,
                       (unsigned long)a.ulValueLen);
}

void p11t_conf_teardown(p11t_conf *c)
{
    CK_RV rv = P11T_CALL(c, C_Logout, c->session);
    p11t_conf_emit("C_Logout", rv, "-");
    rv = P11T_CALL(c, C_CloseAllSessions, c->slot);
    p11t_conf_emit("C_CloseAllSessions", rv, "-");
    rv = P11T_CALL(c, C_Finalize, NULL);
    p11t_conf_emit("C_Finalize", rv, "-");
}
