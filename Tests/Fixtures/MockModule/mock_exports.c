/*
 * Entry points, function lists and interfaces.
 *
 * Every function-list slot points to a generated static entry function, never to an exported
 * symbol: a preloaded interposer that exports C_GetFunctionList therefore cannot end up inside
 * the mock's own tables. The entry function applies fault injection (mock_faults.c), checks
 * initialisation and holds the module lock around the implementation, except for the
 * functions the specification allows before C_Initialize (and C_Initialize/C_Finalize, which
 * manage the lock themselves).
 *
 * The 3.x build exports C_GetFunctionList, C_GetInterfaceList and C_GetInterface; the 2.40
 * build (P11T_MOCK_V2_ONLY) only C_GetFunctionList.
 */
#include "mock_internal.h"

#include <string.h>

/* Functions that run without the module lock (and before C_Initialize where allowed).
 * C_WaitForSlotEvent checks initialisation itself: a blocking wait must not hold the lock
 * C_Finalize needs to release it. */
static bool runs_unlocked(int id)
{
    return id == P11T_MOCK_ID_C_Initialize || id == P11T_MOCK_ID_C_Finalize ||
           id == P11T_MOCK_ID_C_WaitForSlotEvent ||
           id == P11T_MOCK_ID_C_GetFunctionList || id == P11T_MOCK_ID_C_GetInterfaceList ||
           id == P11T_MOCK_ID_C_GetInterface;
}

/* Returns true when the call must return *rv without running the implementation. */
static bool entry_begin(int id, CK_RV *rv)
{
    /* Faults are configured when the module initialises, and by the first call before that
     * (so that calls before C_Initialize can be faulted too; the process is single-threaded
     * then). */
    static bool faults_loaded;
    if (!faults_loaded || (id == P11T_MOCK_ID_C_Initialize && !p11t_mock_is_initialised())) {
        faults_loaded = true;
        p11t_mock_faults_load();
    }
    if (p11t_mock_faults_check(id, rv))
        return true;
    if (runs_unlocked(id))
        return false;
    if (!p11t_mock_is_initialised()) {
        *rv = CKR_CRYPTOKI_NOT_INITIALIZED;
        return true;
    }
    if (p11t_mock_accepts_any_mechanism(id)) {
        *rv = CKR_OK;
        return true;
    }
    *rv = p11t_mock_lock();
    if (*rv != CKR_OK)
        return true;
    if (!p11t_mock_is_initialised()) { /* finalized while this thread waited (an application bug) */
        p11t_mock_unlock();
        *rv = CKR_CRYPTOKI_NOT_INITIALIZED;
        return true;
    }
    return false;
}

static void entry_end(int id)
{
    if (!runs_unlocked(id))
        p11t_mock_unlock();
}

