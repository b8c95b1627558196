/*
 * Scenario v2: the module's C_GetFunctionList table and every 2.40 function, in an order
 * that also works against SoftHSM2 with an initialised token (--pin, --so-pin). Nothing is
 * left on the token: all objects are session objects, and the PIN functions set the PINs
 * they already have. C_InitToken is called only where it must fail (a session is open and
 * the SO PIN given is wrong), so it cannot wipe the token.
 */
#include "conf.h"

#include <stdio.h>
#include <string.h>

static void general_info(p11t_conf *c)
{
    CK_INFO info;
    memset(&info, 0, sizeof(info));
    CK_RV rv = P11T_CALL(c, C_GetInfo, &info);
    p11t_conf_emit("C_GetInfo", rv, "cryptokiVersion=%s manufacturerID=%s flags=0x%lx libraryDescription=%s "
                   "libraryVersion=%s",
                   p11t_conf_version(info.cryptokiVersion), p11t_conf_text(info.manufacturerID, 32),
                   (unsigned long)info.flags, p11t_conf_text(info.libraryDescription, 32),
                   p11t_conf_version(info.libraryVersion));
}

static void slot_info(p11t_conf *c, CK_SLOT_ID slot)
{
    CK_SLOT_INFO info;
    memset(&info, 0, sizeof(info));
    CK_RV rv = P11T_CALL(c, C_GetSlotInfo, slot, &info);
    p11t_conf_emit("C_GetSlotInfo", rv, "slot=%lu slotDescription=%s manufacturerID=%s flags=0x%lx hardware=%s "
                   "firmware=%s",
                   (unsigned long)slot, p11t_conf_text(info.slotDescription, 64),
                   p11t_conf_text(info.manufacturerID, 32), (unsigned long)info.flags,
                   p11t_conf_version(info.hardwareVersion), p11t_conf_version(info.firmwareVersion));
}

/* All slots (length query, too small, full), their info, then the slots with a token. */
static void slots(p11t_conf *c)
{
    CK_SLOT_ID list[16];
    CK_ULONG n = 0;
    CK_RV rv = P11T_CALL(c, C_GetSlotList, CK_FALSE, NULL, &n);
    p11t_conf_emit("C_GetSlotList", rv, "count=%lu (all, length query)", (unsigned long)n);
    CK_ULONG small = 0;
    rv = P11T_CALL(c, C_GetSlotList, CK_FALSE, list, &small);
    p11t_conf_emit_always("C_GetSlotList", rv, "count=%lu (all, buffer of 0)", (unsigned long)small);
    n = sizeof(list) / sizeof(list[0]);
    rv = P11T_CALL(c, C_GetSlotList, CK_FALSE, list, &n);
    p11t_conf_emit("C_GetSlotList", rv, "count=%lu (all)", (unsigned long)n);
    for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++)
        slot_info(c, list[i]);
    p11t_conf_find_slot(c);
}

static void token_info(p11t_conf *c)
{
    CK_TOKEN_INFO t;
    memset(&t, 0, sizeof(t));
    CK_RV rv = P11T_CALL(c, C_GetTokenInfo, c->slot, &t);
    /* utcTime is left out: with CKF_CLOCK_ON_TOKEN it would differ between runs. */
    p11t_conf_emit("C_GetTokenInfo", rv, "label=%s manufacturerID=%s model=%s serialNumber=%s flags=0x%lx "
                   "maxSessions=%s sessions=%s maxRwSessions=%s rwSessions=%s pinLen=%lu..%lu "
                   "publicMemory=%s/%s privateMemory=%s/%s hardware=%s firmware=%s",
                   p11t_conf_text(t.label, 32), p11t_conf_text(t.manufacturerID, 32), p11t_conf_text(t.model, 16),
                   p11t_conf_text(t.serialNumber, 16), (unsigned long)t.flags, p11t_conf_ulong(t.ulMaxSessionCount),
                   p11t_conf_ulong(t.ulSessionCount), p11t_conf_ulong(t.ulMaxRwSessionCount),
                   p11t_conf_ulong(t.ulRwSessionCount), (unsigned long)t.ulMinPinLen, (unsigned long)t.ulMaxPinLen,
                   p11t_conf_ulong(t.ulFreePublicMemory), p11t_conf_ulong(t.ulTotalPublicMemory),
                   p11t_conf_ulong(t.ulFreePrivateMemory), p11t_conf_ulong(t.ulTotalPrivateMemory),
                   p11t_conf_version(t.hardwareVersion), p11t_conf_version(t.firmwareVersion));
}

