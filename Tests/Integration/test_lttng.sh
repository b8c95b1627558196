# The LTTng backend against a real lttng-sessiond and lttng-relayd: record --lttng (and the
# session daemon it starts when none runs), one workload recorded with both backends and
# compared call for call (decode jsonl, stats, check), plain babeltrace2 output (field names,
# enum labels, no PIN), streaming to a relay daemon on loopback, and the binary backend never
# mapping liblttng-ust.
T="$PWD"
PIN=642519
softhsm_token "$T" lt "$PIN" 5678
pkcs11-tool --module "$SOFTHSM" --login --pin "$PIN" --keypairgen --key-type EC:prime256v1 --id 01 --label k >/dev/null 2>&1
printf 'p11trace lttng workload' >"$T/data"
snapshot "$T"
workload() {
    pkcs11-tool --module "$SOFTHSM" --login --pin "$PIN" --list-objects --sign --id 01 -m ECDSA -i "$T/data" -o "$T/sig"
}
# normalized FILE.jsonl: per call what must match between backends (not times, tids, addresses)
normalized() {
    python3 - "$1" <<'PY'
import json, re, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    for k in ("time_ns", "start_ns", "wall_time", "duration_ns", "tid", "caller_address"):
        o.pop(k, None)
    print(re.sub(r'"utcTime": "\d*"', '"utcTime": "-"', json.dumps(o, sort_keys=True)))
PY
}
# daemons this test started, ended at its end (never others)
STARTED=()
cleanup_daemons() { local p; for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null; done; }

# -- a session daemon: record --lttng starts one when none answers. A user of our own
# (nobody, with a private LTTNG_HOME) has none even where root's runs as a service.
tn="record --lttng starts a session daemon when none runs (as an unprivileged user)"
U="$(mktemp -d /tmp/p11t-lttng-user.XXXXXX)"; chown nobody "$U"
( cd "$U" && runuser -u nobody -- env HOME="$U" LTTNG_HOME="$U" "$P11T" record --lttng -o "$U/trace" -- \
    pkcs11-tool --module "$MOCK" -L >"$U/out" 2>"$U/err" ); urc=$?
ud="$(pgrep -u nobody -x lttng-sessiond | tr '\n' ' ')"
STARTED+=($ud)
bad=""
[ "$urc" = 0 ] || bad+="record as nobody exited $urc"$'\n'
grep -q 'started one (lttng-sessiond --daemonize)' "$U/err" || bad+="record did not say it started a daemon"$'\n'
[ -n "$ud" ] || bad+="no session daemon of nobody runs"$'\n'
"$P11T" decode "$U/trace" >"$U/decoded" 2>&1 || bad+="decode: $(head -3 "$U/decoded")"$'\n'
grep -q 'C_GetSlotList' "$U/decoded" || bad+="no C_GetSlotList in the trace"$'\n'
if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad$(cat "$U/err")"; fi
for p in $ud; do kill "$p" 2>/dev/null; done
rm -rf "$U"

restore "$T"
run_to "$T/lt" "$P11T" record --lttng -o "$T/lt.trace" -- pkcs11-tool --module "$SOFTHSM" --login --pin "$PIN" \
    --list-objects --sign --id 01 -m ECDSA -i "$T/data" -o "$T/sig"
# root's daemon, when this run had to start it
grep -q 'started one' "$T/lt.err" && STARTED+=($(pgrep -u root -x lttng-sessiond))
tn="record --lttng leaves a trace directory and says where"
if [ "$(cat "$T/lt.rc")" = 0 ] && grep -q "LTTng trace written to $T/lt.trace " "$T/lt.err" \
    && [ -n "$(find "$T/lt.trace" -name metadata)" ]; then pass "$tn"
