# `p11trace check`. Part A: traces of real clients (pkcs11-tool, p11tool, openssl's pkcs11
# engine) on SoftHSM2 give no error finding, and every other finding is asserted and explained.
# Part B: the conformance client commits each violation against the mock and every rule fires
# on the calls that prove it (seq numbers looked up in the jsonl decode of the same trace).
T="$PWD"

# check_json BIN: BIN.check.json, BIN.check.rc and BIN.jsonl (decode)
check_json() {
    $TMO "$P11T" check "$1" --format json >"$1.check.json" 2>"$1.check.err"; echo $? >"$1.check.rc"
    $TMO "$P11T" decode "$1" --format jsonl >"$1.jsonl" 2>/dev/null
}
# expect NAME BIN SPEC: SPEC is a python expression over `rules` (id -> list of seq lists),
# `seq(fn, n)` (seq of the n-th call of fn, from 1; negative from the end), `errors` and `rc`.
expect() {
    local out
    if out="$(python3 - "$2" "$3" <<'PY' 2>&1
import json, sys
bin_, spec = sys.argv[1], sys.argv[2]
report = json.load(open(bin_ + ".check.json"))
rules = {r["id"]: [f["seq"] for f in r["findings"]] for r in report["rules"]}
severity = {r["id"]: r["severity"] for r in report["rules"]}
errors, rc = report["errors"], int(open(bin_ + ".check.rc").read())
calls = [json.loads(l) for l in open(bin_ + ".jsonl") if l.strip()]
def seq(fn, n=1):
    s = [c["seq"] for c in calls if c["function"] == fn]
    return s[n - 1] if n > 0 else s[n]
def only(*ids):  # exactly these rules fired
    return sorted(rules) == sorted(ids)
ok = eval("(" + spec + ")")
if not ok:
    print("spec failed:", spec)
    print(json.dumps(report, indent=1)[:3000])
sys.exit(0 if ok else 1)
PY
)"; then pass "$1"; else fail "$1" "$out"; fi
}

# ---- Part A: real clients ----
softhsm_token "$T" p11t 1234 5678
pkcs11-tool --module "$SOFTHSM" --keypairgen --key-type rsa:2048 --id 01 --label k --login --pin 1234 >/dev/null 2>&1
head -c 100 /dev/urandom >"$T/data"
pkcs11-tool --module "$SOFTHSM" --sign --id 01 -m RSA-PKCS --login --pin 1234 -i "$T/data" -o "$T/sig" >/dev/null 2>&1
snapshot "$T"
cmds=(
    "L|-L"
    "O|-O --login --pin 1234"
    "keypairgen|--keypairgen --key-type EC:prime256v1 --id 02 --label e --login --pin 1234"
    "sign|--sign --id 01 -m RSA-PKCS --login --pin 1234 -i $T/data -o $T/sig.new"
    "verify|--verify --id 01 -m RSA-PKCS --login --pin 1234 -i $T/data --signature-file $T/sig"
)
for entry in "${cmds[@]}"; do
    n="${entry%%|*}"; args="${entry#*|}"
    restore "$T"
    run_to "$T/$n" "$P11T" record -o "$T/$n.bin" -- pkcs11-tool --module "$SOFTHSM" $args
    check_json "$T/$n.bin"
done
# pkcs11-tool initialises, closes its session (which logs out) and finalises in every flow:
# -L, --sign and --verify give no finding at all.
expect "check pkcs11-tool -L" "$T/L.bin" 'rc == 0 and only()'
expect "check pkcs11-tool --sign" "$T/sign.bin" 'rc == 0 and only()'
expect "check pkcs11-tool --verify" "$T/verify.bin" 'rc == 0 and only()'
# -O lists objects with C_FindObjects(ulMaxObjectCount = 1) in a loop (its find_object()),
# and reads some attributes twice (once to print the object type, once in the
# type-specific printer): advice, both real.
expect "check pkcs11-tool -O (advice only)" "$T/O.bin" \
    'rc == 0 and errors == 0 and only("advice.find-one-at-a-time", "advice.repeated-get-attribute")
     and all(c["function"] == "C_FindObjects" for c in calls if c["seq"] in rules["advice.find-one-at-a-time"][0])'
# --keypairgen prints both new keys, reading their attributes twice (real advice).
expect "check pkcs11-tool --keypairgen (advice only)" "$T/keypairgen.bin" \
    'rc == 0 and errors == 0 and only("advice.repeated-get-attribute")'

restore "$T"
run_to "$T/p11tool" "$P11T" record -o "$T/p11tool.bin" -- p11tool --provider "$SOFTHSM" --list-all
check_json "$T/p11tool.bin"
# p11tool (GnuTLS) opens a session per token lookup and per object it prints, and fetches the
# same attributes again for each part of its listing: advice only, both real.
expect "check p11tool --list-all (advice only)" "$T/p11tool.bin" \
    'rc == 0 and errors == 0 and set(rules) <= {"advice.session-per-operation", "advice.repeated-get-attribute"}
     and "advice.session-per-operation" in rules'