static void mechanisms(p11t_conf *c)
{
    CK_MECHANISM_TYPE list[256];
    CK_ULONG n = 0;
    CK_RV rv = P11T_CALL(c, C_GetMechanismList, c->slot, NULL, &n);
    p11t_conf_emit("C_GetMechanismList", rv, "count=%lu (length query)", (unsigned long)n);
    n = sizeof(list) / sizeof(list[0]);
    rv = P11T_CALL(c, C_GetMechanismList, c->slot, list, &n);
    char text[256 * 12] = "";
    for (CK_ULONG i = 0; rv == CKR_OK && i < n && strlen(text) + 12 < sizeof(text); i++) {
        char one[16];
        snprintf(one, sizeof(one), "%s0x%lx", i ? "," : "", (unsigned long)list[i]);
        strcat(text, one);
    }
    p11t_conf_emit("C_GetMechanismList", rv, "count=%lu list=%s", (unsigned long)n, text);
    static const CK_MECHANISM_TYPE shown[] = {CKM_SHA256, CKM_AES_CBC, CKM_SHA256_HMAC, CKM_RSA_PKCS,
                                              CKM_AES_KEY_WRAP};
    for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
        CK_MECHANISM_INFO info;
        memset(&info, 0, sizeof(info));
        rv = P11T_CALL(c, C_GetMechanismInfo, c->slot, shown[i], &info);
        p11t_conf_emit("C_GetMechanismInfo", rv, "type=0x%lx keySize=%lu..%lu flags=0x%lx", (unsigned long)shown[i],
                       (unsigned long)info.ulMinKeySize, (unsigned long)info.ulMaxKeySize, (unsigned long)info.flags);
    }
}

