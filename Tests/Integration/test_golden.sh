# Golden renderings: every function family (the conformance client's v2, v3 and v32 scenarios
# call every PKCS#11 2.40, 3.0 and 3.2 function) against the deterministic mock module, decoded
# as text, jsonl and p11-kit's format, compared with Tests/Integration/golden/. Times, thread
# ids and paths are normalised; nothing else is.
#   UPDATE_GOLDEN=1 Tests/Integration/run-all golden    rewrites the golden files
T="$PWD"
GOLDEN="$ROOT/Tests/Integration/golden"
normalise_golden() {
    sed -E -e 's/\+[0-9]+\.[0-9]{9}s [0-9.]+(ns|us|ms|s) tid [0-9]+/+T D tid N/' \
           -e 's/"(time_ns|start_ns|duration_ns|tid|wall_time)": ?("[^"]*"|[0-9]+)/"\1":X/g' \
           -e "s#$BIN_PHYSICAL#BIN#g" -e "s#$P11TRACE_BIN#BIN#g" -e 's/0x[0-9a-f]{8,16}\b/0xPTR/g'
}
BIN_PHYSICAL="$(cd "$P11TRACE_BIN" && pwd -P)"
for scenario in v2 v3 v32; do
    rm -f "$T/$scenario.bin"*
    run_to "$T/$scenario" "$P11T" record --capture data -o "$T/$scenario.bin" -- "$CONFORM" "$MOCK" --scenario "$scenario"
    for format in text jsonl p11-kit; do
        tn="golden $scenario ($format)"
        if [ "$(cat "$T/$scenario.rc")" != 0 ]; then fail "$tn" "client exit $(cat "$T/$scenario.rc")"; continue; fi
        if ! $TMO "$P11T" decode "$T/$scenario.bin" --format "$format" >"$T/$scenario.$format.raw" 2>"$T/$scenario.$format.err"; then
            fail "$tn" "decode failed: $(head -c 400 "$T/$scenario.$format.err")"; continue
        fi
        # The text format opens with a summary of the process (pid, times, paths): skip it.
        if [ "$format" = text ]; then sed -n '/^#1 /,$p' "$T/$scenario.$format.raw"; else cat "$T/$scenario.$format.raw"; fi \
            | normalise_golden >"$T/$scenario.$format.norm"
        g="$GOLDEN/$scenario.$format.golden"
        if [ -n "${UPDATE_GOLDEN:-}" ]; then cp "$T/$scenario.$format.norm" "$g"; pass "$tn (updated)"; continue; fi
        if [ ! -f "$g" ]; then fail "$tn" "no golden file $g (UPDATE_GOLDEN=1 creates it)"
        elif cmp -s "$g" "$T/$scenario.$format.norm"; then pass "$tn"
        else fail "$tn" "rendering changed (golden -, now +): $(show_diff "$g" "$T/$scenario.$format.norm")"; fi
    done
done
