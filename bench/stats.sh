# Helpers of the benchmark scripts, sourced by them: medians and ratios of
# rows of space-separated figures, one run a line.

# median → the median of the numbers on standard input, one a line.
median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
# col ROWS COLUMN → the median of a column
col() { printf '%s' "$1" | awk -v c="$2" 'NF {print $c}' | median; }
# paired BASE_ROWS APP_ROWS COLUMN → the median over rounds of app/baseline,
# the rows of both in the order they ran
paired() {
	paste <(printf '%s' "$1") <(printf '%s' "$2") |
		awk -v c="$3" 'NF {print $(c + 2) / $c}' | median
}
# calc STATEMENTS runs awk's statements on numbers spliced in by the caller.
calc() { awk "BEGIN {$1}"; }
# idle_use PID SECONDS → "peak_rss_kib cpu_pct": the CPU (utime + stime)
# PID uses over the next SECONDS, and its VmHWM after them.
idle_use() {
	local a b
	a=$(awk '{print $14+$15}' "/proc/$1/stat")
	sleep "$2"
	b=$(awk '{print $14+$15}' "/proc/$1/stat")
	echo "$(awk '/VmHWM/ {print $2}' "/proc/$1/status") $(awk -v d=$((b - a)) -v t="$(getconf CLK_TCK)" -v s="$2" 'BEGIN {printf "%.3f", d / t / s * 100}')"
}

# order I → the two programs in the order of round I: the first alternates,
# since a program that follows the other's exit starts slower.
order() {
	if (($1 % 2)); then echo app baseline; else echo baseline app; fi
}
