/*
 * p11t-conformance: a PKCS#11 client that drives a module through scenarios and prints one
 * deterministic line per call ("C_Xxx rv=CKR_NAME out=..."), so that a run against a module
 * and a run through an interposer can be compared with diff. Outputs are printed only where
 * the specification defines them for the returned code; pointers and timings never appear.
 */
#ifndef P11T_CONF_H
#define P11T_CONF_H

#include "p11t_pkcs11.h"

#include <stdbool.h>
#include <stddef.h>

/* What one run needs: the module, the tables obtained from it and the options. */
typedef struct {
    void *dl;
    const char *path;
    CK_FUNCTION_LIST *f;       /* the table in use, seen through its 2.40 prefix */
    CK_FUNCTION_LIST_3_0 *f30; /* set when a 3.0 (or later) table was obtained */
    CK_FUNCTION_LIST_3_2 *f32; /* set when a 3.2 table was obtained */
    const char *pin;
    const char *so_pin;
    unsigned threads;
    unsigned iterations;
    CK_SLOT_ID slot;           /* first slot with a token */
    CK_SESSION_HANDLE session; /* the read/write session of the scenario */
} p11t_conf;

/* Returned by the call macros when the table has no pointer for the function. */
#define P11T_CONF_ABSENT ((CK_RV)0xFFFFFFFFUL)

/* Calls a function through the 2.40 part of the table (any table version). */
#define P11T_CALL(c, fn, ...) ((c)->f->fn ? (c)->f->fn(__VA_ARGS__) : P11T_CONF_ABSENT)
/* Calls a 3.0 function; absent without a 3.0 table. */
#define P11T_CALL30(c, fn, ...) (((c)->f30 && (c)->f30->fn) ? (c)->f30->fn(__VA_ARGS__) : P11T_CONF_ABSENT)
/* Calls a 3.2 function; absent without a 3.2 table. */
#define P11T_CALL32(c, fn, ...) (((c)->f32 && (c)->f32->fn) ? (c)->f32->fn(__VA_ARGS__) : P11T_CONF_ABSENT)

/* ---- output (out.c) ---- */

/* "CKR_OK", ..., "ABSENT", or "0x%08lX" for codes without a name. */
const char *p11t_conf_rv_name(CK_RV rv);
/* Prints "<fn> rv=<name> out=<fmt...>"; when rv != CKR_OK the out part is "-". */
void p11t_conf_emit(const char *fn, CK_RV rv, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Like p11t_conf_emit but prints the out part whatever rv is (for outputs defined on errors). */
void p11t_conf_emit_always(const char *fn, CK_RV rv, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * For the two-call output convention: "len=N" after a length query or CKR_BUFFER_TOO_SMALL,
 * "len=N hex=..." after output was written (hex omitted when `show` is false, for output that
 * depends on random keys), "-" otherwise. `note` (may be NULL) is appended in parentheses.
 */
void p11t_conf_emit_buf(const char *fn, CK_RV rv, const void *buf, CK_ULONG len, bool show, const char *note);
/* Prints a free-form line (for scenario markers such as "ready"). */
void p11t_conf_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prefix for every line ("child: " in a forked child); NULL for none. */
void p11t_conf_set_prefix(const char *prefix);

/* Hex of up to 512 bytes (longer input is cut with "..."); the buffer is reused after 32 calls. */
const char *p11t_conf_hex(const void *p, size_t n);
/* A blank-padded PKCS#11 text field, trailing blanks trimmed, quoted, non-printables escaped. */
const char *p11t_conf_text(const CK_UTF8CHAR *p, size_t n);
/* "2.40" */
const char *p11t_conf_version(CK_VERSION v);
/* Renders an unsigned long, with CK_UNAVAILABLE_INFORMATION as "unavailable". */
const char *p11t_conf_ulong(CK_ULONG v);

/* ---- shared steps (steps.c) ---- */

/* Resolves a symbol of the module; NULL if absent. */
void *p11t_conf_symbol(p11t_conf *c, const char *name);
/* C_GetFunctionList through the exported symbol; prints the call. */
CK_RV p11t_conf_get_function_list(p11t_conf *c);
/* C_GetSlotList(CK_TRUE) and remember the first slot; prints the calls. */
void p11t_conf_find_slot(p11t_conf *c);
/* C_OpenSession with the given flags; prints the call. */
CK_SESSION_HANDLE p11t_conf_open(p11t_conf *c, CK_FLAGS flags);
/* C_GetSessionInfo; prints the call. */
void p11t_conf_session_info(p11t_conf *c, CK_SESSION_HANDLE h);
/* C_Login; prints the call. */
void p11t_conf_login(p11t_conf *c, CK_USER_TYPE who, const char *pin);
/* C_CreateObject of a session secret key with a fixed value; prints the call. */
CK_OBJECT_HANDLE p11t_conf_secret_key(p11t_conf *c, const char *label, CK_KEY_TYPE type, const CK_BYTE *value,
                                      CK_ULONG len, bool sensitive);
/* C_GetAttributeValue of one attribute (length query, then value); prints both calls. */
void p11t_conf_show_attr(p11t_conf *c, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, bool show);
/* The token-independent part of a scenario's end: logout, close all, finalize. */
void p11t_conf_teardown(p11t_conf *c);

/* ---- scenarios ---- */

void p11t_conf_scenario_v2(p11t_conf *c);
void p11t_conf_v2_crypto(p11t_conf *c);       /* the crypto half of the v2 flow */
void p11t_conf_v2_keys(p11t_conf *c);         /* key management and random numbers */
void p11t_conf_scenario_v3(p11t_conf *c, bool v32);
void p11t_conf_v3_messages(p11t_conf *c);     /* the message-based functions */
void p11t_conf_v32_functions(p11t_conf *c);   /* the 3.2 functions */
void p11t_conf_scenario_v3_over_v2(p11t_conf *c);
void p11t_conf_scenario_garbage(p11t_conf *c);
void p11t_conf_scenario_threads(p11t_conf *c);
void p11t_conf_scenario_fork(p11t_conf *c);
void p11t_conf_scenario_hang(p11t_conf *c);
void p11t_conf_scenario_mechanisms(p11t_conf *c); /* one call per mechanism parameter structure */
void p11t_conf_scenario_violations(p11t_conf *c);        /* each application-side check rule broken */
void p11t_conf_scenario_violations_module(p11t_conf *c); /* a flow for the module-side ones */
void p11t_conf_scenario_secrets(p11t_conf *c);           /* session objects with secret attribute values */

#endif /* P11T_CONF_H */
