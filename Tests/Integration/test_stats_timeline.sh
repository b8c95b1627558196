# stats and timeline over a real pkcs11-tool run on SoftHSM: stats counts equal decode's, the
# timeline draws the C_Sign operation.
D="$WORK/stats_timeline"
softhsm_token "$D" st 1234 5678
pkcs11-tool --module "$SOFTHSM" --login --pin 1234 --keypairgen --key-type rsa:2048 --id 02 --label r >/dev/null 2>&1
echo hello >"$D/data"
run_to "$D/rec" "$P11T" record -o "$D/run.bin" -- pkcs11-tool --module "$SOFTHSM" --login --pin 1234 \
    --sign --id 02 -m SHA256-RSA-PKCS -i "$D/data" -o "$D/sig"
"$P11T" decode "$D/run.bin" --format jsonl >"$D/run.jsonl" 2>&1
"$P11T" stats "$D/run.bin" --format json >"$D/stats.json" 2>&1
if out="$(python3 - "$D/run.jsonl" "$D/stats.json" <<'PY'
import json, sys, collections
calls = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
want = collections.Counter(c["function"] for c in calls)
stats = json.load(open(sys.argv[2]))
got = {f["function"]: f["calls"] for f in stats["functions"]}
errors = sum(1 for c in calls if c.get("rv_name") != "CKR_OK")
assert stats["calls"] == len(calls), (stats["calls"], len(calls))
assert stats["errors"] == errors, (stats["errors"], errors)
assert got == dict(want), (got, want)
PY
)"; then pass "stats json counts equal decode counts"; else fail "stats json counts equal decode counts" "$out"; fi
if out="$("$P11T" timeline "$D/run.bin" --width 100 --color never 2>&1)" && grep -q 'C_Sign' <<<"$out"; then
    pass "timeline shows the C_Sign operation"
else
    fail "timeline shows the C_Sign operation" "$out"
fi
