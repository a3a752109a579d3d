#!/usr/bin/env bash
# live.sh - live-capture benchmark: the highest rate tcpreplay can push into a veth
# pair that telexpose -i follows with less than 0.1 % loss, per --threads setting.
#
# Creates a private network namespace with a veth pair (txa, txb), generates (if
# missing) a mix capture with bench/gen_capture, and for each thread count runs
# telexpose -i txa while tcpreplay sends on txb at a fixed rate for a few seconds
# (--loop with --unique-ip, so every loop is new flows). Loss is what telexpose did
# not read of what tcpreplay sent: the kernel's drops (final stats event) and frames
# lost before the capture socket. Rates double from --start until the loss reaches
# 0.1 % (or tcpreplay falls short of the rate twice: its ceiling here), then are
# bisected; a last run goes at tcpreplay's top speed. The result is the highest rate
# sent with less than 0.1 % loss; a lower bound when no rate reached that loss.
# Prints every trial and a summary as Markdown, also written to $OUT/live-results.md.
#
# Usage: bench/live.sh [--flows N] [--seconds S] [--threads "1 2"] [--start PPS]
#                      [--max PPS] [--steps K] [--pcap FILE]
# --pcap replays FILE instead of the generated mix (e.g. tests/pcap/live/flows.pcap:
# 6 frames of 54-111 bytes per flow, for a higher packet rate).
# Environment:
#   TELEXPOSE   telexpose binary        (default ./src/telexpose, else build/src/telexpose)
#   EXTRA_ARGS  extra telexpose options (word-split on purpose)
#   BENCH_OUT   work directory          (default bench/out)
# Needs root, iproute2, tcpreplay, cc and libpcap-dev.
set -euo pipefail

usage() {
    sed -n '16,24p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
}

cd "$(dirname "$0")/.."

flows=30000
seconds=5
threads="1 2"
start=50000
max=3200000
steps=3
pcap=
while [ $# -gt 0 ]; do
    case "$1" in
    --flows) flows=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    --threads) threads=${2:?}; shift 2 ;;
    --start) start=${2:?}; shift 2 ;;
    --max) max=${2:?}; shift 2 ;;
    --steps) steps=${2:?}; shift 2 ;;
    --pcap) pcap=${2:?}; shift 2 ;;
    -h | --help) usage ;;
    *) echo "live.sh: unknown argument: $1" >&2; usage ;;
    esac
done
case "$flows$seconds$start$max$steps${threads// /}" in
*[!0-9]*) echo "live.sh: options take integers" >&2; exit 2 ;;
esac

OUT=${BENCH_OUT:-bench/out}
TELEXPOSE=${TELEXPOSE:-}
if [ -z "$TELEXPOSE" ]; then
    TELEXPOSE=./src/telexpose
    [ -x "$TELEXPOSE" ] || TELEXPOSE=build/src/telexpose
fi
EXTRA_ARGS=${EXTRA_ARGS:-}
CC=${CC:-cc}

log() { printf '%s\n' "$*" >&2; }
die() { log "live.sh: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces and live capture)"
command -v tcpreplay >/dev/null || die "no tcpreplay (apt-get install -y tcpreplay)"
command -v ip >/dev/null || die "no ip command (apt-get install -y iproute2)"
[ -x "$TELEXPOSE" ] || die "$TELEXPOSE: not built (make, or set TELEXPOSE)"
mkdir -p "$OUT"

if [ -n "$pcap" ]; then
    [ -r "$pcap" ] || die "$pcap: cannot read it"
    cap=$pcap
    capdesc="\`$cap\`"
else
    if [ ! -x "$OUT/gen_capture" ] || [ bench/gen_capture.c -nt "$OUT/gen_capture" ]; then
        log "building $OUT/gen_capture"
        $CC -O2 -std=c99 -Wall -Wextra -o "$OUT/gen_capture" bench/gen_capture.c -lpcap
    fi
    cap=$OUT/live.pcap
    args="--flows $flows"
    if [ ! -f "$cap" ] || [ "$(cat "$cap.args" 2>/dev/null)" != "$args" ]; then
        log "generating $cap ($args)"
        # shellcheck disable=SC2086
        "$OUT/gen_capture" $args -o "$cap.tmp"
        mv "$cap.tmp" "$cap"
        printf '%s\n' "$args" >"$cap.args"
    fi
    capdesc="\`$cap\` (gen_capture $args)"
fi

ns=txbench$$
tmp=$(mktemp -d)
pid=
cleanup() {
    [ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
inns() { ip netns exec "$ns" "$@"; }
ip netns add "$ns"
inns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
inns sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip -n "$ns" link add txa type veth peer name txb
ip -n "$ns" link set txa mtu 9000 up
ip -n "$ns" link set txb mtu 9000 up

# trial THREADS PPS: one run at PPS packets/s for $seconds s, or at tcpreplay's top
# speed (PPS "top", 200 000 frames a second assumed for the length); prints
# "target sent_pps sent read kernel_drops loss% telexpose_cpu%".
trial() {
    local t=$1 rate=$2 i=0 speed limit sent rated secs nread dropped
    if [ "$rate" = top ]; then
        speed=--topspeed limit=$((200000 * seconds))
    else
        speed=--pps=$rate limit=$((rate * seconds))
    fi
    # shellcheck disable=SC2086
    ip netns exec "$ns" "$TELEXPOSE" -i txa --threads "$t" -q -w "$tmp/ev.ndjson" \
        $EXTRA_ARGS 2>"$tmp/err" &
    pid=$!
    # Capturing once the ring is mapped (10 s at most): frames sent to the packet
    # socket before that are never read.
    while ! grep -q 'socket:\[' "/proc/$pid/maps" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ] ||
            die "telexpose did not start: $(cat "$tmp/err")"
        sleep 0.1
        i=$((i + 1))
    done
    # tcpreplay reads the whole capture into memory first (--preload-pcap), while
    # telexpose idles: its CPU time, up to the end of the drain, is divided by the
    # time tcpreplay spent sending (CPU % 100 = one core busy for as long).
    local c0 c1
    c0=$(cputicks)
    inns tcpreplay --preload-pcap "$speed" --limit "$limit" --loop 0 --unique-ip -i txb "$cap" \
        >"$tmp/replay" 2>&1 || die "tcpreplay: $(tail -3 "$tmp/replay")"
    sleep 2 # what is still in the ring is read, not lost
    c1=$(cputicks)
    kill -TERM "$pid"
    wait "$pid" || die "telexpose exited $?: $(cat "$tmp/err")"
    pid=
    sent=$(awk '/Successful packets:/ {print $3}' "$tmp/replay")
    rated=$(awk '/^Rated:/ {printf "%.0f", $6}' "$tmp/replay")
    secs=$(awk '/^Actual:/ {print $(NF - 1)}' "$tmp/replay")
    # The final stats event: packets read, and the kernel's drops per interface.
    read -r nread dropped < <(tail -n 1 "$tmp/ev.ndjson" | python3 -c '
import json, sys
s = json.load(sys.stdin)["stats"]
c = s["capture"]
print(c["packets"], sum(i["dropped"] + i["ifdropped"] for i in c.get("interfaces", [])))')
    rm -f "$tmp/ev.ndjson"
    awk -v r="$rate" -v pr="$rated" -v s="$sent" -v n="$nread" -v d="$dropped" \
        -v c=$((c1 - c0)) -v w="$secs" -v hz="$(getconf CLK_TCK)" 'BEGIN {
        printf "%s %d %d %d %d %.4f %.0f\n", r, pr, s, n, d, (s > 0 ? 100 * (s - n) / s : 100),
            (w > 0 ? 100 * c / hz / w : 0) }'
}

# cputicks: user + system time of telexpose ($pid) so far, in clock ticks.
cputicks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }

results=$tmp/results
: >"$results"
# pass THREADS RATE: run a trial and record it; exit status 0 when the loss is
# under 0.1 %, 1 when it is not, 2 when under 0.1 % but tcpreplay fell short of
# 90 % of RATE (its ceiling here: asking for more is pointless).
pass() {
    local line
    line=$(trial "$1" "$2")
    log "threads $1: $line"
    echo "$1 $line" >>"$results"
    awk -v l="$line" 'BEGIN { split(l, f, " ")
        if (f[6] >= 0.1) exit 1
        if (f[1] != "top" && f[2] < 0.9 * f[1]) exit 2
        exit 0 }'
}

