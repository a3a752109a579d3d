#!/bin/sh
# packs.sh - the shipped signature packs and the MAC registry table.
# TAP output. Uses $TELEXPOSE and $srcdir (make check exports both).
# The trap organisations (Aztech, New H3C, Honor...) are checked against
# the real packs by tests/unit/sig_t.c, which can ask the matcher directly.
set -u
. "${srcdir:-.}/tests/e2e/lib.sh"

# rules PACK: the rule count the self-check printed for PACK (empty if none)
rules() {
    sed -n "s/^$1: \([0-9][0-9]*\) rules\{0,1\}, .*, ok\$/\1/p" "$tmp/out"
}

"$exe" --check-signatures "$s/signatures" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--check-signatures passes on the shipped packs" test $rc -eq 0
sed 's/^/# /' "$tmp/out" "$tmp/err"
for p in huawei zte hikvision dahua hytera honor h3c; do
    r=$(rules $p)
    check "pack $p checked, with rules (${r:-none})" test "${r:-0}" -gt 0
done
packs=$(ls "$s"/signatures/*.sig | wc -l)
lines=$(grep -c ': [0-9]* rules\{0,1\}, ' "$tmp/out")
check "one line per pack ($lines lines, $packs packs)" test "$lines" -eq "$packs"
check "huawei has the most rules" test "$(rules huawei)" -gt "$(rules zte)"

# Every rule has a source line (the loader requires it; this guards the
# files against a loader that forgot to).
check "every rule has a source" test "$(grep -c '^rule ' "$s"/signatures/*.sig | \
    awk -F: '{t+=$2} END {print t}')" -eq "$(grep -c '^  source ' "$s"/signatures/*.sig | \
    awk -F: '{t+=$2} END {print t}')"
check "honor is on by default: Honor devices are reported, as Honor" grep -q '^default on' "$s/signatures/honor.sig"
check "honor's counts-as policy line is present, commented" \
    grep -q '^# counts-as Huawei' "$s/signatures/honor.sig"

# The registry table is generated: regenerating it from ieee-data must give
# the committed bytes. CI installs ieee-data, so its absence is a failure.
if [ -r /usr/share/ieee-data/oui.csv ]; then
    ${PYTHON3:-python3} "$s/signatures/gen-oui.py" -o "$tmp/ieee-oui.txt" 2>"$tmp/gen.err"
    check "gen-oui.py runs" test $? -eq 0
    check "gen-oui.py regenerates ieee-oui.txt byte for byte" \
        cmp "$tmp/ieee-oui.txt" "$s/signatures/ieee-oui.txt"
    ${PYTHON3:-python3} "$s/signatures/gen-oui.py" -o "$tmp/again.txt" 2>/dev/null
    check "gen-oui.py output is deterministic" cmp "$tmp/ieee-oui.txt" "$tmp/again.txt"
else
    n=$((n + 1))
    echo "not ok $n - /usr/share/ieee-data is missing: install the ieee-data package"
    fail=1
fi
check "the table names its source and date" grep -q '^# .lastupdate 20[0-9-]*\.' \
    "$s/signatures/ieee-oui.txt"
check "DC:D2:FC is Huawei in the table" \
    grep -q "^DCD2FC/24	HUAWEI TECHNOLOGIES CO.,LTD\$" "$s/signatures/ieee-oui.txt"
check "AC:64:DD:5 is Shanghai ZTE (MA-M)" \
    grep -q "^AC64DD5/28	SHANGHAI ZTE TECHNOLOGIES CO.,LTD\$" "$s/signatures/ieee-oui.txt"
check "registry reservations are left out" \
    sh -c "! grep -q '	IEEE Registration Authority\$' '$s/signatures/ieee-oui.txt'"

echo "1..$n"
exit $fail
