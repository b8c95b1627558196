# Filters: the function filter at record time (P11TRACE_FUNCTIONS, record --functions) and the
# read-time filters of decode, each compared with the set computed from the unfiltered trace.
T="$PWD"
have_fixtures() { [ -x "$CONFORM" ] && [ -f "$MOCK" ]; }
# counts FILE: "function count" per function of a decoded log, sorted
counts() { decode_functions "$1" | awk '{print $1}' | sort | uniq -c | awk '{print $2, $1}'; }

# (1) record time: only the functions asked for are in the log, every call of them.
if ! have_fixtures; then fail "filters at record time" "fixtures not built"; else
    tn="filters at record time (P11TRACE_FUNCTIONS with a * glob)"
    rm -f "$T/rf.bin"
    LD_PRELOAD="$LIBP" P11TRACE_OUTPUT="$T/rf.bin" P11TRACE_FUNCTIONS='C_GetSessionInfo, C_Digest*' \
        run_to "$T/rf" "$CONFORM" "$MOCK" --scenario threads --threads 8 --iterations 500
    got="$(counts "$T/rf.bin" | tr '\n' ';')"
    want="C_Digest 4000;C_DigestInit 4000;C_GetSessionInfo 4000;"
    if [ "$(cat "$T/rf.rc")" = 0 ] && [ "$got" = "$want" ]; then pass "$tn"; else fail "$tn" "exit $(cat "$T/rf.rc"); got $got want $want"; fi

    tn="filters at record time (record --functions with a ? glob)"
    rm -f "$T/rq.bin"
    run_to "$T/rq" "$P11T" record -o "$T/rq.bin" --functions 'C_?etSessionInfo,C_Digest' -- \
        "$CONFORM" "$MOCK" --scenario threads --threads 8 --iterations 500
    got="$(counts "$T/rq.bin" | tr '\n' ';')"
    want="C_Digest 4000;C_GetSessionInfo 4000;"
    if [ "$(cat "$T/rq.rc")" = 0 ] && [ "$got" = "$want" ]; then pass "$tn"; else fail "$tn" "exit $(cat "$T/rq.rc"); got $got want $want"; fi

    tn="filters at record time: a misspelt name is refused"
    run_to "$T/rm" "$P11T" record -o "$T/rm.bin" --functions 'C_Sgn' -- true
    if [ "$(cat "$T/rm.rc")" != 0 ] && grep -q "C_Sgn" "$T/rm.err" && [ ! -e "$T/rm.bin" ]; then pass "$tn"; else fail "$tn" "exit $(cat "$T/rm.rc"): $(cat "$T/rm.err")"; fi
fi

