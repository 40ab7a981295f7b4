#!/usr/bin/env bash
# Measures Douyin Auth Desk against the lower bound, a bare Fyne window with
# one label updated every second (bench/baseline), built the same way and run
# the same way, and writes docs/BENCHMARKS.md. Run it with `make bench`, which
# provides the keyring and the X display (.ci/desktop-session).
#
# For each program, RUNS times: time from exec to the first window mapped
# (xdotool search --sync), peak RSS (VmHWM) at the end, CPU used over IDLE
# seconds once started; the app shows the Tokens screen of a sandbox account
# with three countdowns running. Medians, and the ratio app/baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
IDLE=${IDLE:-60}
OUT=build/bench
mkdir -p "$OUT"
: "${DISPLAY:?bench/run.sh needs an X display: run make bench}"

go build -ldflags "-s -w" -o "$OUT/douyin-auth-desk" .
go build -ldflags "-s -w" -o "$OUT/baseline" ./bench/baseline
go build -o "$OUT/seed" ./bench/seed

CONFIG=$(mktemp -d)
export DOUYIN_AUTH_DESK_CONFIG_DIR=$CONFIG
export LANG=en_US.UTF-8
"$OUT/seed"
TICK=$(getconf CLK_TCK)

# measure NAME BINARY TITLE → prints "startup_ms rss_kib cpu_pct"
measure() {
	local bin=$2 title=$3 pid t0 t1 a b
	t0=$(date +%s%N)
	"$bin" >/dev/null 2>&1 &
	pid=$!
	xdotool search --sync --onlyvisible --name "^${title}\$" >/dev/null
	t1=$(date +%s%N)
	sleep 5
	a=$(awk '{print $14+$15}' "/proc/$pid/stat")
	sleep "$IDLE"
	b=$(awk '{print $14+$15}' "/proc/$pid/stat")
	local rss
	rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
	if [ "$1" = app ] && [ -n "${SHOT:-}" ]; then import -window root "$SHOT"; fi
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	echo "$(( (t1 - t0) / 1000000 )) $rss $(awk -v d=$((b - a)) -v t="$TICK" -v s="$IDLE" 'BEGIN {printf "%.3f", d / t / s * 100}')"
}

median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }

declare -A rows
for i in $(seq "$RUNS"); do
	for who in baseline app; do
		if [ $who = app ]; then
			SHOT=$OUT/tokens-idle.png rows[$who]+="$(measure app "$OUT/douyin-auth-desk" "Douyin Auth Desk")"$'\n'
		else
			rows[$who]+="$(measure baseline "$OUT/baseline" "Baseline")"$'\n'
		fi
	done
done

col() { printf '%s' "${rows[$1]}" | awk -v c="$2" 'NF {print $c}' | median; }
size_app=$(stat -c %s "$OUT/douyin-auth-desk")
size_base=$(stat -c %s "$OUT/baseline")
s_app=$(col app 1) s_base=$(col baseline 1)
r_app=$(col app 2) r_base=$(col baseline 2)
c_app=$(col app 3) c_base=$(col baseline 3)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "-"; else printf "%.2f×", a / b}'; }
diffv() { awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN {printf "%+.*f", d, a - b}'; }

goodness() { awk -v v="$1" -v lim="$2" 'BEGIN {print (v <= lim) ? "met" : "missed"}'; }

{
	echo "# Benchmarks"
	echo
	echo "Measured by \`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo),"
	echo "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(go version | awk '{print $3}'), Xvfb, software OpenGL."
	echo "Medians of $RUNS runs each; CPU over $IDLE idle seconds; both built with \`go build -ldflags \"-s -w\"\`."
	echo "The app shows the Tokens screen of a sandbox account (access, refresh and client token counting down)."
	echo
	echo "| figure | baseline | app | app vs baseline | target | |"
	echo "|---|---|---|---|---|---|"
	echo "| exec → window mapped | ${s_base} ms | ${s_app} ms | $(ratio "$s_app" "$s_base") | ≤ 1.15× | $(goodness "$(awk -v a="$s_app" -v b="$s_base" 'BEGIN {print a/b}')" 1.15) |"
	echo "| peak RSS | $((r_base / 1024)) MiB | $((r_app / 1024)) MiB | $(diffv "$((r_app / 1024))" "$((r_base / 1024))" 0) MiB | ≤ +20 MiB | $(goodness $(( (r_app - r_base) / 1024 )) 20) |"
	echo "| CPU, idle ${IDLE} s | ${c_base} % | ${c_app} % | $(diffv "$c_app" "$c_base" 3) pp | ≤ +0.5 pp | $(goodness "$(awk -v a="$c_app" -v b="$c_base" 'BEGIN {print a-b}')" 0.5) |"
	echo "| stripped binary | $(awk -v s="$size_base" 'BEGIN {printf "%.1f", s/1048576}') MiB | $(awk -v s="$size_app" 'BEGIN {printf "%.1f", s/1048576}') MiB | $(awk -v a="$size_app" -v b="$size_base" 'BEGIN {printf "%+.1f", (a-b)/1e6}') MB | ≤ +5 MB | $(goodness "$(awk -v a="$size_app" -v b="$size_base" 'BEGIN {print (a-b)/1e6}')" 5) |"
	echo
	echo "Raw runs (startup ms, peak RSS KiB, CPU %):"
	echo
	echo '```'
	echo "baseline:"; printf '%s' "${rows[baseline]}"
	echo "app:"; printf '%s' "${rows[app]}"
	echo '```'
	echo
	echo "## Go benchmarks"
	echo
	echo '```'
	go test -run '^$' -bench . -benchmem -count 1 ./auth/ ./storage/ ./ui/ 2>&1 | grep -E '^(Benchmark|pkg:)'
	echo '```'
	echo
	echo "UI goroutine responsiveness (BenchmarkUIResponsiveness: /state round trips through fyne.DoAndWait in the"
	echo "real window while Refresh, Verify and Renew wait on a sandbox answering after 2 s; each op is the three calls):"
	echo
	echo '```'
	go test -run '^$' -bench UIResponsiveness -benchtime 3x -count 1 . 2>&1 | grep -E '^Benchmark'
	echo '```'
	if [ -f bench/NOTES.md ]; then echo; cat bench/NOTES.md; fi
} > docs/BENCHMARKS.md
cat docs/BENCHMARKS.md
