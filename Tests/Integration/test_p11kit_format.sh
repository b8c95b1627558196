# `decode --format p11-kit` against p11-kit's own `log-calls: yes`: SoftHSM is loaded through
# p11-kit with a module file whose `module:` is libp11trace.so, real clients run, and p11-kit's
# stderr is compared line by line with our rendering of the same calls. Pointer values are
# normalised on both sides, and exactly the differences listed in docs/p11-kit-format.md (each
# rule below names its row); nothing else.
# The module files go in /etc/pkcs11/modules (softhsm2.module there overrides the system one of
# the same name; opensc and p11-kit-trust are disabled so only our module loads) and are removed
# by a trap: left behind they would change every other p11-kit user.
T="$PWD"
tn="decode --format p11-kit matches p11-kit log-calls"
dir=/etc/pkcs11/modules
created_etc=""; created_dir=""
[ -d /etc/pkcs11 ] || created_etc=yes
[ -d "$dir" ] || created_dir=yes
installed=()
p11kit_cleanup() {
    local f
    for f in "${installed[@]}"; do rm -f "$f"; done
    [ -n "$created_dir" ] && rmdir "$dir" 2>/dev/null
    [ -n "$created_etc" ] && rmdir /etc/pkcs11 2>/dev/null
    return 0
}
# (sourced in run-all's subshell: this trap runs when the subshell ends)
trap p11kit_cleanup EXIT

install_module_file() { # NAME CONTENT
    local f="$dir/$1"
    if [ -e "$f" ]; then echo "$f exists already; not overwriting it"; return 1; fi
    printf '%s\n' "$2" >"$f" 2>/dev/null || { echo "cannot write $f (the test needs root)"; return 1; }
    installed+=("$f")
}

# p11-kit's lines only (clients print their own messages on stderr too).
p11kit_lines() { grep -aE '^(C_[A-Za-z]+( = .*)?|  IN: .*| OUT: .*|'$'\t''.*|      \})$' "$1" || true; }

if ! { mkdir -p "$dir" 2>/dev/null &&
       install_module_file softhsm2.module "module: $LIBP"$'\n'"log-calls: yes" &&
       install_module_file opensc-pkcs11.module "module: opensc-pkcs11.so"$'\n'"enable-in: nothing-at-all" &&
       install_module_file p11-kit-trust.module "module: p11-kit-trust.so"$'\n'"enable-in: nothing-at-all"; } >"$T/setup.err" 2>&1
then
    fail "$tn" "cannot install the p11-kit module files in $dir: $(cat "$T/setup.err")"
else
    softhsm_token "$T/hsm" p11t 1234 5678
    PROXY=/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so
    $TMO pkcs11-tool --module "$SOFTHSM" --login --pin 1234 --keypairgen --key-type rsa:2048 --label rsa --id 01 >/dev/null 2>&1
    $TMO pkcs11-tool --module "$SOFTHSM" --login --pin 1234 --keypairgen --key-type EC:prime256v1 --label ec --id ab >/dev/null 2>&1
    printf 'data to sign\n' >"$T/data"
    export P11TRACE_MODULE="$SOFTHSM" P11TRACE_CAPTURE=data
    P11TRACE_OUTPUT="$T/objects.bin" run_to "$T/objects" pkcs11-tool --module "$PROXY" -O --login --pin 1234
    P11TRACE_OUTPUT="$T/sign.bin" run_to "$T/sign" pkcs11-tool --module "$PROXY" --login --pin 1234 \
        --sign --id 01 -m SHA256-RSA-PKCS -i "$T/data" -o "$T/sig"
    P11TRACE_OUTPUT="$T/p11tool.bin" run_to "$T/p11tool" p11tool --list-all
    unset P11TRACE_MODULE P11TRACE_CAPTURE
    p11kit_cleanup; installed=()
    cat >"$T/normalise.py" <<'PY'
# Normalises p11-kit's log (THEIRS) and our rendering (OURS) for comparison. Each rule names
# its row in docs/p11-kit-format.md; nothing else is rewritten.
import re, sys
header, theirs_in, ours_in, theirs_out, ours_out = sys.argv[1:6]

values = {}
for line in open(header, errors="replace"):
    m = re.match(r"#define\s+(CK[A-Z]+_\w+)\s+(.+?)\s*$", line)
    if m: values[m.group(1)] = m.group(2)
def value(name, depth=0):
    v = values.get(name)
    if v is None or depth > 5: return None
    v = v.strip("() ")
    total = 0
    for part in v.split("|"):
        part = part.strip().rstrip("UL").rstrip("ul") if re.match(r"^(0x[0-9A-Fa-f]+|\d+)[UuLl]*$", part.strip()) else part.strip()
        if re.match(r"^(0x[0-9A-Fa-f]+|\d+)$", part): total |= int(part, 0)
        else:
            sub = value(part, depth + 1)
            if sub is None: return None
            total |= sub
    return total

def blocks(lines):
    """Splits into calls: from `C_X` to `C_X = ...`."""
    out, cur = [], []
    for l in lines:
        cur.append(l)
        if re.match(r"^C_\w+ = ", l): out.append(cur); cur = []
    if cur: out.append(cur)
    return out

def read(path):
    return [l.rstrip("\n") for l in open(path, encoding="latin-1")]

theirs, ours = blocks(read(theirs_in)), blocks(read(ours_in))
MASKED_TOKEN_FIELDS = ("ulMaxSessionCount", "ulSessionCount", "ulMaxRwSessionCount", "ulRwSessionCount",
                       "ulTotalPublicMemory", "ulFreePublicMemory", "ulTotalPrivateMemory", "ulFreePrivateMemory")

