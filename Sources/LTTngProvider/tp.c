/*
 * libp11trace-lttng.so: the probes of the p11trace provider and the functions the
 * interposer calls (p11t_lttng_abi.h). This library, not the interposer, links liblttng-ust;
 * the interposer dlopens it only when P11TRACE_BACKEND=lttng and never dlcloses it.
 */
#include "p11t_lttng_provider.h"

#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "p11t_lttng_tp.h"

#define P11T_LTTNG_EXPORT __attribute__((visibility("default")))

P11T_LTTNG_EXPORT void p11t_lttng_call(const p11t_lttng_call_event *event)
{
    lttng_ust_tracepoint(p11trace, call, event);
}

P11T_LTTNG_EXPORT void p11t_lttng_process(const p11t_lttng_process_event *event)
{
    lttng_ust_tracepoint(p11trace, process, event);
}

P11T_LTTNG_EXPORT void p11t_lttng_module(const p11t_lttng_module_event *event)
{
    lttng_ust_tracepoint(p11trace, module, event);
}

P11T_LTTNG_EXPORT void p11t_lttng_library(const p11t_lttng_library_event *event)
{
    lttng_ust_tracepoint(p11trace, library, event);
}

P11T_LTTNG_EXPORT const int *p11t_lttng_call_state(void)
{
    /* What lttng_ust_tracepoint_enabled(p11trace, call) reads. */
    return &lttng_ust_tracepoint_p11trace___call.state;
}