else fail "$tn" "rc $(cat "$T/lt.rc"): $(cat "$T/lt.err"); $(find "$T/lt.trace" | head)"; fi
tn="record --lttng destroys its session and no other, and leaves the current session as it was"
# A private LTTNG_HOME for the current-session file (root's session daemon is found regardless).
mkdir -p "$T/home"
LTTNG_HOME="$T/home" lttng create p11t-test-bystander --snapshot >/dev/null 2>&1
before="$(cat "$T/home/.lttngrc" 2>&1)"
restore "$T"
run_to "$T/lt2" env LTTNG_HOME="$T/home" "$P11T" record --lttng -o "$T/lt2.trace" -- pkcs11-tool --module "$SOFTHSM" -L
sessions="$(lttng list 2>&1)"
after="$(cat "$T/home/.lttngrc" 2>&1)"
if grep -q p11t-test-bystander <<<"$sessions" && ! grep -q 'p11trace-' <<<"$sessions" \
    && grep -q 'session=p11t-test-bystander' <<<"$before" && [ "$before" = "$after" ]; then pass "$tn"
else fail "$tn" "sessions after the run: $sessions; current session file before: $before; after: $after"; fi
LTTNG_HOME="$T/home" lttng destroy p11t-test-bystander >/dev/null 2>&1

# -- the same workload with both backends
restore "$T"
run_to "$T/bin" "$P11T" record -o "$T/w.bin" -- pkcs11-tool --module "$SOFTHSM" --login --pin "$PIN" \
    --list-objects --sign --id 01 -m ECDSA -i "$T/data" -o "$T/sig"
tn="decode jsonl: both backends give the same calls (function, rv, arguments, modules, callers)"
bad=""
for src in "$T/w.bin" "$T/lt.trace"; do
    $TMO "$P11T" decode "$src" --format jsonl >"$src.jsonl" 2>"$src.err" || bad+="decode $src failed: $(head -c 300 "$src.err")"$'\n'
done
normalized "$T/w.bin.jsonl" >"$T/bin.norm"; normalized "$T/lt.trace.jsonl" >"$T/lt.norm"
n="$(wc -l <"$T/bin.norm")"
[ "$n" -ge 20 ] || bad+="only $n calls in the binary log"$'\n'
grep -q '"function": "C_Sign"' "$T/lt.norm" || bad+="no C_Sign in the LTTng trace"$'\n'
cmp -s "$T/bin.norm" "$T/lt.norm" || bad+="binary (-) vs LTTng (+): $(show_diff "$T/bin.norm" "$T/lt.norm")"$'\n'
if [ -z "$bad" ]; then pass "$tn ($n calls)"; else fail "$tn" "$bad"; fi

tn="decode text: the same calls in the same order"
# "#N +TIME DURATION tid TID MODULE FUNCTION = RV ...": number, module, function, return code
"$P11T" decode "$T/w.bin" | grep -E '^#[0-9]+ ' | awk '{print $1, $6, $7, $9}' >"$T/bin.heads"
"$P11T" decode "$T/lt.trace" | grep -E '^#[0-9]+ ' | awk '{print $1, $6, $7, $9}' >"$T/lt.heads"
if [ -s "$T/bin.heads" ] && cmp -s "$T/bin.heads" "$T/lt.heads"; then pass "$tn"
else fail "$tn" "$(show_diff "$T/bin.heads" "$T/lt.heads")"; fi

tn="stats: the same counts per function, session, module and caller"
# counts only: times differ between two runs
counts() { "$P11T" stats "$1" | awk '/^[A-Z]/ {section=$0} NF>=3 && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ && section != "Threads" {print section": "$1, $2, $3}'; }
counts "$T/w.bin" | sort >"$T/bin.stats"; counts "$T/lt.trace" | sort >"$T/lt.stats"
if grep -q 'C_Sign' "$T/bin.stats" && cmp -s "$T/bin.stats" "$T/lt.stats"; then pass "$tn"
else fail "$tn" "$(show_diff "$T/bin.stats" "$T/lt.stats")"; fi

