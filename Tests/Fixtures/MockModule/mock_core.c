/*
 * Global state, locking, C_Initialize/C_Finalize and the slot/token queries.
 *
 * One slot (P11T_MOCK_SLOT_TOKEN) holds the token "p11trace mock"; a second slot
 * (P11T_MOCK_SLOT_EMPTY) has none. All state is in memory and reset by C_Initialize.
 */
#include "mock_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

p11t_mock_state p11t_mock_g;

/* Serialises C_Initialize/C_Finalize; the module lock below guards everything else. */
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t os_lock = PTHREAD_MUTEX_INITIALIZER;
/* Blocking C_WaitForSlotEvent: slots never change, so a wait ends only when C_Finalize bumps
 * finalize_count (pkcs11-base 5.4 C_Finalize: the waiting thread returns
 * CKR_CRYPTOKI_NOT_INITIALIZED). */
static pthread_mutex_t wait_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wait_cond = PTHREAD_COND_INITIALIZER;
static unsigned long finalize_count;

/* Application-supplied mutex callbacks (CK_C_INITIALIZE_ARGS), when given. */
static struct {
    bool active;
    CK_CREATEMUTEX create;
    CK_DESTROYMUTEX destroy;
    CK_LOCKMUTEX lock;
    CK_UNLOCKMUTEX unlock;
    CK_VOID_PTR mutex;
} app_mutex;

bool p11t_mock_is_initialised(void)
{
    /* A child after fork() sees its parent's flag; it must call C_Initialize again. */
    return p11t_mock_g.initialised && p11t_mock_g.pid == getpid();
}

CK_RV p11t_mock_lock(void)
{
    if (app_mutex.active)
        return app_mutex.lock(app_mutex.mutex) == CKR_OK ? CKR_OK : CKR_CANT_LOCK;
    pthread_mutex_lock(&os_lock);
    return CKR_OK;
}

void p11t_mock_unlock(void)
{
    if (app_mutex.active)
        app_mutex.unlock(app_mutex.mutex);
    else
        pthread_mutex_unlock(&os_lock);
}

/* Copies `s` into a blank-padded, unterminated PKCS#11 text field. */
static void pad_copy(CK_UTF8CHAR *dst, size_t n, const char *s)
{
    size_t len = strlen(s);
    memset(dst, ' ', n);
    memcpy(dst, s, len < n ? len : n);
}

/*
 * Checks CK_C_INITIALIZE_ARGS: pReserved must be NULL and the four mutex callbacks must be
 * all present or all absent.
 */
static CK_RV check_init_args(const CK_C_INITIALIZE_ARGS *a)
{
    if (a->pReserved != NULL)
        return CKR_ARGUMENTS_BAD;
    int given = (a->CreateMutex != NULL) + (a->DestroyMutex != NULL) + (a->LockMutex != NULL) +
                (a->UnlockMutex != NULL);
    if (given != 0 && given != 4)
        return CKR_ARGUMENTS_BAD;
    return CKR_OK;
}

/* Chooses the lock: the application's callbacks when given, else a pthread mutex. */
static CK_RV setup_lock(const CK_C_INITIALIZE_ARGS *a)
{
    memset(&app_mutex, 0, sizeof(app_mutex));
    pthread_mutex_init(&os_lock, NULL);
    if (a == NULL || a->CreateMutex == NULL)
        return CKR_OK;
    app_mutex.create = a->CreateMutex;
    app_mutex.destroy = a->DestroyMutex;
    app_mutex.lock = a->LockMutex;
    app_mutex.unlock = a->UnlockMutex;
    if (app_mutex.create(&app_mutex.mutex) != CKR_OK)
        return CKR_CANT_LOCK;
    app_mutex.active = true;
    return CKR_OK;
}

/* Default token contents: PINs, label and two token objects. */
static void reset_token(void)
{
    memset(p11t_mock_g.label, ' ', sizeof(p11t_mock_g.label));
    memcpy(p11t_mock_g.label, "p11trace mock", 13);
    memcpy(p11t_mock_g.user_pin, "1234", 4);
    p11t_mock_g.user_pin_len = 4;
    memcpy(p11t_mock_g.so_pin, "5678", 4);
    p11t_mock_g.so_pin_len = 4;
    p11t_mock_g.user_pin_initialised = true;
    p11t_mock_g.login = P11T_MOCK_NOBODY;
    p11t_mock_g.next_session = 1;
    p11t_mock_g.next_object = 100;
    p11t_mock_g.random_state = 0x9e3779b97f4a7c15ULL;
}

