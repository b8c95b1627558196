# GnuTLS p11tool (through p11-kit's module loading): bare vs record vs module config.
T="$PWD"
softhsm_token "$T" p11t 1234 5678
pkcs11-tool --module "$SOFTHSM" --keypairgen --key-type rsa:2048 --id 01 --label k --login --pin 1234 >/dev/null 2>&1
snapshot "$T"
restore "$T"; run_to "$T/bare" p11tool --provider "$SOFTHSM" --list-all
restore "$T"; run_to "$T/record" "$P11T" record -o "$T/record.bin" -- p11tool --provider "$SOFTHSM" --list-all
restore "$T"; run_to "$T/modcfg" env P11TRACE_MODULE="$SOFTHSM" P11TRACE_OUTPUT="$T/modcfg.bin" p11tool --provider "$LIBP" --list-all
restore "$T"; run_to "$T/spy" env PKCS11SPY="$SOFTHSM" PKCS11SPY_OUTPUT="$T/spy.log" p11tool --provider "$SPY" --list-all
for mode in record modcfg; do
    tn="p11tool --list-all ($mode)"
    if [ "$(cat "$T/bare.rc")" != "$(cat "$T/$mode.rc")" ]; then
        fail "$tn" "exit status bare=$(cat "$T/bare.rc") traced=$(cat "$T/$mode.rc"); stderr: $(head -c 1500 "$T/$mode.err")"
    elif ! cmp -s "$T/bare.out" "$T/$mode.out"; then
        fail "$tn" "stdout differs: $(show_diff "$T/bare.out" "$T/$mode.out")"
    elif [ ! -s "$T/$mode.bin" ]; then
        fail "$tn" "no trace file; stderr: $(head -c 1000 "$T/$mode.err")"
    elif ! decode_functions "$T/$mode.bin" >"$T/$mode.calls" || ! grep -q '^C_' "$T/$mode.calls"; then
        fail "$tn" "trace does not decode to calls: $(head -c 600 "$T/$mode.calls"; head -c 600 "$T/$mode.bin.decode-err")"
    else pass "$tn"; fi
done
[ "$(cat "$T/bare.rc")" = 0 ] && grep -q 'pkcs11:' "$T/bare.out" || fail "p11tool bare run sanity" "bare p11tool rc=$(cat "$T/bare.rc"): $(head -c 800 "$T/bare.out" "$T/bare.err")"
same_as_spy "p11tool --list-all (same calls as pkcs11-spy)" "$T/spy.log" "$T/record.calls" "$T/modcfg.calls"
