# export: the Chrome trace-event JSON checked against the format, and the HTML report run in
# headless Chromium (lanes, bars, statistics, histograms, a tooltip, a screenshot).
# P11T_UPDATE_SCREENSHOT=1 copies the screenshot to docs/report.png (the README's picture).
T="$PWD"
softhsm_token "$T" p11t 1234 5678
pkcs11-tool --module "$SOFTHSM" --keypairgen --key-type rsa:2048 --id 01 --label k --login --pin 1234 >/dev/null 2>&1
head -c 100 /dev/urandom >"$T/data"
rm -f "$T/sign.bin"
run_to "$T/rec" "$P11T" record -o "$T/sign.bin" -- \
    pkcs11-tool --module "$SOFTHSM" --sign --id 01 -m RSA-PKCS --login --pin 1234 -i "$T/data" -o "$T/sig"
"$P11T" decode "$T/sign.bin" --format jsonl >"$T/sign.jsonl" 2>"$T/decode.err"

# validate_chrome TRACE JSONL: the trace-event format, and one X event per call of JSONL.
validate_chrome() {
    python3 - "$1" "$2" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
calls = {c["seq"]: c for c in map(json.loads, filter(str.strip, open(sys.argv[2])))}
errors = []
def need(cond, what):
    if not cond: errors.append(what)
need(isinstance(doc, dict) and isinstance(doc.get("traceEvents"), list), "traceEvents is a list")
need(doc.get("displayTimeUnit") == "ns", "displayTimeUnit is ns")
need(isinstance(doc.get("metadata"), dict), "metadata object")
events = doc["traceEvents"]
isint = lambda v: isinstance(v, int) and not isinstance(v, bool)
isnum = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
starts, flows, tids, named = {}, {}, set(), set()
for e in events:
    ph = e.get("ph")
    need(ph in ("X", "M", "s", "t", "f"), f"known phase: {e}")
    need(isint(e.get("pid")) and isint(e.get("tid")), f"int pid/tid: {e}")
    need(isinstance(e.get("name"), str), f"name: {e}")
    if ph == "X":
        need(isnum(e.get("ts")) and isnum(e.get("dur")) and e["dur"] >= 0, f"ts/dur numbers: {e}")
        need(isinstance(e.get("cat"), str), f"cat: {e}")
        a = e.get("args", {})
        c = calls.get(a.get("seq"))
        need(c is not None, f"seq of a decoded call: {e}")
        if c:
            need(a.get("rv") == c["rv_name"] and a["rv"].startswith("CKR_"), f"rv name: {e}")
            need(e["name"] == c["function"] and e["tid"] == c["tid"], f"function and tid: {e}")
            need(abs(e["ts"] * 1000 - c["time_ns"]) < 1 and abs(e["dur"] * 1000 - c["duration_ns"]) < 1, f"times: {e}")
            need(("error" in e["cat"].split(",")) == (c["rv"] != 0), f"error category: {e}")
            for k in c["args"]:
                need(a.get(k) == c["args"][k], f"argument {k} as in jsonl: {e}")
        starts.setdefault(e["tid"], set()).add(e["ts"])
        tids.add(e["tid"])
    elif ph == "M":
        need(e["name"] in ("process_name", "thread_name") and isinstance(e.get("args", {}).get("name"), str), f"metadata: {e}")
        named.add((e["name"], e["tid"] if e["name"] == "thread_name" else None))
    else:
        need(isint(e.get("id")) and isnum(e.get("ts")) and isinstance(e.get("cat"), str), f"flow fields: {e}")
        need(ph != "f" or e.get("bp") == "e", f"f binds to its enclosing slice: {e}")
        flows.setdefault(e["id"], []).append(e)
x = [e for e in events if e.get("ph") == "X"]
need(len(x) == len(calls), f"{len(x)} X events for {len(calls)} calls")
need(("process_name", None) in named, "process_name metadata")
need(all(("thread_name", t) in named for t in tids), "thread_name metadata for every thread")
for fid, fl in flows.items():
    phases = [f["ph"] for f in fl]
    need(phases.count("s") == 1 and phases.count("f") == 1 and phases[0] == "s" and phases[-1] == "f", f"flow {fid}: {phases}")
    need(len({f["name"] for f in fl}) == 1 and [f["ts"] for f in fl] == sorted(f["ts"] for f in fl), f"flow {fid} in order")
    need(all(f["ts"] in starts.get(f["tid"], ()) for f in fl), f"flow {fid} binds to calls")
if errors:
    print("\n".join(errors[:20])); sys.exit(1)
print(len(x), "calls", len(flows), "flows")
PY
}

