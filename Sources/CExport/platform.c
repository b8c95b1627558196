/* Small platform services for the record path: clock, thread id, stack bounds, safe copies. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include "p11t_export.h"

uint32_t p11t_log_generation = 1;

__thread p11t_thread_state p11t_thread __attribute__((tls_model("initial-exec")));

uint8_t p11t_clock_is_tsc;

uint64_t p11t_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void p11t_clock_pair(uint64_t *clock, uint64_t *monotonic)
{
    /* Bracket the monotonic read with two clock reads and keep the tightest bracket: the
     * anchor's error is then at most half that bracket. */
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < 5; i++) {
        uint64_t a = p11t_clock_read();
        uint64_t m = p11t_monotonic_ns();
        uint64_t b = p11t_clock_read();
        if (b - a < best) {
            best = b - a;
            *clock = a + (b - a) / 2;
            *monotonic = m;
        }
    }
}

void p11t_clock_use_tsc(int on)
{
    p11t_clock_is_tsc = on != 0;
}

int p11t_clock_uses_tsc(void)
{
    return p11t_clock_is_tsc;
}

int p11t_tsc_is_invariant(void)
{
#if defined(__x86_64__)
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f == NULL)
        return 0;
    char line[4096];
    int constant = 0, nonstop = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "flags", 5) != 0)
            continue;
        constant = strstr(line, " constant_tsc") != NULL;
        nonstop = strstr(line, " nonstop_tsc") != NULL;
        break;
    }
    fclose(f);
    if (!constant || !nonstop)
        return 0;
    /* The kernel checks that the TSCs of all CPUs agree and stops using the TSC as its
     * clocksource when they do not (or when it drifts against the other clocks): trust the
     * TSC only while the kernel does. */
    FILE *cs = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
    if (cs == NULL)
        return 0;
    char source[32] = { 0 };
    int kernel_uses_tsc = fgets(source, sizeof source, cs) != NULL && strncmp(source, "tsc", 3) == 0
        && (source[3] == '\n' || source[3] == '\0');
    fclose(cs);
    return kernel_uses_tsc;
#else
    return 0;
#endif
}

uint32_t p11t_gettid(void)
{
    return (uint32_t)syscall(SYS_gettid);
}

void p11t_thread_stack_init(p11t_thread_state *t)
{
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0;
    /* Fallback: the current frame only (nothing above it is assumed readable). */
    uintptr_t hi = (uintptr_t)__builtin_frame_address(0);
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &addr, &size) == 0 && size > 0)
            hi = (uintptr_t)addr + size;
        pthread_attr_destroy(&attr);
    }
    t->stack_lo = (uintptr_t)addr;
    t->stack_hi = hi;
}

/* process_vm_readv on our own pid reports EFAULT for unmapped memory instead of faulting.
 * It is a system call, so the encoder uses it only off the fast path: for memory the module
 * did not certify by returning CKR_OK. */
int p11t_safe_copy(void *dst, const void *src, size_t n)
{
    if (n == 0)
        return 1;
    if (src == NULL)
        return 0;
    struct iovec local = { dst, n };
    struct iovec remote = { (void *)src, n };
    ssize_t got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    return got == (ssize_t)n;
}

int p11t_secure_process(void)
{
    return getauxval(AT_SECURE) != 0;
}