if [ -n "$PKCS11_ENGINE" ] && [ -f "$PKCS11_ENGINE" ]; then
    restore "$T"
    openssl_engine_cnf "$T/engine.cnf" "$SOFTHSM"
    run_to "$T/ossl" env OPENSSL_CONF="$T/engine.cnf" "$P11T" record -o "$T/ossl.bin" -- openssl req -new -x509 \
        -engine pkcs11 -keyform engine -key 'pkcs11:id=%01;type=private;pin-value=1234' -subj /CN=p11trace -days 1 -out "$T/ossl.pem"
    check_json "$T/ossl.bin"
    # The engine (libp11) keeps its module, session and login until the process exits and
    # never calls C_Finalize, C_CloseSession or C_Logout: three real warnings, on the
    # C_Initialize, the C_OpenSession and the C_Login. Its object search fetches one handle
    # per C_FindObjects (advice).
    expect "check openssl req -engine pkcs11 (warnings explained)" "$T/ossl.bin" \
        'rc == 0 and errors == 0
         and rules.get("lifecycle.no-finalize") == [[seq("C_Initialize")]]
         and rules.get("hygiene.session-not-closed") == [[seq("C_OpenSession")]]
         and rules.get("hygiene.login-unbalanced") == [[seq("C_Login")]]
         and set(rules) <= {"lifecycle.no-finalize", "hygiene.session-not-closed", "hygiene.login-unbalanced", "advice.find-one-at-a-time"}'
else
    fail "check openssl req -engine pkcs11 (setup)" "pkcs11 engine not found (dpkg -L libengine-pkcs11-openssl)"
fi

# ---- Part B: the mock commits each violation ----
P11T_MOCK_DELAY_NS="C_GenerateRandom=200000000,C_GetSlotInfo=300000000" \
    run_to "$T/app" "$P11T" record -o "$T/app.bin" -- "$CONFORM" "$MOCK" --scenario violations --pin 1234
check_json "$T/app.bin"
A="$T/app.bin"
expect "check violations: exit status 1" "$A" 'rc == 1 and errors > 0'
expect "check lifecycle.not-initialized" "$A" 'rules["lifecycle.not-initialized"] == [[seq("C_GetInfo")]]'
expect "check lifecycle.already-initialized" "$A" 'rules["lifecycle.already-initialized"] == [[seq("C_Initialize", 1), seq("C_Initialize", 2)]]'
expect "check lifecycle.finalize-concurrent" "$A" 'rules["lifecycle.finalize-concurrent"] == [[seq("C_Finalize"), seq("C_GetSlotInfo")]]'
expect "check lifecycle.no-finalize" "$A" 'rules["lifecycle.no-finalize"] == [[seq("C_Initialize", 3)]]'
expect "check session.concurrent" "$A" 'rules["session.concurrent"] == [[seq("C_GenerateRandom"), seq("C_GetSessionInfo", 6)]]'
expect "check session.use-after-close" "$A" \
    'rules["session.use-after-close"] == [[seq("C_CloseAllSessions"), seq("C_GetSessionInfo", 1)], [seq("C_CloseSession", 3), seq("C_GetSessionInfo", 5)]]'
expect "check object.use-after-destroy" "$A" 'rules["object.use-after-destroy"] == [[seq("C_DestroyObject"), seq("C_GetAttributeValue", -1)]]'
expect "check operation.not-initialized" "$A" 'rules["operation.not-initialized"] == [[seq("C_DigestUpdate")]]'
expect "check operation.already-active" "$A" 'rules["operation.already-active"] == [[seq("C_DigestInit", 1), seq("C_DigestInit", 2)]]'
expect "check operation.find-not-finalized" "$A" 'rules["operation.find-not-finalized"] == [[seq("C_FindObjectsInit", -1)]]'
expect "check buffer.repeated-length-query" "$A" 'rules["buffer.repeated-length-query"] == [[seq("C_Digest", 1), seq("C_Digest", 2)]]'
expect "check buffer.smaller-than-reported" "$A" 'rules["buffer.smaller-than-reported"] == [[seq("C_Digest", 2), seq("C_Digest", 3)]]'
# The session of the first C_OpenSession is still open at the first C_Finalize.
expect "check hygiene.session-not-closed" "$A" 'rules["hygiene.session-not-closed"] == [[seq("C_OpenSession", 1)], [seq("C_OpenSession", 6)], [seq("C_OpenSession", 7)]]'
# Its session object ("left") is reported; the one created in the session C_CloseAllSessions
# closes ("implicit") went with it, and the destroyed one ("doomed") is gone.
expect "check hygiene.session-object-not-destroyed" "$A" \
    'rules["hygiene.session-object-not-destroyed"] == [[seq("C_CreateObject", 1), seq("C_Finalize", 1)]] and seq("C_CreateObject", -1) > seq("C_CloseAllSessions")'
expect "check hygiene.login-unbalanced" "$A" 'rules["hygiene.login-unbalanced"] == [[seq("C_Login", 3)]]'
expect "check advice.session-per-operation" "$A" \
    'rules["advice.session-per-operation"] == [[seq("C_OpenSession", 3), seq("C_CloseSession", 1), seq("C_OpenSession", 4), seq("C_CloseSession", 2), seq("C_OpenSession", 5), seq("C_CloseSession", 3)]]'
