# OpenSSL's pkcs11 engine (libp11) signing a self-signed certificate with the token's key:
# bare, under `p11trace record`, and with the interposer as the engine's MODULE_PATH.
T="$PWD"
softhsm_token "$T" p11t 1234 5678
pkcs11-tool --module "$SOFTHSM" --keypairgen --key-type rsa:2048 --id 01 --label k --login --pin 1234 >/dev/null 2>&1
pkcs11-tool --module "$SOFTHSM" --read-object --type pubkey --id 01 -o "$T/pub.der" >/dev/null 2>&1
openssl pkey -pubin -inform DER -in "$T/pub.der" -pubout -out "$T/token-pub.pem" 2>/dev/null
snapshot "$T"
openssl_engine_cnf "$T/bare.cnf" "$SOFTHSM"
openssl_engine_cnf "$T/modcfg.cnf" "$LIBP"
openssl_engine_cnf "$T/spy.cnf" "$SPY"
req() { # MODE [prefix command...]
    local m="$1"; shift
    restore "$T"
    local cnf="$T/bare.cnf"; [ "$m" = modcfg ] && cnf="$T/modcfg.cnf"; [ "$m" = spy ] && cnf="$T/spy.cnf"
    run_to "$T/$m" env OPENSSL_CONF="$cnf" "$@" openssl req -new -x509 -engine pkcs11 -keyform engine \
        -key 'pkcs11:id=%01;type=private;pin-value=1234' -subj /CN=p11trace -days 1 -out "$T/$m.pem"
}
if [ -z "$PKCS11_ENGINE" ] || [ ! -f "$PKCS11_ENGINE" ]; then
    fail "openssl engine (setup)" "pkcs11 engine not found (dpkg -L libengine-pkcs11-openssl)"
else
    req bare
    req record "$P11T" record -o "$T/record.bin" --
    req modcfg P11TRACE_MODULE="$SOFTHSM" P11TRACE_OUTPUT="$T/modcfg.bin"
    req spy PKCS11SPY="$SOFTHSM" PKCS11SPY_OUTPUT="$T/spy.log"
    for m in bare record modcfg spy; do
        tn="openssl req -engine pkcs11 ($m)"
        if [ "$(cat "$T/$m.rc")" != 0 ]; then fail "$tn" "exit $(cat "$T/$m.rc"): $(head -c 1500 "$T/$m.err")"; continue; fi
        openssl x509 -in "$T/$m.pem" -noout -pubkey >"$T/$m.certpub" 2>&1
        if ! cmp -s "$T/$m.certpub" "$T/token-pub.pem"; then fail "$tn" "certificate key is not the token's: $(show_diff "$T/token-pub.pem" "$T/$m.certpub")"; continue; fi
        if ! out="$(openssl verify -check_ss_sig -CAfile "$T/$m.pem" "$T/$m.pem" 2>&1)"; then fail "$tn" "self-signature does not verify: $out"; continue; fi
        if [ $m = record ] || [ $m = modcfg ]; then
            if [ ! -s "$T/$m.bin" ]; then fail "$tn" "no trace: $(head -c 800 "$T/$m.err")"; continue; fi
            decode_functions "$T/$m.bin" >"$T/$m.calls"; drc=$?
            if [ $drc -ne 0 ] || ! grep -qx 'C_Sign CKR_OK' "$T/$m.calls"; then
                fail "$tn" "decode exit $drc; no 'C_Sign CKR_OK' in: $(tr '\n' ';' <"$T/$m.calls" | head -c 1500) $(head -c 400 "$T/$m.bin.decode-err")"; continue
            fi
        fi
        pass "$tn"
    done
    same_as_spy "openssl req -engine pkcs11 (same calls as pkcs11-spy)" "$T/spy.log" "$T/record.calls" "$T/modcfg.calls"
fi
