/*
 * Reads the p11trace events of an LTTng (CTF) trace through libbabeltrace2: a graph of
 * source.ctf.fs, flt.utils.muxer (events of every stream in time order) and a simple sink
 * that hands out one message batch at a time. Only the decoder links this; the interposer
 * never does.
 */
#ifndef P11T_CTF_READER_H
#define P11T_CTF_READER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct p11t_ctf_reader p11t_ctf_reader;

/* Which p11trace event an entry is. */
enum {
    P11T_CTF_CALL = 1,     /* values: sequence, pid, tid, start, module; bytes: the record */
    P11T_CTF_PROCESS = 2,  /* values: pid, ppid, capture, ulong_size, set_uid, monotonic_origin,
                              wall_origin; strings: name, executable, command_line, writer */
    P11T_CTF_MODULE = 3,   /* values: pid, index, layout, major, minor, how; strings: path, caller */
    P11T_CTF_LIBRARY = 4,  /* values: pid, snapshot, start, end; strings: path */
};

#define P11T_CTF_MAX_VALUES 8
#define P11T_CTF_MAX_STRINGS 4

/* One event. Strings and bytes stay valid until the next call of p11t_ctf_next. */
typedef struct p11t_ctf_event {
    int kind;
    uint64_t values[P11T_CTF_MAX_VALUES];
    const char *strings[P11T_CTF_MAX_STRINGS];
    const uint8_t *bytes;
    size_t byte_count;
} p11t_ctf_event;

/* Opens the CTF traces in `paths` (directories holding a `metadata` file; LTTng writes one
 * per buffer owner and bitness). NULL on failure, with the reason in `error`. */
p11t_ctf_reader *p11t_ctf_open(const char *const *paths, size_t count, char *error, size_t size);

/* The next p11trace event. Returns 1 with `event` filled, 0 after the last one, -1 on
 * failure with the reason in `error`. Events of other providers are skipped. */
int p11t_ctf_next(p11t_ctf_reader *reader, p11t_ctf_event *event, char *error, size_t size);

/* Events LTTng reported discarded (its ring buffers were full) so far. */
uint64_t p11t_ctf_discarded(const p11t_ctf_reader *reader);

void p11t_ctf_close(p11t_ctf_reader *reader);

#ifdef __cplusplus
}
#endif

#endif /* P11T_CTF_READER_H */