tn="export chrome: a pkcs11-tool run is valid trace-event JSON"
run_to "$T/chrome" "$P11T" export "$T/sign.bin" --format chrome -o "$T/trace.json"
if [ "$(cat "$T/rec.rc")" = 0 ] && [ "$(cat "$T/chrome.rc")" = 0 ] && out="$(validate_chrome "$T/trace.json" "$T/sign.jsonl" 2>&1)"; then
    pass "$tn"; else fail "$tn" "record $(cat "$T/rec.rc"), export $(cat "$T/chrome.rc"): $(cat "$T/chrome.err") $out"; fi

tn="export chrome: flow arrows link SignInit to Sign and FindObjectsInit to FindObjectsFinal"
got="$(python3 - "$T/trace.json" <<'PY'
import json, sys
events = json.load(open(sys.argv[1]))["traceEvents"]
at = {(e["tid"], e["ts"]): e["name"] for e in events if e["ph"] == "X"}
flows = {}
for e in events:
    if e["ph"] in "stf": flows.setdefault(e["id"], []).append(at[(e["tid"], e["ts"])])
print(";".join(sorted("-".join(f) for f in flows.values())))
PY
)"
want="C_FindObjectsInit-C_FindObjects-C_FindObjectsFinal;C_SignInit-C_Sign"
if [ "$got" = "$want" ]; then pass "$tn"; else fail "$tn" "got $got want $want"; fi

tn="export chrome: filters and -o - (standard output)"
"$P11T" decode "$T/sign.bin" --format jsonl --functions 'C_Sign*' >"$T/f.jsonl"
run_to "$T/fo" "$P11T" export "$T/sign.bin" --format chrome --functions 'C_Sign*' -o -
if [ "$(cat "$T/fo.rc")" = 0 ] && out="$(validate_chrome "$T/fo.out" "$T/f.jsonl" 2>&1)" && [ "$(wc -l <"$T/f.jsonl")" = 2 ]; then
    pass "$tn"; else fail "$tn" "exit $(cat "$T/fo.rc"): $(cat "$T/fo.err") $out"; fi

# A trace with several threads and injected errors, from the conformance fixture.
multi=""
if [ -x "$CONFORM" ] && [ -f "$MOCK" ]; then
    rm -f "$T/threads.bin"
    LD_PRELOAD="$LIBP" P11TRACE_OUTPUT="$T/threads.bin" P11T_MOCK_FAULTS='C_Digest@5=CKR_DEVICE_ERROR,C_GetSessionInfo@9=CKR_SESSION_HANDLE_INVALID' \
        run_to "$T/threads" "$CONFORM" "$MOCK" --scenario threads --threads 4 --iterations 12
    "$P11T" decode "$T/threads.bin" --format jsonl >"$T/threads.jsonl" 2>/dev/null && multi=threads
    tn="export chrome: a trace of 4 threads with errors is valid trace-event JSON"
    run_to "$T/tc" "$P11T" export "$T/threads.bin" --format chrome -o "$T/threads.json"
    if [ "$(cat "$T/tc.rc")" = 0 ] && out="$(validate_chrome "$T/threads.json" "$T/threads.jsonl" 2>&1)"; then
        pass "$tn"; else fail "$tn" "exit $(cat "$T/tc.rc"): $(cat "$T/tc.err") $out"; fi
fi

