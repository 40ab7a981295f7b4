#!/usr/bin/env bash
# Measures Douyin Auth Desk against the lower bound, a bare Fyne window with
# one label updated every second (bench/baseline), built the same way and run
# the same way, and writes docs/BENCHMARKS.md. Run it with `make bench`, which
# provides the keyring and the X display (.ci/desktop-session).
#
# Startup, STARTS times each, the two programs in turn: the time from exec to
# the window mapped and to its first frame, from X events (bench/startup).
# Then RUNS times each, in turn: peak RSS (VmHWM) at the end, CPU used over
# IDLE seconds once started; the app shows the Tokens screen of a sandbox
# account with three countdowns running. Every figure is the median, and is
# set against the baseline's: startup as the median of the ratios of runs
# made one after the other, so that both met the same load.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
# shellcheck source=bench/stats.sh
. bench/stats.sh
RUNS=${RUNS:-3}
IDLE=${IDLE:-60}
STARTS=${STARTS:-21}
# TAGS are build tags for both programs, such as those of the release build.
TAGS=${TAGS:-}
# GOBENCH=0 leaves out the Go benchmarks; REPORT is where the report goes.
GOBENCH=${GOBENCH:-1}
REPORT=${REPORT:-docs/BENCHMARKS.md}
OUT=build/bench
mkdir -p "$OUT"
: "${DISPLAY:?bench/run.sh needs an X display: run make bench}"

go build -tags "$TAGS" -ldflags "-s -w" -o "$OUT/douyin-auth-desk" .
go build -tags "$TAGS" -ldflags "-s -w" -o "$OUT/baseline" ./bench/baseline
go build -o "$OUT/seed" ./bench/seed
go build -o "$OUT/startup" ./bench/startup

CONFIG=$(mktemp -d)
export DOUYIN_AUTH_DESK_CONFIG_DIR=$CONFIG
export LANG=en_US.UTF-8
"$OUT/seed"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# What the programs print goes here, not into the report.
LOG=$OUT/programs.log
: >"$LOG"

declare -A bins=([app]=$OUT/douyin-auth-desk [baseline]=$OUT/baseline)
declare -A titles=([app]="Douyin Auth Desk" [baseline]=Baseline)

# start WHO → starts the program and prints "pid mapped_ms frame_ms"
start() {
	local out pid mapped frame
	out=$("$OUT/startup" -title "${titles[$1]}" -- "${bins[$1]}" 2>>"$LOG")
	read -r pid mapped frame <<<"$out"
	echo "$pid $(awk -v m="$mapped" -v f="$frame" 'BEGIN {printf "%.1f %.1f", m / 1000, f / 1000}')"
}

# stop PID ends a program started by start (not a child of this shell).
stop() {
	kill "$1"
	while kill -0 "$1" 2>/dev/null; do sleep 0.02; done
}

# startup WHO → prints "mapped_ms frame_ms"
startup() {
	local pid times
	read -r pid times <<<"$(start "$1")"
	sleep 1
	stop "$pid"
	sleep 0.5
	echo "$times"
}

# steady WHO → prints "rss_kib cpu_pct"
steady() {
	local pid times use
	read -r pid times <<<"$(start "$1")"
	sleep 5
	use=$(idle_use "$pid" "$IDLE")
	if [ "$1" = app ]; then import -window root "$OUT/tokens-idle.png"; fi
	stop "$pid"
	echo "$use"
}

declare -A starts runs
for i in $(seq "$STARTS"); do
	for who in $(order "$i"); do starts[$who]+="$(startup "$who")"$'\n'; done
done
for i in $(seq "$RUNS"); do
	for who in $(order "$i"); do runs[$who]+="$(steady "$who")"$'\n'; done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

s_base=$(col "${starts[baseline]}" 1) s_app=$(col "${starts[app]}" 1) s_ratio=$(paired "${starts[baseline]}" "${starts[app]}" 1)
f_base=$(col "${starts[baseline]}" 2) f_app=$(col "${starts[app]}" 2) f_ratio=$(paired "${starts[baseline]}" "${starts[app]}" 2)
r_base=$(col "${runs[baseline]}" 1) r_app=$(col "${runs[app]}" 1)
c_base=$(col "${runs[baseline]}" 2) c_app=$(col "${runs[app]}" 2)
size_app=$(stat -c %s "$OUT/douyin-auth-desk")
size_base=$(stat -c %s "$OUT/baseline")

# gobench ARGS… runs go test ARGS… and prints its benchmark lines, or what
# failed: a broken benchmark is reported, not left out.
gobench() {
	local out
	if out=$(go test "$@" 2>&1); then
		printf '%s\n' "$out" | grep -E '^(Benchmark|pkg:)' || true
	else
		echo "go test $* failed:"
		printf '%s\n' "$out" | grep -E '^(--- FAIL|    \S+_test\.go:|FAIL|Benchmark|pkg:)' | head -20 || true
	fi
}

