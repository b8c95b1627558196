# Managed mode (docs/managed.md): two libraries share SoftHSM in one process (two copies of
# libp11t-managed-caller.so, each taking the module's table from its own code). Each
# initialises the module and opens sessions from 3 threads at once; then A closes all its
# sessions and finalises while B's threads keep signing. Bare, and traced without managed
# mode, A pulls the module out from under B (or SoftHSM crashes in the concurrent
# C_Initialize); with P11TRACE_MANAGED=yes / record --managed every operation succeeds and the
# trace shows both callers' tables and what managed mode did on their behalf.
T="$PWD"
CLIENT="$P11TRACE_BIN/p11t-managed-client"
mkdir -p "$T/a" "$T/b"
# Real copies: the dynamic linker loads one file only once, whatever its name.
cp "$P11TRACE_BIN/libp11t-managed-caller.so" "$T/a/libcallerA.so"
cp "$P11TRACE_BIN/libp11t-managed-caller.so" "$T/b/libcallerB.so"
softhsm_token "$T/hsm" managed 1234 5678
pkcs11-tool --module "$SOFTHSM" --keypairgen --key-type rsa:2048 --id 01 --label k --login --pin 1234 >/dev/null 2>&1
snapshot "$T/hsm"
export SWIFT_BACKTRACE=enable=no  # the fixtures are built by SwiftPM: keep crash reports short

# run NAME MODULE [ENV...]: the scenario with 3 threads per caller
run() {
    local name="$1" module="$2"; shift 2
    restore "$T/hsm"
    run_to "$T/$name" env "$@" "$CLIENT" "$T/a/libcallerA.so" "$T/b/libcallerB.so" "$module" 1234 3
}

run bare "$SOFTHSM"
if [ "$(cat "$T/bare.rc")" != 0 ]; then
    pass "managed: without it, A's C_CloseAllSessions/C_Finalize break B (bare SoftHSM: exit $(cat "$T/bare.rc"))"
else
    fail "managed: the bare scenario should fail" "$(cat "$T/bare.out")"
fi

run unmanaged "$LIBP" P11TRACE_MODULE="$SOFTHSM" P11TRACE_OUTPUT="$T/unmanaged.bin"
if [ "$(cat "$T/unmanaged.rc")" != 0 ]; then
    pass "managed: traced without managed mode, the sharing fails as bare (exit $(cat "$T/unmanaged.rc"))"
else
    fail "managed: traced without managed mode should fail like bare" "$(cat "$T/unmanaged.out")"
fi

# check_managed NAME LOG: the run succeeded and the trace shows what managed mode did
check_managed() {
    local name="$1" log="$2" tn="managed: $1"
    if [ "$(cat "$T/$name.rc")" != 0 ]; then
        fail "$tn" "exit $(cat "$T/$name.rc"): $(head -c 1500 "$T/$name.out" "$T/$name.err")"; return
    fi
    if ! $TMO "$P11T" decode "$log" --format jsonl >"$T/$name.jsonl" 2>"$T/$name.decode-err"; then
        fail "$tn" "decode failed: $(head -c 500 "$T/$name.decode-err")"; return
    fi
    python3 - "$T/$name.jsonl" >"$T/$name.verdict" <<'PY'
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def mod(c): return c["module"]
problems = []
a = [c for c in calls if mod(c).endswith("@callerA")]
b = [c for c in calls if mod(c).endswith("@callerB")]
if not a or not b: problems.append("calls of both callers' tables expected, modules: %s" % sorted({mod(c) for c in calls}))
inits = [c for c in calls if c["function"] == "C_Initialize"]
real = [c for c in inits if "managed_absorbed" not in c["flags"]]
if len(inits) != 6 or len(real) != 1 or real[0]["rv_name"] != "CKR_OK":
    problems.append("6 C_Initialize, exactly one reaching the module: %s" % [(mod(c), c["rv_name"], c["flags"]) for c in inits])
ok_absorbed = [c for c in inits if c["rv_name"] == "CKR_OK" and "managed_absorbed" in c["flags"]]
if len(ok_absorbed) != 1:
    problems.append("the second caller's first C_Initialize is counted (absorbed, CKR_OK): %s" % [(mod(c), c["rv_name"], c["flags"]) for c in inits])
closeall = [c for c in calls if c["function"] == "C_CloseAllSessions"]
behalf = [c for c in calls if c["function"] == "C_CloseSession" and "managed_on_behalf" in c["flags"]]
if len(closeall) != 1 or not mod(closeall[0]).endswith("@callerA") or "managed_absorbed" not in closeall[0]["flags"]:
    problems.append("A's C_CloseAllSessions answered by managed mode: %s" % closeall)
if len(behalf) != 3 or any(not mod(c).endswith("@callerA") or c["rv_name"] != "CKR_OK" or "nested" not in c["flags"] for c in behalf):
    problems.append("exactly A's 3 sessions closed on its behalf: %s" % [(mod(c), c["rv_name"], c["flags"]) for c in behalf])
fins = [c for c in calls if c["function"] == "C_Finalize"]
if [(mod(c).split("@")[-1], "managed_absorbed" in c["flags"]) for c in fins] != [("callerA", True), ("callerB", False)]:
    problems.append("A's C_Finalize absorbed, B's reaches the module: %s" % [(mod(c), c["flags"]) for c in fins])
signs = [c for c in b if c["function"] == "C_Sign"]
late = [c for c in signs if fins and c["start_ns"] > fins[0]["start_ns"]]
if len(late) < 15 or any(c["rv_name"] != "CKR_OK" for c in signs):
    problems.append("B signs after A finalised (>= 15, all CKR_OK): %d late, rvs %s" % (len(late), sorted({c["rv_name"] for c in signs})))
print("; ".join(problems) if problems else "ok")
PY
    if [ "$(cat "$T/$name.verdict")" = ok ]; then pass "$tn"; else fail "$tn" "$(cat "$T/$name.verdict")"; fi
}