/* Two token objects so that searches find something before the application creates any. */
static void seed_objects(void)
{
    static const CK_OBJECT_CLASS data = CKO_DATA, secret = CKO_SECRET_KEY;
    static const CK_KEY_TYPE aes = CKK_AES;
    static const CK_BBOOL yes = CK_TRUE;
    static const unsigned char key[16] = {0x4d, 0x4f, 0x43, 0x4b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const CK_ATTRIBUTE data_tmpl[] = {
        {CKA_CLASS, (void *)&data, sizeof(data)},
        {CKA_TOKEN, (void *)&yes, sizeof(yes)},
        {CKA_LABEL, (void *)"mock data", 9},
        {CKA_APPLICATION, (void *)"p11trace", 8},
        {CKA_VALUE, (void *)"hello", 5},
    };
    const CK_ATTRIBUTE key_tmpl[] = {
        {CKA_CLASS, (void *)&secret, sizeof(secret)},
        {CKA_KEY_TYPE, (void *)&aes, sizeof(aes)},
        {CKA_TOKEN, (void *)&yes, sizeof(yes)},
        {CKA_PRIVATE, (void *)&yes, sizeof(yes)},
        {CKA_SENSITIVE, (void *)&yes, sizeof(yes)},
        {CKA_LABEL, (void *)"mock private key", 16},
        {CKA_VALUE, (void *)key, sizeof(key)},
    };
    const CK_ATTRIBUTE *tmpls[] = {data_tmpl, key_tmpl};
    const CK_ULONG counts[] = {5, 7};
    for (int i = 0; i < 2; i++) {
        p11t_mock_object *o = p11t_mock_object_new(0);
        if (o == NULL)
            return;
        if (p11t_mock_template_apply(o, tmpls[i], counts[i]) != CKR_OK ||
            p11t_mock_object_finish(o, true) != CKR_OK)
            p11t_mock_object_free(o);
    }
}

/* Releases everything a previous initialisation (or the parent process) left. */
static void release_state(void)
{
    p11t_mock_sessions_clear();
    p11t_mock_objects_clear();
    memset(&p11t_mock_g, 0, sizeof(p11t_mock_g));
}

CK_RV p11t_mock_C_Initialize(CK_VOID_PTR pInitArgs)
{
    const CK_C_INITIALIZE_ARGS *args = pInitArgs;
    if (p11t_mock_g.initialised && p11t_mock_g.pid != getpid()) {
        /* Forked child: the parent's locks may be held by threads that do not exist here. */
        pthread_mutex_init(&init_lock, NULL);
        app_mutex.active = false;
        release_state();
    }
    pthread_mutex_lock(&init_lock);
    CK_RV rv = CKR_OK;
    if (p11t_mock_g.initialised)
        rv = CKR_CRYPTOKI_ALREADY_INITIALIZED;
    else if (args != NULL)
        rv = check_init_args(args);
    if (rv == CKR_OK)
        rv = setup_lock(args);
    if (rv == CKR_OK) {
        release_state();
        reset_token();
        seed_objects();
        p11t_mock_g.pid = getpid();
        p11t_mock_g.initialised = true;
    }
    pthread_mutex_unlock(&init_lock);
    return rv;
}

CK_RV p11t_mock_C_Finalize(CK_VOID_PTR pReserved)
{
    pthread_mutex_lock(&init_lock);
    CK_RV rv = CKR_OK;
    if (!p11t_mock_is_initialised())
        rv = CKR_CRYPTOKI_NOT_INITIALIZED;
    else if (pReserved != NULL && !p11t_mock_violates(P11T_MOCK_VIOLATE_FINALIZE_RESERVED_OK))
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK) {
        if (p11t_mock_lock() == CKR_OK) {
            release_state();
            p11t_mock_unlock();
        }
        if (app_mutex.active)
            app_mutex.destroy(app_mutex.mutex);
        app_mutex.active = false;
        pthread_mutex_lock(&wait_lock);
        finalize_count++;
        pthread_cond_broadcast(&wait_cond);
        pthread_mutex_unlock(&wait_lock);
    }
    pthread_mutex_unlock(&init_lock);
    return rv;
}

