/*
 * Fault injection, configured by environment variables read at C_Initialize:
 *
 *   P11T_MOCK_FAULTS="C_Sign=CKR_DEVICE_ERROR,C_Login=0xA0,C_Verify@3=CKR_GENERAL_ERROR"
 *       makes a function return the given code instead of running (all calls, or only the
 *       N-th call counted from C_Initialize with "@N"). Codes are CKR_ names or numbers
 *       (hex with 0x, or decimal).
 *   P11T_MOCK_DELAY_NS="C_Sign=100000,C_Digest=5000"
 *       sleeps that many nanoseconds at the start of every call of the function.
 *   P11T_MOCK_ACCEPT_MECHANISMS=1
 *       the functions that take a mechanism or a message parameter (C_EncryptInit, C_DeriveKey,
 *       C_MessageEncryptInit, C_EncryptMessage...) return CKR_OK without reading anything, so
 *       that a tracer's record of mechanism parameters comes from the tracer alone.
 *
 *   P11T_MOCK_VIOLATE="too-small-no-length,ok-beyond-capacity,finalize-reserved-ok,wait-after-finalize"
 *       breaks a rule of the specification on purpose (see enum p11t_mock_violation).
 *
 * Malformed entries are reported on stderr and ignored.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, strtok_r, nanosleep */

#include "mock_internal.h"
#include "p11t_mock_rv.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define P11T_MOCK_MAX_FAULTS 32

typedef struct {
    int id;
    unsigned long nth;  /* 0: every call */
    CK_RV rv;
} mock_fault;

static mock_fault faults[P11T_MOCK_MAX_FAULTS];
static size_t fault_count;
static uint64_t delays_ns[P11T_MOCK_ID_COUNT];
static atomic_ulong calls[P11T_MOCK_ID_COUNT];
static bool accept_mechanisms;
static unsigned violations;

#define MOCK_NAME_ENTRY(name, params, args) #name,
static const char *const function_names[P11T_MOCK_ID_COUNT] = {
    P11T_FOR_EACH_FUNCTION_2_40(MOCK_NAME_ENTRY)
    P11T_FOR_EACH_FUNCTION_3_0_ADDED(MOCK_NAME_ENTRY)
    P11T_FOR_EACH_FUNCTION_3_2_ADDED(MOCK_NAME_ENTRY)
};
#undef MOCK_NAME_ENTRY

typedef struct {
    const char *name;
    CK_RV value;
} mock_rv_name;

#define MOCK_RV_ENTRY(name) {#name, name},
static const mock_rv_name rv_names[] = {P11T_MOCK_RV_NAMES(MOCK_RV_ENTRY)};
#undef MOCK_RV_ENTRY

/* Function id for a name given as [start, start+len), or -1. */
static int function_id(const char *start, size_t len)
{
    for (int i = 0; i < P11T_MOCK_ID_COUNT; i++) {
        if (strlen(function_names[i]) == len && memcmp(function_names[i], start, len) == 0)
            return i;
    }
    return -1;
}

/* Parses an unsigned number (0x hex or decimal) spanning the whole string. */
static bool parse_number(const char *s, unsigned long long *out)
{
    if (*s == '\0')
        return false;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno != 0 || end == s || *end != '\0')
        return false;
    *out = v;
    return true;
}

static bool parse_rv(const char *s, CK_RV *out)
{
    for (size_t i = 0; i < sizeof(rv_names) / sizeof(rv_names[0]); i++) {
        if (strcmp(rv_names[i].name, s) == 0) {
            *out = rv_names[i].value;
            return true;
        }
    }
    unsigned long long v;
    if (!parse_number(s, &v))
        return false;
    *out = (CK_RV)v;
    return true;
}

/*
 * Splits "NAME[@N]=VALUE" in place. Returns the function id (or -1) and sets *value and *nth.
 */
static int split_entry(char *entry, char **value, unsigned long *nth)
{
    char *eq = strchr(entry, '=');
    if (eq == NULL)
        return -1;
    *eq = '\0';
    *value = eq + 1;
    *nth = 0;
    char *at = strchr(entry, '@');
    if (at != NULL) {
        unsigned long long n;
        *at = '\0';
        if (!parse_number(at + 1, &n) || n == 0)
            return -1;
        *nth = (unsigned long)n;
    }
    return function_id(entry, strlen(entry));
}

static void add_fault(char *entry)
{
    char shown[128]; /* the entry as given, for the message: splitting cuts it up */
    snprintf(shown, sizeof(shown), "%s", entry);
    char *value;
    unsigned long nth;
    CK_RV rv;
    int id = split_entry(entry, &value, &nth);
    if (id < 0 || !parse_rv(value, &rv) || fault_count == P11T_MOCK_MAX_FAULTS) {
        fprintf(stderr, "p11trace-mock: ignoring P11T_MOCK_FAULTS entry '%s'\n", shown);
        return;
    }
    faults[fault_count++] = (mock_fault){.id = id, .nth = nth, .rv = rv};
}

