/*
 * Scenarios v3, v32 and v3-over-v2: obtaining tables through the 3.0 interface functions.
 *
 * v3/v32 print what C_GetInterfaceList offers, query C_GetInterface in several ways, take
 * "PKCS 11" 3.0 (or 3.2) and check that C_GetFunctionList and C_GetInterface called through
 * that table give back the tables obtained directly (same-table=yes|no). They then run the
 * 3.0 functions (and for v32 the 3.2 functions).
 */
#include "conf.h"

#include <stdio.h>
#include <string.h>

/* Resolves a function-pointer symbol without an object-to-function pointer cast. */
#define P11T_CONF_SYMBOL(c, type, name, var) \
    type var; \
    do { \
        void *sym_ = p11t_conf_symbol((c), (name)); \
        memcpy(&var, &sym_, sizeof(var)); \
    } while (0)

static const char *interface_text(const CK_INTERFACE *i)
{
    static char buf[4][256];
    static unsigned next;
    char *b = buf[next++ % 4];
    const CK_VERSION *v = i->pFunctionList; /* every function list starts with its version */
    const char *name = i->pInterfaceName ? (const char *)i->pInterfaceName : "";
    snprintf(b, 256, "name=%s version=%s flags=0x%lx", p11t_conf_text((const CK_UTF8CHAR *)name, strlen(name)),
             v ? p11t_conf_version(*v) : "none", (unsigned long)i->flags);
    return b;
}

static void interface_list(CK_C_GetInterfaceList gil)
{
    CK_ULONG n = 0;
    CK_RV rv = gil(NULL, &n);
    p11t_conf_emit("C_GetInterfaceList", rv, "count=%lu (length query)", (unsigned long)n);
    CK_INTERFACE list[16];
    CK_ULONG small = 0;
    rv = gil(list, &small);
    p11t_conf_emit_always("C_GetInterfaceList", rv, "count=%lu (buffer of 0)", (unsigned long)small);
    n = sizeof(list) / sizeof(list[0]);
    rv = gil(list, &n);
    char text[2048] = "";
    for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++) {
        strncat(text, i ? "; " : "", sizeof(text) - strlen(text) - 1);
        strncat(text, interface_text(&list[i]), sizeof(text) - strlen(text) - 1);
    }
    p11t_conf_emit("C_GetInterfaceList", rv, "count=%lu [%s]", (unsigned long)n, text);
}

/* C_GetInterface with an optional name and version; prints and returns the interface. */
static CK_INTERFACE *get_interface(CK_C_GetInterface gi, const char *name, const CK_VERSION *v, const char *note)
{
    CK_INTERFACE *i = NULL;
    CK_VERSION copy = v ? *v : (CK_VERSION){0, 0};
    CK_RV rv = gi((CK_UTF8CHAR_PTR)name, v ? &copy : NULL, &i, 0);
    if (rv == CKR_OK && i == NULL)
        rv = CKR_GENERAL_ERROR;
    p11t_conf_emit("C_GetInterface", rv, "%s (%s)", rv == CKR_OK ? interface_text(i) : "", note);
    return rv == CKR_OK ? i : NULL;
}

/* The vendor interface of the mock: a version and one function computing 2 * input + 1. */
typedef struct {
    CK_VERSION version;
    CK_RV (*C_MockVendorEcho)(CK_ULONG input, CK_ULONG_PTR pOutput);
} mock_vendor_list;

static void vendor(CK_C_GetInterface gi)
{
    CK_INTERFACE *i = get_interface(gi, "Mock Vendor", NULL, "vendor interface");
    if (i == NULL || strcmp((const char *)i->pInterfaceName, "Mock Vendor") != 0)
        return;
    const mock_vendor_list *v = i->pFunctionList;
    CK_ULONG out = 0;
    CK_RV rv = v->C_MockVendorEcho ? v->C_MockVendorEcho(20, &out) : P11T_CONF_ABSENT;
    /* Not a PKCS#11 function: the line must not start with "C_" (callers count those). */
    p11t_conf_emit("vendor MockVendorEcho", rv, "output=%lu (input 20)", (unsigned long)out);
}

