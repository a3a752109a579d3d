#!/bin/sh
# replay.sh - replay every fuzz corpus through its target (no libFuzzer needed).
# TAP output: one test per corpus. Inputs under tests/fuzz/corpus/<target>/.
set -u
b=${builddir:-.}
s=${srcdir:-.}
n=0
fail=0
for target in ${FUZZ_TARGETS:-decode pcap sig oui l2 eui64 dhcp snmp banner sip ssdp http xml tls bind}; do
    n=$((n + 1))
    dir="$s/tests/fuzz/corpus/$target"
    out=$("$b/tests/fuzz/replay_$target" "$dir" 2>&1)
    rc=$?
    count=$(printf '%s\n' "$out" | sed -n 's/^replayed \([0-9]*\) inputs.*/\1/p')
    if [ $rc -eq 0 ] && [ -n "$count" ] && [ "$count" -gt 0 ]; then
        echo "ok $n - corpus $target: $count inputs replayed without a finding"
    else
        echo "not ok $n - corpus $target (exit $rc)"
        printf '%s\n' "$out" | tail -20 | sed 's/^/# /'
        fail=1
    fi
done
echo "1..$n"
exit $fail
