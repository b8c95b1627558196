/*
 * libp11trace-lttng.so's exported functions. The interposer does not include this header: it
 * looks the functions up with dlsym (types in p11t_lttng_abi.h).
 */
#ifndef P11T_LTTNG_PROVIDER_H
#define P11T_LTTNG_PROVIDER_H

#include "p11t_lttng_abi.h"

void p11t_lttng_call(const p11t_lttng_call_event *event);
void p11t_lttng_process(const p11t_lttng_process_event *event);
void p11t_lttng_module(const p11t_lttng_module_event *event);
void p11t_lttng_library(const p11t_lttng_library_event *event);
const int *p11t_lttng_call_state(void);

#endif /* P11T_LTTNG_PROVIDER_H */