tn="check: the same findings"
# the findings' costs are times: they differ between two runs
"$P11T" check "$T/w.bin" --format json 2>&1 | sed -E 's/"cost_ns":[0-9]+/"cost_ns":-/g' >"$T/bin.check"; rb=${PIPESTATUS[0]}
"$P11T" check "$T/lt.trace" --format json 2>&1 | sed -E 's/"cost_ns":[0-9]+/"cost_ns":-/g' >"$T/lt.check"; rl=${PIPESTATUS[0]}
if [ "$rb" = "$rl" ] && [ -s "$T/bin.check" ] && cmp -s "$T/bin.check" "$T/lt.check"; then pass "$tn"
else fail "$tn" "status $rb vs $rl; $(show_diff "$T/bin.check" "$T/lt.check")"; fi

tn="an LTTng session of the user's own, with the interposer preloaded, records the same calls"
own="p11t-test-own-$$"
restore "$T"
bad=""
lttng create "$own" --output="$T/own.trace" >"$T/own.lttng" 2>&1 \
    && lttng enable-event -u 'p11trace:*' -s "$own" >>"$T/own.lttng" 2>&1 \
    && lttng start "$own" >>"$T/own.lttng" 2>&1 || bad+="lttng: $(cat "$T/own.lttng")"$'\n'
LD_PRELOAD="$LIBP" P11TRACE_BACKEND=lttng pkcs11-tool --module "$SOFTHSM" --login --pin "$PIN" \
    --list-objects --sign --id 01 -m ECDSA -i "$T/data" -o "$T/sig" >/dev/null 2>"$T/own.err" || bad+="pkcs11-tool: $(cat "$T/own.err")"$'\n'
lttng stop "$own" >/dev/null 2>&1; lttng destroy "$own" >/dev/null 2>&1
"$P11T" decode "$T/own.trace" --format jsonl >"$T/own.jsonl" 2>"$T/own.decode.err" || bad+="decode: $(cat "$T/own.decode.err")"$'\n'
normalized "$T/own.jsonl" >"$T/own.norm" 2>/dev/null
cmp -s "$T/bin.norm" "$T/own.norm" || bad+="binary (-) vs own session (+): $(show_diff "$T/bin.norm" "$T/own.norm")"$'\n'
if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad"; fi

tn="a session started while the process runs gets its process, module and library events too"
late="p11t-test-late-$$"
# 3000 calls of 1 ms: the session below covers a few hundred of them in the middle.
P11T_MOCK_DELAY_NS=C_GetSessionInfo=1000000 P11TRACE_MODULE="$MOCK" P11TRACE_BACKEND=lttng \
    "$P11TRACE_BIN/p11t-bench" "$LIBP" --calls 3000 --warmup 0 >"$T/late.out" 2>&1 &
bp=$!
sleep 1
lttng create "$late" --output="$T/late.trace" >/dev/null 2>&1 && lttng enable-event -u 'p11trace:*' -s "$late" >/dev/null 2>&1 \
    && lttng start "$late" >/dev/null 2>&1
sleep 0.5
lttng stop "$late" >/dev/null 2>&1; lttng destroy "$late" >/dev/null 2>&1
running=no; kill -0 $bp 2>/dev/null && running=yes
wait $bp
"$P11T" decode "$T/late.trace" >"$T/late.txt" 2>&1
"$P11T" decode "$T/late.trace" --format jsonl 2>/dev/null | head -1 >"$T/late.first"
bad=""
[ $running = yes ] || bad+="the workload ended before the session did (the test proves nothing): $(cat "$T/late.out")"$'\n'
grep -q 'process:    p11t-bench' "$T/late.txt" || bad+="no process event: $(head -3 "$T/late.txt")"$'\n'
grep -q '"module":"p11trace-mock"' "$T/late.first" || bad+="module not named: $(head -c 300 "$T/late.first")"$'\n'
grep -q '"caller":"p11t-bench"' "$T/late.first" || bad+="caller not named: $(head -c 300 "$T/late.first")"$'\n'
if [ -z "$bad" ]; then pass "$tn ($(grep -c '^#' "$T/late.txt") calls)"; else fail "$tn" "$bad"; fi

