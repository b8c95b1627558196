# The p11-kit way in: a module file whose `module:` names libp11trace.so, the real module named
# by P11TRACE_MODULE. p11-kit reads system module files only (no user config without a system
# pkcs11.conf), so the test installs one in /etc/pkcs11/modules and removes it afterwards.
# The real module is our mock, so that no module is loaded twice (SoftHSM's own module file
# is also installed system-wide).
T="$PWD"
tn="p11-kit module file naming libp11trace.so"
dir=/etc/pkcs11/modules
created_dir=""
[ -d "$dir" ] || { mkdir -p "$dir" && created_dir=yes; }
file="$dir/p11trace-test-$$.module"
if ! printf 'module: %s\n' "$LIBP" >"$file" 2>/dev/null; then
    fail "$tn" "cannot write $file (the test needs root to install a p11-kit module file)"
else
    run_to "$T/list" env P11TRACE_MODULE="$MOCK" P11TRACE_OUTPUT="$T/pk.bin" p11-kit list-modules
    rm -f "$file"
    [ -n "$created_dir" ] && rmdir "$dir" /etc/pkcs11 2>/dev/null
    name="$(basename "$file" .module)"
    if ! grep -A3 "^$name:" "$T/list.out" | grep -q 'p11trace mock module'; then
        fail "$tn" "p11-kit does not list the mock behind our module: $(head -c 1500 "$T/list.out" "$T/list.err")"
    elif ! decode_functions "$T/pk.bin" >"$T/pk.calls"; then
        fail "$tn" "trace does not decode: $(head -c 500 "$T/pk.bin.decode-err")"
    elif ! grep -qx 'C_GetTokenInfo CKR_OK' "$T/pk.calls" || ! grep -qx 'C_Initialize CKR_OK' "$T/pk.calls"; then
        fail "$tn" "trace lacks p11-kit's calls: $(tr '\n' ';' <"$T/pk.calls")"
    else
        pass "$tn"
    fi
fi
