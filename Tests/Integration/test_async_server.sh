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
fi
fi
