# Helpers for the integration tests; sourced by run-all (and by each test_*.sh through it).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ -z "${P11TRACE_BIN:-}" ]; then
    P11TRACE_BIN="$(cd "$ROOT" && scripts/build debug)" || {
        echo "WARNING: scripts/build debug failed; testing whatever is in .build/debug" >&2
        P11TRACE_BIN="$ROOT/.build/debug"; }
fi
P11TRACE_BIN="$(cd "$P11TRACE_BIN" && pwd)"
P11T="$P11TRACE_BIN/p11trace"
[ -e "$P11T" ] || P11T="$P11TRACE_BIN/p11trace-cli"
LIBP="$P11TRACE_BIN/libp11trace.so"
MOCK="$P11TRACE_BIN/libp11trace-mock.so"
MOCK2="$P11TRACE_BIN/libp11trace-mock-v2.so"
CONFORM="$P11TRACE_BIN/p11t-conformance"
SOFTHSM=/usr/lib/softhsm/libsofthsm2.so
SPY="$(dpkg -L opensc 2>/dev/null | grep -m1 '/pkcs11-spy\.so$' || true)"
[ -n "$SPY" ] || SPY=/usr/lib/x86_64-linux-gnu/pkcs11-spy.so
PKCS11_ENGINE="$(dpkg -L libengine-pkcs11-openssl 2>/dev/null | grep -m1 '/pkcs11\.so$' || true)"
TMO="timeout 60"
export P11T LIBP MOCK MOCK2 CONFORM SOFTHSM SPY PKCS11_ENGINE

WORK="$(mktemp -d /tmp/p11t-it.XXXXXX)"
RESULTS="$WORK/results"
: >"$RESULTS"
trap 'rm -rf "$WORK"' EXIT
# Never let the caller's settings leak into bare runs.
unset P11TRACE_OUTPUT P11TRACE_MODULE P11TRACE_CAPTURE P11TRACE_FUNCTIONS P11TRACE_BACKEND LD_PRELOAD

pass() { echo "PASS  $1" >>"$RESULTS"; echo "PASS  $1"; }
fail() { echo "FAIL  $1" >>"$RESULTS"; echo "FAIL  $1"; printf '%s\n' "$2" | sed 's/^/      | /' | head -n 60; }
# check NAME CMD...: pass when CMD succeeds, else fail with CMD's output
check() { local n="$1"; shift; local out; if out="$("$@" 2>&1)"; then pass "$n"; else fail "$n" "$out"; fi; }

# softhsm_token DIR LABEL PIN SOPIN: fresh token in DIR (SOFTHSM2_CONF exported)
softhsm_token() {
    local dir="$1" label="${2:-p11t}" pin="${3:-1234}" so="${4:-5678}"
    mkdir -p "$dir/tokens"
    printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' "$dir" >"$dir/softhsm2.conf"
    export SOFTHSM2_CONF="$dir/softhsm2.conf"
    softhsm2-util --init-token --free --label "$label" --pin "$pin" --so-pin "$so" >/dev/null
}
snapshot() { rm -rf "$1/tokens.snap"; cp -a "$1/tokens" "$1/tokens.snap"; }
restore()  { rm -rf "$1/tokens"; cp -a "$1/tokens.snap" "$1/tokens"; }

# run_to PREFIX CMD...: PREFIX.out PREFIX.err PREFIX.rc
run_to() { local p="$1"; shift; $TMO "$@" >"$p.out" 2>"$p.err"; echo $? >"$p.rc"; }

# decode_functions FILE: "function rv_name" per call (exit status of decode is kept)
decode_functions() {
    local f="$1" rc
    $TMO "$P11T" decode "$f" --format jsonl >"$f.jsonl" 2>"$f.decode-err"; rc=$?
    python3 -c '
import json, sys
bad = 0
for line in open(sys.argv[1], errors="replace"):
    line = line.strip()
    if not line: continue
    try: o = json.loads(line)
    except Exception as e: print("UNPARSABLE_JSON", line[:80]); bad = 1; continue
    print(o.get("function"), o.get("rv_name"))
sys.exit(3 if bad else 0)
' "$f.jsonl" || { [ $rc -ne 0 ] || rc=3; }
    return $rc
}
# drop_loader: drop entry points a loader calls before any real PKCS#11 call
drop_loader() { grep -Ev '^(C_GetFunctionList|C_GetInterface|C_GetInterfaceList) ' || true; }
# difference DESCRIPTION A B: prints a unified diff
show_diff() { diff -u "$1" "$2" | head -n 40; }

# spy_calls LOG: "function rv_name" per call from a pkcs11-spy log, loader entry points dropped
spy_calls() {
    grep -E '^[0-9]+: C_|^Returned:' "$1" 2>/dev/null | python3 -c '
import sys, re
fn = None
for l in sys.stdin:
    m = re.match(r"^\d+: (C_\w+)", l)
    if m: fn = m.group(1); continue
    m = re.match(r"^Returned:\s+\S+\s+(\S+)", l)
    if m and fn: print(fn, m.group(1)); fn = None
' | drop_loader
}
# same_as_spy NAME SPYLOG CALLS...: pass when every CALLS file (from decode_functions) lists the
# spy's calls, loader entry points dropped from both (see test_pkcs11_tool.sh)
same_as_spy() {
    local n="$1" spy="$2"; shift 2
    spy_calls "$spy" >"$spy.calls"
    if [ ! -s "$spy.calls" ]; then fail "$n" "spy log empty or unparsable ($spy)"; return; fi
    local c
    for c in "$@"; do
        drop_loader <"$c" >"$c.noloader"
        if ! cmp -s "$spy.calls" "$c.noloader"; then fail "$n" "spy (-) vs p11trace (+) $c: $(show_diff "$spy.calls" "$c.noloader")"; return; fi
    done
    pass "$n"
}

# openssl_engine_cnf FILE MODULE: an OpenSSL config loading the pkcs11 engine with MODULE
openssl_engine_cnf() {
    cat >"$1" <<CNF
openssl_conf = openssl_init
[openssl_init]
engines = engine_section
[engine_section]
pkcs11 = pkcs11_section
[pkcs11_section]
engine_id = pkcs11
dynamic_path = $PKCS11_ENGINE
MODULE_PATH = $2
init = 0
[req]
distinguished_name = dn
[dn]
CNF
}
