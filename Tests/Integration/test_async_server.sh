# A real `openssl s_server -async` (SSL_MODE_ASYNC: handshakes run in OpenSSL ASYNC jobs) with
# the pkcs11 engine and its RSA key on SoftHSM, under `p11trace record`, handshaked by several
# `openssl s_client` runs. Every C_Sign must carry a job and a wait context, each handshake its
# own, and name the engine's library (pkcs11.so, which holds libp11) as the caller; the calls
# made outside the handshakes (engine start-up, login) carry no job.
T="$PWD"
HANDSHAKES=4
softhsm_token "$T" srv 1234 5678
pkcs11-tool --module "$SOFTHSM" --keypairgen --key-type rsa:2048 --id 01 --label k --login --pin 1234 >/dev/null 2>&1
KEY='pkcs11:id=%01;type=private;pin-value=1234'
if [ -z "$PKCS11_ENGINE" ] || [ ! -f "$PKCS11_ENGINE" ]; then
    fail "openssl s_server -async (setup)" "pkcs11 engine not found (dpkg -L libengine-pkcs11-openssl)"
else
openssl_engine_cnf "$T/engine.cnf" "$SOFTHSM"
OPENSSL_CONF="$T/engine.cnf" $TMO openssl req -new -x509 -engine pkcs11 -keyform engine -key "$KEY" \
    -subj /CN=localhost -days 1 -out "$T/cert.pem" >"$T/req.out" 2>&1
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# -www answers one HTTP request per connection (and does not read stdin); -naccept ends the server.
OPENSSL_CONF="$T/engine.cnf" $TMO "$P11T" record -o "$T/srv.bin" -- openssl s_server -accept "127.0.0.1:$port" \
    -engine pkcs11 -keyform engine -key "$KEY" -cert "$T/cert.pem" -async -www -naccept $HANDSHAKES \
    >"$T/srv.out" 2>"$T/srv.err" &
server=$!
ok=0
for i in $(seq $HANDSHAKES); do
    for try in $(seq 50); do  # until the server listens
        if printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 openssl s_client -connect "127.0.0.1:$port" -servername localhost \
            -CAfile "$T/cert.pem" -quiet >"$T/client$i.out" 2>&1 && grep -q '^HTTP/1.0 200' "$T/client$i.out"; then
            ok=$((ok + 1)); break
        fi
        grep -q 'Connection refused\|connect:errno' "$T/client$i.out" || break
        sleep 0.2
    done
done
wait $server; src=$?
tn="openssl s_server -async: $HANDSHAKES handshakes through the engine"
if [ $ok -ne $HANDSHAKES ] || [ $src -ne 0 ]; then
    fail "$tn" "handshakes ok: $ok; server exit $src: $(head -c 600 "$T/srv.err"); client: $(head -c 600 "$T/client$HANDSHAKES.out")"
else
    pass "$tn"
    tn="openssl s_server -async: every C_Sign in its handshake's job, called by the engine"
    if ! $TMO "$P11T" decode "$T/srv.bin" --format jsonl >"$T/srv.jsonl" 2>"$T/srv.derr"; then
        fail "$tn" "decode failed: $(head -c 400 "$T/srv.derr")"
    elif out="$(python3 - "$T/srv.jsonl" "$HANDSHAKES" "$PKCS11_ENGINE" <<'PY'
import json, os, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
handshakes, engine = int(sys.argv[2]), os.path.realpath(sys.argv[3])
problems = []
signs = [c for c in calls if c["function"] == "C_Sign"]
if len(signs) != handshakes:
    problems.append(f"{len(signs)} C_Sign calls for {handshakes} handshakes")
for c in signs:
    if c["job"] is None or c["wait_ctx"] is None:
        problems.append(f"#{c['seq']} C_Sign without a job or wait ctx: job={c['job']} wait_ctx={c['wait_ctx']}")
    if c["rv_name"] != "CKR_OK":
        problems.append(f"#{c['seq']} C_Sign returned {c['rv_name']}")
# One handshake, one connection: a job (and a wait ctx) of its own.
jobs = {c["job"] for c in signs}
waits = {c["wait_ctx"] for c in signs}
if len(jobs) != handshakes or len(waits) != handshakes:
    problems.append(f"jobs {sorted(jobs, key=str)} and wait ctxs {sorted(waits, key=str)} for {handshakes} handshakes")
# Every PKCS#11 call of the server comes from the engine (libp11 is built into it).
for c in calls:
    if c["caller"] != os.path.basename(engine) or os.path.realpath(c["caller_path"] or "") != engine:
        problems.append(f"#{c['seq']} {c['function']}: caller {c['caller']} ({c['caller_path']}), expected {engine}")
        break
