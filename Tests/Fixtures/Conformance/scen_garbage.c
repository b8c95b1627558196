/*
 * Scenario garbage: calls that a careless or hostile application makes. NULL pointers where
 * the specification requires memory, bogus handles (0xdeadbeef), a CK_MECHANISM full of
 * garbage whose pParameter is a wild pointer, templates and length pointers that point
 * nowhere but accompany calls that must fail before touching them, C_Finalize((void*)1),
 * double C_Initialize and the CK_C_INITIALIZE_ARGS variants. Only the return values are
 * printed. The mock module must survive all of it (and valgrind must stay quiet).
 */
#include "conf.h"

#include <string.h>

#define BOGUS ((CK_ULONG)0xdeadbeefUL)
#define WILD(type, addr) ((type)(void *)(addr)) /* a pointer that must never be dereferenced */

/* Prints a call that has no outputs worth showing. */
#define G(name, call) p11t_conf_emit(name, (call), "-")

/* ---- mutex callbacks that count their use ---- */

static unsigned mutex_calls;
static int the_mutex;

static CK_RV create_mutex(CK_VOID_PTR_PTR m)
{
    mutex_calls++;
    *m = &the_mutex;
    return CKR_OK;
}

static CK_RV mutex_op(CK_VOID_PTR m)
{
    (void)m;
    mutex_calls++;
    return CKR_OK;
}

static void lifecycle_start(p11t_conf *c)
{
    CK_INFO info;
    G("C_GetInfo", P11T_CALL(c, C_GetInfo, &info)); /* before C_Initialize */
    G("C_Initialize", P11T_CALL(c, C_Initialize, NULL));
    G("C_Initialize", P11T_CALL(c, C_Initialize, NULL));
    G("C_GetInfo", P11T_CALL(c, C_GetInfo, NULL));
}

static void slot_garbage(p11t_conf *c)
{
    CK_SLOT_INFO si;
    CK_TOKEN_INFO ti;
    CK_MECHANISM_INFO mi;
    CK_SESSION_HANDLE h;
    CK_ULONG n;
    G("C_GetSlotList", P11T_CALL(c, C_GetSlotList, CK_TRUE, NULL, NULL));
    G("C_GetSlotInfo", P11T_CALL(c, C_GetSlotInfo, BOGUS, &si));
    G("C_GetSlotInfo", P11T_CALL(c, C_GetSlotInfo, c->slot, NULL));
    G("C_GetTokenInfo", P11T_CALL(c, C_GetTokenInfo, BOGUS, &ti));
    G("C_GetTokenInfo", P11T_CALL(c, C_GetTokenInfo, c->slot, NULL));
    G("C_GetMechanismList", P11T_CALL(c, C_GetMechanismList, c->slot, NULL, NULL));
    G("C_GetMechanismList", P11T_CALL(c, C_GetMechanismList, BOGUS, NULL, &n));
    G("C_GetMechanismInfo", P11T_CALL(c, C_GetMechanismInfo, c->slot, (CK_MECHANISM_TYPE)0xa5a5a5a5UL, &mi));
    G("C_GetMechanismInfo", P11T_CALL(c, C_GetMechanismInfo, c->slot, CKM_SHA256, NULL));
    G("C_WaitForSlotEvent", P11T_CALL(c, C_WaitForSlotEvent, CKF_DONT_BLOCK, NULL, NULL));
    G("C_OpenSession", P11T_CALL(c, C_OpenSession, c->slot, CKF_SERIAL_SESSION, NULL, NULL, NULL));
    G("C_OpenSession", P11T_CALL(c, C_OpenSession, c->slot, 0, NULL, NULL, &h));
    G("C_OpenSession", P11T_CALL(c, C_OpenSession, BOGUS, CKF_SERIAL_SESSION, NULL, NULL, &h));
    G("C_CloseAllSessions", P11T_CALL(c, C_CloseAllSessions, BOGUS));
    G("C_InitToken", P11T_CALL(c, C_InitToken, c->slot, NULL, 4, NULL));
}