ratio() { calc "if ($2 == 0) print \"-\"; else printf \"%.2f×\", $1 / $2"; }
goodness() { calc "print ($1 <= $2) ? \"met\" : \"missed\""; }

{
	echo "# Benchmarks"
	echo
	echo "Measured by \`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo),"
	echo "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(go version | awk '{print $3}'), Xvfb, software OpenGL; load average"
	echo "$LOAD_BEFORE before and $LOAD_AFTER after. Both programs built with \`go build -ldflags \"-s -w\"\`${TAGS:+ -tags $TAGS}."
	echo
	echo "| figure | baseline | app | app vs baseline | target | |"
	echo "|---|---|---|---|---|---|"
	echo "| exec → window mapped | ${s_base} ms | ${s_app} ms | $(calc "printf \"%.2f×\", $s_ratio") | ≤ 1.15× | $(goodness "$s_ratio" 1.15) |"
	echo "| exec → first frame | ${f_base} ms | ${f_app} ms | $(calc "printf \"%.2f×\", $f_ratio") | | |"
	echo "| peak RSS | $(calc "printf \"%.1f\", $r_base / 1024") MiB | $(calc "printf \"%.1f\", $r_app / 1024") MiB | $(ratio "$r_app" "$r_base"), $(calc "printf \"%+.1f\", ($r_app - $r_base) / 1024") MiB | ≤ +20 MiB | $(goodness "($r_app - $r_base) / 1024" 20) |"
	echo "| CPU, idle ${IDLE} s | ${c_base} % | ${c_app} % | $(ratio "$c_app" "$c_base"), $(calc "printf \"%+.3f\", $c_app - $c_base") pp | ≤ +0.5 pp | $(goodness "$c_app - $c_base" 0.5) |"
	echo "| stripped binary | $(calc "printf \"%.1f\", $size_base / 1048576") MiB | $(calc "printf \"%.1f\", $size_app / 1048576") MiB | $(ratio "$size_app" "$size_base"), $(calc "printf \"%+.1f\", ($size_app - $size_base) / 1e6") MB | ≤ +5 MB | $(goodness "($size_app - $size_base) / 1e6" 5) |"
	echo
	echo "How it measures:"
	echo
	echo "- **Startup**: $STARTS rounds, each starting both programs, the baseline first in every other round (a"
	echo "  program that follows the other's exit starts slower), each alone and ended 1 s after its"
	echo "  first frame. bench/startup runs the program and takes the times from X events, not by polling: the"
	echo "  MapNotify of the window with the program's title, seen on the root window, and its first frame, the"
	echo "  first DAMAGE report on that window after which its pixels are no longer all one colour. The ratio is"
	echo "  the median of each round's app/baseline, so that both programs of a round met the same load."
	echo "- **Peak RSS and idle CPU**: $RUNS rounds of both programs in the same alternating order, each left $((IDLE + 5)) s: CPU (utime +"
	echo "  stime) over the last $IDLE s, VmHWM at the end. The app shows the Tokens screen of a sandbox account"
	echo "  (bench/seed) with the access, refresh and client token counting down; the baseline updates one label"
	echo "  a second."
	echo "- Medians throughout. Other programs on the machine move the figures; the load average above says how"
	echo "  busy it was. bench/compare.sh runs the startup and peak RSS of any programs the same way, for"
	echo "  experiments."
	echo
	echo "Raw runs: startup (mapped ms, first frame ms), then steady (peak RSS KiB, CPU %):"
	echo
	echo '```'
	for who in baseline app; do
		echo "$who startup:"; printf '%s' "${starts[$who]}"
	done
	for who in baseline app; do
		echo "$who steady:"; printf '%s' "${runs[$who]}"
	done
	echo '```'
	echo
	if [ "$GOBENCH" = 1 ]; then
		echo "## Go benchmarks"
		echo
		echo '```'
		gobench -run '^$' -bench . -benchmem -count 1 ./auth/ ./storage/ ./ui/
		echo '```'
		echo
		echo "UI goroutine responsiveness (BenchmarkUIResponsiveness: /state round trips through fyne.DoAndWait in the"
		echo "real window while Refresh and Verify wait on a sandbox answering after 2 s; each op is the two calls):"
		echo
		echo '```'
		gobench -run '^$' -bench UIResponsiveness -benchtime 3x -count 1 .
		echo '```'
	fi
	if [ -f bench/NOTES.md ]; then echo; cat bench/NOTES.md; fi
} >"$REPORT"
cat "$REPORT"
