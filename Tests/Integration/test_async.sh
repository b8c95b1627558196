# OpenSSL async jobs and callers: p11t-async-client runs two ASYNC jobs interleaved on one
# thread (job A C_SignInit, pause, job B C_SignInit, pause, A C_Sign, B C_Sign) through the
# interposer into SoftHSM, and the decoded trace must attribute every call to the right job,
# give each job its own wait context, leave calls outside jobs without one, and name the
# test program as the caller of every call. "shared" puts both jobs on one session.
T="$PWD"
ASYNC_CLIENT="$P11TRACE_BIN/p11t-async-client"
softhsm_token "$T" async 1234 5678
pkcs11-tool --module "$SOFTHSM" --keypairgen --key-type rsa:2048 --id 01 --label k --login --pin 1234 >/dev/null 2>&1
for mode in separate shared; do
    tn="async jobs attributed per call ($mode sessions)"
    rm -f "$T/$mode.bin"*
    run_to "$T/$mode" "$P11T" record -o "$T/$mode.bin" -- "$ASYNC_CLIENT" "$SOFTHSM" 1234 $mode
    if [ "$(cat "$T/$mode.rc")" != 0 ]; then fail "$tn" "client exit $(cat "$T/$mode.rc"): $(head -c 600 "$T/$mode.err")"; continue; fi
    if ! $TMO "$P11T" decode "$T/$mode.bin" --format jsonl >"$T/$mode.jsonl" 2>"$T/$mode.derr"; then
        fail "$tn" "decode failed: $(head -c 400 "$T/$mode.derr")"; continue
    fi
    # The client prints its steps; the jobs' calls in the trace must follow the same order.
    grep -E '^job [AB] C_' "$T/$mode.out" | awk '{print $2, $3}' >"$T/$mode.steps"
    if out="$(python3 - "$T/$mode.jsonl" "$T/$mode.steps" "$mode" <<'PY'
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
steps = [l.split() for l in open(sys.argv[2]) if l.strip()]
mode = sys.argv[3]
problems = []
if len(steps) != 4: problems.append(f"client printed {len(steps)} job steps, expected 4")
in_job = [c for c in calls if c.get("job") is not None]
outside = [c for c in calls if c.get("job") is None]
# Every call carries a caller, and it is the test program (the module was called from its code).
for c in calls:
    if c.get("caller") != "p11t-async-client":
        problems.append(f"#{c['seq']} {c['function']}: caller {c.get('caller')!r} ({c.get('caller_address')})")
# Outside the jobs: no job, no wait ctx.
for c in outside:
    if c.get("wait_ctx") is not None: problems.append(f"#{c['seq']} {c['function']}: wait ctx {c['wait_ctx']} outside a job")
if sum(1 for c in outside if c["function"] == "C_GetSessionInfo") != 2:
    problems.append("expected the two C_GetSessionInfo calls outside any job")
if any(c["function"] in ("C_SignInit", "C_Sign") for c in outside):
    problems.append("a C_SignInit/C_Sign without a job")
# In the jobs: exactly the four steps, in the client's order; job A is the first job seen.
got = [(c["function"], c["job"], c["wait_ctx"]) for c in in_job]
if [g[0] for g in got] != [s[1] for s in steps]:
    problems.append(f"job calls {[g[0] for g in got]} vs client steps {[s[1] for s in steps]}")
else:
    jobs = {}
    for (fn, job, wait), (name, _) in zip(got, steps):
        jobs.setdefault(name, set()).add((job, wait))
    if any(len(v) != 1 for v in jobs.values()):
        problems.append(f"a job's calls carry different job/wait numbers: {jobs}")
    elif len(jobs) != 2 or jobs["A"] == jobs["B"]:
        problems.append(f"the two jobs are not told apart: {jobs}")
    else:
        (ja, wa), = jobs["A"]; (jb, wb), = jobs["B"]
        if (ja, jb) != (1, 2): problems.append(f"jobs numbered {ja}, {jb}; expected 1, 2 in order of appearance")
        if wa == wb or None in (wa, wb): problems.append(f"wait contexts {wa}, {wb} not distinct")
expected_rv = {"separate": ["CKR_OK"] * 4,
               "shared": ["CKR_OK", "CKR_OPERATION_ACTIVE", "CKR_OK", "CKR_OPERATION_NOT_INITIALIZED"]}[mode]