expect "check advice.find-one-at-a-time" "$A" 'rules["advice.find-one-at-a-time"] == [[seq("C_FindObjects", 1), seq("C_FindObjects", 2), seq("C_FindObjects", 3)]]'
# p11t_conf_show_attr is a length query then a fetch: two repeated queries.
expect "check advice.repeated-get-attribute" "$A" 'rules["advice.repeated-get-attribute"] == [[seq("C_GetAttributeValue", 1), seq("C_GetAttributeValue", 3)], [seq("C_GetAttributeValue", 2), seq("C_GetAttributeValue", 4)]]'
expect "check advice.login-per-operation" "$A" 'rules["advice.login-per-operation"] == [[seq("C_Login", 1), seq("C_Login", 2), seq("C_Login", 3)]]'
# Nothing else: the application side breaks no module rule.
expect "check violations: no module-side finding" "$A" \
    'not any(i in rules for i in ("returns.not-allowed", "returns.priority", "lifecycle.wait-after-finalize", "lifecycle.finalize-reserved", "buffer.too-small-without-length", "buffer.ok-beyond-capacity", "lifecycle.double-initialize"))'

# returns.priority: the same application, with a module that answers C_GetInfo before
# C_Initialize with CKR_ARGUMENTS_BAD and C_GetSessionInfo on the session C_CloseAllSessions
# closed with CKR_SESSION_CLOSED (both codes the functions may return, in the wrong place).
P11T_MOCK_DELAY_NS="C_GenerateRandom=200000000,C_GetSlotInfo=300000000" \
P11T_MOCK_FAULTS="C_GetInfo@1=CKR_ARGUMENTS_BAD,C_GetSessionInfo@1=CKR_SESSION_CLOSED" \
    run_to "$T/prio" "$P11T" record -o "$T/prio.bin" -- "$CONFORM" "$MOCK" --scenario violations --pin 1234
check_json "$T/prio.bin"
expect "check returns.priority" "$T/prio.bin" \
    'rules.get("returns.priority") == [[seq("C_GetInfo")], [seq("C_CloseAllSessions"), seq("C_GetSessionInfo", 1)]]
     and "returns.not-allowed" not in rules'

P11T_MOCK_FAULTS="C_Initialize@2=CKR_OK,C_GetSessionInfo=CKR_PIN_INCORRECT" \
P11T_MOCK_VIOLATE=too-small-no-length,ok-beyond-capacity,finalize-reserved-ok,wait-after-finalize \
    run_to "$T/mod" "$P11T" record -o "$T/mod.bin" -- "$CONFORM" "$MOCK" --scenario violations-module
check_json "$T/mod.bin"
M="$T/mod.bin"
expect "check violations-module: exit status 1" "$M" 'rc == 1'
expect "check lifecycle.double-initialize" "$M" 'rules["lifecycle.double-initialize"] == [[seq("C_Initialize", 1), seq("C_Initialize", 2)]]'
expect "check returns.not-allowed" "$M" 'rules["returns.not-allowed"] == [[seq("C_GetSessionInfo")]]'
expect "check buffer.too-small-without-length" "$M" 'rules["buffer.too-small-without-length"] == [[seq("C_Digest", 1)]]'
expect "check buffer.ok-beyond-capacity" "$M" 'rules["buffer.ok-beyond-capacity"] == [[seq("C_Digest", 2)]]'
expect "check lifecycle.finalize-reserved" "$M" 'rules["lifecycle.finalize-reserved"] == [[seq("C_Finalize")]]'
# A second thread blocked in C_WaitForSlotEvent across the C_Finalize got CKR_OK.
expect "check lifecycle.wait-after-finalize" "$M" 'rules["lifecycle.wait-after-finalize"] == [[seq("C_Finalize"), seq("C_WaitForSlotEvent")]]'
expect "check violations-module: only those" "$M" \
    'only("lifecycle.double-initialize", "returns.not-allowed", "buffer.too-small-without-length", "buffer.ok-beyond-capacity", "lifecycle.finalize-reserved", "lifecycle.wait-after-finalize")'
# The same flow on the well-behaved mock: nothing at all.
run_to "$T/good" "$P11T" record -o "$T/good.bin" -- "$CONFORM" "$MOCK" --scenario violations-module
check_json "$T/good.bin"
# (the second C_Initialize is answered CKR_CRYPTOKI_ALREADY_INITIALIZED: a warning only; the
# blocked C_WaitForSlotEvent returns CKR_CRYPTOKI_NOT_INITIALIZED after the C_Finalize)
expect "check violations-module on a correct mock: no error" "$T/good.bin" \
    'rc == 0 and only("lifecycle.already-initialized")
     and [c["rv_name"] for c in calls if c["function"] == "C_WaitForSlotEvent"] == ["CKR_CRYPTOKI_NOT_INITIALIZED"]
     and [c for c in calls if c["function"] == "C_WaitForSlotEvent"][0]["seq"] < seq("C_Finalize", -1)'
