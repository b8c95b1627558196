/*
 * Scenarios threads, fork and hang: the process-level situations a tracer must survive.
 *
 *   threads  N threads each open a session and make ITERATIONS rounds of C_GetSessionInfo,
 *            C_DigestInit and C_Digest; the totals per function are printed at the end
 *            (the tracer's record count must match them).
 *   fork     calls, fork(); the child re-initialises (as the specification requires of a
 *            child), makes three calls and exits; the parent waits, then finishes.
 *   hang     a few calls, then "ready" and sleep until killed.
 */
#define _POSIX_C_SOURCE 200809L /* fork, waitpid, pause */

#include "conf.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Per-thread tallies, summed after the join (no shared counters, no atomics needed). */
enum { T_OPEN, T_INFO, T_DIGEST_INIT, T_DIGEST, T_CLOSE, T_COUNT };
static const char *const tally_names[T_COUNT] = {"C_OpenSession", "C_GetSessionInfo", "C_DigestInit", "C_Digest",
                                                 "C_CloseSession"};

typedef struct {
    p11t_conf *c;
    unsigned long calls[T_COUNT];
    unsigned long ok[T_COUNT];
} worker;

static void tally(worker *w, int which, CK_RV rv)
{
    w->calls[which]++;
    if (rv == CKR_OK)
        w->ok[which]++;
}

static void *work(void *arg)
{
    worker *w = arg;
    p11t_conf *c = w->c;
    CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
    tally(w, T_OPEN, P11T_CALL(c, C_OpenSession, c->slot, CKF_SERIAL_SESSION, NULL, NULL, &h));
    CK_MECHANISM sha = {CKM_SHA256, NULL, 0};
    CK_BYTE data[16] = "threaded digest", out[64];
    for (unsigned i = 0; i < c->iterations; i++) {
        CK_SESSION_INFO info;
        tally(w, T_INFO, P11T_CALL(c, C_GetSessionInfo, h, &info));
        tally(w, T_DIGEST_INIT, P11T_CALL(c, C_DigestInit, h, &sha));
        CK_ULONG len = sizeof(out);
        tally(w, T_DIGEST, P11T_CALL(c, C_Digest, h, data, sizeof(data), out, &len));
    }
    tally(w, T_CLOSE, P11T_CALL(c, C_CloseSession, h));
    return NULL;
}

void p11t_conf_scenario_threads(p11t_conf *c)
{
    if (p11t_conf_get_function_list(c) != CKR_OK)
        return;
    CK_C_INITIALIZE_ARGS args;
    memset(&args, 0, sizeof(args));
    args.flags = CKF_OS_LOCKING_OK;
    p11t_conf_emit("C_Initialize", P11T_CALL(c, C_Initialize, &args), "- (CKF_OS_LOCKING_OK)");
    p11t_conf_find_slot(c);
    worker *workers = calloc(c->threads, sizeof(*workers));
    pthread_t *ids = calloc(c->threads, sizeof(*ids));
    if (workers == NULL || ids == NULL) {
        free(workers);
        free(ids);
        return;
    }
    unsigned started = 0;
    for (unsigned i = 0; i < c->threads; i++) {
        workers[i].c = c;
        if (pthread_create(&ids[i], NULL, work, &workers[i]) != 0)
            break;
        started++;
    }
    for (unsigned i = 0; i < started; i++)
        pthread_join(ids[i], NULL);
    p11t_conf_say("threads=%u iterations=%u started=%u", c->threads, c->iterations, started);
    for (int f = 0; f < T_COUNT; f++) {
        unsigned long calls = 0, ok = 0;
        for (unsigned i = 0; i < started; i++) {
            calls += workers[i].calls[f];
            ok += workers[i].ok[f];
        }
        /* calls= last: the tracer's test takes the line's last number as the expected count */
        p11t_conf_say("total %s ok=%lu calls=%lu", tally_names[f], ok, calls);
    }
    free(workers);
    free(ids);
    p11t_conf_emit("C_Finalize", P11T_CALL(c, C_Finalize, NULL), "-");
}

/* The child's part: initialise again, three calls, exit without running atexit handlers. */
static void fork_child(p11t_conf *c)
{
    p11t_conf_set_prefix("child: ");
    p11t_conf_emit("C_Initialize", P11T_CALL(c, C_Initialize, NULL), "-");
    CK_INFO info;
    memset(&info, 0, sizeof(info));
    CK_RV rv = P11T_CALL(c, C_GetInfo, &info);
    p11t_conf_emit("C_GetInfo", rv, "cryptokiVersion=%s", p11t_conf_version(info.cryptokiVersion));
    CK_ULONG n = 0;
    rv = P11T_CALL(c, C_GetSlotList, CK_TRUE, NULL, &n);
    p11t_conf_emit("C_GetSlotList", rv, "count=%lu (tokenPresent, length query)", (unsigned long)n);
    p11t_conf_emit("C_Finalize", P11T_CALL(c, C_Finalize, NULL), "-");
    fflush(stdout);
    _exit(0);
}

void p11t_conf_scenario_fork(p11t_conf *c)
{
    if (p11t_conf_get_function_list(c) != CKR_OK)
        return;
    p11t_conf_emit("C_Initialize", P11T_CALL(c, C_Initialize, NULL), "-");
    p11t_conf_find_slot(c);
    c->session = p11t_conf_open(c, CKF_SERIAL_SESSION);
    p11t_conf_session_info(c, c->session);
    fflush(stdout); /* nothing buffered may be inherited by the child */
    pid_t pid = fork();
    if (pid < 0) {
        p11t_conf_say("fork failed");
    } else if (pid == 0) {
        fork_child(c);
    } else {
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        p11t_conf_say("child exit=%d", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    }
    p11t_conf_session_info(c, c->session);
    p11t_conf_emit("C_CloseSession", P11T_CALL(c, C_CloseSession, c->session), "-");
    p11t_conf_emit("C_Finalize", P11T_CALL(c, C_Finalize, NULL), "-");
}

void p11t_conf_scenario_hang(p11t_conf *c)
{
    if (p11t_conf_get_function_list(c) != CKR_OK)
        return;
    p11t_conf_emit("C_Initialize", P11T_CALL(c, C_Initialize, NULL), "-");
    p11t_conf_find_slot(c);
    c->session = p11t_conf_open(c, CKF_SERIAL_SESSION);
    p11t_conf_session_info(c, c->session);
    CK_BYTE r[16];
    p11t_conf_emit("C_GenerateRandom", P11T_CALL(c, C_GenerateRandom, c->session, r, sizeof(r)), "len=16");
    p11t_conf_say("ready");
    for (;;)
        pause(); /* until a signal ends the process */
}
