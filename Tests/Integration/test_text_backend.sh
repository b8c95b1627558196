# The live text backend (P11TRACE_BACKEND=text|both, record --text): whole blocks even with
# many threads, the call's inputs written before the module runs, secrets kept out.
T="$PWD"
have_fixtures() { [ -x "$CONFORM" ] && [ -f "$MOCK" ]; }

# check_blocks FILE: every line is the preamble, a block header or an argument line of the block
# above it; prints problems and a summary "blocks=N finished=N started=N" on the last line.
check_blocks() {
    python3 - "$1" <<'PY'
import re, sys, collections
head = re.compile(r"^#(\d+) \+\d+\.\d{9}s (?:(\S+) )?tid (\d+) (\S+) (C_\w+)(?: = (\S+))?( \[nested\])?( \[truncated\])?( \[in progress\])?$")
# Argument names per function, in order (the scenarios' hot functions).
params = {"C_GetSessionInfo": ["hSession", "pInfo"], "C_DigestInit": ["hSession", "pMechanism"],
          "C_Digest": ["hSession", "pData", "pDigest"], "C_Sign": ["hSession", "pData", "pSignature"],
          "C_Login": ["hSession", "userType", "pPin"], "C_CloseSession": ["hSession"]}
outputs = {"pInfo", "pDigest", "pSignature"}
blocks, problems = [], []
for n, line in enumerate(open(sys.argv[1], errors="replace"), 1):
    line = line.rstrip("\n")
    m = head.match(line)
    if m:
        blocks.append({"n": int(m[1]), "tid": m[3], "fn": m[5], "rv": m[6], "started": bool(m[9]),
                       "done": m[2] is not None, "args": [], "line": n})
    elif line.startswith("p11trace ") and "live text of pid" in line:
        continue
    elif line.startswith("  ") and blocks:
        if not line.startswith("    "):
            name = re.match(r"^  (?:\[out\] )?\*?(\w+)", line)
            blocks[-1]["args"].append(name[1] if name else line)
    else:
        problems.append(f"line {n}: neither a header nor an argument: {line[:100]}")
started = {(b["n"]): b for b in blocks if b["started"]}
finished = [b for b in blocks if not b["started"]]
seen = collections.Counter(b["n"] for b in finished)
for b in blocks:
    if b["started"] == b["done"] or b["started"] == (b["rv"] is not None):
        problems.append(f"line {b['line']}: header mixes in-progress and finished forms")
    want = params.get(b["fn"])
    if want is not None:
        if b["started"]: want = [p for p in want if p not in outputs]
        if b["args"] != want: problems.append(f"line {b['line']}: #{b['n']} {b['fn']} has arguments {b['args']}, want {want}")
for b in finished:
    s = started.get(b["n"])
    if s is not None and (s["fn"], s["tid"]) != (b["fn"], b["tid"]):
        problems.append(f"#{b['n']}: inputs block is {s['fn']} tid {s['tid']}, finished block {b['fn']} tid {b['tid']}")
problems += [f"#{n}: {c} finished blocks" for n, c in seen.items() if c != 1]
for p in problems[:20]: print(p)
count = collections.Counter(b["fn"] for b in finished if b["rv"] == "CKR_OK")
print("blocks=%d finished=%d started=%d unmatched_started=%d GetSessionInfo_ok=%d problems=%d" % (
    len(blocks), len(finished), len(started), len(set(started) - set(seen)), count["C_GetSessionInfo"], len(problems)))
PY
}

# (1) pkcs11-tool on SoftHSM, text and binary at once: the text's finished blocks are the
# decoded log's calls, in order; the PIN is nowhere.
PIN=918273
softhsm_token "$T" t "$PIN" 5678
tn="text backend pkcs11-tool (SoftHSM)"
rm -f "$T/p11.txt" "$T/p11.bin"
run_to "$T/p11" "$P11T" record --text --text-output "$T/p11.txt" -o "$T/p11.bin" -- \
    pkcs11-tool --module "$SOFTHSM" -O --login --pin "$PIN"
bad=""
[ "$(cat "$T/p11.rc")" = 0 ] || bad+="exit $(cat "$T/p11.rc"): $(head -c 400 "$T/p11.err")"$'\n'
[ -s "$T/p11.txt" ] || bad+="no text output"$'\n'
[ "$(stat -c %a "$T/p11.txt" 2>/dev/null)" = 600 ] || bad+="text output mode is not 600"$'\n'
if [ -z "$bad" ]; then
    sum="$(check_blocks "$T/p11.txt")"
    grep -q ' problems=0$' <<<"$sum" || bad+="$sum"$'\n'
    grep -Eq '^#[0-9]+ .* C_Login \[in progress\]$' "$T/p11.txt" || bad+="no C_Login inputs block"$'\n'
    grep -Eq '^#[0-9]+ .* C_Login = CKR_OK$' "$T/p11.txt" || bad+="no finished C_Login block"$'\n'
    decode_functions "$T/p11.bin" >"$T/p11.calls" || bad+="decode failed: $(head -c 300 "$T/p11.bin.decode-err")"$'\n'
    sed -nE 's/^#[0-9]+ \+[0-9.]+s [^ ]+ tid [0-9]+ [^ ]+ (C_[A-Za-z]+) = ([A-Z_0-9x]+).*$/\1 \2/p' "$T/p11.txt" >"$T/p11.text-calls"
    cmp -s "$T/p11.calls" "$T/p11.text-calls" || bad+="text vs log: $(show_diff "$T/p11.calls" "$T/p11.text-calls")"$'\n'
    PINHEX="$(printf '%s' "$PIN" | od -An -tx1 | tr -d ' \n')"
    grep -q -e "$PIN" -e "$PINHEX" -e "${PINHEX^^}" "$T/p11.txt" && bad+="the PIN is in the text output"$'\n'