if [c["rv_name"] for c in in_job] != expected_rv:
    problems.append(f"job calls returned {[c['rv_name'] for c in in_job]}, expected {expected_rv}")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
)"; then pass "$tn"; else fail "$tn" "$out"; fi
done

# The text format shows the same compactly on the call's line.
tn="async jobs in the text format"
if [ -f "$T/separate.bin" ] && $TMO "$P11T" decode "$T/separate.bin" >"$T/separate.txt" 2>&1 \
    && grep -Eq '^#[0-9]+ .* C_SignInit = CKR_OK job #1 wait #1 from p11t-async-client$' "$T/separate.txt" \
    && grep -Eq '^#[0-9]+ .* C_Sign = CKR_OK job #2 wait #2 from p11t-async-client$' "$T/separate.txt" \
    && grep -Eq '^#[0-9]+ .* C_GetSessionInfo = CKR_OK from p11t-async-client$' "$T/separate.txt"; then pass "$tn"
else fail "$tn" "$(grep '^#' "$T/separate.txt" 2>/dev/null | head -20)"; fi

# Without libcrypto in the process, calls carry no job and the records stay as small as before.
tn="no libcrypto: no job fields, caller still recorded"
rm -f "$T/nolib.bin"*
run_to "$T/nolib" "$P11T" record -o "$T/nolib.bin" -- "$CONFORM" "$MOCK" --scenario v2
if [ "$(cat "$T/nolib.rc")" = 0 ] && $TMO "$P11T" decode "$T/nolib.bin" --format jsonl >"$T/nolib.jsonl" 2>&1 \
    && python3 -c '
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert len(calls) > 50, len(calls)
assert all(c["job"] is None and c["wait_ctx"] is None for c in calls), "job without libcrypto"
assert all(c["caller"] == "p11t-conformance" for c in calls), {c["caller"] for c in calls}
' "$T/nolib.jsonl" 2>"$T/nolib.py"; then pass "$tn"
else fail "$tn" "$(cat "$T/nolib.err" "$T/nolib.py" 2>/dev/null | head -c 800)"; fi

# check: two jobs on one session with interleaved operations is the async form of two threads
# sharing a session; each job on its own session is not.
tn="check: session.concurrent-jobs on the shared session, not on separate ones"
if [ -f "$T/shared.bin" ] && [ -f "$T/separate.bin" ]; then
    $TMO "$P11T" check "$T/shared.bin" --format json >"$T/shared.check" 2>&1; src=$?
    $TMO "$P11T" check "$T/separate.bin" --format json >"$T/separate.check" 2>&1; sep=$?
    if out="$(python3 - "$T/shared.check" "$T/separate.check" "$T/shared.jsonl" <<'PY'
import json, sys
shared, separate = (json.load(open(p)) for p in sys.argv[1:3])
calls = {c["seq"]: c for c in (json.loads(l) for l in open(sys.argv[3]) if l.strip())}
def findings(report, rule):
    return [f for r in report["rules"] if r["id"] == rule for f in r["findings"]]
problems = []
found = findings(shared, "session.concurrent-jobs")
if len(found) != 1:
    problems.append(f"shared: {len(found)} session.concurrent-jobs findings: {found}")
else:
    first, second = (calls[s] for s in found[0]["seq"])
    # Job 1's C_SignInit opened the operation; job 2's C_SignInit used the session meanwhile.
    if (first["function"], first["job"], second["function"], second["job"]) != ("C_SignInit", 1, "C_SignInit", 2):
        problems.append(f"shared: finding on {first['function']} job {first['job']} / {second['function']} job {second['job']}")
if findings(separate, "session.concurrent-jobs"):
    problems.append(f"separate: {findings(separate, 'session.concurrent-jobs')}")
errors = [r["id"] for r in separate["rules"] if r["severity"] == "error" and r["findings"]]
if errors: problems.append(f"separate sessions: errors {errors}")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
)" && [ $src -ne 0 ] && [ $sep -eq 0 ]; then pass "$tn"; else fail "$tn" "exit $src/$sep; $out $(head -c 300 "$T/shared.check")"; fi
else fail "$tn" "no traces"; fi
