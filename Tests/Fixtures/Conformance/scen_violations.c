/*
 * The `violations` and `violations-module` scenarios: an application that breaks, on purpose,
 * each rule `p11trace check` enforces (docs/check.md), for Tests/Integration/test_check.sh.
 *
 * `violations` commits the application-side violations in one process. Run it against the
 * mock with P11T_MOCK_DELAY_NS="C_GenerateRandom=200000000,C_GetSlotInfo=300000000": those
 * two functions are called only by the helper threads below, so that their calls
 * deterministically overlap the main thread's C_GetSessionInfo and C_Finalize.
 *
 * `violations-module` is a short, correct flow for provoking the module-side violations with
 * P11T_MOCK_FAULTS and P11T_MOCK_VIOLATE (Tests/Fixtures/README.md).
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */

#include "conf.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

static void pause_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static CK_RV init(p11t_conf *c)
{
    CK_RV rv = P11T_CALL(c, C_Initialize, NULL);
    p11t_conf_emit("C_Initialize", rv, "-");
    return rv;
}

static void close_session(p11t_conf *c, CK_SESSION_HANDLE h)
{
    CK_RV rv = P11T_CALL(c, C_CloseSession, h);
    p11t_conf_emit("C_CloseSession", rv, "-");
}

/* Thread bodies: one slow call each (delayed by P11T_MOCK_DELAY_NS). */
static void *slow_random(void *arg)
{
    p11t_conf *c = arg;
    CK_BYTE buf[8];
    CK_RV rv = P11T_CALL(c, C_GenerateRandom, c->session, buf, sizeof(buf));
    p11t_conf_emit("C_GenerateRandom", rv, "- (thread)");
    return NULL;
}

static void *slow_slot_info(void *arg)
{
    p11t_conf *c = arg;
    CK_SLOT_INFO info;
    CK_RV rv = P11T_CALL(c, C_GetSlotInfo, c->slot, &info);
    p11t_conf_emit("C_GetSlotInfo", rv, "- (thread)");
    return NULL;
}

/* Blocks in C_WaitForSlotEvent (no CKF_DONT_BLOCK) until the main thread's C_Finalize. */
static void *blocked_wait(void *arg)
{
    p11t_conf *c = arg;
    CK_SLOT_ID slot = 0;
    CK_RV rv = P11T_CALL(c, C_WaitForSlotEvent, 0, &slot, NULL);
    p11t_conf_emit("C_WaitForSlotEvent", rv, "- (thread, blocked across C_Finalize)");
    return NULL;
}

static void digest_two_call_violations(p11t_conf *c)
{
    CK_SESSION_HANDLE h = c->session;
    CK_MECHANISM sha = {CKM_SHA256, NULL, 0};
    CK_BYTE data[] = "violations", out[64];
    CK_RV rv = P11T_CALL(c, C_DigestUpdate, h, data, sizeof(data));
    p11t_conf_emit("C_DigestUpdate", rv, "- (without C_DigestInit)");
    rv = P11T_CALL(c, C_DigestInit, h, &sha);
    p11t_conf_emit("C_DigestInit", rv, "-");
    rv = P11T_CALL(c, C_DigestInit, h, &sha);
    p11t_conf_emit("C_DigestInit", rv, "- (while active)");
    CK_ULONG len = 0;
    rv = P11T_CALL(c, C_Digest, h, data, sizeof(data), NULL, &len);
    p11t_conf_emit("C_Digest", rv, "len=%lu (length query)", (unsigned long)len);
    rv = P11T_CALL(c, C_Digest, h, data, sizeof(data), NULL, &len);
    p11t_conf_emit("C_Digest", rv, "len=%lu (length query again)", (unsigned long)len);
    len = 16;
    rv = P11T_CALL(c, C_Digest, h, data, sizeof(data), out, &len);
    p11t_conf_emit_always("C_Digest", rv, "len=%lu (16-byte buffer)", (unsigned long)len);
    len = sizeof(out);
    rv = P11T_CALL(c, C_Digest, h, data, sizeof(data), out, &len);
    p11t_conf_emit("C_Digest", rv, "len=%lu", (unsigned long)len);
}

static void find_one_at_a_time(p11t_conf *c, CK_SESSION_HANDLE h, bool finalise)
{
    CK_RV rv = P11T_CALL(c, C_FindObjectsInit, h, NULL, 0);
    p11t_conf_emit("C_FindObjectsInit", rv, "-");
    for (int i = 0; finalise && i < 3; i++) {
        CK_OBJECT_HANDLE found = CK_INVALID_HANDLE;
        CK_ULONG n = 0;
        rv = P11T_CALL(c, C_FindObjects, h, &found, 1, &n);
        p11t_conf_emit("C_FindObjects", rv, "count=%lu (max 1)", (unsigned long)n);
    }
    if (finalise) {
        rv = P11T_CALL(c, C_FindObjectsFinal, h);
        p11t_conf_emit("C_FindObjectsFinal", rv, "-");
    }
}

