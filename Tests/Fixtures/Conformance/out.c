/*
 * Output formatting. Everything is written to stdout, line-buffered in spirit: each line is
 * built completely and written with one call, then flushed, so that output stays ordered
 * around fork() and kill -9.
 */
#include "conf.h"

#include "../MockModule/p11t_mock_rv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define RING 32 /* more than any single line uses */
#define RING_LEN 2048
#define HEX_MAX 512

static const char *line_prefix = "";

static char *ring_next(void)
{
    static char ring[RING][RING_LEN];
    static unsigned next;
    return ring[next++ % RING];
}

void p11t_conf_set_prefix(const char *prefix)
{
    line_prefix = prefix ? prefix : "";
}

typedef struct {
    CK_RV rv;
    const char *name;
} rv_name;

#define RV_ENTRY(name) {name, #name},
static const rv_name rv_names[] = {P11T_MOCK_RV_NAMES(RV_ENTRY)};
#undef RV_ENTRY

const char *p11t_conf_rv_name(CK_RV rv)
{
    if (rv == P11T_CONF_ABSENT)
        return "ABSENT";
    for (size_t i = 0; i < sizeof(rv_names) / sizeof(rv_names[0]); i++) {
        if (rv_names[i].rv == rv)
            return rv_names[i].name;
    }
    char *buf = ring_next();
    snprintf(buf, RING_LEN, "0x%08lX", (unsigned long)rv);
    return buf;
}

static void vemit(const char *fn, CK_RV rv, bool always, const char *fmt, va_list ap)
{
    char out[4 * RING_LEN];
    if ((rv == CKR_OK || always) && fmt != NULL)
        vsnprintf(out, sizeof(out), fmt, ap);
    else
        strcpy(out, "-");
    printf("%s%s rv=%s out=%s\n", line_prefix, fn, p11t_conf_rv_name(rv), out);
    fflush(stdout);
}

void p11t_conf_emit(const char *fn, CK_RV rv, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vemit(fn, rv, false, fmt, ap);
    va_end(ap);
}

void p11t_conf_emit_always(const char *fn, CK_RV rv, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vemit(fn, rv, true, fmt, ap);
    va_end(ap);
}

void p11t_conf_emit_buf(const char *fn, CK_RV rv, const void *buf, CK_ULONG len, bool show, const char *note)
{
    const char *n1 = note ? " (" : "", *n2 = note ? note : "", *n3 = note ? ")" : "";
    if (rv == CKR_BUFFER_TOO_SMALL || (rv == CKR_OK && buf == NULL))
        p11t_conf_emit_always(fn, rv, "len=%lu%s%s%s", (unsigned long)len, n1, n2, n3);
    else if (rv == CKR_OK && show)
        p11t_conf_emit(fn, rv, "len=%lu hex=%s%s%s%s", (unsigned long)len, p11t_conf_hex(buf, len), n1, n2, n3);
    else if (rv == CKR_OK)
        p11t_conf_emit(fn, rv, "len=%lu%s%s%s", (unsigned long)len, n1, n2, n3);
    else
        p11t_conf_emit(fn, rv, "-");
}

void p11t_conf_say(const char *fmt, ...)
{
    char out[4 * RING_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, sizeof(out), fmt, ap);
    va_end(ap);
    printf("%s%s\n", line_prefix, out);
    fflush(stdout);
}

const char *p11t_conf_hex(const void *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *buf = ring_next();
    const unsigned char *b = p;
    size_t shown = n > HEX_MAX ? HEX_MAX : n;
    if (n == 0)
        return "(empty)";
    for (size_t i = 0; i < shown; i++) {
        buf[2 * i] = digits[b[i] >> 4];
        buf[2 * i + 1] = digits[b[i] & 15];
    }
    buf[2 * shown] = '\0';
    if (shown < n)
        strcat(buf, "...");
    return buf;
}

const char *p11t_conf_text(const CK_UTF8CHAR *p, size_t n)
{
    char *buf = ring_next();
    while (n > 0 && p[n - 1] == ' ')
        n--;
    size_t o = 0;
    buf[o++] = '"';
    for (size_t i = 0; i < n && o + 6 < RING_LEN; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\')
            buf[o++] = (char)p[i];
        else
            o += (size_t)snprintf(buf + o, RING_LEN - o, "\\x%02x", p[i]);
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

const char *p11t_conf_version(CK_VERSION v)
{
    char *buf = ring_next();
    snprintf(buf, RING_LEN, "%u.%u", v.major, v.minor);
    return buf;
}

const char *p11t_conf_ulong(CK_ULONG v)
{
    if (v == CK_UNAVAILABLE_INFORMATION)
        return "unavailable";
    char *buf = ring_next();
    snprintf(buf, RING_LEN, "%lu", (unsigned long)v);
    return buf;
}
