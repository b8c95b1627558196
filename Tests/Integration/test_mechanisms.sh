# Mechanism parameters decoded field by field (spec/mechanisms.json): the conformance client's
# "mechanisms" scenario passes one parameter of every structure to the mock, which accepts
# them without reading them (P11T_MOCK_ACCEPT_MECHANISMS=1); the decoded trace must hold
# exactly the values the client passed (Tests/Fixtures/Conformance/scen_mechanisms.c).
T="$PWD"
# trace NAME CAPTURE: records the scenario, decodes it to NAME.jsonl
trace() {
    rm -f "$T/$1".*
    run_to "$T/$1" env P11T_MOCK_ACCEPT_MECHANISMS=1 "$P11T" record --capture "$2" -o "$T/$1.bin" -- \
        "$CONFORM" "$MOCK" --scenario mechanisms
    $TMO "$P11T" decode "$T/$1.bin" --format jsonl >"$T/$1.jsonl" 2>"$T/$1.decode-err"
}
if [ ! -x "$CONFORM" ] || [ ! -f "$MOCK" ]; then fail "mechanism parameters" "fixtures not built"; else
trace data data
trace default default
for case in pss oaep cbc ctr gcm ccm ecdh1 ecmqv hkdf hkdf-expand gcm-message ccm-message chacha-message default-aad; do
    out="$(python3 - "$case" "$T/data.jsonl" "$T/default.jsonl" <<'PY'
import json, sys
case, data, default = sys.argv[1], sys.argv[2], sys.argv[3]
def calls(path):
    return [json.loads(l) for l in open(path) if l.strip()]
def pat(start, n):
    return "".join("%02x" % ((start + i) & 0xff) for i in range(n))
def hexof(s):
    return s.encode().hex()
def mech(path, name):
    for c in calls(path):
        m = c["args"].get("pMechanism")
        if isinstance(m, dict) and m.get("type", {}).get("name") == name and c["rv_name"] == "CKR_OK":
            return m
    sys.exit("no call with mechanism %s" % name)
def message(path, structure):
    for c in calls(path):
        p = c["args"].get("pParameter")
        if isinstance(p, dict) and p.get("structure") == structure:
            return p["fields"]
    sys.exit("no message call with %s" % structure)
def fields(path, name, structure):
    p = mech(path, name).get("parameter")
    if not p or p.get("structure") != structure:
        sys.exit("%s: parameter %r, expected %s" % (name, p, structure))
    return p["fields"]
def named(v):
    return v["name"] if isinstance(v, dict) and "name" in v else v
def buf(v):
    return v.get("hex") if v.get("pointer") else None
def expect(got, want):
    if got != want:
        sys.exit("%s: got %r, want %r" % (case, got, want))
if case == "pss":
    f = fields(data, "CKM_SHA256_RSA_PKCS_PSS", "CK_RSA_PKCS_PSS_PARAMS")
    expect((named(f["hashAlg"]), named(f["mgf"]), f["sLen"]), ("CKM_SHA256", "CKG_MGF1_SHA256", 32))
elif case == "oaep":
    f = fields(data, "CKM_RSA_PKCS_OAEP", "CK_RSA_PKCS_OAEP_PARAMS")
    expect((named(f["hashAlg"]), named(f["mgf"]), named(f["source"]), buf(f["pSourceData"]), f["pSourceData"]["length"]),
           ("CKM_SHA384", "CKG_MGF1_SHA384", "CKZ_DATA_SPECIFIED", hexof("oaep label"), 10))
elif case == "cbc":
    m = mech(data, "CKM_AES_CBC_PAD")
    expect((m["parameter_length"], m.get("parameter_hex")), (16, pat(0x10, 16)))
elif case == "ctr":
    f = fields(data, "CKM_AES_CTR", "CK_AES_CTR_PARAMS")
    expect((f["ulCounterBits"], buf(f["cb"])), (64, pat(0x20, 16)))
elif case == "gcm":
    f = fields(data, "CKM_AES_GCM", "CK_GCM_PARAMS")
    expect((buf(f["pIv"]), f["ulIvBits"], buf(f["pAAD"]), f["pAAD"]["length"], f["ulTagBits"]),
           (pat(0x30, 12), 96, pat(0x40, 20), 20, 128))