CK_RV p11t_mock_C_GetInfo(CK_INFO_PTR pInfo)
{
    if (pInfo == NULL)
        return CKR_ARGUMENTS_BAD;
    memset(pInfo, 0, sizeof(*pInfo));
#if P11T_MOCK_V2_ONLY
    pInfo->cryptokiVersion = (CK_VERSION){2, 40};
#else
    pInfo->cryptokiVersion = (CK_VERSION){3, 2};
#endif
    pad_copy(pInfo->manufacturerID, sizeof(pInfo->manufacturerID), "p11trace");
    pInfo->flags = 0;
    pad_copy(pInfo->libraryDescription, sizeof(pInfo->libraryDescription), "p11trace mock module");
    pInfo->libraryVersion = (CK_VERSION){1, 0};
    return CKR_OK;
}

static bool slot_valid(CK_SLOT_ID id)
{
    return id == P11T_MOCK_SLOT_TOKEN || id == P11T_MOCK_SLOT_EMPTY;
}

CK_RV p11t_mock_C_GetSlotList(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList, CK_ULONG_PTR pulCount)
{
    if (pulCount == NULL)
        return CKR_ARGUMENTS_BAD;
    static const CK_SLOT_ID slots[] = {P11T_MOCK_SLOT_TOKEN, P11T_MOCK_SLOT_EMPTY};
    CK_ULONG n = tokenPresent ? 1 : 2;
    CK_RV rv;
    if (p11t_mock_out_check(pSlotList, pulCount, n, &rv) != P11T_MOCK_OUT_WRITE)
        return rv;
    memcpy(pSlotList, slots, n * sizeof(CK_SLOT_ID));
    *pulCount = n;
    return CKR_OK;
}

CK_RV p11t_mock_C_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo)
{
    if (!slot_valid(slotID))
        return CKR_SLOT_ID_INVALID;
    if (pInfo == NULL)
        return CKR_ARGUMENTS_BAD;
    memset(pInfo, 0, sizeof(*pInfo));
    pad_copy(pInfo->slotDescription, sizeof(pInfo->slotDescription),
             slotID == P11T_MOCK_SLOT_TOKEN ? "p11trace mock slot 1" : "p11trace mock slot 2 (empty)");
    pad_copy(pInfo->manufacturerID, sizeof(pInfo->manufacturerID), "p11trace");
    pInfo->flags = CKF_REMOVABLE_DEVICE | (slotID == P11T_MOCK_SLOT_TOKEN ? CKF_TOKEN_PRESENT : 0);
    pInfo->hardwareVersion = (CK_VERSION){0, 1};
    pInfo->firmwareVersion = (CK_VERSION){0, 1};
    return CKR_OK;
}

CK_RV p11t_mock_token_slot(CK_SLOT_ID slotID)
{
    if (!slot_valid(slotID))
        return CKR_SLOT_ID_INVALID;
    return slotID == P11T_MOCK_SLOT_TOKEN ? CKR_OK : CKR_TOKEN_NOT_PRESENT;
}

