# PINs and secret key values never reach the log (raw file, decoded text, decoded jsonl) unless
# --capture secrets; the secrets run proves the search itself can find them.
T="$PWD"
PIN=918273
KEY='p11tKEY!secret#7'                          # 16 known bytes, the AES key imported
softhsm_token "$T" s "$PIN" 5678
printf '%s' "$KEY" >"$T/key.bin"
head -c 32 /dev/zero >"$T/pt"
snapshot "$T"
KEYHEX="$(printf '%s' "$KEY" | od -An -tx1 | tr -d ' \n')"
PINHEX="$(printf '%s' "$PIN" | od -An -tx1 | tr -d ' \n')"
KEYB64="$(printf '%s' "$KEY" | base64)"
# search FILE...: prints which secret forms are found (PIN, PIN hex, key raw/hex either case/base64)
search() {
    python3 - "$PIN" "$PINHEX" "$KEY" "$KEYHEX" "$KEYB64" "$@" <<'PY'
import sys
pin, pinhex, key, keyhex, keyb64 = (a.encode() for a in sys.argv[1:6])
for f in sys.argv[6:]:
    try: d = open(f, "rb").read()
    except OSError: continue
    for name, pat in (("PIN", pin), ("PIN-hex", pinhex), ("PIN-HEX", pinhex.upper()), ("key-raw", key),
                      ("key-hex", keyhex), ("key-HEX", keyhex.upper()), ("key-base64", keyb64)):
        if pat in d: print(f"{name} in {f.rsplit('/',1)[-1]}")
PY
}
for cap in default data secrets; do
    restore "$T"
    rm -f "$T/$cap.bin"* "$T/$cap".*.bin*
    run_to "$T/$cap.w" "$P11T" record -o "$T/$cap.w.bin" --capture "$cap" -- pkcs11-tool --module "$SOFTHSM" \
        --write-object "$T/key.bin" --type secrkey --key-type AES:16 --label s --id 05 --usage-decrypt --login --pin "$PIN"
    run_to "$T/$cap.e" "$P11T" record -o "$T/$cap.e.bin" --capture "$cap" -- pkcs11-tool --module "$SOFTHSM" \
        --encrypt --label s -m AES-CBC --iv 00000000000000000000000000000000 --login --pin "$PIN" -i "$T/pt" -o "$T/$cap.ct"
    tn="secrets absent/present (--capture $cap)"
    bad=""
    for s in w e; do
        f="$T/$cap.$s.bin"
        [ "$(cat "$T/$cap.$s.rc")" = 0 ] || bad+="pkcs11-tool ($s) exit $(cat "$T/$cap.$s.rc"): $(head -c 500 "$T/$cap.$s.err")"$'\n'
        [ -s "$f" ] || { bad+="no trace $f"$'\n'; continue; }
        mode="$(stat -c %a "$f")"; [ "$mode" = 600 ] || bad+="log mode is $mode, not 600 ($f)"$'\n'
        $TMO "$P11T" decode "$f" >"$f.txt" 2>"$f.txt.err" || bad+="decode (text) of $f failed: $(head -c 300 "$f.txt.err")"$'\n'
        $TMO "$P11T" decode "$f" --format jsonl >"$f.jsonl" 2>"$f.jsonl.err" || bad+="decode (jsonl) of $f failed: $(head -c 300 "$f.jsonl.err")"$'\n'
        grep -q 'C_Login' "$f.txt" || bad+="decoded text of $f has no C_Login (search would be vacuous)"$'\n'
    done
    found="$(search "$T/$cap".?.bin "$T/$cap".?.bin.txt "$T/$cap".?.bin.jsonl)"
    if [ "$cap" = secrets ]; then
        grep -Eq '^PIN(-hex|-HEX)? in .*\.(txt|jsonl)$' <<<"$found" || bad+="with --capture secrets the PIN is not in the decoded output (found: ${found:-nothing})"$'\n'
    elif [ -n "$found" ]; then
        bad+="secret material found: $(tr '\n' ';' <<<"$found")"$'\n'
        grep -q 'in .*\.bin$' <<<"$found" && bad+="raw log contexts: $(grep -a -o ".\{0,40\}$PIN.\{0,10\}" "$T/$cap".?.bin | tr -c '[:print:]\n' '.' | head -3)"$'\n'
    fi
    if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad"; fi
done
