/*
 * Sessions, login state and PIN management.
 *
 * The token has a user PIN ("1234") and an SO PIN ("5678"). Login state is per token, shared
 * by all sessions, and ends when the last session closes. C_LoginUser accepts the user name
 * "user" for CKU_USER and ignores the name for the other user types.
 */
#include "mock_internal.h"

#include <stdlib.h>
#include <string.h>

void p11t_mock_op_reset(p11t_mock_op *op)
{
    memset(op, 0, sizeof(*op));
}

p11t_mock_session *p11t_mock_session_get(CK_SESSION_HANDLE h)
{
    if (h == CK_INVALID_HANDLE)
        return NULL;
    for (size_t i = 0; i < P11T_MOCK_MAX_SESSIONS; i++) {
        p11t_mock_session *s = &p11t_mock_g.sessions[i];
        if (s->in_use && s->handle == h)
            return s;
    }
    return NULL;
}

size_t p11t_mock_session_count(bool rw_only)
{
    size_t n = 0;
    for (size_t i = 0; i < P11T_MOCK_MAX_SESSIONS; i++) {
        const p11t_mock_session *s = &p11t_mock_g.sessions[i];
        if (s->in_use && (!rw_only || (s->flags & CKF_RW_SESSION)))
            n++;
    }
    return n;
}

CK_STATE p11t_mock_session_state(const p11t_mock_session *s)
{
    bool rw = (s->flags & CKF_RW_SESSION) != 0;
    switch (p11t_mock_g.login) {
    case CKU_SO:
        return CKS_RW_SO_FUNCTIONS;
    case CKU_USER:
        return rw ? CKS_RW_USER_FUNCTIONS : CKS_RO_USER_FUNCTIONS;
    default:
        return rw ? CKS_RW_PUBLIC_SESSION : CKS_RO_PUBLIC_SESSION;
    }
}

/* Closes a session: its session objects go with it, and the last close logs out. */
void p11t_mock_session_release(p11t_mock_session *s)
{
    CK_SESSION_HANDLE h = s->handle;
    free(s->found);
    memset(s, 0, sizeof(*s));
    for (size_t i = 0; i < P11T_MOCK_MAX_OBJECTS; i++) {
        p11t_mock_object *o = &p11t_mock_g.objects[i];
        if (o->in_use && o->owner == h)
            p11t_mock_object_free(o);
    }
    if (p11t_mock_session_count(false) == 0)
        p11t_mock_g.login = P11T_MOCK_NOBODY;
}

void p11t_mock_sessions_clear(void)
{
    for (size_t i = 0; i < P11T_MOCK_MAX_SESSIONS; i++) {
        if (p11t_mock_g.sessions[i].in_use)
            p11t_mock_session_release(&p11t_mock_g.sessions[i]);
    }
}

CK_RV p11t_mock_C_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication, CK_NOTIFY Notify,
                              CK_SESSION_HANDLE_PTR phSession)
{
    (void)pApplication; /* passed back to Notify, which this module never calls */
    (void)Notify;
    CK_RV rv = p11t_mock_token_slot(slotID);
    if (rv != CKR_OK)
        return rv;
    if (phSession == NULL)
        return CKR_ARGUMENTS_BAD;
    if (!(flags & CKF_SERIAL_SESSION))
        return CKR_SESSION_PARALLEL_NOT_SUPPORTED;
#if !P11T_MOCK_V2_ONLY && defined(CKF_ASYNC_SESSION)
    if (flags & CKF_ASYNC_SESSION)
        return CKR_SESSION_ASYNC_NOT_SUPPORTED;
#endif
    if (!(flags & CKF_RW_SESSION) && p11t_mock_g.login == CKU_SO)
        return CKR_SESSION_READ_WRITE_SO_EXISTS;
    for (size_t i = 0; i < P11T_MOCK_MAX_SESSIONS; i++) {
        p11t_mock_session *s = &p11t_mock_g.sessions[i];
        if (s->in_use)
            continue;
        memset(s, 0, sizeof(*s));
        s->in_use = true;
        s->handle = p11t_mock_g.next_session++;
        s->slot = slotID;
        s->flags = flags;
        *phSession = s->handle;
        return CKR_OK;
    }
    return CKR_SESSION_COUNT;
}

CK_RV p11t_mock_C_CloseSession(CK_SESSION_HANDLE hSession)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_session_release(s);
    return CKR_OK;
}