# Start-up (C_Initialize, C_Login...) runs outside any job.
early = [c for c in calls if c["function"] in ("C_Initialize", "C_OpenSession", "C_Login")]
if not early or any(c["job"] is not None for c in early):
    problems.append(f"start-up calls: {[(c['function'], c['job']) for c in early]}")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
)"; then pass "$tn"; else fail "$tn" "$out"; fi
    tn="openssl s_server -async: check finds no session misuse between the handshakes' jobs"
    if $TMO "$P11T" check "$T/srv.bin" --format json >"$T/srv.check" 2>&1 \
        && python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
bad = [r["id"] for r in report["rules"] if r["findings"] and (r["severity"] == "error" or r["id"].startswith("session."))]
sys.exit(1 if bad else 0)
' "$T/srv.check"; then pass "$tn"; else fail "$tn" "$(head -c 800 "$T/srv.check")"; fi
    # The views: a lane (timeline, chrome export) and a row (stats) per job and per caller.
    tn="openssl s_server -async: timeline, stats and export (chrome, html) by job and by caller"
    $TMO "$P11T" timeline "$T/srv.bin" --by job --width 100 --color never >"$T/tl.job" 2>&1
    $TMO "$P11T" timeline "$T/srv.bin" --by caller --width 100 --color never >"$T/tl.caller" 2>&1
    $TMO "$P11T" stats "$T/srv.bin" --format json >"$T/stats.json" 2>&1
    $TMO "$P11T" export "$T/srv.bin" --format chrome --by job -o "$T/chrome.job.json" >"$T/export.err" 2>&1
    $TMO "$P11T" export "$T/srv.bin" --format html --by job -o "$T/report.job.html" >>"$T/export.err" 2>&1
    $TMO chromium --headless=new --no-sandbox --disable-gpu --user-data-dir="$T/chromium" \
        --virtual-time-budget=5000 --dump-dom "file://$T/report.job.html" >"$T/report.job.dom" 2>/dev/null
    if out="$(python3 - "$T" "$HANDSHAKES" "$(basename "$PKCS11_ENGINE")" <<'PY'
import json, re, sys
d, handshakes, engine = sys.argv[1], int(sys.argv[2]), sys.argv[3]
problems = []
calls = [json.loads(l) for l in open(f"{d}/srv.jsonl") if l.strip()]
jobs = sorted({c["job"] for c in calls if c["job"] is not None})
lanes = [l.split("|")[0].strip() for l in open(f"{d}/tl.job") if "|" in l]
want = ["(no job)"] + [f"job #{j}" for j in jobs]
if sorted(lanes) != sorted(want): problems.append(f"timeline --by job lanes {lanes}, expected {want}")
lanes = [l.split("|")[0].strip() for l in open(f"{d}/tl.caller") if "|" in l]
if lanes != [engine]: problems.append(f"timeline --by caller lanes {lanes}")
stats = json.load(open(f"{d}/stats.json"))
per_job = {row["job"]: row["calls"] for row in stats["jobs"]}
expected = {f"#{j}": sum(1 for c in calls if c["job"] == j) for j in jobs}
if per_job != expected or len(per_job) != handshakes: problems.append(f"stats jobs {per_job}, expected {expected}")
if [(r["caller"], r["calls"]) for r in stats["callers"]] != [(engine, len(calls))]:
    problems.append(f"stats callers {stats['callers']}")
chrome = json.load(open(f"{d}/chrome.job.json"))["traceEvents"]
names = {e["tid"]: e["args"]["name"] for e in chrome if e.get("name") == "thread_name"}
for e in chrome:
    if e.get("ph") == "X" and e["name"] == "C_Sign":
        lane = names.get(e["tid"])
        if lane != f"job #{e['args'].get('job')}": problems.append(f"chrome: C_Sign #{e['args']['seq']} in lane {lane!r}")
if len({e["tid"] for e in chrome if e.get("ph") == "X" and e["name"] == "C_Sign"}) != handshakes:
    problems.append("chrome: the C_Sign calls do not have a lane per job")
# The HTML report, drawn by Chromium: a lane per job, every call a bar.
dom = open(f"{d}/report.job.dom").read()
labels = re.findall(r'<text class="lane-label"[^>]*>([^<]*)</text>', dom)
if sorted(labels) != sorted(want): problems.append(f"html --by job lanes {labels}, expected {want}")
if len(re.findall(r'<rect class="bar', dom)) != len(calls): problems.append("html: not one bar per call")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
)"; then pass "$tn"; else fail "$tn" "$out $(head -c 300 "$T/export.err")"; fi
fi
fi
