/*
 * p11t-bench: the workload of the overhead benchmark and of the allocation guard.
 *
 *   p11t-bench MODULE.so [--function sessioninfo|digest] [--threads N] [--calls N] [--warmup N]
 *
 * Loads MODULE (the bare module, or an interposer in front of it), opens one session per
 * thread on the first slot with a token, warms up, then times CALLS iterations per thread of
 * C_GetSessionInfo, or of C_DigestInit + C_Digest (SHA-256 over 64 bytes; counted as two
 * calls). Prints one line: `ns_per_call=F calls=N allocs=A allocs_per_call=F`. Allocations are
 * counted when the alloc counter fixture is preloaded (else allocs=-1).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "p11t_pkcs11.h"

static CK_FUNCTION_LIST_PTR p11;
static int use_digest;
static long calls = 200000, warmup = 20000;
static pthread_barrier_t start_line, finish_line;
static CK_SLOT_ID slot;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void check(CK_RV rv, const char *what)
{
    if (rv != CKR_OK) {
        fprintf(stderr, "p11t-bench: %s failed: 0x%lx\n", what, (unsigned long)rv);
        exit(1);
    }
}

static void one(CK_SESSION_HANDLE s)
{
    if (use_digest) {
        static const CK_BYTE data[64] = { 1, 2, 3 };
        CK_MECHANISM m = { CKM_SHA256, NULL, 0 };
        CK_BYTE out[32];
        CK_ULONG n = sizeof out;
        check(p11->C_DigestInit(s, &m), "C_DigestInit");
        check(p11->C_Digest(s, (CK_BYTE_PTR)data, sizeof data, out, &n), "C_Digest");
    } else {
        CK_SESSION_INFO info;
        check(p11->C_GetSessionInfo(s, &info), "C_GetSessionInfo");
    }
}

static void *worker(void *arg)
{
    (void)arg;
    CK_SESSION_HANDLE s;
    check(p11->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s), "C_OpenSession");
    for (long i = 0; i < warmup; i++)
        one(s);
    pthread_barrier_wait(&start_line);
    for (long i = 0; i < calls; i++)
        one(s);
    pthread_barrier_wait(&finish_line);
    p11->C_CloseSession(s);
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = 1;
    const char *module = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--function") == 0 && i + 1 < argc)
            use_digest = strcmp(argv[++i], "digest") == 0;
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc)
            calls = atol(argv[++i]);
        else if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc)
            warmup = atol(argv[++i]);
        else if (module == NULL)
            module = argv[i];
        else {
            fprintf(stderr, "usage: p11t-bench MODULE.so [--function sessioninfo|digest] [--threads N] [--calls N] [--warmup N]\n");
            return 2;
        }
    }
    if (module == NULL || threads < 1 || threads > 64) {
        fprintf(stderr, "usage: p11t-bench MODULE.so [--function sessioninfo|digest] [--threads N] [--calls N] [--warmup N]\n");
        return 2;
    }
    void *h = dlopen(module, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        fprintf(stderr, "p11t-bench: %s\n", dlerror());
        return 2;
    }
    CK_C_GetFunctionList gfl = (CK_C_GetFunctionList)dlsym(h, "C_GetFunctionList");
    if (gfl == NULL) {
        fprintf(stderr, "p11t-bench: %s has no C_GetFunctionList\n", module);
        return 2;
    }
    check(gfl(&p11), "C_GetFunctionList");
    CK_C_INITIALIZE_ARGS init = { NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, NULL };
    check(p11->C_Initialize(&init), "C_Initialize");
    CK_SLOT_ID slots[16];
    CK_ULONG n = 16;
    check(p11->C_GetSlotList(CK_TRUE, slots, &n), "C_GetSlotList");
    if (n == 0) {
        fprintf(stderr, "p11t-bench: no slot with a token\n");
        return 1;
    }
    slot = slots[0];
    uint64_t (*alloc_count)(void) = (uint64_t (*)(void))dlsym(RTLD_DEFAULT, "p11t_alloc_count");
    pthread_barrier_init(&start_line, NULL, (unsigned)threads + 1);
    pthread_barrier_init(&finish_line, NULL, (unsigned)threads + 1);
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    for (int i = 0; i < threads; i++)
        pthread_create(&tids[i], NULL, worker, NULL);
    pthread_barrier_wait(&start_line);
    uint64_t a0 = alloc_count ? alloc_count() : 0;
    uint64_t t0 = now_ns();
    pthread_barrier_wait(&finish_line);
    uint64_t t1 = now_ns();
    uint64_t a1 = alloc_count ? alloc_count() : 0;
    for (int i = 0; i < threads; i++)
        pthread_join(tids[i], NULL);
    p11->C_Finalize(NULL);
    double per_iteration_calls = use_digest ? 2.0 : 1.0;
    double total = (double)calls * per_iteration_calls;  /* per thread: wall time covers all threads */
    printf("ns_per_call=%.1f calls=%.0f allocs=%lld allocs_per_call=%.4f\n",
           (double)(t1 - t0) / total, total * threads,
           alloc_count ? (long long)(a1 - a0) : -1LL,
           alloc_count ? (double)(a1 - a0) / (total * threads) : -1.0);
    free(tids);
    return 0;
}
