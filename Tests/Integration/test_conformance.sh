# Our C client driving our mock modules (and SoftHSM) directly vs through the interposer.
T="$PWD"
# Output comparison ignores the "same table" line (whether C_GetFunctionList and the 3.x
# interface hand out the same table), which must say yes in both runs.
strip_same() { grep -Eiv 'same[-_ ]?table' "$1"; }
same_line_ok() { ! grep -Eiq 'same[-_ ]?table' "$1" || grep -Ei 'same[-_ ]?table' "$1" | grep -Eiq 'yes'; }
# client_calls FILE: the C_ function named at the start of each output line
# (lines "C_Xxx rv=NAME out=..."; rv=ABSENT means the table had no pointer: no call was made)
client_calls() { grep -v 'rv=ABSENT' "$1" | grep -Eo '^[[:space:]]*C_[A-Za-z0-9]+' | tr -d ' \t' | grep -Ev '^(C_GetFunctionList|C_GetInterface|C_GetInterfaceList)$'; }
conf_case() { # NAME MODULE SCENARIO [extra client args...]
    local n="$1" mod="$2" sc="$3"; shift 3
    local tn="conformance $n"
    if [ ! -x "$CONFORM" ] || [ ! -f "$mod" ]; then fail "$tn" "missing $CONFORM or $mod (fixtures not built)"; return; fi
    rm -f "$T/$n".*
    run_to "$T/$n.direct" "$CONFORM" "$mod" --scenario "$sc" "$@"
    run_to "$T/$n.modcfg" env P11TRACE_MODULE="$mod" P11TRACE_OUTPUT="$T/$n.bin" "$CONFORM" "$LIBP" --scenario "$sc" "$@"
    local bad=""
    [ "$(cat "$T/$n.direct.rc")" = "$(cat "$T/$n.modcfg.rc")" ] || bad+="exit status direct=$(cat "$T/$n.direct.rc") traced=$(cat "$T/$n.modcfg.rc"): $(head -c 600 "$T/$n.modcfg.err")"$'\n'
    [ -s "$T/$n.direct.out" ] || bad+="client printed nothing (exit $(cat "$T/$n.direct.rc")): $(head -c 600 "$T/$n.direct.err")"$'\n'
    strip_same "$T/$n.direct.out" >"$T/$n.direct.cmp"; strip_same "$T/$n.modcfg.out" >"$T/$n.modcfg.cmp"
    cmp -s "$T/$n.direct.cmp" "$T/$n.modcfg.cmp" || bad+="output differs (direct -, traced +): $(show_diff "$T/$n.direct.cmp" "$T/$n.modcfg.cmp")"$'\n'
    same_line_ok "$T/$n.direct.out" || bad+="direct: same-table line does not say yes: $(grep -Ei 'same[-_ ]?table' "$T/$n.direct.out")"$'\n'
    same_line_ok "$T/$n.modcfg.out" || bad+="traced: same-table line does not say yes: $(grep -Ei 'same[-_ ]?table' "$T/$n.modcfg.out")"$'\n'
    if [ -z "$bad" ]; then
        if ! decode_functions "$T/$n.bin" >"$T/$n.calls"; then
            bad+="trace does not decode: $(head -c 500 "$T/$n.bin.decode-err")"$'\n'
        else
            cut -d' ' -f1 "$T/$n.calls" | grep -Ev '^(C_GetFunctionList|C_GetInterface|C_GetInterfaceList)$' >"$T/$n.tfns"
            client_calls "$T/$n.modcfg.out" >"$T/$n.cfns"
            [ -s "$T/$n.cfns" ] || bad+="cannot find the client's calls in its output (expected lines starting with C_...)"$'\n'
            cmp -s "$T/$n.cfns" "$T/$n.tfns" || bad+="traced functions differ from the client's calls (client -, trace +): $(show_diff "$T/$n.cfns" "$T/$n.tfns")"$'\n'
        fi
    fi
    if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad"; fi
}
for sc in v2 v3 v32 garbage; do conf_case "mock-$sc" "$MOCK" "$sc"; done
for sc in v2 v3-over-v2; do conf_case "mock-v2-$sc" "$MOCK2" "$sc"; done

# LD_PRELOAD: the client loads the mock itself; the interposer wraps it through dlsym.
tn="conformance mock-v3 (LD_PRELOAD)"
if [ ! -x "$CONFORM" ] || [ ! -f "$MOCK" ]; then fail "$tn" "fixtures not built"; else
    run_to "$T/pre.direct" "$CONFORM" "$MOCK" --scenario v3
    run_to "$T/pre.traced" env LD_PRELOAD="$LIBP" P11TRACE_OUTPUT="$T/pre.bin" "$CONFORM" "$MOCK" --scenario v3
    if [ "$(cat "$T/pre.direct.rc")" != "$(cat "$T/pre.traced.rc")" ] || ! cmp -s "$T/pre.direct.out" "$T/pre.traced.out"; then
        fail "$tn" "exit $(cat "$T/pre.direct.rc") vs $(cat "$T/pre.traced.rc"); $(show_diff "$T/pre.direct.out" "$T/pre.traced.out"); $(head -c 400 "$T/pre.traced.err")"
    elif ! decode_functions "$T/pre.bin" >"$T/pre.calls" || ! grep -q '^C_Initialize ' "$T/pre.calls"; then
        fail "$tn" "trace does not decode to calls: $(head -c 400 "$T/pre.calls"; head -c 400 "$T/pre.bin.decode-err")"
    else
        cut -d' ' -f1 "$T/pre.calls" | grep -Ev '^(C_GetFunctionList|C_GetInterface|C_GetInterfaceList)$' >"$T/pre.tfns"
        client_calls "$T/pre.traced.out" >"$T/pre.cfns"
        if cmp -s "$T/pre.cfns" "$T/pre.tfns"; then pass "$tn"; else fail "$tn" "calls differ: $(show_diff "$T/pre.cfns" "$T/pre.tfns")"; fi
    fi