/* Calls the entry points through the table and compares what they return. */
static void same_tables(p11t_conf *c, const CK_INTERFACE *chosen)
{
    CK_FUNCTION_LIST *direct = NULL, *through = NULL;
    P11T_CONF_SYMBOL(c, CK_C_GetFunctionList, "C_GetFunctionList", gfl);
    CK_RV rv = gfl ? gfl(&direct) : P11T_CONF_ABSENT;
    p11t_conf_emit("C_GetFunctionList", rv, "version=%s (exported symbol)",
                   direct ? p11t_conf_version(direct->version) : "none");
    rv = P11T_CALL(c, C_GetFunctionList, &through);
    p11t_conf_emit("C_GetFunctionList", rv, "version=%s same-table=%s (through the table)",
                   through ? p11t_conf_version(through->version) : "none", through == direct ? "yes" : "no");
    CK_INTERFACE *again = NULL;
    const CK_VERSION *want = chosen->pFunctionList;
    CK_VERSION v = *want;
    rv = P11T_CALL30(c, C_GetInterface, (CK_UTF8CHAR_PTR) "PKCS 11", &v, &again, 0);
    p11t_conf_emit("C_GetInterface", rv, "%s same-table=%s (through the table)", again ? interface_text(again) : "",
                   again && again->pFunctionList == chosen->pFunctionList ? "yes" : "no");
    CK_ULONG n = 0;
    rv = P11T_CALL30(c, C_GetInterfaceList, NULL, &n);
    p11t_conf_emit("C_GetInterfaceList", rv, "count=%lu (through the table)", (unsigned long)n);
}