def common(block, side):
    name = block[0]
    rv = block[-1].split(" = ", 1)[1] if " = " in block[-1] else ""
    # Row "C_Initialize arguments": the two logs sit at different layers.
    if name == "C_Initialize":
        block = [block[0], "  IN: pInitArgs = <masked>", block[-1]]
    # Row "Output template on errors": p11-kit drops it, we print it.
    if side == "ours" and name == "C_GetAttributeValue" and rv in ("CKR_ATTRIBUTE_SENSITIVE", "CKR_ATTRIBUTE_TYPE_INVALID", "CKR_BUFFER_TOO_SMALL"):
        nb = []
        for l in block:
            m = re.match(r"^ OUT: (\w+) = \((\d+)\) ", l)
            if m:
                if rv == "CKR_BUFFER_TOO_SMALL": nb.append(" OUT: %s = (%s) NONE" % (m.group(1), m.group(2)))
                continue
            nb.append(l)
        block = nb
    out, clock, seen_free = [], False, False
    for l in block:
        # Row "C_GetTokenInfo": mislabelled and duplicated fields, garbage utcTime.
        if l.startswith("\tflags: ") and name == "C_GetTokenInfo": clock = "CKF_CLOCK_ON_TOKEN" in l
        m = re.match(r"^\t(\w+): ", l)
        if name == "C_GetTokenInfo" and m and m.group(1) in MASKED_TOKEN_FIELDS:
            if m.group(1) == "ulFreePrivateMemory":
                if seen_free: continue
                seen_free = True
            l = "\t%s: <masked>" % m.group(1)
        if name == "C_GetTokenInfo" and side == "theirs" and l.startswith("\tutcTime: ") and not clock:
            l = "\tutcTime: "
        # Row "Input templates": p11-kit prints only the types.
        if side == "ours":
            m = re.match(r"^(  IN: \w+ = \(\d+\) \[ )(\{ .* \})( \])$", l)
            if m:
                items = m.group(2)[2:-2].split(" }, { ")
                l = m.group(1) + ", ".join(i.split(" = ", 1)[0] for i in items) + m.group(3)
        # Row "PINs and secrets not captured".
        if side == "theirs":
            l = re.sub(r'^(  IN: (?:pPin|pOldPin|pNewPin|pin|pSeed|pOperationState) = \(\d+\)) ".*"$', r"\1 NOT-PRINTED", l)
        # Row "Pointers": addresses are not recorded.
        l = re.sub(r"(= |: )0x[0-9A-F?]{8,}", r"\g<1>0xPTR", l)
        # Row "Constant names": compared by value, not spelling.
        def by_value(m):
            tok = m.group(0)
            h = re.match(r"^(CK[A-Z]+)_0x([0-9A-F]{8})$", tok)
            v = int(h.group(2), 16) if h else value(tok)
            return tok if v is None else "%s#%x" % (tok.split("_")[0], v)
        l = re.sub(r"\bCK[A-Z]+_[A-Za-z0-9_]+\b", by_value, l)
        out.append(l)
    return out

t = [l for b in theirs for l in common(b, "theirs")]
o = [l for b in ours for l in common(b, "ours")]
# Row "Public attribute values": p11-kit prints (n) NOT-PRINTED, we print the bytes (or NULL
# for a NULL pValue); compared
# position by position once the lines align.
if len(t) == len(o):
    for i, (a, b) in enumerate(zip(t, o)):
        for m in re.finditer(r"\{ (\S+) = \((\d+)\) NOT-PRINTED \}", a):
            pat = r'\{ %s = \(%s\) (?:".*?"|NULL) \}(?=, \{| \]$)' % (re.escape(m.group(1)), m.group(2))
            b = re.sub(pat, m.group(0).replace("\\", "\\\\"), b, count=1)
        o[i] = b
open(theirs_out, "w", encoding="latin-1").write("\n".join(t) + "\n")
open(ours_out, "w", encoding="latin-1").write("\n".join(o) + "\n")
PY
    for run in objects sign p11tool; do
        n="$tn ($run)"
        if [ "$(cat "$T/$run.rc")" != 0 ]; then fail "$n" "client failed: $(head -c 800 "$T/$run.err")"; continue; fi
        p11kit_lines "$T/$run.err" >"$T/$run.theirs"
        if ! grep -q '^C_Initialize$' "$T/$run.theirs"; then fail "$n" "no p11-kit log on stderr: $(head -c 800 "$T/$run.err")"; continue; fi
        if ! $TMO "$P11T" decode "$T/$run.bin" --format p11-kit >"$T/$run.ours" 2>"$T/$run.decode-err"; then
            fail "$n" "decode failed: $(head -c 500 "$T/$run.decode-err")"; continue
        fi
        python3 "$T/normalise.py" "$ROOT/Sources/CPKCS11/include/p11t_pkcs11.h" \
            "$T/$run.theirs" "$T/$run.ours" "$T/$run.theirs.norm" "$T/$run.ours.norm"
        if cmp -s "$T/$run.theirs.norm" "$T/$run.ours.norm"; then
            pass "$n"
        else
            fail "$n" "p11-kit (-) vs p11trace (+), normalised: $(diff -a -u "$T/$run.theirs.norm" "$T/$run.ours.norm" | head -n 40)"
        fi
    done
fi
p11kit_cleanup
