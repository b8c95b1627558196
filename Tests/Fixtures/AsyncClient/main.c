/*
 * p11t-async-client: two OpenSSL ASYNC jobs interleaved on one thread, each signing with a
 * token's private key through a PKCS#11 module: C_SignInit, ASYNC_pause_job, C_Sign.
 *
 *   p11t-async-client MODULE PIN separate|shared
 *
 * The order of the calls is fixed: job A's C_SignInit, job B's C_SignInit, then A's C_Sign
 * and B's C_Sign, with a C_GetSessionInfo outside any job before and after. "separate" gives
 * each job its own session; "shared" puts both on one session (the second C_SignInit then
 * meets A's operation: the async form of two threads sharing a session). Prints one line per
 * step so a test can compare with the trace.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/async.h>
#include "p11t_pkcs11.h"

static CK_FUNCTION_LIST_PTR p11;

struct job_args {
    char name;
    CK_SESSION_HANDLE session;
    CK_OBJECT_HANDLE key;
};

static int sign_job(void *arg)
{
    const struct job_args *a = arg;
    CK_MECHANISM mechanism = { CKM_SHA256_RSA_PKCS, NULL, 0 };
    CK_RV rv = p11->C_SignInit(a->session, &mechanism, a->key);
    printf("job %c C_SignInit 0x%lx\n", a->name, (unsigned long)rv);
    ASYNC_pause_job();
    CK_BYTE data[] = "p11trace async";
    CK_BYTE signature[1024];
    CK_ULONG length = sizeof signature;
    rv = p11->C_Sign(a->session, data, sizeof data - 1, signature, &length);
    printf("job %c C_Sign 0x%lx\n", a->name, (unsigned long)rv);
    return rv == CKR_OK;
}

static int fail(const char *what, CK_RV rv)
{
    fprintf(stderr, "p11t-async-client: %s failed: 0x%lx\n", what, (unsigned long)rv);
    return 1;
}

/* Starts or resumes a job; returns the ASYNC_start_job status. */
static int run(ASYNC_JOB **job, ASYNC_WAIT_CTX *ctx, struct job_args *args)
{
    int ret = 0;
    int status = ASYNC_start_job(job, ctx, &ret, sign_job, args, sizeof *args);
    printf("job %c %s\n", args->name, status == ASYNC_PAUSE ? "paused" : status == ASYNC_FINISH ? "finished" : "error");
    return status;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[3], "separate") != 0 && strcmp(argv[3], "shared") != 0)) {
        fprintf(stderr, "usage: p11t-async-client MODULE PIN separate|shared\n");
        return 2;
    }
    void *module = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (module == NULL) {
        fprintf(stderr, "p11t-async-client: %s\n", dlerror());
        return 1;
    }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(module, "C_GetFunctionList");
    if (get == NULL || get(&p11) != CKR_OK)
        return fail("C_GetFunctionList", CKR_GENERAL_ERROR);
    CK_RV rv = p11->C_Initialize(NULL);
    if (rv != CKR_OK)
        return fail("C_Initialize", rv);
    CK_SLOT_ID slots[8];
    CK_ULONG count = 8;
    rv = p11->C_GetSlotList(CK_TRUE, slots, &count);
    if (rv != CKR_OK || count == 0)
        return fail("C_GetSlotList", rv);
    CK_SESSION_HANDLE first, second;
    if ((rv = p11->C_OpenSession(slots[0], CKF_SERIAL_SESSION, NULL, NULL, &first)) != CKR_OK)
        return fail("C_OpenSession", rv);
    second = first;
    if (strcmp(argv[3], "separate") == 0 && (rv = p11->C_OpenSession(slots[0], CKF_SERIAL_SESSION, NULL, NULL, &second)) != CKR_OK)
        return fail("C_OpenSession", rv);
    if ((rv = p11->C_Login(first, CKU_USER, (CK_UTF8CHAR_PTR)argv[2], strlen(argv[2]))) != CKR_OK)
        return fail("C_Login", rv);
    CK_OBJECT_CLASS class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE template[] = { { CKA_CLASS, &class, sizeof class } };
    CK_OBJECT_HANDLE key;
    CK_ULONG found = 0;
    if ((rv = p11->C_FindObjectsInit(first, template, 1)) != CKR_OK)
        return fail("C_FindObjectsInit", rv);
    if ((rv = p11->C_FindObjects(first, &key, 1, &found)) != CKR_OK || found != 1)
        return fail("C_FindObjects (no private key)", rv);
    p11->C_FindObjectsFinal(first);

    CK_SESSION_INFO info;
    p11->C_GetSessionInfo(first, &info);  /* outside any job */
    printf("main C_GetSessionInfo\n");

    ASYNC_WAIT_CTX *ctx_a = ASYNC_WAIT_CTX_new(), *ctx_b = ASYNC_WAIT_CTX_new();
    ASYNC_JOB *job_a = NULL, *job_b = NULL;
    struct job_args a = { 'A', first, key }, b = { 'B', second, key };
    if (ctx_a == NULL || ctx_b == NULL)
        return fail("ASYNC_WAIT_CTX_new", 0);
    int ok = run(&job_a, ctx_a, &a) == ASYNC_PAUSE;
    ok &= run(&job_b, ctx_b, &b) == ASYNC_PAUSE;
    ok &= run(&job_a, ctx_a, &a) == ASYNC_FINISH;
    ok &= run(&job_b, ctx_b, &b) == ASYNC_FINISH;
    ASYNC_WAIT_CTX_free(ctx_a);
    ASYNC_WAIT_CTX_free(ctx_b);

    p11->C_GetSessionInfo(first, &info);  /* outside any job */
    printf("main C_GetSessionInfo\n");
    p11->C_Logout(first);
    p11->C_CloseAllSessions(slots[0]);
    p11->C_Finalize(NULL);
    if (!ok)
        fprintf(stderr, "p11t-async-client: the jobs did not pause and finish as planned\n");
    return ok ? 0 : 1;
}
