#!/usr/bin/env bash
# run.sh - telexpose throughput/memory benchmark against ndpiReader and a bare libpcap loop.
#
# Builds bench/gen_capture and bench/pcap_loop, generates (if missing) a 1 M-flow mixed
# capture and a 5 M-packet SYN flood, runs each tool R times per file under
# /usr/bin/time, and prints a Markdown table (median wall time, packets/s, peak RSS and
# telexpose-vs-ndpiReader ratios), also written to $OUT/results.md.
#
# Usage: bench/run.sh [--flows N] [--runs R] [--skip-gen]
# Environment:
#   TELEXPOSE   telexpose binary            (default ./src/telexpose)
#   EXTRA_ARGS  extra telexpose arguments   (e.g. "--flow-memcap 64M"; word-split on purpose)
#   NDPIREADER  ndpiReader binary           (default ndpiReader, Debian libndpi-bin)
#   TOOLS       tools to run                (default "pcap_loop ndpiReader telexpose")
#   FILES       captures to run             (default "mix flood")
#   BENCH_OUT   work directory              (default bench/out)
#   RUN_TIMEOUT per-run limit in seconds, 0 = none (ndpiReader needs ~8 min on the flood)
set -euo pipefail

usage() {
    sed -n '9,18p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
}

# Work from the repository root so relative defaults mean the same thing from anywhere.
cd "$(dirname "$0")/.."

flows=1000000
runs=3
skip_gen=0
while [ $# -gt 0 ]; do
    case "$1" in
    --flows) flows=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    --skip-gen) skip_gen=1; shift ;;
    -h | --help) usage ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage ;;
    esac
done
case "$flows$runs" in *[!0-9]*) echo "run.sh: --flows/--runs need integers" >&2; exit 2 ;; esac
[ "$runs" -ge 1 ] || { echo "run.sh: --runs must be >= 1" >&2; exit 2; }

OUT=${BENCH_OUT:-bench/out}
TELEXPOSE=${TELEXPOSE:-./src/telexpose}
EXTRA_ARGS=${EXTRA_ARGS:-}
NDPIREADER=${NDPIREADER:-ndpiReader}
TOOLS=${TOOLS:-pcap_loop ndpiReader telexpose}
FILES=${FILES:-mix flood}
RUN_TIMEOUT=${RUN_TIMEOUT:-0}
TIME=/usr/bin/time
CC=${CC:-cc}

# GNU time, not the shell keyword: only it reports peak RSS (%M).
if [ ! -x "$TIME" ]; then
    echo "run.sh: $TIME missing: install the Debian package 'time' (apt-get install -y time)" >&2
    exit 1
fi
mkdir -p "$OUT"

log() { printf '%s\n' "$*" >&2; }

# Rebuild a helper only when its source is newer, so repeated runs start immediately.
build() {
    local name=$1
    if [ ! -x "$OUT/$name" ] || [ "bench/$name.c" -nt "$OUT/$name" ]; then
        log "building $OUT/$name"
        $CC -O2 -std=c99 -Wall -Wextra -o "$OUT/$name" "bench/$name.c" -lpcap
    fi
}
build gen_capture
build pcap_loop

# Generate FILE with ARGS unless it exists with the same arguments (recorded in FILE.args).
# Writing to a temporary name first means an interrupted run never leaves a truncated
# capture that a later --skip-gen run would silently benchmark.
generate() {
    local file=$1; shift
    local args="$*"
    if [ -f "$file" ] && { [ "$skip_gen" = 1 ] || [ "$(cat "$file.args" 2>/dev/null)" = "$args" ]; }
    then
        return 0
    fi
    if [ "$skip_gen" = 1 ]; then
        log "run.sh: $file missing and --skip-gen given: skipping it"
        return 1
    fi
    log "generating $file ($args)"
    "$OUT/gen_capture" "$@" -o "$file.tmp"
    mv "$file.tmp" "$file"
    printf '%s\n' "$args" > "$file.args"
}

declare -A capture
for f in $FILES; do
    case "$f" in
    mix) if generate "$OUT/mix.pcap" --flows "$flows"; then capture[mix]=$OUT/mix.pcap; fi ;;
    flood) if generate "$OUT/flood.pcap" --syn-flood; then capture[flood]=$OUT/flood.pcap; fi ;;
    *) log "run.sh: unknown file '$f' in FILES (known: mix flood)"; exit 2 ;;
    esac
done

have_tx=0
case " $TOOLS " in
*" telexpose "*)
    if [ -x "$TELEXPOSE" ]; then
        have_tx=1
    else
        log "NOTE: $TELEXPOSE not found (build it with autoreconf -fi && ./configure && make);"
        log "      benchmarking the other tools only."
    fi ;;
esac

# Command line of TOOL on FILE; all output is discarded, so only processing is measured.
tool_cmd() {
    local tool=$1 file=$2
    case "$tool" in
    pcap_loop) echo "$OUT/pcap_loop $file" ;;
    ndpiReader) echo "$NDPIREADER -q -i $file" ;;
    telexpose) echo "$TELEXPOSE -r $file -w /dev/null $EXTRA_ARGS" ;;
    esac
}