declare -A best why
for t in $threads; do
    good=0 bad=0 short=0 rate=$start
    why[$t]="--max reached"
    while [ "$rate" -le "$max" ]; do
        st=0
        pass "$t" "$rate" || st=$?
        if [ $st -eq 1 ]; then
            bad=$rate
            break
        fi
        good=$rate
        # Twice short of the rate asked: tcpreplay's ceiling (once may be noise).
        if [ $st -eq 2 ]; then
            short=$((short + 1))
            if [ $short -ge 2 ]; then
                why[$t]="tcpreplay's ceiling"
                break
            fi
        fi
        rate=$((rate * 2))
    done
    if [ "$bad" -gt 0 ]; then
        why[$t]="loss"
        for ((k = 0; k < steps && good > 0; k++)); do
            rate=$(((good + bad) / 2))
            st=0
            pass "$t" "$rate" || st=$?
            if [ $st -eq 1 ]; then bad=$rate; else good=$rate; fi
        done
    fi
    pass "$t" top || true
    # The rate sent (not asked for) of the best trial under 0.1 % loss.
    best[$t]=$(awk -v t="$t" '$1 == t && $7 < 0.1 && $3 > b { b = $3 } END { print b + 0 }' \
        "$results")
done

{
    echo "## telexpose live capture"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), host: $(nproc) CPU," \
        "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)," \
        "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- telexpose $("$TELEXPOSE" --version | head -1 | cut -d' ' -f2)" \
        "($(git rev-parse --short HEAD 2>/dev/null || echo "no git")):" \
        "\`ip netns exec NS $TELEXPOSE -i txa --threads T -q -w FILE $EXTRA_ARGS\`"
    echo "- tcpreplay $(tcpreplay --version 2>&1 | awk 'NR == 1 {print $3}'):" \
        "\`tcpreplay --preload-pcap --pps RATE --limit RATE*$seconds --loop 0 --unique-ip -i txb $cap\`" \
        "(top speed: --topspeed --limit $((200000 * seconds)))"
    echo "- capture: $capdesc, $(stat -c %s "$cap") bytes;" \
        "veth pair in a network namespace, default 64 MiB ring"
    echo
    echo "| threads | target pps | sent pps | sent | read | kernel drops | loss % | telexpose CPU % |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
    awk '{ printf "|"; for (i = 1; i <= 8; i++) printf " %s |", $i; print "" }' "$results"
    echo
    echo "| threads | highest rate sent with < 0.1 % loss (pps) | the search stopped at |" \
        "at top speed: sent pps, loss % |"
    echo "|---:|---:|---|---|"
    for t in $threads; do
        # A lower bound unless loss stopped the search.
        ge="≥ "
        [ "${why[$t]}" = loss ] && ge=
        echo "| $t | $ge${best[$t]} | ${why[$t]} |" \
            "$(awk -v t="$t" '$1 == t && $2 == "top" { print $3 ", " $7 }' "$results") |"
    done
} | tee "$OUT/live-results.md"
