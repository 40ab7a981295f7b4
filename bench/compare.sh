#!/usr/bin/env bash
# Compares the start of several window programs, interleaved so that they
# share the machine's load, each round in a rotated order: for each, the
# median time from exec to the window mapped and to its first frame
# (bench/startup), and the peak RSS SETTLE seconds after the frame; then
# each one's median of paired ratios against the first program. Run inside .ci/desktop-session, after
# building build/bench/startup:
#
#	N=11 SETTLE=3 bench/compare.sh "Baseline=build/bench/baseline" "Douyin Auth Desk=build/bench/douyin-auth-desk"
#
# Each argument is TITLE=PROGRAM; PROGRAM may carry arguments and is found
# from DIR (by default the work tree).
set -euo pipefail
shopt -s inherit_errexit
# shellcheck source=bench/stats.sh
. "$(dirname "$0")/stats.sh"
cd "${DIR:-$(dirname "$0")/..}"
N=${N:-11}
SETTLE=${SETTLE:-3}
STARTUP=${STARTUP:-build/bench/startup}
: "${DISPLAY:?bench/compare.sh needs an X display: run it inside .ci/desktop-session}"

# once TITLE PROGRAM… → prints "mapped_ms frame_ms hwm_kib"
once() {
	local title=$1 out pid
	shift
	# shellcheck disable=SC2086
	out=$("$STARTUP" -title "$title" -- $*)
	read -r pid mapped frame <<<"$out"
	sleep "$SETTLE"
	local hwm
	hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
	kill "$pid"
	while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
	sleep 0.5
	awk -v m="$mapped" -v f="$frame" -v h="$hwm" 'BEGIN {printf "%.1f %.1f %d\n", m / 1000, f / 1000, h}'
}


# Each round starts with the next program: one that follows another's exit
# starts slower, and no program always follows the same one.
declare -a rows
for i in $(seq "$N"); do
	for k in $(seq 0 $(($# - 1))); do
		j=$(((i + k) % $#))
		arg=${*:j+1:1}
		rows[j]+="$(once "${arg%%=*}" "${arg#*=}")"$'\n'
	done
done

progcol() { printf '%s' "${rows[$1]}" | awk -v c="$2" 'NF {print $c}' | median; }
# pairs A B COL → median over runs of B/A (COL 3: B−A in MiB)
pairs() {
	paste <(printf '%s' "${rows[$1]}") <(printf '%s' "${rows[$2]}") |
		awk -v c="$3" 'NF {if (c == 3) print ($(c+3) - $c) / 1024; else print $(c+3) / $c}' | median
}

printf '%-40s %9s %9s %9s %9s %9s %9s\n' program mapped_ms frame_ms hwm_MiB mapped× frame× +MiB
for j in $(seq 0 $(($# - 1))); do
	arg=${*:j+1:1}
	printf '%-40s %9s %9s %9.1f %9.3f %9.3f %9.1f\n' "${arg#*=}" "$(progcol "$j" 1)" "$(progcol "$j" 2)" \
		"$(awk -v k="$(progcol "$j" 3)" 'BEGIN {print k / 1024}')" "$(pairs 0 "$j" 1)" "$(pairs 0 "$j" 2)" "$(pairs 0 "$j" 3)"
done
if [ -n "${RAW:-}" ]; then
	for j in $(seq 0 $(($# - 1))); do echo "${*:j+1:1}:"; printf '%s' "${rows[j]}"; done
fi