CK_RV p11t_mock_C_CloseAllSessions(CK_SLOT_ID slotID)
{
    CK_RV rv = p11t_mock_token_slot(slotID);
    if (rv != CKR_OK)
        return rv;
    p11t_mock_sessions_clear();
    return CKR_OK;
}

CK_RV p11t_mock_C_GetSessionInfo(CK_SESSION_HANDLE hSession, CK_SESSION_INFO_PTR pInfo)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pInfo == NULL)
        return CKR_ARGUMENTS_BAD;
    memset(pInfo, 0, sizeof(*pInfo));
    pInfo->slotID = s->slot;
    pInfo->state = p11t_mock_session_state(s);
    pInfo->flags = s->flags;
    pInfo->ulDeviceError = 0;
    return CKR_OK;
}

static bool pin_equal(const unsigned char *stored, size_t stored_len, const CK_UTF8CHAR *pin, CK_ULONG len)
{
    return len == stored_len && memcmp(stored, pin, len) == 0;
}

/* Shared by C_Login and C_LoginUser once the session and name are checked. */
static CK_RV login(CK_USER_TYPE userType, const CK_UTF8CHAR *pPin, CK_ULONG ulPinLen)
{
    if (userType != CKU_SO && userType != CKU_USER && userType != CKU_CONTEXT_SPECIFIC)
        return CKR_USER_TYPE_INVALID;
    if (pPin == NULL) /* no protected authentication path */
        return CKR_ARGUMENTS_BAD;
    if (userType == CKU_CONTEXT_SPECIFIC) /* no key needs CKA_ALWAYS_AUTHENTICATE */
        return CKR_OPERATION_NOT_INITIALIZED;
    if (p11t_mock_g.login == userType)
        return CKR_USER_ALREADY_LOGGED_IN;
    if (p11t_mock_g.login != P11T_MOCK_NOBODY)
        return CKR_USER_ANOTHER_ALREADY_LOGGED_IN;
    if (userType == CKU_SO && p11t_mock_session_count(false) != p11t_mock_session_count(true))
        return CKR_SESSION_READ_ONLY_EXISTS;
    if (userType == CKU_USER && !p11t_mock_g.user_pin_initialised)
        return CKR_USER_PIN_NOT_INITIALIZED;
    bool so = userType == CKU_SO;
    bool ok = so ? pin_equal(p11t_mock_g.so_pin, p11t_mock_g.so_pin_len, pPin, ulPinLen)
                 : pin_equal(p11t_mock_g.user_pin, p11t_mock_g.user_pin_len, pPin, ulPinLen);
    bool *failed = so ? &p11t_mock_g.so_pin_failed : &p11t_mock_g.user_pin_failed;
    *failed = !ok;
    if (!ok)
        return CKR_PIN_INCORRECT;
    p11t_mock_g.login = userType;
    return CKR_OK;
}

CK_RV p11t_mock_C_Login(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return login(userType, pPin, ulPinLen);
}

CK_RV p11t_mock_C_Logout(CK_SESSION_HANDLE hSession)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (p11t_mock_g.login == P11T_MOCK_NOBODY)
        return CKR_USER_NOT_LOGGED_IN;
    p11t_mock_g.login = P11T_MOCK_NOBODY;
    return CKR_OK;
}

CK_RV p11t_mock_C_InitToken(CK_SLOT_ID slotID, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen, CK_UTF8CHAR_PTR pLabel)
{
    CK_RV rv = p11t_mock_token_slot(slotID);
    if (rv != CKR_OK)
        return rv;
    if (pPin == NULL || pLabel == NULL)
        return CKR_ARGUMENTS_BAD;
    if (p11t_mock_session_count(false) != 0)
        return CKR_SESSION_EXISTS;
    if (!pin_equal(p11t_mock_g.so_pin, p11t_mock_g.so_pin_len, pPin, ulPinLen)) {
        p11t_mock_g.so_pin_failed = true;
        return CKR_PIN_INCORRECT;
    }
    p11t_mock_g.so_pin_failed = false;
    memcpy(p11t_mock_g.label, pLabel, sizeof(p11t_mock_g.label));
    p11t_mock_objects_clear();
    /* A re-initialised token has no user PIN until the SO sets one with C_InitPIN. */
    p11t_mock_g.user_pin_initialised = false;
    p11t_mock_g.user_pin_len = 0;
    return CKR_OK;
}

static CK_RV pin_length(CK_ULONG len)
{
    return (len < P11T_MOCK_MIN_PIN || len > P11T_MOCK_MAX_PIN) ? CKR_PIN_LEN_RANGE : CKR_OK;
}

