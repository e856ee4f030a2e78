# What the demos share; sourced by scripts/demo.sh and scripts/demo-enrp.sh.
# It makes the work directory, records the processes started in pids,
# and stops them all on exit.

work=$(mktemp -d)
pids=()

# cleanup stops every process the demo started, the last started first
# (pool elements deregister while their registrar still runs), waits at
# most 10 s for them to exit, and kills what is left.
cleanup() {
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
	for _ in $(seq 100); do
		alive=0
		for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ "$alive" = 0 ] && break
		sleep 0.1
	done
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

say() { printf '\033[1m%s\033[0m\n' "$*"; }

# missing_answers prints how many of "message 1" to "message $1" the
# pool user's output file $2 lacks.
missing_answers() {
	local n=0
	for i in $(seq "$1"); do
		grep -qx "message $i" "$2" || n=$((n + 1))
	done
	echo "$n"
}