tn="timeline and export read the LTTng trace"
bad=""
"$P11T" timeline "$T/lt.trace" >"$T/lt.timeline" 2>&1 || bad+="timeline: $(head -c 300 "$T/lt.timeline")"$'\n'
grep -q "^$n calls in .*1 lane" "$T/lt.timeline" || bad+="the timeline does not show the $n calls in one lane: $(head -2 "$T/lt.timeline")"$'\n'
"$P11T" export "$T/lt.trace" --format chrome -o "$T/lt.json" >"$T/lt.export.out" 2>&1 || bad+="export: $(cat "$T/lt.export.out")"$'\n'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); ev=d["traceEvents"] if isinstance(d,dict) else d; assert any("C_Sign" in json.dumps(e) for e in ev)' "$T/lt.json" 2>>"$T/lt.export.out" \
    || bad+="export has no C_Sign event: $(tail -3 "$T/lt.export.out")"$'\n'
if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad"; fi

tn="four threads: every call arrives, in the order calls began (events come in the order they ended)"
BENCH="$P11TRACE_BIN/p11t-bench"
# Calls of about 20 us (a sleep in the module): the threads' calls overlap and end in another
# order than they began, whatever else the machine is doing.
run_to "$T/mt" env P11T_MOCK_DELAY_NS=C_GetSessionInfo=20000 \
    "$P11T" record --lttng -o "$T/mt.trace" -- "$BENCH" "$MOCK" --threads 4 --calls 3000 --warmup 0
"$P11T" decode "$T/mt.trace" --format jsonl >"$T/mt.jsonl" 2>"$T/mt.err"
# The events' own order (babeltrace2 prints them in time order, i.e. as calls ended).
babeltrace2 "$T/mt.trace" | grep -o 'p11trace:call: .* start = [0-9]*' | grep -o '[0-9]*$' >"$T/mt.event-starts"
bad="$(python3 - "$T/mt.jsonl" "$T/mt.event-starts" <<'PY'
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1])]
gets = [c for c in calls if c["function"] == "C_GetSessionInfo"]
threads = {c["tid"] for c in gets}
if len(gets) != 12000: print("%d C_GetSessionInfo calls, not 12000" % len(gets))
if len(threads) != 4: print("threads: %s" % sorted(threads))
if [c["seq"] for c in calls] != list(range(1, len(calls) + 1)): print("calls not numbered 1..N")
def inversions(starts): return sum(1 for a, b in zip(starts, starts[1:]) if b < a)
ours = inversions([c["start_ns"] for c in calls])
events = inversions([int(l) for l in open(sys.argv[2])])
# Control: the threads overlapped, so the events are out of start order; ours are in it.
if events < 10: print("control: only %d inversions in the events' own order (threads did not overlap?)" % events)
if ours > 0: print("%d calls out of start order (the events' own order has %d)" % (ours, events))
PY
)"
[ "$(cat "$T/mt.rc")" = 0 ] || bad+=" record rc $(cat "$T/mt.rc"): $(tail -3 "$T/mt.err")"
if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad $(cat "$T/mt.err")"; fi

# -- plain babeltrace2
tn="babeltrace2 shows field names and enum labels"
babeltrace2 "$T/lt.trace" >"$T/lt.bt" 2>"$T/lt.bt.err"
bad=""
for want in 'p11trace:call' 'p11trace:process' 'p11trace:module' 'p11trace:library' '"C_Login"' '"C_Sign"' '"CKR_OK"' \
            'sequence = 1,' 'duration = ' 'function = ( "C_' 'rv = ( "CKR_'; do
    grep -qF -- "$want" "$T/lt.bt" || bad+="missing $want"$'\n'