fi

# SoftHSM through the client: direct vs module config.
softhsm_token "$T" c 1234 5678
snapshot "$T"
tn="conformance softhsm-v2"
if [ ! -x "$CONFORM" ]; then fail "$tn" "fixtures not built"; else
    restore "$T"; run_to "$T/sh.direct" "$CONFORM" "$SOFTHSM" --scenario v2 --pin 1234
    restore "$T"; run_to "$T/sh.modcfg" env P11TRACE_MODULE="$SOFTHSM" P11TRACE_OUTPUT="$T/sh.bin" "$CONFORM" "$LIBP" --scenario v2 --pin 1234
    strip_same "$T/sh.direct.out" >"$T/sh.d"; strip_same "$T/sh.modcfg.out" >"$T/sh.m"
    if [ ! -s "$T/sh.d" ]; then fail "$tn" "client printed nothing: $(head -c 500 "$T/sh.direct.err")"
    elif [ "$(cat "$T/sh.direct.rc")" != "$(cat "$T/sh.modcfg.rc")" ] || ! cmp -s "$T/sh.d" "$T/sh.m"; then
        fail "$tn" "exit $(cat "$T/sh.direct.rc") vs $(cat "$T/sh.modcfg.rc"); $(show_diff "$T/sh.d" "$T/sh.m"); $(head -c 400 "$T/sh.modcfg.err")"
    elif ! decode_functions "$T/sh.bin" >"$T/sh.calls" || ! grep -q '^C_' "$T/sh.calls"; then
        fail "$tn" "trace does not decode: $(head -c 400 "$T/sh.bin.decode-err")"
    else pass "$tn"; fi
fi

# A Swift program (its own dynamic Swift runtime) loading the interposer (static Swift runtime).
SWIFTCLIENT="$P11TRACE_BIN/p11t-swift-client"
tn="Swift program loads the interposer"
softhsm_token "$T/swift" sw 1234 5678
run_to "$T/sw.bare" "$SWIFTCLIENT" "$SOFTHSM"
run_to "$T/sw.traced" env P11TRACE_MODULE="$SOFTHSM" P11TRACE_OUTPUT="$T/sw.bin" "$SWIFTCLIENT" "$LIBP"
if [ "$(cat "$T/sw.bare.rc")" != 0 ] || [ "$(cat "$T/sw.traced.rc")" != 0 ]; then
    fail "$tn" "exit bare=$(cat "$T/sw.bare.rc") traced=$(cat "$T/sw.traced.rc"): $(head -c 600 "$T/sw.traced.err")"
elif ! cmp -s "$T/sw.bare.out" "$T/sw.traced.out"; then
    fail "$tn" "output differs: $(show_diff "$T/sw.bare.out" "$T/sw.traced.out")"
elif ! decode_functions "$T/sw.bin" >"$T/sw.calls" || ! grep -qx 'C_GetInfo CKR_OK' "$T/sw.calls"; then
    fail "$tn" "trace: $(tr '\n' ';' <"$T/sw.calls" 2>/dev/null) $(head -c 300 "$T/sw.bin.decode-err")"
else
    pass "$tn"
fi

# In a set-uid process the environment is ignored: P11TRACE_MODULE and P11TRACE_OUTPUT have no
# effect (the module-config entry point finds no module, and nothing is written).
tn="set-uid process ignores the environment"
if [ "$(id -u)" != 0 ]; then
    fail "$tn" "needs root to make a set-uid copy of the client"
else
    suid="$(mktemp -d /tmp/p11t-suid.XXXXXX)"
    chmod 755 "$suid"
    cp "$SWIFTCLIENT" "$suid/client" && chmod 4755 "$suid/client"
    cp "$LIBP" "$suid/libp11trace.so" && chmod 755 "$suid/libp11trace.so"
    chmod 1777 "$suid"
    run_to "$T/suid" setpriv --reuid=65534 --regid=65534 --clear-groups \
        env P11TRACE_MODULE="$MOCK" P11TRACE_OUTPUT="$suid/suid.bin" "$suid/client" "$suid/libp11trace.so"
    if ls "$suid"/suid.bin* >/dev/null 2>&1; then
        fail "$tn" "a log was written: $(ls "$suid")"
    elif ! grep -q 'C_GetFunctionList rv=5' "$T/suid.out"; then
        fail "$tn" "expected C_GetFunctionList to fail with CKR_GENERAL_ERROR (no module configured): $(head -c 400 "$T/suid.out" "$T/suid.err")"
    else
        pass "$tn"
    fi
    rm -rf "$suid"
fi
