#!/usr/bin/env bash
# The README's main job: RSerPool on one machine, unprivileged. A
# registrar, three pool elements of an echo pool and a pool user, each
# its own process on its own loopback address, talking SCTP over UDP
# (RFC 6951, port 9899). The pool user sends a numbered message every
# 100 ms; the pool element serving it is killed half way; the user
# reports it, switches to another one and carries on with no gap.
set -euo pipefail
cd "$(dirname "$0")/.."

net=127.83.0 # the demo's loopback addresses: $net.1 to $net.5
count=${DEMO_COUNT:-50}
kill_at=${DEMO_KILL_AT:-20}

. scripts/demo-lib.sh

say "Building the registrar, the pool element server and the pool user terminal..."
go build -o "$work" ./cmd/rspregistrar ./cmd/rspserver ./cmd/rspterminal ./cmd/hsdump

say "Starting a registrar at $net.1 (ASAP on SCTP port 3863, carried in UDP port 9899)."
"$work/rspregistrar" -asap "$net.1:3863" -no-announce -hsdump-addr "$net.1:8863" \
	-keepalive-interval 1s -keepalive-timeout 1s 2>"$work/registrar.log" &
pids+=($!)

declare -A pe_pid
for i in 2 3 4; do
	"$work/rspserver" -poolhandle EchoPool -echo -local "$net.$i" -registrar "$net.1:3863" 2>"$work/pe$i.log" &
	pe_pid[$net.$i]=$!
	pids+=($!)
	disown $! # its death by kill -9 is the demo's, not an error to report
done
say "Starting three pool elements of the pool \"EchoPool\" at $net.2, $net.3 and $net.4; each registers with the registrar."

# Wait (at most 10 s) until the registrar knows all three.
for _ in $(seq 100); do
	n=$("$work/hsdump" -addr "$net.1:8863" -json 2>/dev/null | grep -o '"home"' | wc -l || true)
	[ "${n:-0}" -ge 3 ] && break
	sleep 0.1
done
say "The registrar's handlespace:"
"$work/hsdump" -addr "$net.1:8863" || true

say "Starting a pool user at $net.5: it asks the registrar for the pool, picks a pool element by the pool's policy (round robin) and sends \"message 1\" to \"message $count\", one every 100 ms; each line below is an answer."
"$work/rspterminal" -poolhandle EchoPool -registrar "$net.1:3863" -local "$net.5" -count "$count" -interval 100ms \
	>"$work/user.out" 2>"$work/user.err" &
user=$!
pids+=($user)

# Show the answers as they come; kill the serving pool element after
# $kill_at of them.
shown=0
killed=""
while kill -0 "$user" 2>/dev/null || [ "$shown" -lt "$(wc -l <"$work/user.out")" ]; do
	total=$(wc -l <"$work/user.out")
	while [ "$shown" -lt "$total" ]; do
		shown=$((shown + 1))
		echo "  answer: $(sed -n "${shown}p" "$work/user.out")"
		if [ "$shown" = "$kill_at" ] && [ -z "$killed" ]; then
			serving=$(grep -o "connected to pool element .* at [0-9.]*" "$work/user.err" | tail -1 | awk '{print $NF}')
			if [ -n "$serving" ] && [ -n "${pe_pid[$serving]:-}" ]; then
				say "Killing the pool element at $serving (kill -9: no goodbye to anyone)."
				kill -9 "${pe_pid[$serving]}"
				killed=$serving
			fi
		fi
	done
	if grep -q "failed" "$work/user.err" 2>/dev/null && [ -z "${noticed:-}" ]; then
		noticed=1
		say "The pool user noticed: $(grep failed "$work/user.err" | head -1)"
	fi
	sleep 0.05
done
wait "$user" && status=0 || status=$?

got=$(wc -l <"$work/user.out")
missing=$(missing_answers "$count" "$work/user.out")
echo
if [ -n "$killed" ] && [ "$status" = 0 ] && [ "$got" = "$count" ] && [ "$missing" = 0 ]; then
	say "Done: the pool element at $killed died after answer $kill_at; the pool user reported it to the registrar, switched to another pool element and got all $count answers, none missing, none twice."
else
	say "Something went wrong: exit status $status, $got answers of $count, $missing missing, killed '${killed}'."
	echo "--- pool user stderr"; cat "$work/user.err"
	echo "--- registrar log"; tail -20 "$work/registrar.log"
	exit 1
fi
# The registrar removes the dead pool element when it stops answering
# keep-alives (1 s apart here, 1 s to answer); wait for it (at most 10 s).
for _ in $(seq 100); do
	n=$("$work/hsdump" -addr "$net.1:8863" -json 2>/dev/null | grep -o '"home"' | wc -l || true)
	[ "${n:-3}" -le 2 ] && break
	sleep 0.1
done
say "The registrar sent the dead pool element a keep-alive, got no answer and removed it; its handlespace now:"
"$work/hsdump" -addr "$net.1:8863" || true