done
if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad$(head -5 "$T/lt.bt") $(cat "$T/lt.bt.err")"; fi

tn="babeltrace2 output and the trace never hold the PIN (positive control: --capture secrets)"
bad=""
grep -qF "$PIN" "$T/lt.bt" && bad+="PIN in babeltrace2 output: $(grep -F "$PIN" "$T/lt.bt" | head -2)"$'\n'
grep -rqaF "$PIN" "$T/lt.trace" && bad+="PIN in the trace files"$'\n'
grep -q 'C_Login' "$T/lt.bt" || bad+="no C_Login in the trace: the search is vacuous"$'\n'
restore "$T"
run_to "$T/sec" "$P11T" record --lttng --capture secrets -o "$T/sec.trace" -- pkcs11-tool --module "$SOFTHSM" --login --pin "$PIN" -O
"$P11T" decode "$T/sec.trace" >"$T/sec.txt" 2>&1
# The event's record holds the PIN's bytes: babeltrace2 prints them as numbers; decode as text.
grep -qF "$PIN" "$T/sec.txt" || bad+="with --capture secrets the PIN is not in the decoded trace (control failed): $(grep -A2 C_Login "$T/sec.txt" | head -4)"$'\n'
if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad"; fi

# -- the binary backend never loads liblttng-ust
tn="the binary backend never maps liblttng-ust or the provider; the LTTng backend does"
# pkcs11-tool exits before its maps can be read: keep a process alive that loads the module
cat >"$T/hold.py" <<'PY'
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
fl = ctypes.c_void_p()
lib.C_GetFunctionList(ctypes.byref(fl))
print(open("/proc/self/maps").read())
PY
bad=""
P11TRACE_OUTPUT="$T/maps.bin" P11TRACE_MODULE="$SOFTHSM" python3 "$T/hold.py" "$LIBP" >"$T/maps.binary" 2>&1
P11TRACE_BACKEND=lttng P11TRACE_MODULE="$SOFTHSM" python3 "$T/hold.py" "$LIBP" >"$T/maps.lttng" 2>&1
grep -q 'libp11trace.so' "$T/maps.binary" || bad+="the interposer is not mapped (vacuous): $(head -3 "$T/maps.binary")"$'\n'
grep -qE 'liblttng-ust|libp11trace-lttng' "$T/maps.binary" && bad+="binary backend maps: $(grep -oE '/[^ ]*(lttng)[^ ]*' "$T/maps.binary" | sort -u)"$'\n'
grep -q 'liblttng-ust.so' "$T/maps.lttng" && grep -q 'libp11trace-lttng.so' "$T/maps.lttng" \
    || bad+="the LTTng backend does not map its provider (control): $(grep -c lttng "$T/maps.lttng")"$'\n'
ldd "$LIBP" | grep -qE 'lttng|babeltrace' && bad+="libp11trace.so links: $(ldd "$LIBP" | grep -E 'lttng|babeltrace')"$'\n'
if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad"; fi

tn="without its provider beside it, the LTTng backend says why and passes calls through"
mkdir -p "$T/lonely"
cp "$LIBP" "$T/lonely/libp11trace.so"
P11TRACE_MODULE="$SOFTHSM" P11TRACE_BACKEND=lttng pkcs11-tool --module "$T/lonely/libp11trace.so" -L \
    >"$T/lonely.out" 2>"$T/lonely.err"; lrc=$?
if [ $lrc = 0 ] && grep -q 'SoftHSM' "$T/lonely.out" \
    && grep -q "p11trace: LTTng backend unavailable: cannot load $T/lonely/libp11trace-lttng.so" "$T/lonely.err"; then pass "$tn"
else fail "$tn" "rc $lrc; out: $(head -3 "$T/lonely.out"); err: $(cat "$T/lonely.err")"; fi