fi
if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad"; fi

# (2) 8 threads to one file: every block whole, the numbers paired, all 4000 C_GetSessionInfo.
tn="text backend 8 threads: whole blocks"
if ! have_fixtures; then fail "$tn" "fixtures not built"; else
    rm -f "$T/thr.txt"
    LD_PRELOAD="$LIBP" P11TRACE_BACKEND=text P11TRACE_TEXT_OUTPUT="$T/thr.txt" \
        run_to "$T/thr" "$CONFORM" "$MOCK" --scenario threads --threads 8 --iterations 500
    sum="$(check_blocks "$T/thr.txt")"
    if [ "$(cat "$T/thr.rc")" != 0 ]; then fail "$tn" "client exit $(cat "$T/thr.rc"): $(head -c 400 "$T/thr.err")"
    elif ! grep -q 'unmatched_started=0 GetSessionInfo_ok=4000 problems=0$' <<<"$sum"; then fail "$tn" "$sum"
    elif [ "$(grep -c 'live text of pid' "$T/thr.txt")" != 1 ]; then fail "$tn" "preamble count != 1"
    else pass "$tn"; fi
    # Each thread uses its own session: a block showing another thread's session is torn.
    tn="text backend 8 threads: sessions per thread"
    msg="$(python3 - "$T/thr.txt" <<'PY'
import re, sys, collections
tid, sessions = None, collections.defaultdict(set)
for line in open(sys.argv[1]):
    m = re.match(r"^#\d+ .*tid (\d+) \S+ C_(GetSessionInfo|Digest)\b", line)
    if m: tid = m[1]; continue
    if line.startswith("#"): tid = None; continue
    m = re.match(r"^  hSession = (\S+)$", line)
    if m and tid: sessions[tid].add(m[1])
bad = {t: s for t, s in sessions.items() if len(s) != 1}
if len(sessions) != 8 or bad: print(f"threads {len(sessions)}, threads with several sessions: {bad}")
PY
)"
    if [ -z "$msg" ]; then pass "$tn"; else fail "$tn" "$msg"; fi
fi

# (3) kill -9 while the module is inside C_Sign (5 s delay): C_Sign's inputs are written.
tn="text backend inputs survive kill -9 inside the module"
if ! have_fixtures; then fail "$tn" "fixtures not built"; else
    rm -f "$T/kill.txt"
    P11T_MOCK_DELAY_NS=C_Sign=5000000000 LD_PRELOAD="$LIBP" P11TRACE_BACKEND=text P11TRACE_TEXT_OUTPUT="$T/kill.txt" \
        "$CONFORM" "$MOCK" --scenario v2 >"$T/kill.out" 2>"$T/kill.err" &
    pid=$!
    for _ in $(seq 100); do grep -q 'C_Sign \[in progress\]' "$T/kill.txt" 2>/dev/null && break; sleep 0.1; done
    kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
    block="$(sed -n '/ C_Sign \[in progress\]$/,$p' "$T/kill.txt")"
    if ! grep -q 'C_Sign \[in progress\]' <<<"$block"; then fail "$tn" "no C_Sign inputs block: $(tail -n 5 "$T/kill.txt")"
    elif [ "$(sed -n 2,3p <<<"$block" | sed -E 's/ =.*//')" != "$(printf '  hSession\n  pData')" ]; then fail "$tn" "block: $block"
    elif grep -q 'C_Sign = ' "$T/kill.txt"; then fail "$tn" "C_Sign finished although killed inside it"
    else pass "$tn"; fi
fi

# (4) stderr is the default destination; --no-text-inputs leaves only finished blocks.
tn="text backend to stderr, --no-text-inputs"
if ! have_fixtures; then fail "$tn" "fixtures not built"; else
    ( cd "$T" && rm -f p11trace.bin && run_to "$T/se" "$P11T" record --text --no-text-inputs -- "$CONFORM" "$MOCK" --scenario v2 )
    sum="$(check_blocks "$T/se.err")"
    ok_calls="$(grep -c '^C_' "$T/se.out")"
    bad=""
    [ "$(cat "$T/se.rc")" = 0 ] || bad+="exit $(cat "$T/se.rc")"$'\n'
    grep -q 'in progress' "$T/se.err" && bad+="inputs blocks written despite --no-text-inputs"$'\n'
    grep -Eq "^blocks=$ok_calls finished=$ok_calls started=0 .*problems=0$" <<<"$sum" || bad+="client made $ok_calls calls; $sum"$'\n'
    [ -e "$T/p11trace.bin" ] && bad+="a binary log was written with --text alone"$'\n'
    if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad"; fi
fi
