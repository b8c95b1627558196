/*
 * p11t-conformance MODULE.so [--scenario NAME] [--threads N] [--iterations N] [--pin PIN]
 *                            [--so-pin PIN]
 *
 * Loads MODULE with dlopen(RTLD_NOW | RTLD_LOCAL) and runs one scenario, printing one line
 * per PKCS#11 call. Exit status: 0 when the scenario ran to its end (whatever the modules
 * returned), 2 for usage errors or when the module cannot be loaded.
 */
#include "conf.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct scenario_s {
    const char *name;
    void (*run)(p11t_conf *c);
    const char *what;
} scenario;

static void run_v3(p11t_conf *c)
{
    p11t_conf_scenario_v3(c, false);
}

static void run_v32(p11t_conf *c)
{
    p11t_conf_scenario_v3(c, true);
}

static const scenario scenarios[] = {
    {"v2", p11t_conf_scenario_v2, "C_GetFunctionList and every 2.40 function (default)"},
    {"v3", run_v3, "C_GetInterface(\"PKCS 11\", 3.0) and the 3.0 functions"},
    {"v32", run_v32, "C_GetInterface(\"PKCS 11\", 3.2) and the 3.0 and 3.2 functions"},
    {"v3-over-v2", p11t_conf_scenario_v3_over_v2, "C_GetInterface, falling back to C_GetFunctionList"},
    {"garbage", p11t_conf_scenario_garbage, "NULL pointers, bogus handles, wild pointers"},
    {"threads", p11t_conf_scenario_threads, "N threads x ITERATIONS of C_GetSessionInfo/C_DigestInit/C_Digest"},
    {"fork", p11t_conf_scenario_fork, "calls in a parent and in a forked child"},
    {"hang", p11t_conf_scenario_hang, "a few calls, prints ready, then sleeps until killed"},
    {"mechanisms", p11t_conf_scenario_mechanisms, "one call per mechanism parameter structure (mock: P11T_MOCK_ACCEPT_MECHANISMS=1)"},
    {"violations", p11t_conf_scenario_violations, "breaks each application-side `p11trace check` rule (mock, with delays)"},
    {"secrets", p11t_conf_scenario_secrets, "objects with secret attribute values (p11tSECRET-*) and a public one"},
    {"violations-module", p11t_conf_scenario_violations_module, "a flow for the module-side check rules (P11T_MOCK_VIOLATE)"},
};

#define SCENARIO_COUNT (sizeof(scenarios) / sizeof(scenarios[0]))

static void usage(FILE *to)
{
    fprintf(to, "usage: p11t-conformance MODULE.so [--scenario NAME] [--threads N] [--iterations N]"
                " [--pin PIN] [--so-pin PIN]\n\nscenarios:\n");
    for (size_t i = 0; i < SCENARIO_COUNT; i++)
        fprintf(to, "  %-11s %s\n", scenarios[i].name, scenarios[i].what);
}

/* Prints a usage error; returns NULL so that parse_args can `return usage_error(...)`. */
static const struct scenario_s *usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "p11t-conformance: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    usage(stderr);
    return NULL;
}

/* Parses a positive count; false on anything else. */
static bool parse_count(const char *s, unsigned *out)
{
    char *end = NULL;
    unsigned long v = strtoul(s, &end, 10);
    if (end == s || *end != '\0' || v == 0 || v > 1000000)
        return false;
    *out = (unsigned)v;
    return true;
}

/* Fills the options; returns the scenario or NULL after printing a usage error. */
static const scenario *parse_args(int argc, char **argv, p11t_conf *c, int *status)
{
    const char *name = "v2";
    *status = 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            *status = 0;
            return NULL;
        }
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--scenario") == 0 && has_value) {
            name = argv[++i];
        } else if (strcmp(a, "--threads") == 0 && has_value) {
            if (!parse_count(argv[++i], &c->threads))
                return usage_error("bad --threads value", argv[i]);
        } else if (strcmp(a, "--iterations") == 0 && has_value) {
            if (!parse_count(argv[++i], &c->iterations))
                return usage_error("bad --iterations value", argv[i]);
        } else if (strcmp(a, "--pin") == 0 && has_value) {
            c->pin = argv[++i];
        } else if (strcmp(a, "--so-pin") == 0 && has_value) {
            c->so_pin = argv[++i];
        } else if (a[0] == '-') {
            return usage_error("unknown or incomplete option", a);
        } else if (c->path == NULL) {
            c->path = a;
        } else {
            return usage_error("more than one module given", a);
        }
    }
    if (c->path == NULL)
        return usage_error("no module given", NULL);
    for (size_t i = 0; i < SCENARIO_COUNT; i++) {
        if (strcmp(scenarios[i].name, name) == 0)
            return &scenarios[i];
    }
    return usage_error("unknown scenario", name);
}

int main(int argc, char **argv)
{
    p11t_conf c;
    memset(&c, 0, sizeof(c));
    c.pin = "1234";
    c.so_pin = "5678";
    c.threads = 8;
    c.iterations = 1000;
    int status;
    const scenario *s = parse_args(argc, argv, &c, &status);
    if (s == NULL)
        return status;
    c.dl = dlopen(c.path, RTLD_NOW | RTLD_LOCAL);
    if (c.dl == NULL) {
        fprintf(stderr, "p11t-conformance: cannot load %s: %s\n", c.path, dlerror());
        return 2;
    }
    s->run(&c);
    p11t_conf_say("scenario %s done", s->name);
    /* The module stays loaded: an interposer may still have threads or handlers in it. */
    return 0;
}