# -- streaming to a relay daemon on loopback
tn="record --lttng-url streams to lttng-relayd on loopback; decode reads what arrived"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
CP="$(free_port)"; DP="$(free_port)"; LP="$(free_port)"
mkdir -p "$T/relay"
lttng-relayd -b -o "$T/relay" -C "tcp://127.0.0.1:$CP" -D "tcp://127.0.0.1:$DP" -L "tcp://127.0.0.1:$LP" \
    >"$T/relayd.out" 2>&1
sleep 1
rd="$(pgrep -f "lttng-relayd -b -o $T/relay" | head -1)"
[ -n "$rd" ] && STARTED+=("$rd")
restore "$T"
run_to "$T/net" "$P11T" record --lttng --lttng-url "net://127.0.0.1:$CP:$DP" -- pkcs11-tool --module "$SOFTHSM" \
    --login --pin "$PIN" --list-objects --sign --id 01 -m ECDSA -i "$T/data" -o "$T/sig"
bad=""
[ -n "$rd" ] || bad+="lttng-relayd did not start: $(cat "$T/relayd.out")"$'\n'
[ "$(cat "$T/net.rc")" = 0 ] || bad+="record rc $(cat "$T/net.rc"): $(cat "$T/net.err")"$'\n'
grep -q "events streamed to net://127.0.0.1:$CP:$DP" "$T/net.err" || bad+="record did not say where: $(cat "$T/net.err")"$'\n'
"$P11T" decode "$T/relay" --format jsonl >"$T/net.jsonl" 2>"$T/net.decode.err" || bad+="decode of the relayd output failed: $(cat "$T/net.decode.err"); $(find "$T/relay" | head)"$'\n'
normalized "$T/net.jsonl" >"$T/net.norm" 2>/dev/null
cmp -s "$T/bin.norm" "$T/net.norm" || bad+="binary (-) vs relayed (+): $(show_diff "$T/bin.norm" "$T/net.norm")"$'\n'
if [ -z "$bad" ]; then pass "$tn ($(wc -l <"$T/net.norm") calls)"; else fail "$tn" "$bad"; fi

tn="record --lttng-live: babeltrace2 attaches to the relay while the command runs and shows its calls"
bad=""
restore "$T"
# The command runs on for a while after its calls, so that the viewer attaches in time.
"$P11T" record --lttng --lttng-url "net://127.0.0.1:$CP:$DP" --lttng-live -- sh -c \
    "pkcs11-tool --module '$SOFTHSM' -L >/dev/null; sleep 4; pkcs11-tool --module '$SOFTHSM' -L >/dev/null; sleep 2" \
    >"$T/live.out" 2>"$T/live.err" &
rec=$!
session=""
for _ in $(seq 1 30); do
    sleep 0.2
    session="$(babeltrace2 --input-format=lttng-live "net://127.0.0.1:$LP" 2>/dev/null | grep -o 'net://[^ ]*/p11trace-[0-9-]*' | head -1)"
    [ -n "$session" ] && break
done
if [ -n "$session" ]; then
    timeout 30 babeltrace2 --input-format=lttng-live "$session" >"$T/live.bt" 2>"$T/live.bt.err"
else
    bad+="the live session was not listed by the relay: $(babeltrace2 --input-format=lttng-live "net://127.0.0.1:$LP" 2>&1 | head -5)"$'\n'
fi
wait $rec || bad+="record exited $?: $(cat "$T/live.err")"$'\n'
[ -n "$session" ] && { grep -q 'p11trace:call.*"C_GetSlotList"' "$T/live.bt" || bad+="the live viewer saw no C_GetSlotList: $(head -c 400 "$T/live.bt") $(head -c 300 "$T/live.bt.err")"$'\n'; }
if [ -z "$bad" ]; then pass "$tn ($(grep -c 'p11trace:call' "$T/live.bt") calls seen live)"; else fail "$tn" "$bad"; fi

cleanup_daemons