static void session_garbage(p11t_conf *c)
{
    CK_SESSION_INFO info;
    G("C_GetSessionInfo", P11T_CALL(c, C_GetSessionInfo, BOGUS, &info));
    G("C_GetSessionInfo", P11T_CALL(c, C_GetSessionInfo, c->session, NULL));
    G("C_CloseSession", P11T_CALL(c, C_CloseSession, BOGUS));
    G("C_Login", P11T_CALL(c, C_Login, BOGUS, CKU_USER, (CK_UTF8CHAR_PTR)c->pin, 4));
    G("C_Login", P11T_CALL(c, C_Login, c->session, CKU_USER, NULL, 4));
    G("C_Login", P11T_CALL(c, C_Login, c->session, 99, (CK_UTF8CHAR_PTR)c->pin, (CK_ULONG)strlen(c->pin)));
    G("C_Login", P11T_CALL(c, C_Login, c->session, CKU_USER, (CK_UTF8CHAR_PTR) "0000", 4));
    G("C_Logout", P11T_CALL(c, C_Logout, c->session)); /* nobody logged in */
    G("C_Logout", P11T_CALL(c, C_Logout, BOGUS));
    G("C_InitPIN", P11T_CALL(c, C_InitPIN, c->session, NULL, 4));
    G("C_SetPIN", P11T_CALL(c, C_SetPIN, c->session, NULL, 4, NULL, 4));
    G("C_GetFunctionStatus", P11T_CALL(c, C_GetFunctionStatus, BOGUS));
    G("C_CancelFunction", P11T_CALL(c, C_CancelFunction, BOGUS));
}

static void object_garbage(p11t_conf *c, CK_OBJECT_HANDLE data)
{
    CK_OBJECT_HANDLE h;
    CK_ULONG n;
    CK_ATTRIBUTE wild_value[] = {{CKA_LABEL, WILD(void *, 0x20), 16}};
    CK_ATTRIBUTE wild_modulus[] = {{CKA_MODULUS, WILD(void *, 0x20), 16}};
    G("C_CreateObject", P11T_CALL(c, C_CreateObject, BOGUS, WILD(CK_ATTRIBUTE_PTR, 0x40), 3,
                                  WILD(CK_OBJECT_HANDLE_PTR, 0x48)));
    G("C_CreateObject", P11T_CALL(c, C_CreateObject, c->session, NULL, 1, &h));
    G("C_CreateObject", P11T_CALL(c, C_CreateObject, c->session, wild_modulus, 1, NULL));
    G("C_CopyObject", P11T_CALL(c, C_CopyObject, c->session, BOGUS, WILD(CK_ATTRIBUTE_PTR, 0x40), 1, &h));
    G("C_DestroyObject", P11T_CALL(c, C_DestroyObject, c->session, BOGUS));
    G("C_GetObjectSize", P11T_CALL(c, C_GetObjectSize, c->session, data, NULL));
    G("C_GetAttributeValue", P11T_CALL(c, C_GetAttributeValue, c->session, BOGUS, wild_value, 1));
    G("C_GetAttributeValue", P11T_CALL(c, C_GetAttributeValue, c->session, data, NULL, 1));
    /* A valid object and an attribute it lacks: only ulValueLen may be written. */
    CK_RV rv = P11T_CALL(c, C_GetAttributeValue, c->session, data, wild_modulus, 1);
    p11t_conf_emit_always("C_GetAttributeValue", rv, "len=%s (wild pValue, invalid type)",
                          p11t_conf_ulong(wild_modulus[0].ulValueLen));
    G("C_SetAttributeValue", P11T_CALL(c, C_SetAttributeValue, BOGUS, data, WILD(CK_ATTRIBUTE_PTR, 0x40), 1));
    G("C_FindObjectsInit", P11T_CALL(c, C_FindObjectsInit, BOGUS, WILD(CK_ATTRIBUTE_PTR, 0x40), 2));
    G("C_FindObjectsInit", P11T_CALL(c, C_FindObjectsInit, c->session, NULL, 1));
    G("C_FindObjects", P11T_CALL(c, C_FindObjects, c->session, &h, 1, &n)); /* not initialised */
    G("C_FindObjectsFinal", P11T_CALL(c, C_FindObjectsFinal, c->session));
    G("C_FindObjectsInit", P11T_CALL(c, C_FindObjectsInit, c->session, NULL, 0));
    G("C_FindObjectsInit", P11T_CALL(c, C_FindObjectsInit, c->session, NULL, 0)); /* already active */
    G("C_FindObjects", P11T_CALL(c, C_FindObjects, c->session, NULL, 1, NULL));
    G("C_FindObjectsFinal", P11T_CALL(c, C_FindObjectsFinal, c->session));
}

