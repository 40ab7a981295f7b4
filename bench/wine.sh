#!/usr/bin/env bash
# Measures the Windows build against the Windows build of bench/baseline,
# both run by wine under Xvfb: indicative figures, not a gate (wine is not
# Windows, and its drawing goes through the same software OpenGL). Run it
# with `make bench-wine`, which provides wine and the display
# (.ci/wine-session); it writes docs/BENCHMARKS-windows.md.
#
# The same method as bench/run.sh: STARTS rounds of startup from X events,
# the two programs in turn, then RUNS rounds of peak RSS and CPU over IDLE
# seconds on the Tokens screen of a sandbox account (bench/seed, run under
# wine too, so that its secrets are in wine's Credential Manager).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
# shellcheck source=bench/stats.sh
. bench/stats.sh
RUNS=${RUNS:-3}
IDLE=${IDLE:-30}
STARTS=${STARTS:-7}
TAGS=${TAGS:-}
REPORT=${REPORT:-docs/BENCHMARKS-windows.md}
OUT=build/bench/windows
mkdir -p "$OUT"
: "${WINEPREFIX:?bench/wine.sh runs inside .ci/wine-session: run make bench-wine}"

# Built as fyne package -release builds the shipped .exe: a GUI program.
win=(env CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1 GOOS=windows GOARCH=amd64)
"${win[@]}" go build -tags "release,$TAGS" -ldflags "-s -w -H=windowsgui" -o "$OUT/douyin-auth-desk.exe" .
"${win[@]}" go build -tags "release,$TAGS" -ldflags "-s -w -H=windowsgui" -o "$OUT/baseline.exe" ./bench/baseline
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -o "$OUT/seed.exe" ./bench/seed
go build -o build/bench/startup ./bench/startup

# A fresh prefix has no Latin face of its own in C:\Windows\Fonts, only the
# CJK one .ci/wine-session adds, so Fyne would fall back on that 20 MB face
# for every text style: Windows has Arial and Segoe UI there, which DejaVu
# stands in for.
cp /usr/share/fonts/truetype/dejavu/DejaVuSans{,-Bold,Mono,Mono-Bold}.ttf "$WINEPREFIX/drive_c/windows/Fonts/"

CONFIG=$(mktemp -d)
DOUYIN_AUTH_DESK_CONFIG_DIR=$(winepath -w "$CONFIG")
export DOUYIN_AUTH_DESK_CONFIG_DIR LANG=en_US.UTF-8
wine "$OUT/seed.exe"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
LOG=$OUT/programs.log
: >"$LOG"

declare -A bins=([app]=$OUT/douyin-auth-desk.exe [baseline]=$OUT/baseline.exe)
declare -A titles=([app]="Douyin Auth Desk" [baseline]=Baseline)

# winpid WHO → the pid of the running Windows program (wine's own process
# for it, whose command line names the .exe).
winpid() { pgrep -n -f "$(basename "${bins[$1]}")"; }

# start WHO → starts the program and prints "mapped_ms frame_ms"
start() {
	local out pid mapped frame
	out=$(build/bench/startup -title "${titles[$1]}" -- wine "${bins[$1]}" 2>>"$LOG")
	read -r pid mapped frame <<<"$out"
	awk -v m="$mapped" -v f="$frame" 'BEGIN {printf "%.1f %.1f\n", m / 1000, f / 1000}'
}

# stop WHO ends the program and waits for it.
stop() {
	local pid
	pid=$(winpid "$1")
	kill "$pid"
	while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
	sleep 0.5
}

declare -A starts runs
for i in $(seq "$STARTS"); do
	for who in $(order "$i"); do
		starts[$who]+="$(start $who)"$'\n'
		sleep 1
		stop $who
	done
done
for i in $(seq "$RUNS"); do
	for who in $(order "$i"); do
		start $who >/dev/null
		sleep 5
		use=$(idle_use "$(winpid $who)" "$IDLE")
		if [ "$who" = app ]; then import -window root "$OUT/tokens-idle.png"; fi
		stop $who
		runs[$who]+="$use"$'\n'
	done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

s_base=$(col "${starts[baseline]}" 1) s_app=$(col "${starts[app]}" 1) s_ratio=$(paired "${starts[baseline]}" "${starts[app]}" 1)
f_base=$(col "${starts[baseline]}" 2) f_app=$(col "${starts[app]}" 2) f_ratio=$(paired "${starts[baseline]}" "${starts[app]}" 2)
r_base=$(col "${runs[baseline]}" 1) r_app=$(col "${runs[app]}" 1)
c_base=$(col "${runs[baseline]}" 2) c_app=$(col "${runs[app]}" 2)
size_app=$(stat -c %s "$OUT/douyin-auth-desk.exe")
size_base=$(stat -c %s "$OUT/baseline.exe")

{
	echo "# Benchmarks: Windows, under wine (indicative)"
	echo
	echo "Measured by \`make bench-wine\` (bench/wine.sh) on $(date -u +%Y-%m-%d): $(wine --version), Xvfb, software"
	echo "OpenGL; load average $LOAD_BEFORE before and $LOAD_AFTER after. Both programs cross-built with mingw-w64 as"
	echo "the release is (\`-tags release${TAGS:+,$TAGS} -ldflags \"-s -w -H=windowsgui\"\`). Wine is not Windows: these"
	echo "figures compare the two programs, they do not say how fast either is on Windows."
	echo
	echo "| figure | baseline | app | app vs baseline |"
	echo "|---|---|---|---|"
	echo "| exec → window mapped | ${s_base} ms | ${s_app} ms | $(calc "printf \"%.2f×\", $s_ratio") |"
	echo "| exec → first frame | ${f_base} ms | ${f_app} ms | $(calc "printf \"%.2f×\", $f_ratio") |"
	echo "| peak RSS | $(calc "printf \"%.1f\", $r_base / 1024") MiB | $(calc "printf \"%.1f\", $r_app / 1024") MiB | $(calc "printf \"%+.1f\", ($r_app - $r_base) / 1024") MiB |"
	echo "| CPU, idle ${IDLE} s | ${c_base} % | ${c_app} % | $(calc "printf \"%+.3f\", $c_app - $c_base") pp |"
	echo "| .exe | $(calc "printf \"%.1f\", $size_base / 1048576") MiB | $(calc "printf \"%.1f\", $size_app / 1048576") MiB | $(calc "printf \"%+.1f\", ($size_app - $size_base) / 1e6") MB |"
	echo
	echo "$STARTS startup rounds and $RUNS steady rounds of $((IDLE + 5)) s, medians; RSS and CPU are those of wine's process"
	echo "for the program. Raw runs: startup (mapped ms, first frame ms), then steady (peak RSS KiB, CPU %):"
	echo
	echo '```'
	for who in baseline app; do echo "$who startup:"; printf '%s' "${starts[$who]}"; done
	for who in baseline app; do echo "$who steady:"; printf '%s' "${runs[$who]}"; done
	echo '```'
} >"$REPORT"
cat "$REPORT"