elif case == "ccm":
    f = fields(data, "CKM_AES_CCM", "CK_CCM_PARAMS")
    expect((f["ulDataLen"], buf(f["pNonce"]), buf(f["pAAD"]), f["ulMACLen"]), (1000, pat(0x50, 13), pat(0x40, 8), 16))
elif case == "ecdh1":
    f = fields(data, "CKM_ECDH1_DERIVE", "CK_ECDH1_DERIVE_PARAMS")
    expect((named(f["kdf"]), buf(f["pSharedData"]), buf(f["pPublicData"])), ("CKD_SHA256_KDF", pat(0x60, 8), pat(0x04, 65)))
elif case == "ecmqv":
    f = fields(data, "CKM_ECMQV_DERIVE", "CK_ECMQV_DERIVE_PARAMS")
    expect((named(f["kdf"]), f["pSharedData"]["pointer"], buf(f["pPublicData"]), f["ulPrivateDataLen"], f["hPrivateData"],
            buf(f["pPublicData2"]), f["publicKey"]),
           ("CKD_NULL", False, pat(0x04, 65), 32, 0x55, pat(0x80, 65), 0x66))
elif case == "hkdf":
    f = fields(data, "CKM_HKDF_DERIVE", "CK_HKDF_PARAMS")
    expect((f["bExtract"], f["bExpand"], named(f["prfHashMechanism"]), named(f["ulSaltType"]), buf(f["pSalt"]),
            buf(f["pInfo"])), (True, True, "CKM_SHA256", "CKF_HKDF_SALT_DATA", hexof("hkdf salt"), hexof("hkdf info")))
elif case == "hkdf-expand":
    # bExtract false and a wild pSalt: recorded as unreadable, never followed blindly.
    f = fields(data, "CKM_HKDF_DATA", "CK_HKDF_PARAMS")
    expect((f["bExtract"], named(f["ulSaltType"]), f["pSalt"].get("unreadable"), f["pSalt"]["length"], buf(f["pInfo"])),
           (False, "CKF_HKDF_SALT_NULL", True, 4096, hexof("hkdf")))
elif case == "gcm-message":
    f = message(data, "CK_GCM_MESSAGE_PARAMS")
    expect((buf(f["pIv"]), f["ulIvFixedBits"], named(f["ivGenerator"]), buf(f["pTag"]), f["ulTagBits"]),
           (pat(0x90, 12), 32, "CKG_GENERATE_COUNTER", pat(0xB0, 16), 128))
elif case == "ccm-message":
    f = message(data, "CK_CCM_MESSAGE_PARAMS")
    expect((f["ulDataLen"], buf(f["pNonce"]), f["ulNonceFixedBits"], named(f["nonceGenerator"]), buf(f["pMAC"])),
           (16, pat(0xC0, 12), 0, "CKG_NO_GENERATE", pat(0xD0, 12)))
elif case == "chacha-message":
    f = message(data, "CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS")
    expect((buf(f["pNonce"]), buf(f["pTag"])), (pat(0xC0, 12), pat(0xB0, 16)))
elif case == "default-aad":
    # Default capture: public fields kept, data-class fields (AAD, tags) as lengths only.
    f = fields(default, "CKM_AES_GCM", "CK_GCM_PARAMS")
    expect((buf(f["pIv"]), f["pAAD"]["length"], "hex" in f["pAAD"]), (pat(0x30, 12), 20, False))
    f = message(default, "CK_GCM_MESSAGE_PARAMS")
    expect((buf(f["pIv"]), f["pTag"]["length"], "hex" in f["pTag"]), (pat(0x90, 12), 16, False))
PY
)" && pass "mechanism parameter $case" || fail "mechanism parameter $case" "$out
$(head -c 400 "$T/data.err"; head -c 400 "$T/data.decode-err")"
done
# The text form names the values too.
$TMO "$P11T" decode "$T/data.bin" >"$T/data.txt" 2>&1
check "mechanism parameters in text" grep -q \
    'pMechanism = CKM_AES_GCM { pIv: 12 bytes = 303132333435363738393a3b, ulIvBits = 96, pAAD: 20 bytes = ' "$T/data.txt"
$TMO "$P11T" decode "$T/default.bin" >"$T/default.txt" 2>&1
check "AAD length only by default (text)" grep -q 'pAAD: 20 bytes (not captured), ulTagBits = 128 }' "$T/default.txt"
fi