# check_report NAME HOVER_SEQ: NAME.html (from NAME.bin) run in Chromium with #hover=SEQ,
# its DOM compared with NAME.jsonl.
check_report() {
    local n="$1" seq="$2" tn="export html ($1): Chromium draws lanes, bars, statistics, histograms and a tooltip"
    run_to "$T/$n.export" "$P11T" export "$T/$n.bin" --format html -o "$T/$n.html"
    if [ "$(cat "$T/$n.export.rc")" != 0 ]; then fail "$tn" "export: $(cat "$T/$n.export.err")"; return; fi
    if grep -Eq '(src|href)="?(https?:)?//' "$T/$n.html"; then fail "$tn" "the report loads something from the network"; return; fi
    $TMO chromium --headless=new --no-sandbox --disable-gpu --user-data-dir="$T/chromium" \
        --virtual-time-budget=5000 --dump-dom "file://$T/$n.html#hover=$seq" >"$T/$n.dom" 2>"$T/$n.chromium.err"
    local out
    if out="$(python3 - "$T/$n.dom" "$T/$n.jsonl" "$seq" <<'PY'
import json, re, sys, html
dom = open(sys.argv[1]).read()
calls = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
seq = int(sys.argv[3])
errors = []
def count(pattern): return len(re.findall(pattern, dom))
tids, functions = {c["tid"] for c in calls}, {c["function"] for c in calls}
checks = [
    ("lanes", count(r'<g class="lane"'), len(tids)),
    ("bars", count(r'<rect class="bar(?: error)?(?: hovered)?"'), len(calls)),
    ("error bars", count(r'<rect class="bar error(?: hovered)?"'), sum(c["rv"] != 0 for c in calls)),
    ("statistics rows", count(r'<tr class="stat-row"'), len(functions)),
    ("histograms", count(r'<svg class="histogram"'), len(functions)),
]
for what, got, want in checks:
    if got != want: errors.append(f"{what}: {got} in the DOM, {want} expected")
call = next(c for c in calls if c["seq"] == seq)
m = re.search(r'<div id="tooltip"([^>]*)>(.*?)</pre>', dom, re.S)
if not m or "hidden" in m.group(1):
    errors.append("no visible tooltip")
else:
    text = html.unescape(re.sub(r"<[^>]+>", " ", m.group(2)))
    title = f"#{seq} {call['function']} → {call['rv_name']}"
    if title not in text: errors.append(f"tooltip lacks {title!r}: {text[:300]!r}")
    if "hSession" in call["args"] and "hSession=" not in text: errors.append("tooltip lacks the arguments")
if errors: print("\n".join(errors)); sys.exit(1)
PY
)"; then pass "$tn"; else fail "$tn" "$out; chromium: $(grep -v -i dbus "$T/$n.chromium.err" | tail -n 5)"; fi
}

if ! command -v chromium >/dev/null; then
    fail "export html in Chromium" "chromium is not installed (scripts/install-deps installs it)"
else
    sign_seq="$(python3 -c 'import json,sys; print(next(c["seq"] for c in map(json.loads, open(sys.argv[1])) if c["function"] == "C_Sign"))' "$T/sign.jsonl")"
    check_report sign "$sign_seq"
    if [ -n "$multi" ]; then
        error_seq="$(python3 -c 'import json,sys; print(next(c["seq"] for c in map(json.loads, open(sys.argv[1])) if c["rv"] != 0))' "$T/threads.jsonl")"
        check_report threads "$error_seq"
        shot=threads
    else
        shot=sign
    fi
    tn="export html: a screenshot in Chromium"
    $TMO chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$T/chromium" \
        --virtual-time-budget=5000 --window-size=1400,900 --screenshot="$T/report.png" \
        "file://$T/$shot.html#hover=${error_seq:-$sign_seq}" >/dev/null 2>&1
    if [ -s "$T/report.png" ] && [ "$(head -c 4 "$T/report.png" | tail -c 3)" = PNG ] && [ "$(stat -c %s "$T/report.png")" -gt 20000 ]; then
        pass "$tn"
        [ "${P11T_UPDATE_SCREENSHOT:-}" = 1 ] && cp "$T/report.png" "$ROOT/docs/report.png"
    else
        fail "$tn" "no PNG written ($T/report.png)"
    fi
fi