#define MOCK_ENTRY(name, params, args) \
    static CK_RV mock_entry_##name params \
    { \
        CK_RV rv; \
        if (entry_begin(P11T_MOCK_ID_##name, &rv)) \
            return rv; \
        rv = p11t_mock_##name args; \
        entry_end(P11T_MOCK_ID_##name); \
        return rv; \
    }

P11T_FOR_EACH_FUNCTION_2_40(MOCK_ENTRY)
#if !P11T_MOCK_V2_ONLY
P11T_FOR_EACH_FUNCTION_3_0_ADDED(MOCK_ENTRY)
P11T_FOR_EACH_FUNCTION_3_2_ADDED(MOCK_ENTRY)
#endif
#undef MOCK_ENTRY

#define MOCK_SLOT(name, params, args) .name = mock_entry_##name,

static CK_FUNCTION_LIST list_2_40 = {
    .version = {2, 40},
    P11T_FOR_EACH_FUNCTION_2_40(MOCK_SLOT)
};

#if !P11T_MOCK_V2_ONLY

static CK_FUNCTION_LIST_3_0 list_3_0 = {
    .version = {3, 0},
    P11T_FOR_EACH_FUNCTION_2_40(MOCK_SLOT)
    P11T_FOR_EACH_FUNCTION_3_0_ADDED(MOCK_SLOT)
};

static CK_FUNCTION_LIST_3_2 list_3_2 = {
    .version = {3, 2},
    P11T_FOR_EACH_FUNCTION_2_40(MOCK_SLOT)
    P11T_FOR_EACH_FUNCTION_3_0_ADDED(MOCK_SLOT)
    P11T_FOR_EACH_FUNCTION_3_2_ADDED(MOCK_SLOT)
};

#endif
#undef MOCK_SLOT

CK_RV p11t_mock_C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList)
{
    if (ppFunctionList == NULL)
        return CKR_ARGUMENTS_BAD;
    *ppFunctionList = &list_2_40;
    return CKR_OK;
}

P11T_MOCK_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList)
{
    return mock_entry_C_GetFunctionList(ppFunctionList);
}

#if !P11T_MOCK_V2_ONLY

/*
 * The vendor interface "Mock Vendor" 1.0: a version and one function, which answers
 * 2 * input + 1 (and needs no C_Initialize).
 */
typedef struct {
    CK_VERSION version;
    CK_RV (*C_MockVendorEcho)(CK_ULONG input, CK_ULONG_PTR pOutput);
} mock_vendor_list;

static CK_RV mock_vendor_echo(CK_ULONG input, CK_ULONG_PTR pOutput)
{
    if (pOutput == NULL)
        return CKR_ARGUMENTS_BAD;
    *pOutput = 2 * input + 1;
    return CKR_OK;
}

static mock_vendor_list vendor_list = {{1, 0}, mock_vendor_echo};

#define MOCK_PKCS11_NAME "PKCS 11"
#define MOCK_VENDOR_NAME "Mock Vendor"

static CK_INTERFACE interfaces[] = {
    {(CK_CHAR *)MOCK_PKCS11_NAME, &list_3_2, 0},
    {(CK_CHAR *)MOCK_PKCS11_NAME, &list_3_0, 0},
    {(CK_CHAR *)MOCK_PKCS11_NAME, &list_2_40, 0},
    {(CK_CHAR *)MOCK_VENDOR_NAME, &vendor_list, 0},
};

#define MOCK_INTERFACE_COUNT (sizeof(interfaces) / sizeof(interfaces[0]))

/*
 * The default interface (no name, no version) is "PKCS 11" 3.0, not the newest 3.2: many
 * applications written for 3.0 ask for the default and cast it to CK_FUNCTION_LIST_3_0, and
 * 3.0 is the version such callers were tested with. Asking by name without a version gets
 * the same default; 3.2 must be requested by version.
 */
#define MOCK_DEFAULT_INTERFACE 1

CK_RV p11t_mock_C_GetInterfaceList(CK_INTERFACE_PTR pInterfacesList, CK_ULONG_PTR pulCount)
{
    if (pulCount == NULL)
        return CKR_ARGUMENTS_BAD;
    CK_RV rv;
    if (p11t_mock_out_check(pInterfacesList, pulCount, MOCK_INTERFACE_COUNT, &rv) != P11T_MOCK_OUT_WRITE)
        return rv;
    memcpy(pInterfacesList, interfaces, sizeof(interfaces));
    *pulCount = MOCK_INTERFACE_COUNT;
    return CKR_OK;
}

static const CK_VERSION *interface_version(const CK_INTERFACE *i)
{
    return (const CK_VERSION *)i->pFunctionList; /* every function list starts with its version */
}

static bool interface_matches(const CK_INTERFACE *i, const char *name, const CK_VERSION *v, CK_FLAGS flags)
{
    const CK_VERSION *have = interface_version(i);
    if (strcmp((const char *)i->pInterfaceName, name) != 0)
        return false;
    if (v != NULL && (have->major != v->major || have->minor != v->minor))
        return false;
    return (i->flags & flags) == flags;
}

CK_RV p11t_mock_C_GetInterface(CK_UTF8CHAR_PTR pInterfaceName, CK_VERSION_PTR pVersion,
                               CK_INTERFACE_PTR_PTR ppInterface, CK_FLAGS flags)
{
    if (ppInterface == NULL)
        return CKR_ARGUMENTS_BAD;
    const char *name = pInterfaceName ? (const char *)pInterfaceName : MOCK_PKCS11_NAME;
    if (pVersion == NULL && interface_matches(&interfaces[MOCK_DEFAULT_INTERFACE], name, NULL, flags)) {
        *ppInterface = &interfaces[MOCK_DEFAULT_INTERFACE];
        return CKR_OK;
    }
    for (size_t i = 0; i < MOCK_INTERFACE_COUNT; i++) {
        if (interface_matches(&interfaces[i], name, pVersion, flags)) {
            *ppInterface = &interfaces[i];
            return CKR_OK;
        }
    }
    return CKR_ARGUMENTS_BAD; /* no such interface */
}

P11T_MOCK_EXPORT CK_RV C_GetInterfaceList(CK_INTERFACE_PTR pInterfacesList, CK_ULONG_PTR pulCount)
{
    return mock_entry_C_GetInterfaceList(pInterfacesList, pulCount);
}

P11T_MOCK_EXPORT CK_RV C_GetInterface(CK_UTF8CHAR_PTR pInterfaceName, CK_VERSION_PTR pVersion,
                                      CK_INTERFACE_PTR_PTR ppInterface, CK_FLAGS flags)
{
    return mock_entry_C_GetInterface(pInterfaceName, pVersion, ppInterface, flags);
}

#endif /* !P11T_MOCK_V2_ONLY */