CK_RV p11t_mock_C_InitPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (!(s->flags & CKF_RW_SESSION))
        return CKR_SESSION_READ_ONLY;
    if (p11t_mock_g.login != CKU_SO)
        return CKR_USER_NOT_LOGGED_IN;
    if (pPin == NULL)
        return CKR_ARGUMENTS_BAD;
    CK_RV rv = pin_length(ulPinLen);
    if (rv != CKR_OK)
        return rv;
    memcpy(p11t_mock_g.user_pin, pPin, ulPinLen);
    p11t_mock_g.user_pin_len = ulPinLen;
    p11t_mock_g.user_pin_initialised = true;
    p11t_mock_g.user_pin_failed = false;
    return CKR_OK;
}

CK_RV p11t_mock_C_SetPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pOldPin, CK_ULONG ulOldLen,
                         CK_UTF8CHAR_PTR pNewPin, CK_ULONG ulNewLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (!(s->flags & CKF_RW_SESSION))
        return CKR_SESSION_READ_ONLY;
    if (pOldPin == NULL || pNewPin == NULL)
        return CKR_ARGUMENTS_BAD;
    CK_RV rv = pin_length(ulNewLen);
    if (rv != CKR_OK)
        return rv;
    /* The SO changes the SO PIN; anyone else (public session or user) the user PIN. */
    bool so = p11t_mock_g.login == CKU_SO;
    if (!so && !p11t_mock_g.user_pin_initialised)
        return CKR_USER_PIN_NOT_INITIALIZED;
    unsigned char *pin = so ? p11t_mock_g.so_pin : p11t_mock_g.user_pin;
    size_t *len = so ? &p11t_mock_g.so_pin_len : &p11t_mock_g.user_pin_len;
    if (!pin_equal(pin, *len, pOldPin, ulOldLen))
        return CKR_PIN_INCORRECT;
    memcpy(pin, pNewPin, ulNewLen);
    *len = ulNewLen;
    return CKR_OK;
}

#if !P11T_MOCK_V2_ONLY

CK_RV p11t_mock_C_LoginUser(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin,
                            CK_ULONG ulPinLen, CK_UTF8CHAR_PTR pUsername, CK_ULONG ulUsernameLen)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (userType == CKU_USER) {
        if (pUsername == NULL)
            return CKR_ARGUMENTS_BAD;
        if (ulUsernameLen != 4 || memcmp(pUsername, "user", 4) != 0)
            return CKR_PIN_INCORRECT; /* unknown user: indistinguishable from a wrong PIN */
    }
    return login(userType, pPin, ulPinLen);
}

CK_RV p11t_mock_C_SessionCancel(CK_SESSION_HANDLE hSession, CK_FLAGS flags)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    /* Cancelling an operation that is not active is not an error. */
    if (flags & CKF_ENCRYPT)
        p11t_mock_op_reset(&s->encrypt);
    if (flags & CKF_DECRYPT)
        p11t_mock_op_reset(&s->decrypt);
    if (flags & CKF_DIGEST)
        p11t_mock_op_reset(&s->digest);
    if (((flags & CKF_SIGN) && s->sign.kind == P11T_MOCK_OP_PLAIN) ||
        ((flags & CKF_SIGN_RECOVER) && s->sign.kind == P11T_MOCK_OP_RECOVER))
        p11t_mock_op_reset(&s->sign);
    if (((flags & CKF_VERIFY) && s->verify.kind == P11T_MOCK_OP_PLAIN) ||
        ((flags & CKF_VERIFY_RECOVER) && s->verify.kind == P11T_MOCK_OP_RECOVER))
        p11t_mock_op_reset(&s->verify);
    if (flags & CKF_VERIFY)
        p11t_mock_op_reset(&s->verify_sig);
    if (flags & CKF_MESSAGE_ENCRYPT)
        p11t_mock_op_reset(&s->msg_encrypt);
    if (flags & CKF_MESSAGE_DECRYPT)
        p11t_mock_op_reset(&s->msg_decrypt);
    if (flags & CKF_MESSAGE_SIGN)
        p11t_mock_op_reset(&s->msg_sign);
    if (flags & CKF_MESSAGE_VERIFY)
        p11t_mock_op_reset(&s->msg_verify);
    if (flags & CKF_FIND_OBJECTS) {
        free(s->found);
        s->found = NULL;
        s->find_active = false;
    }
    return CKR_OK;
}

#endif /* !P11T_MOCK_V2_ONLY */