run config "$LIBP" P11TRACE_MANAGED=yes P11TRACE_MODULE="$SOFTHSM" P11TRACE_OUTPUT="$T/config.bin"
check_managed config "$T/config.bin"

# record --managed: the preload way in (the callers load SoftHSM themselves).
restore "$T/hsm"
run_to "$T/record" "$P11T" record --managed -o "$T/record.bin" -- \
    "$CLIENT" "$T/a/libcallerA.so" "$T/b/libcallerB.so" "$SOFTHSM" 1234 3
check_managed record "$T/record.bin"

# check names the unmanaged sharing and suggests managed mode (P11T_SERIAL: nothing runs
# concurrently with C_Initialize or C_Finalize, so SoftHSM survives and the failure is the
# sharing itself).
run serial "$LIBP" P11T_SERIAL=1 P11TRACE_MODULE="$SOFTHSM" P11TRACE_OUTPUT="$T/serial.bin"
"$P11T" check "$T/serial.bin" --format json >"$T/serial.check.json" 2>"$T/serial.check.err"
"$P11T" check "$T/config.bin" --format json >"$T/config.check.json" 2>/dev/null
verdict="$(python3 - "$T/serial.check.json" "$T/config.check.json" "$T/serial.rc" <<'PY'
import json, sys
def sharing(path):
    rules = {r["id"]: r for r in json.load(open(path))["rules"]}
    return rules.get("sharing.unmanaged", {}).get("findings", [])
unmanaged, managed = sharing(sys.argv[1]), sharing(sys.argv[2])
rc = open(sys.argv[3]).read().strip()
if rc != "1": print("the serial unmanaged run should fail on B's operations (exit 1), got", rc)
elif not unmanaged: print("no sharing.unmanaged finding on the unmanaged trace")
elif not any("C_CloseAllSessions" in f["message"] and "record --managed" in f["message"] and len(f["seq"]) == 4 for f in unmanaged):
    print("the finding should name the C_CloseAllSessions, the broken call and managed mode:", unmanaged)
elif not any("from libcallerA.so" in f["message"] and "from libcallerB.so" in f["message"] for f in unmanaged):
    print("the finding should name both calling libraries:", unmanaged)
elif managed: print("a managed trace must not report unmanaged sharing:", managed)
else: print("ok")
PY
)"
if [ "$verdict" = ok ]; then
    pass "managed: check reports unmanaged sharing by both calling libraries (and not in the managed trace)"
else
    fail "managed: check reports unmanaged sharing" "$verdict $(head -c 300 "$T/serial.check.err")"
fi

# Off by default: without P11TRACE_MANAGED the tables are shared and nothing is flagged.
"$P11T" decode "$T/unmanaged.bin" --format jsonl >"$T/unmanaged.jsonl" 2>/dev/null
if ! grep -q '"C_GetFunctionList"' "$T/unmanaged.jsonl"; then
    fail "managed: off by default" "the unmanaged trace has no calls: $(head -c 300 "$T/unmanaged.jsonl")"
elif grep -q '@caller\|managed_' "$T/unmanaged.jsonl"; then
    fail "managed: off by default" "an unmanaged trace shows managed tables or flags"
else
    pass "managed: off by default (one shared table, no managed flags)"
fi
