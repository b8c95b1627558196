# Threads, fork, SIGKILL, damaged logs, wrong paths, exported symbols.
T="$PWD"
have_fixtures() { [ -x "$CONFORM" ] && [ -f "$MOCK" ]; }

# (a) 8 threads: every C_GetSessionInfo/C_DigestInit/C_Digest call is in the log.
tn="robustness threads (8 x 2000)"
if ! have_fixtures; then fail "$tn" "fixtures not built"; else
    run_to "$T/thr" "$P11T" record -o "$T/thr.bin" -- "$CONFORM" "$MOCK" --scenario threads --threads 8 --iterations 2000
    if [ "$(cat "$T/thr.rc")" != 0 ]; then fail "$tn" "client exit $(cat "$T/thr.rc"): $(head -c 600 "$T/thr.err")"
    elif ! decode_functions "$T/thr.bin" >"$T/thr.calls"; then fail "$tn" "decode failed: $(head -c 600 "$T/thr.bin.decode-err")"
    else
        # The client prints a count per function (a line naming it with a number); without
        # one, each of the 8 threads calls each function once per iteration.
        msg="$(python3 - "$T/thr.out" "$T/thr.calls" <<'PY'
import re, sys, collections
out = open(sys.argv[1]).read().splitlines()
got = collections.Counter(l.split()[0] for l in open(sys.argv[2]) if l.strip())
for fn in ("C_GetSessionInfo", "C_DigestInit", "C_Digest"):
    exp = None
    for l in out:
        if re.search(r"\b%s\b" % fn, l):
            nums = re.findall(r"\b\d+\b", l.replace(fn, ""))
            if nums: exp = int(nums[-1])
    if exp is None: exp = 8 * 2000
    if got[fn] != exp: print(f"{fn}: client says {exp}, trace has {got[fn]}")
PY
)"
        if [ -z "$msg" ]; then pass "$tn"; else fail "$tn" "$msg"$'\n'"client output: $(head -c 400 "$T/thr.out")"; fi
    fi
fi