/* Session set-up for the 3.x scenarios: C_LoginUser and C_SessionCancel. */
static void session_start(p11t_conf *c)
{
    CK_RV rv = P11T_CALL(c, C_Initialize, NULL);
    p11t_conf_emit("C_Initialize", rv, "-");
    CK_INFO info;
    memset(&info, 0, sizeof(info));
    rv = P11T_CALL(c, C_GetInfo, &info);
    p11t_conf_emit("C_GetInfo", rv, "cryptokiVersion=%s", p11t_conf_version(info.cryptokiVersion));
    p11t_conf_find_slot(c);
    c->session = p11t_conf_open(c, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    rv = P11T_CALL30(c, C_LoginUser, c->session, CKU_USER, (CK_UTF8CHAR_PTR)c->pin, (CK_ULONG)strlen(c->pin),
                     (CK_UTF8CHAR_PTR) "user", 4);
    p11t_conf_emit("C_LoginUser", rv, "-");
    p11t_conf_session_info(c, c->session);
    CK_MECHANISM sha = {CKM_SHA256, NULL, 0};
    p11t_conf_emit("C_DigestInit", P11T_CALL(c, C_DigestInit, c->session, &sha), "-");
    p11t_conf_emit("C_SessionCancel", P11T_CALL30(c, C_SessionCancel, c->session, CKF_DIGEST), "- (CKF_DIGEST)");
    CK_BYTE b[4] = {1, 2, 3, 4};
    p11t_conf_emit("C_DigestUpdate", P11T_CALL(c, C_DigestUpdate, c->session, b, sizeof(b)), "- (after cancel)");
}

void p11t_conf_scenario_v3(p11t_conf *c, bool v32)
{
    P11T_CONF_SYMBOL(c, CK_C_GetInterfaceList, "C_GetInterfaceList", gil);
    P11T_CONF_SYMBOL(c, CK_C_GetInterface, "C_GetInterface", gi);
    if (gil == NULL)
        p11t_conf_say("C_GetInterfaceList absent");
    else
        interface_list(gil);
    if (gi == NULL) {
        p11t_conf_say("C_GetInterface absent");
        return;
    }
    get_interface(gi, NULL, NULL, "default");
    get_interface(gi, "PKCS 11", NULL, "PKCS 11, any version");
    vendor(gi);
    get_interface(gi, "PKCS 11", &(CK_VERSION){9, 9}, "PKCS 11 9.9");
    CK_VERSION want = v32 ? (CK_VERSION){3, 2} : (CK_VERSION){3, 0};
    CK_INTERFACE *chosen = get_interface(gi, "PKCS 11", &want, "chosen");
    if (chosen == NULL || chosen->pFunctionList == NULL)
        return;
    const CK_VERSION *have = chosen->pFunctionList;
    if (have->major < 3) {
        p11t_conf_say("interface version %s has no 3.x functions", p11t_conf_version(*have));
        return;
    }
    c->f = chosen->pFunctionList; /* every 3.x list begins with the 2.40 list */
    c->f30 = chosen->pFunctionList;
    if (v32 && (have->major > 3 || have->minor >= 2))
        c->f32 = chosen->pFunctionList;
    same_tables(c, chosen);
    session_start(c);
    p11t_conf_v3_messages(c);
    if (v32)
        p11t_conf_v32_functions(c);
    p11t_conf_teardown(c);
}

/*
 * A 3.0 application on whatever the module offers: C_GetInterface("PKCS 11", 3.0), else the
 * 2.40 table. "No 3.0 interface" prints the same line whether the symbol is missing or the
 * call refuses (an interposer exports C_GetInterface even for a 2.x module), so that runs
 * with and without an interposer compare equal; the refusal's code goes to stderr.
 */
void p11t_conf_scenario_v3_over_v2(p11t_conf *c)
{
    P11T_CONF_SYMBOL(c, CK_C_GetInterface, "C_GetInterface", gi);
    CK_INTERFACE *i = NULL;
    CK_RV rv = P11T_CONF_ABSENT;
    if (gi != NULL) {
        CK_VERSION v30 = {3, 0};
        rv = gi((CK_UTF8CHAR_PTR) "PKCS 11", &v30, &i, 0);
        if (rv == CKR_OK && (i == NULL || i->pFunctionList == NULL))
            rv = CKR_GENERAL_ERROR;
    }
    if (rv == CKR_OK) {
        p11t_conf_emit("C_GetInterface", rv, "%s (PKCS 11 3.0)", interface_text(i));
        c->f = i->pFunctionList;
        c->f30 = i->pFunctionList;
    } else {
        if (gi != NULL)
            fprintf(stderr, "p11t-conformance: C_GetInterface(\"PKCS 11\", 3.0) returned %s\n",
                    p11t_conf_rv_name(rv));
        p11t_conf_say("C_GetInterface absent (no PKCS 11 3.0 interface; using C_GetFunctionList)");
        if (p11t_conf_get_function_list(c) != CKR_OK)
            return;
    }
    rv = P11T_CALL(c, C_Initialize, NULL);
    p11t_conf_emit("C_Initialize", rv, "-");
    CK_INFO info;
    memset(&info, 0, sizeof(info));
    rv = P11T_CALL(c, C_GetInfo, &info);
    p11t_conf_emit("C_GetInfo", rv, "cryptokiVersion=%s", p11t_conf_version(info.cryptokiVersion));
    p11t_conf_find_slot(c);
    c->session = p11t_conf_open(c, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    if (c->f30 != NULL) {
        rv = P11T_CALL30(c, C_LoginUser, c->session, CKU_USER, (CK_UTF8CHAR_PTR)c->pin, (CK_ULONG)strlen(c->pin),
                         (CK_UTF8CHAR_PTR) "user", 4);
        p11t_conf_emit("C_LoginUser", rv, "-");
    } else {
        p11t_conf_login(c, CKU_USER, c->pin);
    }
    CK_MECHANISM sha = {CKM_SHA256, NULL, 0};
    CK_BYTE data[] = "v3 over v2", out[64];
    CK_ULONG len = sizeof(out);
    p11t_conf_emit("C_DigestInit", P11T_CALL(c, C_DigestInit, c->session, &sha), "-");
    rv = P11T_CALL(c, C_Digest, c->session, data, sizeof(data) - 1, out, &len);
    p11t_conf_emit_buf("C_Digest", rv, out, len, true, NULL);
    p11t_conf_teardown(c);
}