# (2) read time, on a trace with four threads and two injected errors (the 5th C_Digest and
# the 9th C_GetSessionInfo fail).
if ! have_fixtures; then fail "filters at read time" "fixtures not built"; else
    rm -f "$T/all.bin"
    LD_PRELOAD="$LIBP" P11TRACE_OUTPUT="$T/all.bin" P11T_MOCK_FAULTS='C_Digest@5=CKR_DEVICE_ERROR,C_GetSessionInfo@9=CKR_SESSION_HANDLE_INVALID' \
        run_to "$T/all" "$CONFORM" "$MOCK" --scenario threads --threads 4 --iterations 50
    "$P11T" decode "$T/all.bin" --format jsonl >"$T/all.jsonl" 2>"$T/all.decode-err"
    "$P11T" decode "$T/all.bin" >"$T/all.txt" 2>>"$T/all.decode-err"
    # The filters to try, each with the Python condition that selects the same calls from the
    # unfiltered trace (c: the call's JSON object; t: the tid and s: the session of one worker;
    # a, b: the times of calls #100 and #200).
    python3 - "$T/all.jsonl" >"$T/cases" <<'PY'
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
failed = next(c for c in calls if c["function"] == "C_Digest" and c["rv"] != 0)
t, s = failed["tid"], failed["args"]["hSession"]
a, b = calls[99], calls[199]
sec = lambda c: "%d.%09d" % divmod(c["time_ns"], 10**9)
cases = [
    ("--functions C_Digest*", "c['function'].startswith('C_Digest')"),
    ("--functions C_GetSessionInfo,C_CloseSession", "c['function'] in ('C_GetSessionInfo', 'C_CloseSession')"),
    ("--functions C_?igest", "c['function'] == 'C_Digest'"),
    ("--errors", "c['rv'] != 0"),
    (f"--thread {t}", f"c['tid'] == {t}"),
    (f"--session {s}", f"c['args'].get('hSession') == {s} or (c['function'] == 'C_OpenSession' and c['args'].get('phSession') == {s})"),
    (f"--session 0x{s:x}", f"c['args'].get('hSession') == {s} or (c['function'] == 'C_OpenSession' and c['args'].get('phSession') == {s})"),
    ("--module 0", "True"),
    ("--module mock", "True"),
    ("--module softhsm", "False"),
    (f"--from {sec(a)} --to {sec(b)}", f"{a['time_ns']} <= c['time_ns'] <= {b['time_ns']}"),
    (f"--from {a['wall_time']}", f"c['wall_time'] >= '{a['wall_time']}'"),
    (f"--to {b['wall_time']}", f"c['wall_time'] <= '{b['wall_time']}'"),
    (f"--errors --functions C_Digest --thread {t}", f"c['rv'] != 0 and c['function'] == 'C_Digest' and c['tid'] == {t}"),
]
for option, condition in cases: print(option + "\t" + condition)
PY
    n=0
    while IFS=$'\t' read -r option condition; do
        n=$((n + 1))
        tn="filters at read time: decode $option"
        # shellcheck disable=SC2086
        $TMO "$P11T" decode "$T/all.bin" --format jsonl $option >"$T/f$n.jsonl" 2>"$T/f$n.err"; rc=$?
        msg="$(python3 - "$T/all.jsonl" "$T/f$n.jsonl" "$condition" "$option" <<'PY'
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
got = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
want = [c for c in calls if eval(sys.argv[3], {"c": c})]
if not want and "softhsm" not in sys.argv[4]: print("vacuous: no call matches")
elif len(want) == len(calls) and "--module" not in sys.argv[4]: print("vacuous: every call matches")
elif [c["seq"] for c in got] != [c["seq"] for c in want]:
    print(f"got {len(got)} calls {[c['seq'] for c in got][:10]}..., want {len(want)} {[c['seq'] for c in want][:10]}...")
elif got != want: print("the filtered calls differ from the same calls unfiltered")
PY
)"
        if [ $rc -ne 0 ]; then fail "$tn" "exit $rc: $(head -c 300 "$T/f$n.err")"
        elif [ -n "$msg" ]; then fail "$tn" "$msg"
        else pass "$tn"; fi
    done <"$T/cases"

    tn="filters at read time: the cases are not vacuous"
    msg="$(python3 - "$T/all.jsonl" <<'PY'
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
errors = sorted({(c["function"], c["rv_name"]) for c in calls if c["rv"] != 0})
if ("C_Digest", "CKR_DEVICE_ERROR") not in errors or ("C_GetSessionInfo", "CKR_SESSION_HANDLE_INVALID") not in errors:
    print(f"injected errors missing: {errors}")
if len({c["tid"] for c in calls}) < 5: print("fewer than 5 threads")
PY
)"
    if [ -z "$msg" ]; then pass "$tn"; else fail "$tn" "$msg"; fi

    tn="filters at read time: text keeps numbers and times of the whole trace"
    "$P11T" decode "$T/all.bin" --functions C_CloseSession >"$T/close.txt" 2>"$T/close.err"
    shown="$(grep -E '^#[0-9]+ ' "$T/close.txt")"
    if [ "$(grep -c . <<<"$shown")" != 4 ]; then fail "$tn" "want 4 C_CloseSession blocks: $shown"
    elif ! grep -Fxf <(grep -E '^#[0-9]+ ' "$T/all.txt") <<<"$shown" >/dev/null || \
         [ "$(grep -Fxf <(grep -E '^#[0-9]+ ' "$T/all.txt") <<<"$shown" | wc -l)" != 4 ]; then
        fail "$tn" "filtered header lines differ from the unfiltered ones: $shown"
    else pass "$tn"; fi

    tn="filters at read time: bad values are refused"
    bad=""
    for option in "--functions C_Nothing" "--session xyz" "--thread -1" "--from yesterday" "--to 2025-13-01T00:00:00Z"; do
        # shellcheck disable=SC2086
        "$P11T" decode "$T/all.bin" $option >/dev/null 2>"$T/bad.err" && bad+="accepted $option"$'\n'
    done
    if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad"; fi
fi
