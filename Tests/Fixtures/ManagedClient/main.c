/*
 * p11t-managed-client CALLER_A CALLER_B MODULE PIN [THREADS]
 *
 * Two libraries share one module in one process (CALLER_A and CALLER_B are two copies of
 * libp11t-managed-caller.so). Each initialises the module and opens sessions from THREADS
 * threads at once; then A closes all its sessions and finalises while B's threads keep
 * signing. Without managed mode A pulls the module out from under B (B's signatures fail);
 * as managed modules both work. Prints one line per failure; the exit status is 0 when every
 * operation of B succeeded, 1 when any failed, 2 on a setup error. With P11T_SERIAL=1 in
 * the environment, A then B initialise from the main thread before the threads start, and B
 * waits for A to finish before signing again: nothing runs concurrently with C_Initialize or
 * C_Finalize, which SoftHSM does not survive unmanaged, so the failure is the sharing itself.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "p11t_pkcs11.h"

typedef struct {
    const char *name;
    CK_RV (*load)(const char *);
    CK_RV (*initialize)(void);
    CK_RV (*open)(const char *, CK_SESSION_HANDLE *);
    CK_RV (*sign)(CK_SESSION_HANDLE);
    CK_RV (*close)(CK_SESSION_HANDLE);
    CK_RV (*close_all)(void);
    CK_RV (*finalize)(void);
} caller;

static const char *pin;
static pthread_barrier_t opened;
static int a_done;            /* A has closed its sessions and finalised (atomic) */
static int failures;          /* operations of B that failed (atomic) */
static int serial;            /* P11T_SERIAL=1 */

static void *symbol(void *handle, const char *name)
{
    void *s = dlsym(handle, name);
    if (s == NULL) {
        fprintf(stderr, "missing %s\n", name);
        exit(2);
    }
    return s;
}

static caller load_caller(const char *path, const char *name)
{
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        fprintf(stderr, "cannot load %s: %s\n", path, dlerror());
        exit(2);
    }
    return (caller){ name, symbol(handle, "p11t_caller_load"), symbol(handle, "p11t_caller_initialize"),
                     symbol(handle, "p11t_caller_open"), symbol(handle, "p11t_caller_sign"),
                     symbol(handle, "p11t_caller_close"), symbol(handle, "p11t_caller_close_all"),
                     symbol(handle, "p11t_caller_finalize") };
}

static void fail(const caller *c, const char *what, CK_RV rv)
{
    __atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
    printf("%s: %s failed: rv=0x%lx\n", c->name, what, (unsigned long)rv);
}

static caller callers[2];

static void *worker(void *arg)
{
    long n = (long)arg;
    caller *c = &callers[n % 2];
    CK_RV rv = c->initialize();
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
        fail(c, "C_Initialize", rv);
    CK_SESSION_HANDLE session = 0;
    rv = c->open(pin, &session);
    if (rv != CKR_OK)
        fail(c, "open and login", rv);
    else if ((rv = c->sign(session)) != CKR_OK)
        fail(c, "sign", rv);
    pthread_barrier_wait(&opened);
    if (n % 2 == 0)
        return NULL;  /* A's sessions are closed by A's C_CloseAllSessions */
    /* B keeps signing while A closes and finalises, then a few more times after. */
    int after = 0;
    while (serial && !__atomic_load_n(&a_done, __ATOMIC_ACQUIRE))
        sched_yield();
    while (after < 5) {
        if (__atomic_load_n(&a_done, __ATOMIC_ACQUIRE))
            after++;
        if ((rv = c->sign(session)) != CKR_OK) {
            fail(c, "sign", rv);
            break;
        }
    }
    if ((rv = c->close(session)) != CKR_OK)
        fail(c, "C_CloseSession", rv);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: p11t-managed-client CALLER_A CALLER_B MODULE PIN [THREADS]\n");
        return 2;
    }
    pin = argv[4];
    long threads = argc > 5 ? atol(argv[5]) : 2;
    if (threads < 1 || threads > 64)
        threads = 2;
    callers[0] = load_caller(argv[1], "A");
    callers[1] = load_caller(argv[2], "B");
    for (int i = 0; i < 2; i++) {
        CK_RV rv = callers[i].load(argv[3]);
        if (rv != CKR_OK) {
            fprintf(stderr, "%s: cannot take the function table of %s: rv=0x%lx\n", callers[i].name, argv[3],
                    (unsigned long)rv);
            return 2;
        }
    }
    serial = getenv("P11T_SERIAL") != NULL && getenv("P11T_SERIAL")[0] == '1';
    if (serial) {
        for (int i = 0; i < 2; i++) {
            CK_RV rv = callers[i].initialize();
            if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
                fail(&callers[i], "C_Initialize", rv);
        }
    }
    long n = 2 * threads;
    pthread_t tids[128];
    pthread_barrier_init(&opened, NULL, (unsigned)n + 1);
    for (long i = 0; i < n; i++)
        pthread_create(&tids[i], NULL, worker, (void *)i);
    pthread_barrier_wait(&opened);
    /* A is done with the module: it closes its sessions and finalises, as a library does. */
    CK_RV rv = callers[0].close_all();
    if (rv != CKR_OK)
        printf("A: C_CloseAllSessions: rv=0x%lx\n", (unsigned long)rv);
    rv = callers[0].finalize();
    if (rv != CKR_OK)
        printf("A: C_Finalize: rv=0x%lx\n", (unsigned long)rv);
    __atomic_store_n(&a_done, 1, __ATOMIC_RELEASE);
    for (long i = 0; i < n; i++)
        pthread_join(tids[i], NULL);
    rv = callers[1].finalize();
    if (rv != CKR_OK)
        fail(&callers[1], "C_Finalize", rv);
    int failed = __atomic_load_n(&failures, __ATOMIC_RELAXED);
    printf("%d failures\n", failed);
    return failed ? 1 : 0;
}