static void add_violation(char *entry)
{
    static const struct {
        const char *name;
        enum p11t_mock_violation v;
    } names[] = {
        {"too-small-no-length", P11T_MOCK_VIOLATE_TOO_SMALL_NO_LENGTH},
        {"ok-beyond-capacity", P11T_MOCK_VIOLATE_OK_BEYOND_CAPACITY},
        {"finalize-reserved-ok", P11T_MOCK_VIOLATE_FINALIZE_RESERVED_OK},
        {"wait-after-finalize", P11T_MOCK_VIOLATE_WAIT_AFTER_FINALIZE},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(names[i].name, entry) == 0) {
            violations |= (unsigned)names[i].v;
            return;
        }
    }
    fprintf(stderr, "p11trace-mock: ignoring P11T_MOCK_VIOLATE entry '%s'\n", entry);
}

bool p11t_mock_violates(enum p11t_mock_violation v)
{
    return (violations & (unsigned)v) != 0;
}

static void add_delay(char *entry)
{
    char shown[128];
    snprintf(shown, sizeof(shown), "%s", entry);
    char *value;
    unsigned long nth;
    unsigned long long ns;
    int id = split_entry(entry, &value, &nth);
    if (id < 0 || nth != 0 || !parse_number(value, &ns)) {
        fprintf(stderr, "p11trace-mock: ignoring P11T_MOCK_DELAY_NS entry '%s'\n", shown);
        return;
    }
    delays_ns[id] = ns;
}

/* Calls `add` for every comma-separated entry of the variable `var`. */
static void parse_list(const char *var, void (*add)(char *))
{
    const char *env = getenv(var);
    if (env == NULL || *env == '\0')
        return;
    char *copy = strdup(env);
    if (copy == NULL)
        return;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (*tok != '\0')
            add(tok);
    }
    free(copy);
}

void p11t_mock_faults_load(void)
{
    fault_count = 0;
    memset(delays_ns, 0, sizeof(delays_ns));
    for (int i = 0; i < P11T_MOCK_ID_COUNT; i++)
        atomic_store_explicit(&calls[i], 0, memory_order_relaxed);
    parse_list("P11T_MOCK_FAULTS", add_fault);
    parse_list("P11T_MOCK_DELAY_NS", add_delay);
    violations = 0;
    parse_list("P11T_MOCK_VIOLATE", add_violation);
    const char *accept = getenv("P11T_MOCK_ACCEPT_MECHANISMS");
    accept_mechanisms = accept != NULL && strcmp(accept, "1") == 0;
}

bool p11t_mock_accepts_any_mechanism(int id)
{
    if (!accept_mechanisms)
        return false;
    switch (id) {
    case P11T_MOCK_ID_C_EncryptInit:
    case P11T_MOCK_ID_C_DecryptInit:
    case P11T_MOCK_ID_C_DigestInit:
    case P11T_MOCK_ID_C_SignInit:
    case P11T_MOCK_ID_C_SignRecoverInit:
    case P11T_MOCK_ID_C_VerifyInit:
    case P11T_MOCK_ID_C_VerifyRecoverInit:
    case P11T_MOCK_ID_C_DeriveKey:
#if !P11T_MOCK_V2_ONLY
    case P11T_MOCK_ID_C_MessageEncryptInit:
    case P11T_MOCK_ID_C_MessageDecryptInit:
    case P11T_MOCK_ID_C_EncryptMessage:
    case P11T_MOCK_ID_C_EncryptMessageBegin:
    case P11T_MOCK_ID_C_DecryptMessage:
    case P11T_MOCK_ID_C_DecryptMessageBegin:
#endif
        return true;
    default:
        return false;
    }
}

static void sleep_ns(uint64_t ns)
{
    struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000u), .tv_nsec = (long)(ns % 1000000000u)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

bool p11t_mock_faults_check(int id, CK_RV *rv)
{
    if (id < 0 || id >= P11T_MOCK_ID_COUNT)
        return false;
    /* Relaxed: the counter only numbers calls; it orders nothing else. */
    unsigned long n = atomic_fetch_add_explicit(&calls[id], 1, memory_order_relaxed) + 1;
    if (delays_ns[id] != 0)
        sleep_ns(delays_ns[id]);
    for (size_t i = 0; i < fault_count; i++) {
        if (faults[i].id == id && (faults[i].nth == 0 || faults[i].nth == n)) {
            *rv = faults[i].rv;
            return true;
        }
    }
    return false;
}