# (b) fork: the parent's log at FILE, the child's at FILE.<childpid>.
tn="robustness fork"
if ! have_fixtures; then fail "$tn" "fixtures not built"; else
    mkdir -p "$T/fork"; rm -f "$T/fork/"*
    run_to "$T/fork/run" "$P11T" record -o "$T/fork/f.bin" -- "$CONFORM" "$MOCK" --scenario fork
    kids=( $(ls "$T/fork" | grep -E '^f\.bin\.[0-9]+$') )
    bad=""
    [ "$(cat "$T/fork/run.rc")" = 0 ] || bad+="client exit $(cat "$T/fork/run.rc"): $(head -c 400 "$T/fork/run.err")"$'\n'
    [ -s "$T/fork/f.bin" ] || bad+="no parent log"$'\n'
    [ ${#kids[@]} = 1 ] || bad+="expected exactly one f.bin.<childpid>, found: ${kids[*]:-none} ($(ls "$T/fork" | tr '\n' ' '))"$'\n'
    if [ -z "$bad" ]; then
        child="${kids[0]#f.bin.}"
        grep -q "$child" "$T/fork/run.out" "$T/fork/run.err" 2>/dev/null || true  # the client may print the pid; not required
        decode_functions "$T/fork/f.bin" >"$T/fork/p.calls" || bad+="parent decode failed: $(head -c 300 "$T/fork/f.bin.decode-err")"$'\n'
        decode_functions "$T/fork/${kids[0]}" >"$T/fork/c.calls" || bad+="child decode failed: $(head -c 300 "$T/fork/${kids[0]}.decode-err")"$'\n'
        np="$(grep -c '^C_Initialize ' "$T/fork/p.calls")"; nc="$(grep -c '^C_Initialize ' "$T/fork/c.calls")"
        [ "$np" = 1 ] || bad+="parent log has $np C_Initialize (child calls leaked into it?)"$'\n'
        [ "$nc" -ge 1 ] || bad+="child log has no C_Initialize: $(tr '\n' ';' <"$T/fork/c.calls" | head -c 300)"$'\n'
    fi
    if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad"; fi
fi

# (c) SIGKILL after "ready": every call made before it is in the log.
tn="robustness SIGKILL"
if ! have_fixtures; then fail "$tn" "fixtures not built"; else
    rm -f "$T/hang.bin"*
    LD_PRELOAD="$LIBP" P11TRACE_OUTPUT="$T/hang.bin" "$CONFORM" "$MOCK" --scenario hang >"$T/hang.out" 2>"$T/hang.err" &
    pid=$!
    for _ in $(seq 300); do grep -q ready "$T/hang.out" && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
    if ! grep -q ready "$T/hang.out"; then kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; fail "$tn" "client never printed ready: $(head -c 400 "$T/hang.out" "$T/hang.err")"
    else
        kill -9 $pid; wait $pid 2>/dev/null
        decode_functions "$T/hang.bin" >"$T/hang.calls"; drc=$?
        missing=""
        for fn in C_Initialize C_OpenSession; do grep -q "^$fn " "$T/hang.calls" || missing+="$fn "; done
        for fn in $(grep -Eo '^[[:space:]]*C_[A-Za-z]+' "$T/hang.out" | sort -u); do grep -q "^$fn " "$T/hang.calls" || missing+="$fn "; done
        if [ $drc -ne 0 ]; then fail "$tn" "decode exit $drc: $(head -c 400 "$T/hang.bin.decode-err")"
        elif [ -n "$missing" ]; then fail "$tn" "missing after kill -9: $missing; trace: $(tr '\n' ';' <"$T/hang.calls" | head -c 400)"
        else pass "$tn"; fi
    fi
fi

# (d) damaged logs: never crash, report the offset, keep the calls before the damage.
softhsm_token "$T" r 1234 5678
rm -f "$T/good.bin"*
P11TRACE_MODULE="$SOFTHSM" P11TRACE_OUTPUT="$T/good.bin" $TMO pkcs11-tool --module "$LIBP" -O --login --pin 1234 >/dev/null 2>&1
tn="robustness damaged logs"
if [ ! -s "$T/good.bin" ] || ! decode_functions "$T/good.bin" >"$T/good.calls" || ! grep -q '^C_' "$T/good.calls"; then
    fail "$tn" "no good log to damage: $(ls -la "$T"/good.bin* 2>&1 | head -3); $(head -c 300 "$T/good.bin.decode-err" 2>/dev/null)"
else
    # Damage list: name and python expression building the damaged bytes from d (the good file);
    # rec = offsets of the records of the first call chunk (computed from docs/log-format.md).
    python3 - "$T/good.bin" "$T" <<'PY' >"$T/damage.list"
import struct, sys
d = open(sys.argv[1], "rb").read(); out = sys.argv[2]
hs, cs = struct.unpack_from("<II", d, 12)
recs = []
off = hs
while off + cs <= len(d) and not recs:
    if d[off:off+4] == b"P11C" and struct.unpack_from("<H", d, off+4)[0] == 1:
        p = off + 32
        while p + 2 <= off + cs:
            sz = struct.unpack_from("<H", d, p)[0]
            if sz == 0: break
            recs.append(p); p += sz
    off += cs
cases = [("empty", d[:0]), ("trunc-8", d[:8]), ("trunc-header-100", d[:100]), ("trunc-header-4000", d[:4000]),
         ("trunc-chunk-header", d[:hs + 10])]
if len(recs) >= 2:
    cases.append(("trunc-mid-first-record", d[:recs[0] + 5]))
    cases.append(("trunc-mid-second-record", d[:recs[1] + 4]))
    for name, val in (("size-ffff", 0xFFFF), ("size-3", 3)):
        b = bytearray(d); struct.pack_into("<H", b, recs[1], val); cases.append((f"flip-{name}-second-record", bytes(b)))
    b = bytearray(d); b[recs[1]] ^= 0xFF; b[recs[1]+1] ^= 0xFF; cases.append(("flip-bytes-second-record-size", bytes(b)))
for name, data in cases:
    open(f"{out}/dmg-{name}.bin", "wb").write(data); print(name)
PY
    bad=""
    [ "$(wc -l <"$T/damage.list")" -ge 8 ] || bad+="could not locate records in the good log (chunk layout?)"$'\n'
    while read -r name; do
        f="$T/dmg-$name.bin"
        $TMO "$P11T" decode "$f" --format jsonl >"$f.jsonl" 2>"$f.err"; rc=$?
        if [ $rc -ge 124 ]; then bad+="$name: decode crashed/hung (exit $rc): $(head -c 200 "$f.err")"$'\n'; continue; fi
        [ $rc -ne 0 ] || bad+="$name: exit 0 on a damaged log"$'\n'
        grep -Eiq 'offset.*[0-9]|[0-9].*offset' "$f.err" || bad+="$name: no damage message naming an offset on stderr: $(head -c 200 "$f.err")"$'\n'
        python3 -c '
import json, sys
def fns(p):
    r = []
    for l in open(p, errors="replace"):
        l = l.strip()
        if l: r.append(json.loads(l)["function"])
    return r
g, b = fns(sys.argv[1]), fns(sys.argv[2])
if b != g[:len(b)]: sys.exit("calls are not a prefix of the undamaged decode: %s" % b[:8])
if sys.argv[3].startswith(("flip", "trunc-mid-second")) and len(b) < 1: sys.exit("the call before the damage is missing")
' "$T/good.bin.jsonl" "$f.jsonl" "$name" 2>"$f.pfx" || bad+="$name: $(tail -n1 "$f.pfx")"$'\n'
    done <"$T/damage.list"
    if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad"; fi
fi

# (e) wrong paths
tn="robustness decode /nonexistent"
$TMO "$P11T" decode /nonexistent/p11t.bin >"$T/ne.out" 2>"$T/ne.err"; rc=$?
if [ $rc -eq 0 ] || [ $rc -ge 124 ] || ! grep -q nonexistent "$T/ne.err"; then
    fail "$tn" "exit $rc, stderr: $(head -c 300 "$T/ne.err")"; else pass "$tn"; fi
tn="robustness P11TRACE_MODULE=/nonexistent"
P11TRACE_MODULE=/nonexistent/mod.so P11TRACE_OUTPUT="$T/ne.bin" $TMO pkcs11-tool --module "$LIBP" -L >"$T/nm.out" 2>"$T/nm.err"; rc=$?
if [ $rc -eq 0 ] || [ $rc -ge 124 ] || ! grep -qi p11trace "$T/nm.err"; then
    fail "$tn" "pkcs11-tool exit $rc (want 1..123), stderr must mention p11trace: $(head -c 400 "$T/nm.err")"; else pass "$tn"; fi

# (f) exported symbols and dependencies
tn="robustness exported symbols"
# Lower-case types (d, b, t...) are local-binding entries of .dynsym: not resolvable from
# outside, so not exported; 'u' (unique global) and 'i' (ifunc) are.
syms="$(nm -D --defined-only "$LIBP" | awk '$2 ~ /^[A-Zui]$/ {print $3}' | sort)"
extra="$(grep -Exv 'C_GetFunctionList|C_GetInterfaceList|C_GetInterface|dlsym' <<<"$syms")"
missing="$(for s in C_GetFunctionList C_GetInterfaceList C_GetInterface dlsym; do grep -qx "$s" <<<"$syms" || echo "$s"; done)"
if [ -n "$extra$missing" ]; then fail "$tn" "extra: $(tr '\n' ' ' <<<"$extra") missing: $(tr '\n' ' ' <<<"$missing")"; else pass "$tn"; fi
tn="robustness no libcrypto/liblttng dependency"
deps="$(ldd "$LIBP" 2>&1)"
if grep -Eq 'libcrypto|liblttng|not found' <<<"$deps"; then fail "$tn" "$deps"; else pass "$tn"; fi

# (g) the log cannot grow (file size limit; a full disk fails the same way): the process runs
# on unharmed, p11trace says once that calls are no longer recorded, and the file is cut back
# to whole chunks, so it decodes without damage up to that point.
tn="robustness log that cannot grow"
rm -f "$T/full.bin"*
# SIGXFSZ keeps its default action (it would kill the process): the interposer must not raise it.
( ulimit -f 300
  P11TRACE_MODULE="$MOCK" P11TRACE_OUTPUT="$T/full.bin" exec $TMO "$P11TRACE_BIN/p11t-bench" "$LIBP" --calls 100000 --warmup 0 ) \
    >"$T/full.out" 2>"$T/full.err"; rc=$?
size=$(stat -c %s "$T/full.bin" 2>/dev/null || echo 0)
decoded="$($TMO "$P11T" stats "$T/full.bin" --format json 2>"$T/full.derr" | python3 -c 'import json,sys; print(json.load(sys.stdin)["calls"])' 2>/dev/null)"
if [ $rc -ne 0 ] || ! grep -q 'calls=100000' "$T/full.out"; then
    fail "$tn" "the workload must run to the end (exit $rc): $(head -c 300 "$T/full.err")"
elif [ "$(grep -c 'cannot grow' "$T/full.err")" != 1 ]; then
    fail "$tn" "one line on stderr should say the trace stopped growing: $(head -c 300 "$T/full.err")"
elif [ $(( (size - 4096) % 65536 )) -ne 0 ] || [ -s "$T/full.derr" ]; then
    fail "$tn" "file of $size bytes is not whole chunks, or decodes with damage: $(head -c 300 "$T/full.derr")"
elif [ -z "$decoded" ] || [ "$decoded" -lt 1000 ] || [ "$decoded" -ge 100000 ]; then
    fail "$tn" "expected the calls up to the limit (some thousands), decoded: '$decoded'"
else
    pass "$tn ($decoded calls kept, then a one-line notice)"
fi