/* A mechanism structure nobody initialised: garbage everywhere, pParameter wild. */
static CK_MECHANISM garbage_mechanism(void)
{
    CK_MECHANISM m;
    memset(&m, 0xa5, sizeof(m));
    m.pParameter = WILD(void *, 0x10);
    return m;
}

static void mechanism_garbage(p11t_conf *c, CK_OBJECT_HANDLE key)
{
    CK_MECHANISM m = garbage_mechanism();
    CK_OBJECT_HANDLE h, h2;
    CK_ULONG len = 0;
    G("C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &m, key));
    G("C_DecryptInit", P11T_CALL(c, C_DecryptInit, c->session, &m, key));
    G("C_DigestInit", P11T_CALL(c, C_DigestInit, c->session, &m));
    G("C_SignInit", P11T_CALL(c, C_SignInit, c->session, &m, key));
    G("C_SignRecoverInit", P11T_CALL(c, C_SignRecoverInit, c->session, &m, key));
    G("C_VerifyInit", P11T_CALL(c, C_VerifyInit, c->session, &m, key));
    G("C_VerifyRecoverInit", P11T_CALL(c, C_VerifyRecoverInit, c->session, &m, key));
    G("C_GenerateKey", P11T_CALL(c, C_GenerateKey, c->session, &m, NULL, 0, &h));
    G("C_GenerateKeyPair", P11T_CALL(c, C_GenerateKeyPair, c->session, &m, NULL, 0, NULL, 0, &h, &h2));
    G("C_WrapKey", P11T_CALL(c, C_WrapKey, c->session, &m, key, key, NULL, &len));
    G("C_UnwrapKey", P11T_CALL(c, C_UnwrapKey, c->session, &m, key, WILD(CK_BYTE_PTR, 0x30), 24, NULL, 0, &h));
    G("C_DeriveKey", P11T_CALL(c, C_DeriveKey, c->session, &m, key, NULL, 0, &h));
    m.mechanism = CKM_AES_CBC; /* supported, but ulParameterLen is still garbage */
    G("C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &m, key));
    m.ulParameterLen = 7;
    G("C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &m, key));
    G("C_DecryptInit", P11T_CALL(c, C_DecryptInit, c->session, &m, key));
    G("C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, NULL, key));
    CK_BYTE iv[16] = {0};
    CK_MECHANISM cbc = {CKM_AES_CBC, iv, sizeof(iv)};
    G("C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &cbc, BOGUS));
}

static void operation_garbage(p11t_conf *c)
{
    CK_BYTE data[4] = {1, 2, 3, 4}, out[64];
    CK_ULONG len = sizeof(out);
    /* Wild length pointer next to an invalid session, then next to no active operation. */
    G("C_Sign", P11T_CALL(c, C_Sign, BOGUS, data, 4, NULL, WILD(CK_ULONG_PTR, 0x18)));
    G("C_Sign", P11T_CALL(c, C_Sign, c->session, data, 4, NULL, WILD(CK_ULONG_PTR, 0x18)));
    G("C_Encrypt", P11T_CALL(c, C_Encrypt, c->session, data, 4, out, &len));
    G("C_Decrypt", P11T_CALL(c, C_Decrypt, BOGUS, WILD(CK_BYTE_PTR, 0x30), 16, NULL, WILD(CK_ULONG_PTR, 0x18)));
    G("C_Verify", P11T_CALL(c, C_Verify, c->session, WILD(CK_BYTE_PTR, 0x30), 16, WILD(CK_BYTE_PTR, 0x38), 32));
    CK_MECHANISM sha = {CKM_SHA256, NULL, 0};
    G("C_DigestInit", P11T_CALL(c, C_DigestInit, c->session, &sha));
    G("C_DigestInit", P11T_CALL(c, C_DigestInit, c->session, &sha)); /* already active */
    G("C_Digest", P11T_CALL(c, C_Digest, c->session, NULL, 4, NULL, NULL)); /* ends the operation */
    G("C_DigestUpdate", P11T_CALL(c, C_DigestUpdate, c->session, data, 4));
    G("C_DigestKey", P11T_CALL(c, C_DigestKey, BOGUS, BOGUS));
    G("C_GetOperationState", P11T_CALL(c, C_GetOperationState, c->session, NULL, NULL));
    G("C_SetOperationState", P11T_CALL(c, C_SetOperationState, c->session, (CK_BYTE_PTR) "junk", 4, 0, 0));
    G("C_SetOperationState", P11T_CALL(c, C_SetOperationState, c->session, NULL, 4, 0, 0));
    G("C_GenerateRandom", P11T_CALL(c, C_GenerateRandom, c->session, NULL, 16));
    G("C_GenerateRandom", P11T_CALL(c, C_GenerateRandom, BOGUS, WILD(CK_BYTE_PTR, 0x30), 16));
    G("C_SeedRandom", P11T_CALL(c, C_SeedRandom, c->session, NULL, 4));
    G("C_DigestEncryptUpdate", P11T_CALL(c, C_DigestEncryptUpdate, c->session, data, 4, out, &len));
    G("C_DecryptVerifyUpdate", P11T_CALL(c, C_DecryptVerifyUpdate, BOGUS, data, 4, out, WILD(CK_ULONG_PTR, 0x18)));
}

/* The 3.x functions, when the module offers them. */
static void v3_garbage(p11t_conf *c, CK_OBJECT_HANDLE key)
{
    CK_MECHANISM m = garbage_mechanism();
    CK_ULONG len = 0;
    CK_OBJECT_HANDLE h;
    G("C_LoginUser", P11T_CALL30(c, C_LoginUser, c->session, CKU_USER, (CK_UTF8CHAR_PTR)c->pin, 4, NULL, 4));
    G("C_SessionCancel", P11T_CALL30(c, C_SessionCancel, BOGUS, CKF_ENCRYPT));
    G("C_MessageEncryptInit", P11T_CALL30(c, C_MessageEncryptInit, c->session, &m, key));
    G("C_MessageSignInit", P11T_CALL30(c, C_MessageSignInit, c->session, &m, key));
    m.mechanism = CKM_AES_GCM;
    m.ulParameterLen = 7;
    G("C_MessageDecryptInit", P11T_CALL30(c, C_MessageDecryptInit, c->session, &m, key));
    G("C_EncryptMessage", P11T_CALL30(c, C_EncryptMessage, BOGUS, WILD(void *, 0x10), 48, WILD(CK_BYTE_PTR, 0x20), 5,
                                      WILD(CK_BYTE_PTR, 0x30), 5, NULL, WILD(CK_ULONG_PTR, 0x18)));
    G("C_EncryptMessage", P11T_CALL30(c, C_EncryptMessage, c->session, WILD(void *, 0x10), 48,
                                      WILD(CK_BYTE_PTR, 0x20), 5, WILD(CK_BYTE_PTR, 0x30), 5, NULL,
                                      WILD(CK_ULONG_PTR, 0x18)));
    G("C_SignMessageNext", P11T_CALL30(c, C_SignMessageNext, c->session, NULL, 0, WILD(CK_BYTE_PTR, 0x30), 4, NULL,
                                       WILD(CK_ULONG_PTR, 0x18)));
    G("C_MessageVerifyFinal", P11T_CALL30(c, C_MessageVerifyFinal, BOGUS));
    m = garbage_mechanism();
    G("C_EncapsulateKey", P11T_CALL32(c, C_EncapsulateKey, c->session, &m, key, NULL, 0, NULL, &len, &h));
    G("C_DecapsulateKey", P11T_CALL32(c, C_DecapsulateKey, c->session, &m, key, NULL, 0, WILD(CK_BYTE_PTR, 0x30), 48,
                                      &h));
    G("C_VerifySignatureInit", P11T_CALL32(c, C_VerifySignatureInit, c->session, &m, key, WILD(CK_BYTE_PTR, 0x28), 64));
    G("C_VerifySignature", P11T_CALL32(c, C_VerifySignature, BOGUS, WILD(CK_BYTE_PTR, 0x30), 16));
    G("C_GetSessionValidationFlags", P11T_CALL32(c, C_GetSessionValidationFlags, c->session, 1, NULL));
    G("C_AsyncComplete", P11T_CALL32(c, C_AsyncComplete, BOGUS, NULL, NULL));
    G("C_WrapKeyAuthenticated", P11T_CALL32(c, C_WrapKeyAuthenticated, c->session, &m, key, key, NULL, 0, NULL, &len));
    G("C_UnwrapKeyAuthenticated", P11T_CALL32(c, C_UnwrapKeyAuthenticated, c->session, &m, key,
                                              WILD(CK_BYTE_PTR, 0x30), 24, NULL, 0, NULL, 0, &h));
}

static void entry_points(p11t_conf *c)
{
    CK_C_GetFunctionList gfl;
    CK_C_GetInterfaceList gil;
    CK_C_GetInterface gi;
    void *s1 = p11t_conf_symbol(c, "C_GetFunctionList"), *s2 = p11t_conf_symbol(c, "C_GetInterfaceList"),
         *s3 = p11t_conf_symbol(c, "C_GetInterface");
    memcpy(&gfl, &s1, sizeof(gfl));
    memcpy(&gil, &s2, sizeof(gil));
    memcpy(&gi, &s3, sizeof(gi));
    G("C_GetFunctionList", gfl ? gfl(NULL) : P11T_CONF_ABSENT);
    G("C_GetInterfaceList", gil ? gil(NULL, NULL) : P11T_CONF_ABSENT);
    CK_INTERFACE *i;
    G("C_GetInterface", gi ? gi(NULL, NULL, NULL, 0) : P11T_CONF_ABSENT);
    G("C_GetInterface", gi ? gi((CK_UTF8CHAR_PTR) "No Such Interface", NULL, &i, 0) : P11T_CONF_ABSENT);
    if (gi != NULL && gi((CK_UTF8CHAR_PTR) "PKCS 11", &(CK_VERSION){3, 2}, &i, 0) == CKR_OK) {
        c->f30 = i->pFunctionList;
        c->f32 = i->pFunctionList;
    }
}

static void lifecycle_end(p11t_conf *c)
{
    G("C_Finalize", P11T_CALL(c, C_Finalize, WILD(void *, 1)));
    G("C_Finalize", P11T_CALL(c, C_Finalize, NULL));
    CK_INFO info;
    G("C_GetInfo", P11T_CALL(c, C_GetInfo, &info));
    G("C_Finalize", P11T_CALL(c, C_Finalize, NULL));
    CK_C_INITIALIZE_ARGS args;
    memset(&args, 0, sizeof(args));
    args.pReserved = WILD(void *, 1);
    G("C_Initialize", P11T_CALL(c, C_Initialize, &args));
    memset(&args, 0, sizeof(args));
    args.CreateMutex = create_mutex; /* only one of the four callbacks */
    G("C_Initialize", P11T_CALL(c, C_Initialize, &args));
    args.DestroyMutex = mutex_op;
    args.LockMutex = mutex_op;
    args.UnlockMutex = mutex_op;
    G("C_Initialize", P11T_CALL(c, C_Initialize, &args));
    G("C_GetInfo", P11T_CALL(c, C_GetInfo, &info));
    G("C_Finalize", P11T_CALL(c, C_Finalize, NULL));
    p11t_conf_say("mutex-callbacks-used=%s", mutex_calls ? "yes" : "no");
    memset(&args, 0, sizeof(args));
    args.flags = CKF_OS_LOCKING_OK;
    G("C_Initialize", P11T_CALL(c, C_Initialize, &args));
    G("C_Finalize", P11T_CALL(c, C_Finalize, NULL));
}

void p11t_conf_scenario_garbage(p11t_conf *c)
{
    if (p11t_conf_get_function_list(c) != CKR_OK)
        return;
    entry_points(c);
    lifecycle_start(c);
    p11t_conf_find_slot(c);
    slot_garbage(c);
    c->session = p11t_conf_open(c, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    session_garbage(c);
    static const CK_BYTE k[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    CK_OBJECT_HANDLE key = p11t_conf_secret_key(c, "garbage key", CKK_AES, k, sizeof(k), false);
    object_garbage(c, key);
    mechanism_garbage(c, key);
    operation_garbage(c);
    if (c->f30 != NULL)
        v3_garbage(c, key);
    lifecycle_end(c);
}
