# scripts/generate --check: passes on the committed files, fails (exit 1) on a stale one.
T="$PWD"
tn="generate --check (current)"
out="$(cd "$ROOT" && $TMO scripts/generate --check 2>&1)"; rc=$?
if [ $rc -eq 0 ]; then pass "$tn"; else fail "$tn" "exit $rc: $out"; fi

tn="generate --check (stale generated C file)"
gen="$ROOT/Sources/CExport/generated/p11t_trampolines.inc"
if [ ! -f "$gen" ]; then fail "$tn" "missing $gen"; else
    cp -p "$gen" "$T/saved.inc"
    trap 'cp -p "$T/saved.inc" "$gen"' EXIT           # put it back even if interrupted
    echo "/* stale */" >>"$gen"
    out="$(cd "$ROOT" && $TMO scripts/generate --check 2>&1)"; rc=$?
    cp -p "$T/saved.inc" "$gen"; trap - EXIT
    if ! cmp -s "$T/saved.inc" "$gen"; then fail "$tn" "could not restore $gen (saved copy: $T/saved.inc)"
    elif [ $rc -eq 1 ]; then pass "$tn"; else fail "$tn" "expected exit 1, got $rc: $out"; fi
fi
