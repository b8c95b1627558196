# The record path's budgets, checked by counting, never by timing (issue: overhead):
# zero heap allocations per traced call and at most 32 bytes of log per C_GetSessionInfo.
# The workload is p11t-bench against the mock module (which allocates nothing per call), with
# a malloc-counting interposer preloaded; enough calls to cross many chunk boundaries.
T="$PWD"
BENCH="$P11TRACE_BIN/p11t-bench"
COUNTER="$P11TRACE_BIN/libp11t-alloc-counter.so"
allocs() { sed -nE 's/.* allocs=(-?[0-9]+) .*/\1/p' "$1"; }

# Positive control: the counter sees SoftHSM's own allocations in C_DigestInit.
softhsm_token "$T" a 1234 5678
run_to "$T/control" env LD_PRELOAD="$COUNTER" "$BENCH" "$SOFTHSM" --function digest --calls 2000 --warmup 100
tn="allocation counter counts (SoftHSM digest allocates)"
if [ "$(cat "$T/control.rc")" = 0 ] && [ "$(allocs "$T/control.out")" -gt 0 ]; then pass "$tn"
else fail "$tn" "$(cat "$T/control.out" "$T/control.err")"; fi

for fn in sessioninfo digest; do
    for threads in 1 2; do
        tn="zero allocations per traced call ($fn, $threads thread(s))"
        rm -f "$T/g.bin"*
        run_to "$T/bare" env LD_PRELOAD="$COUNTER" "$BENCH" "$MOCK" --function $fn --threads $threads --calls 50000
        run_to "$T/traced" env LD_PRELOAD="$COUNTER" P11TRACE_MODULE="$MOCK" P11TRACE_OUTPUT="$T/g.bin" \
            "$BENCH" "$LIBP" --function $fn --threads $threads --calls 50000
        a0="$(allocs "$T/bare.out")"; a1="$(allocs "$T/traced.out")"
        if [ "$(cat "$T/bare.rc")" != 0 ] || [ "$(cat "$T/traced.rc")" != 0 ]; then
            fail "$tn" "bench failed: $(cat "$T/bare.err" "$T/traced.err" | head -c 400)"
        elif [ "$a0" != 0 ] || [ "$a1" != 0 ]; then
            fail "$tn" "allocations in the measured calls: bare=$a0 traced=$a1"
        else
            pass "$tn"
        fi
        if [ $fn = sessioninfo ] && [ $threads = 1 ]; then
            tn="at most 32 bytes of log per C_GetSessionInfo"
            calls="$(decode_functions "$T/g.bin" | grep -c '^C_GetSessionInfo ')"
            size="$(stat -c %s "$T/g.bin")"
            # The whole file (header, module metadata, unused chunk tail) over the calls.
            per=$(( size / calls ))
            if [ "$calls" -ge 70000 ] && [ $per -le 32 ]; then pass "$tn ($per bytes over $calls calls)"
            else fail "$tn" "file $size bytes for $calls C_GetSessionInfo calls = $per bytes per call"; fi
        fi
    done
done