median() {
    sort -g | awk '{v[NR] = $1}
        END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
max() { sort -g | tail -n 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
declare -A packets secs rss status

for f in $FILES; do
    file=${capture[$f]:-}
    [ -n "$file" ] || continue
    # Warm the page cache once so no tool pays for the first read from disk.
    cat "$file" > /dev/null
    packets[$f]=$("$OUT/pcap_loop" "$file" | awk '{print $2}')
    for tool in $TOOLS; do
        [ "$tool" != telexpose ] || [ "$have_tx" = 1 ] || continue
        : > "$tmp/$f.$tool.times"
        status[$f.$tool]=ok
    done
    # Interleave tools within each round so slow drift (thermal, noisy neighbours) hits
    # every tool alike instead of whichever happened to run last.
    for ((r = 1; r <= runs; r++)); do
        for tool in $TOOLS; do
            [ "$tool" != telexpose ] || [ "$have_tx" = 1 ] || continue
            [ "${status[$f.$tool]}" = ok ] || continue
            cmd=$(tool_cmd "$tool" "$file")
            log "[$f run $r/$runs] $cmd"
            to=()
            [ "$RUN_TIMEOUT" = 0 ] || to=(timeout "$RUN_TIMEOUT")
            rc=0
            # shellcheck disable=SC2086  # word-splitting the command line is intended
            "${to[@]}" "$TIME" -f '%e %M' -o "$tmp/time" $cmd > /dev/null 2> "$tmp/err" || rc=$?
            if [ "$rc" != 0 ]; then
                log "  FAILED (exit $rc):"
                tail -n 5 "$tmp/err" | sed 's/^/    /' >&2
                status[$f.$tool]="FAILED (exit $rc)"
                failed=1
                continue
            fi
            tail -n 1 "$tmp/time" >> "$tmp/$f.$tool.times"
            log "  $(tail -n 1 "$tmp/time" | awk '{printf "%s s, %.1f MiB", $1, $2 / 1024}')"
        done
    done
    for tool in $TOOLS; do
        [ -n "${status[$f.$tool]:-}" ] || continue
        [ "${status[$f.$tool]}" = ok ] || continue
        secs[$f.$tool]=$(awk '{print $1}' "$tmp/$f.$tool.times" | median)
        rss[$f.$tool]=$(awk '{print $2}' "$tmp/$f.$tool.times" | max)
    done
done

# Packets/s from the median time; RSS is the largest of the runs (it is a peak after all).
pps() { awk -v p="$1" -v s="$2" 'BEGIN {printf "%.0f", (s > 0 ? p / s : 0)}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }

{
    echo "## telexpose benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), host: $(nproc) CPU," \
        "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)," \
        "$(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo)"
    echo "- runs per cell: $runs (median time, max RSS);" \
        "ndpiReader: $("$NDPIREADER" -h 2>&1 | awk '/Welcome to nDPI/ {print $4; exit}')"
    [ "$have_tx" = 1 ] && echo "- telexpose: \`$TELEXPOSE -r FILE -w /dev/null $EXTRA_ARGS\`"
    for f in $FILES; do
        file=${capture[$f]:-}
        [ -n "$file" ] || continue
        echo "- $f: \`$file\` ($(cat "$file.args" 2>/dev/null || echo "args unknown"))," \
            "$(stat -c %s "$file") bytes," \
            "${packets[$f]} packets"
    done
    echo
    echo "| tool | file | packets | median s | packets/s | peak RSS MiB |" \
        "tx pps / ndpi pps | ndpi RSS / tx RSS |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
    for f in $FILES; do
        [ -n "${capture[$f]:-}" ] || continue
        for tool in $TOOLS; do
            st=${status[$f.$tool]:-}
            if [ -z "$st" ]; then
                [ "$tool" = telexpose ] &&
                    echo "| telexpose | $f | ${packets[$f]} | not built | | | | |"
                continue
            fi
            if [ "$st" != ok ]; then
                echo "| $tool | $f | ${packets[$f]} | $st | | | | |"
                continue
            fi
            s=${secs[$f.$tool]}
            p=$(pps "${packets[$f]}" "$s")
            r1="" r2=""
            if [ "$tool" = telexpose ] && [ -n "${secs[$f.ndpiReader]:-}" ]; then
                r1=$(ratio "$p" "$(pps "${packets[$f]}" "${secs[$f.ndpiReader]}")")
                r2=$(ratio "${rss[$f.ndpiReader]}" "${rss[$f.telexpose]}")
            fi
            echo "| $tool | $f | ${packets[$f]} | $s | $p | $(mib "${rss[$f.$tool]}") |" \
                "$r1 | $r2 |"
        done
    done
} > "$tmp/results.md"

cp "$tmp/results.md" "$OUT/results.md"
cat "$OUT/results.md"
log "results written to $OUT/results.md"
exit "$failed"
