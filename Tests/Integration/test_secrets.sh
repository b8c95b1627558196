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

# Secret attribute values by the attribute policy: private key components, a private key's
# CKA_VALUE, a 3.2 CKA_SEED. The mock's objects carry recognisable bytes (p11tSECRET-*); a
# certificate's CKA_VALUE (p11tPUBLIC-cert!) is public and must be kept, which proves the
# search finds values that are there.
for cap in default data secrets; do
    tn="secret attribute values (--capture $cap)"
    rm -f "$T/attr.$cap.bin"*
    run_to "$T/attr.$cap" "$P11T" record -o "$T/attr.$cap.bin" --capture "$cap" -- "$CONFORM" "$MOCK" --scenario secrets
    bad=""
    [ "$(cat "$T/attr.$cap.rc")" = 0 ] || bad+="client exit $(cat "$T/attr.$cap.rc")"$'\n'
    [ "$(grep -c 'C_CreateObject rv=CKR_OK' "$T/attr.$cap.out")" = 4 ] || bad+="the client did not create its 4 objects: $(grep CreateObject "$T/attr.$cap.out" | tr '\n' ';')"$'\n'
    $TMO "$P11T" decode "$T/attr.$cap.bin" >"$T/attr.$cap.txt" 2>&1 || bad+="decode failed"$'\n'
    $TMO "$P11T" decode "$T/attr.$cap.bin" --format jsonl >"$T/attr.$cap.jsonl" 2>&1 || bad+="decode jsonl failed"$'\n'
    secrets="$(cat "$T/attr.$cap.bin" "$T/attr.$cap.txt" "$T/attr.$cap.jsonl" | grep -a -o 'p11tSECRET-[a-z0-9!]*' | sort -u | tr '\n' ' ')"
    hexsecret="$(printf 'p11tSECRET-' | od -An -tx1 | tr -d ' \n')"
    grep -q "$hexsecret" "$T/attr.$cap.txt" "$T/attr.$cap.jsonl" && secrets+=" (hex)"
    public="$(grep -a -c -i 'p11tPUBLIC-cert!\|703131745055424c49432d6365727421' "$T/attr.$cap.txt")"
    [ "$public" -ge 1 ] || bad+="the certificate's public CKA_VALUE is missing from the decoded text (the search would be vacuous)"$'\n'
    if [ "$cap" = secrets ]; then
        for tag in privd prim1 prim2 exp1 exp2 coeff ecval seed; do
            grep -q "p11tSECRET-$tag" <<<"$secrets" || bad+="with --capture secrets, p11tSECRET-$tag is missing"$'\n'
        done
    elif [ -n "$secrets" ]; then
        bad+="secret values in the trace: $secrets"$'\n'
    fi
    if [ -z "$bad" ]; then pass "$tn"; else fail "$tn" "$bad"; fi
done