void p11t_conf_scenario_violations(p11t_conf *c)
{
    if (p11t_conf_get_function_list(c) != CKR_OK)
        return;
    CK_INFO info;
    CK_RV rv = P11T_CALL(c, C_GetInfo, &info);
    p11t_conf_emit("C_GetInfo", rv, "- (before C_Initialize)");
    if (init(c) != CKR_OK)
        return;
    init(c); /* CKR_CRYPTOKI_ALREADY_INITIALIZED */
    p11t_conf_find_slot(c);

    /* A session object (CKA_TOKEN false) left in an open session at C_Finalize. */
    static const CK_BYTE key[16] = "0123456789abcdef";
    c->session = p11t_conf_open(c, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    p11t_conf_secret_key(c, "left", CKK_AES, key, sizeof(key), false);

    /* C_Finalize while another thread is inside C_GetSlotInfo, then start again. */
    pthread_t t;
    if (pthread_create(&t, NULL, slow_slot_info, c) == 0) {
        pause_ms(50);
        rv = P11T_CALL(c, C_Finalize, NULL);
        p11t_conf_emit("C_Finalize", rv, "- (another thread inside a call)");
        pthread_join(t, NULL);
    }
    if (init(c) != CKR_OK)
        return;

    /* C_CloseAllSessions, then a session of that slot used. */
    /* Its session object goes with it (no finding). */
    CK_SESSION_HANDLE gone = p11t_conf_open(c, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    c->session = gone;
    p11t_conf_secret_key(c, "implicit", CKK_AES, key, sizeof(key), false);
    rv = P11T_CALL(c, C_CloseAllSessions, c->slot);
    p11t_conf_emit("C_CloseAllSessions", rv, "-");
    p11t_conf_session_info(c, gone);

    /* A session per operation (three times), the last one used after C_CloseSession. */
    CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
    for (int i = 0; i < 3; i++) {
        h = p11t_conf_open(c, CKF_SERIAL_SESSION);
        p11t_conf_session_info(c, h);
        close_session(c, h);
    }
    p11t_conf_session_info(c, h);

    c->session = p11t_conf_open(c, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    /* Two threads on one session: C_GenerateRandom (slow) and C_GetSessionInfo. */
    if (pthread_create(&t, NULL, slow_random, c) == 0) {
        pause_ms(50);
        p11t_conf_session_info(c, c->session);
        pthread_join(t, NULL);
    }

    /* A C_Login per operation: three logins, the last never logged out. */
    for (int i = 0; i < 3; i++) {
        p11t_conf_login(c, CKU_USER, c->pin);
        p11t_conf_session_info(c, c->session);
        if (i < 2) {
            rv = P11T_CALL(c, C_Logout, c->session);
            p11t_conf_emit("C_Logout", rv, "-");
        }
    }

    digest_two_call_violations(c);

    /* An object used after C_DestroyObject. */
    CK_OBJECT_HANDLE k = p11t_conf_secret_key(c, "doomed", CKK_AES, key, sizeof(key), false);
    p11t_conf_show_attr(c, k, CKA_LABEL, true);
    p11t_conf_show_attr(c, k, CKA_LABEL, true); /* the same query again */
    rv = P11T_CALL(c, C_DestroyObject, c->session, k);
    p11t_conf_emit("C_DestroyObject", rv, "-");
    p11t_conf_show_attr(c, k, CKA_LABEL, true);

    find_one_at_a_time(c, c->session, true);
    /* A find never finalised, on a session left open; no C_Logout, no C_Finalize. */
    find_one_at_a_time(c, p11t_conf_open(c, CKF_SERIAL_SESSION), false);
}

void p11t_conf_scenario_violations_module(p11t_conf *c)
{
    if (p11t_conf_get_function_list(c) != CKR_OK)
        return;
    if (init(c) != CKR_OK)
        return;
    init(c); /* with P11T_MOCK_FAULTS=C_Initialize@2=CKR_OK: a module that initialises twice */
    p11t_conf_find_slot(c);
    c->session = p11t_conf_open(c, CKF_SERIAL_SESSION);
    p11t_conf_session_info(c, c->session); /* P11T_MOCK_FAULTS=C_GetSessionInfo=CKR_PIN_INCORRECT */
    CK_MECHANISM sha = {CKM_SHA256, NULL, 0};
    CK_BYTE data[] = "violations", out[64];
    CK_RV rv = P11T_CALL(c, C_DigestInit, c->session, &sha);
    p11t_conf_emit("C_DigestInit", rv, "-");
    CK_ULONG len = 8;
    rv = P11T_CALL(c, C_Digest, c->session, data, sizeof(data), out, &len);
    p11t_conf_emit_always("C_Digest", rv, "len=%lu (8-byte buffer)", (unsigned long)len);
    len = 32; /* out has 64 bytes: a module writing past 32 stays inside it */
    rv = P11T_CALL(c, C_Digest, c->session, data, sizeof(data), out, &len);
    p11t_conf_emit("C_Digest", rv, "len=%lu (32-byte buffer)", (unsigned long)len);
    close_session(c, c->session);
    /* A thread blocked in C_WaitForSlotEvent, which the C_Finalize must release with
     * CKR_CRYPTOKI_NOT_INITIALIZED (P11T_MOCK_VIOLATE=wait-after-finalize: CKR_OK). */
    pthread_t waiter;
    bool waiting = pthread_create(&waiter, NULL, blocked_wait, c) == 0;
    if (waiting)
        pause_ms(50);
    rv = P11T_CALL(c, C_Finalize, (CK_VOID_PTR)1);
    p11t_conf_emit("C_Finalize", rv, "- (pReserved not NULL)");
    if (rv != CKR_OK) {
        rv = P11T_CALL(c, C_Finalize, NULL);
        p11t_conf_emit("C_Finalize", rv, "-");
    }
    if (waiting)
        pthread_join(waiter, NULL);
}