/* Sessions, PIN management and logins, ending with the user logged in on c->session. */
static void sessions(p11t_conf *c)
{
    CK_SLOT_ID event = 0;
    CK_RV rv = P11T_CALL(c, C_WaitForSlotEvent, CKF_DONT_BLOCK, &event, NULL);
    p11t_conf_emit("C_WaitForSlotEvent", rv, "slot=%lu", (unsigned long)event);
    CK_SESSION_HANDLE ro = p11t_conf_open(c, CKF_SERIAL_SESSION);
    p11t_conf_session_info(c, ro);
    c->session = p11t_conf_open(c, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    CK_UTF8CHAR label[32];
    memset(label, ' ', sizeof(label));
    memcpy(label, "p11t conformance", 16);
    static const char wrong_so_pin[] = "not-the-so-pin";
    rv = P11T_CALL(c, C_InitToken, c->slot, (CK_UTF8CHAR_PTR)wrong_so_pin, (CK_ULONG)strlen(wrong_so_pin), label);
    p11t_conf_emit("C_InitToken", rv, "- (sessions open, wrong SO PIN)");
    rv = P11T_CALL(c, C_CloseSession, ro);
    p11t_conf_emit("C_CloseSession", rv, "-");
    p11t_conf_login(c, CKU_SO, c->so_pin);
    p11t_conf_session_info(c, c->session);
    rv = P11T_CALL(c, C_InitPIN, c->session, (CK_UTF8CHAR_PTR)c->pin, (CK_ULONG)strlen(c->pin));
    p11t_conf_emit("C_InitPIN", rv, "-");
    rv = P11T_CALL(c, C_Logout, c->session);
    p11t_conf_emit("C_Logout", rv, "-");
    p11t_conf_login(c, CKU_USER, c->pin);
    p11t_conf_session_info(c, c->session);
    rv = P11T_CALL(c, C_SetPIN, c->session, (CK_UTF8CHAR_PTR)c->pin, (CK_ULONG)strlen(c->pin),
                   (CK_UTF8CHAR_PTR)c->pin, (CK_ULONG)strlen(c->pin));
    p11t_conf_emit("C_SetPIN", rv, "- (same PIN)");
    rv = P11T_CALL(c, C_GetFunctionStatus, c->session);
    p11t_conf_emit("C_GetFunctionStatus", rv, "-");
    rv = P11T_CALL(c, C_CancelFunction, c->session);
    p11t_conf_emit("C_CancelFunction", rv, "-");
}

/* Prints the per-attribute lengths of a C_GetAttributeValue template. */
static void emit_template(const char *note, CK_RV rv, const CK_ATTRIBUTE *t, size_t n, bool values)
{
    char text[2048] = "";
    for (size_t i = 0; i < n; i++) {
        char one[600];
        bool has = values && t[i].pValue != NULL && t[i].ulValueLen != CK_UNAVAILABLE_INFORMATION;
        snprintf(one, sizeof(one), "%s0x%lx:len=%s%s%s", i ? " " : "", (unsigned long)t[i].type,
                 p11t_conf_ulong(t[i].ulValueLen), has ? ",hex=" : "",
                 has ? p11t_conf_hex(t[i].pValue, t[i].ulValueLen) : "");
        strncat(text, one, sizeof(text) - strlen(text) - 1);
    }
    /* The lengths are defined for these codes too (spec: C_GetAttributeValue). */
    bool defined = rv == CKR_OK || rv == CKR_ATTRIBUTE_SENSITIVE || rv == CKR_ATTRIBUTE_TYPE_INVALID ||
                   rv == CKR_BUFFER_TOO_SMALL;
    if (defined)
        p11t_conf_emit_always("C_GetAttributeValue", rv, "%s (%s)", text, note);
    else
        p11t_conf_emit("C_GetAttributeValue", rv, "-");
}

/* The C_GetAttributeValue cases: length query, values, too small, invalid type, sensitive. */
static void attributes(p11t_conf *c, CK_OBJECT_HANDLE data, CK_OBJECT_HANDLE sensitive)
{
    unsigned char label[64], value[64], tiny[2];
    CK_ATTRIBUTE q[] = {{CKA_LABEL, NULL, 0}, {CKA_VALUE, NULL, 0}};
    CK_RV rv = P11T_CALL(c, C_GetAttributeValue, c->session, data, q, 2);
    emit_template("length query", rv, q, 2, false);
    CK_ATTRIBUTE v[] = {{CKA_LABEL, label, sizeof(label)}, {CKA_VALUE, value, sizeof(value)}};
    rv = P11T_CALL(c, C_GetAttributeValue, c->session, data, v, 2);
    emit_template("values", rv, v, 2, true);
    CK_ATTRIBUTE s[] = {{CKA_VALUE, tiny, sizeof(tiny)}};
    rv = P11T_CALL(c, C_GetAttributeValue, c->session, data, s, 1);
    emit_template("buffer too small", rv, s, 1, false);
    CK_ATTRIBUTE m[] = {{CKA_LABEL, label, sizeof(label)}, {CKA_MODULUS, value, sizeof(value)}};
    rv = P11T_CALL(c, C_GetAttributeValue, c->session, data, m, 2);
    emit_template("invalid type", rv, m, 2, false);
    CK_ATTRIBUTE k[] = {{CKA_VALUE, value, sizeof(value)}, {CKA_VALUE_LEN, label, sizeof(CK_ULONG)}};
    rv = P11T_CALL(c, C_GetAttributeValue, c->session, sensitive, k, 2);
    emit_template("sensitive key", rv, k, 2, false);
    CK_ULONG size = 0;
    rv = P11T_CALL(c, C_GetObjectSize, c->session, data, &size);
    p11t_conf_emit("C_GetObjectSize", rv, "size=%s", p11t_conf_ulong(size));
}

/* Searches with a template and prints what C_FindObjects returns, `max` handles at a time. */
static void find(p11t_conf *c, CK_ATTRIBUTE *t, CK_ULONG n, CK_ULONG max, const char *note)
{
    CK_RV rv = P11T_CALL(c, C_FindObjectsInit, c->session, t, n);
    p11t_conf_emit("C_FindObjectsInit", rv, "- (%s)", note);
    for (int round = 0; round < 3; round++) {
        CK_OBJECT_HANDLE found[8] = {0};
        CK_ULONG count = 0;
        rv = P11T_CALL(c, C_FindObjects, c->session, found, max, &count);
        char text[128] = "";
        for (CK_ULONG i = 0; rv == CKR_OK && i < count && i < 8; i++)
            snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%lu", i ? "," : "", (unsigned long)found[i]);
        p11t_conf_emit("C_FindObjects", rv, "count=%lu handles=[%s]", (unsigned long)count, text);
        if (rv != CKR_OK || count == 0)
            break;
    }
    rv = P11T_CALL(c, C_FindObjectsFinal, c->session);
    p11t_conf_emit("C_FindObjectsFinal", rv, "-");
}

static void objects(p11t_conf *c)
{
    static const CK_BYTE aes16[16] = {0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87,
                                      0x98, 0xa9, 0xba, 0xcb, 0xdc, 0xed, 0xfe, 0x0f};
    CK_OBJECT_CLASS data_class = CKO_DATA;
    CK_BBOOL no = CK_FALSE;
    CK_ATTRIBUTE data_tmpl[] = {
        {CKA_CLASS, &data_class, sizeof(data_class)}, {CKA_TOKEN, &no, sizeof(no)},
        {CKA_PRIVATE, &no, sizeof(no)},               {CKA_LABEL, "conf data", 9},
        {CKA_APPLICATION, "p11t", 4},                 {CKA_VALUE, "payload", 7},
    };
    CK_OBJECT_HANDLE data = CK_INVALID_HANDLE;
    CK_RV rv = P11T_CALL(c, C_CreateObject, c->session, data_tmpl, 6, &data);
    p11t_conf_emit("C_CreateObject", rv, "object=%lu (conf data)", (unsigned long)data);
    CK_OBJECT_HANDLE sensitive = p11t_conf_secret_key(c, "conf sensitive", CKK_AES, aes16, 16, true);
    attributes(c, data, sensitive);
    CK_ATTRIBUTE relabel[] = {{CKA_LABEL, "conf data 2", 11}};
    rv = P11T_CALL(c, C_SetAttributeValue, c->session, data, relabel, 1);
    p11t_conf_emit("C_SetAttributeValue", rv, "-");
    p11t_conf_show_attr(c, data, CKA_LABEL, true);
    CK_ATTRIBUTE copy_tmpl[] = {{CKA_LABEL, "conf copy", 9}};
    CK_OBJECT_HANDLE copy = CK_INVALID_HANDLE;
    rv = P11T_CALL(c, C_CopyObject, c->session, data, copy_tmpl, 1, &copy);
    p11t_conf_emit("C_CopyObject", rv, "object=%lu", (unsigned long)copy);
    CK_ATTRIBUTE by_label[] = {{CKA_CLASS, &data_class, sizeof(data_class)}, {CKA_LABEL, "conf copy", 9}};
    find(c, by_label, 2, 1, "class and label");
    CK_ATTRIBUTE by_app[] = {{CKA_CLASS, &data_class, sizeof(data_class)}, {CKA_APPLICATION, "p11t", 4}};
    find(c, by_app, 2, 8, "class and application");
    CK_OBJECT_HANDLE none[1];
    CK_ULONG count = 0;
    rv = P11T_CALL(c, C_FindObjects, c->session, none, 1, &count);
    p11t_conf_emit("C_FindObjects", rv, "count=%lu (after final)", (unsigned long)count);
    rv = P11T_CALL(c, C_DestroyObject, c->session, copy);
    p11t_conf_emit("C_DestroyObject", rv, "-");
    CK_ATTRIBUTE gone = {CKA_LABEL, NULL, 0};
    rv = P11T_CALL(c, C_GetAttributeValue, c->session, copy, &gone, 1);
    p11t_conf_emit("C_GetAttributeValue", rv, "len=%s (destroyed object)", p11t_conf_ulong(gone.ulValueLen));
}

void p11t_conf_scenario_v2(p11t_conf *c)
{
    if (p11t_conf_get_function_list(c) != CKR_OK)
        return;
    CK_RV rv = P11T_CALL(c, C_Initialize, NULL);
    p11t_conf_emit("C_Initialize", rv, "-");
    general_info(c);
    slots(c);
    token_info(c);
    mechanisms(c);
    sessions(c);
    objects(c);
    p11t_conf_v2_keys(c);
    p11t_conf_v2_crypto(c);
    p11t_conf_teardown(c);
}