CK_RV p11t_mock_C_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo)
{
    CK_RV rv = p11t_mock_token_slot(slotID);
    if (rv != CKR_OK)
        return rv;
    if (pInfo == NULL)
        return CKR_ARGUMENTS_BAD;
    memset(pInfo, 0, sizeof(*pInfo));
    memcpy(pInfo->label, p11t_mock_g.label, sizeof(pInfo->label));
    pad_copy(pInfo->manufacturerID, sizeof(pInfo->manufacturerID), "p11trace");
    pad_copy(pInfo->model, sizeof(pInfo->model), "mock");
    pad_copy(pInfo->serialNumber, sizeof(pInfo->serialNumber), "0000000000000001");
    pInfo->flags = CKF_RNG | CKF_LOGIN_REQUIRED | CKF_TOKEN_INITIALIZED | CKF_DUAL_CRYPTO_OPERATIONS |
                   CKF_RESTORE_KEY_NOT_NEEDED;
    if (p11t_mock_g.user_pin_initialised)
        pInfo->flags |= CKF_USER_PIN_INITIALIZED;
    if (p11t_mock_g.user_pin_failed)
        pInfo->flags |= CKF_USER_PIN_COUNT_LOW;
    if (p11t_mock_g.so_pin_failed)
        pInfo->flags |= CKF_SO_PIN_COUNT_LOW;
    pInfo->ulMaxSessionCount = CK_EFFECTIVELY_INFINITE;
    pInfo->ulSessionCount = p11t_mock_session_count(false);
    pInfo->ulMaxRwSessionCount = CK_EFFECTIVELY_INFINITE;
    pInfo->ulRwSessionCount = p11t_mock_session_count(true);
    pInfo->ulMaxPinLen = P11T_MOCK_MAX_PIN;
    pInfo->ulMinPinLen = P11T_MOCK_MIN_PIN;
    pInfo->ulTotalPublicMemory = CK_UNAVAILABLE_INFORMATION;
    pInfo->ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
    pInfo->ulTotalPrivateMemory = CK_UNAVAILABLE_INFORMATION;
    pInfo->ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
    pInfo->hardwareVersion = (CK_VERSION){1, 0};
    pInfo->firmwareVersion = (CK_VERSION){1, 0};
    /* No CKF_CLOCK_ON_TOKEN: utcTime carries no meaning, so it is left blank. */
    memset(pInfo->utcTime, ' ', sizeof(pInfo->utcTime));
    return CKR_OK;
}

CK_RV p11t_mock_C_GetMechanismList(CK_SLOT_ID slotID, CK_MECHANISM_TYPE_PTR pMechanismList,
                                   CK_ULONG_PTR pulCount)
{
    CK_RV rv = p11t_mock_token_slot(slotID);
    if (rv != CKR_OK)
        return rv;
    if (pulCount == NULL)
        return CKR_ARGUMENTS_BAD;
    CK_ULONG n = p11t_mock_mechanism_count();
    if (p11t_mock_out_check(pMechanismList, pulCount, n, &rv) != P11T_MOCK_OUT_WRITE)
        return rv;
    for (CK_ULONG i = 0; i < n; i++)
        pMechanismList[i] = p11t_mock_mechanism_at(i)->type;
    *pulCount = n;
    return CKR_OK;
}

CK_RV p11t_mock_C_GetMechanismInfo(CK_SLOT_ID slotID, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR pInfo)
{
    CK_RV rv = p11t_mock_token_slot(slotID);
    if (rv != CKR_OK)
        return rv;
    const p11t_mock_mechanism *m = p11t_mock_mechanism_find(type);
    if (m == NULL)
        return CKR_MECHANISM_INVALID;
    if (pInfo == NULL)
        return CKR_ARGUMENTS_BAD;
    *pInfo = m->info;
    return CKR_OK;
}

CK_RV p11t_mock_C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR pSlot, CK_VOID_PTR pReserved)
{
    /* Runs without the module lock (mock_exports.c). */
    pthread_mutex_lock(&wait_lock);
    CK_RV rv = CKR_OK;
    if (!p11t_mock_is_initialised())
        rv = CKR_CRYPTOKI_NOT_INITIALIZED;
    else if (pSlot == NULL || pReserved != NULL)
        rv = CKR_ARGUMENTS_BAD;
    else if (flags & CKF_DONT_BLOCK)
        rv = CKR_NO_EVENT; /* slots never change */
    else {
        unsigned long seen = finalize_count;
        while (finalize_count == seen)
            pthread_cond_wait(&wait_cond, &wait_lock);
        if (p11t_mock_violates(P11T_MOCK_VIOLATE_WAIT_AFTER_FINALIZE))
            *pSlot = P11T_MOCK_SLOT_TOKEN; /* reports an event on a finalised module */
        else
            rv = CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    pthread_mutex_unlock(&wait_lock);
    return rv;
}

CK_RV p11t_mock_C_GetFunctionStatus(CK_SESSION_HANDLE hSession)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return CKR_FUNCTION_NOT_PARALLEL; /* legacy function: the spec's fixed answer */
}

CK_RV p11t_mock_C_CancelFunction(CK_SESSION_HANDLE hSession)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return CKR_FUNCTION_NOT_PARALLEL;
}
