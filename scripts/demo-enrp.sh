#!/usr/bin/env bash
# Registrars that back each other up (ENRP, RFC 5353), on one machine,
# unprivileged. Two registrars peer over ENRP, each its own process on
# its own loopback address; three echo pool elements register with the
# first; a pool user resolves the pool at the second and sends a
# numbered message every 100 ms. The first registrar is killed with
# kill -9 half way: the second notices its silence, takes it over, and
# becomes the home of its pool elements (keep-alives with the H flag),
# while the pool user's messages go on without a gap.
set -euo pipefail
cd "$(dirname "$0")/.."

net=127.84.0 # the demo's loopback addresses: $net.1 to $net.6
count=${DEMO_COUNT:-80}
kill_at=${DEMO_KILL_AT:-15}
# ENRP timers (RFC 5353 §4.2), short for the demo: a heartbeat every
# second, a peer silent for 2 s is asked for a reply, 1 s to answer.
timers=(-peer-heartbeat 1s -max-time-last-heard 2s -max-time-no-response 1s -keepalive-interval 1s -keepalive-timeout 1s)

. scripts/demo-lib.sh
# homes ADDR: the pool elements of a registrar's handlespace, "id@home".
homes() {
	"$work/hsdump" -addr "$1:8863" -json 2>/dev/null |
		tr -d ' \n' | grep -o '"id":[0-9]*,"home":[0-9]*' | sed 's/"id":\([0-9]*\),"home":\([0-9]*\)/\1@\2/' || true
}

say "Building the registrar, the pool element server, the pool user terminal and hsdump..."
go build -o "$work" ./cmd/rspregistrar ./cmd/rspserver ./cmd/rspterminal ./cmd/hsdump

say "Starting registrar A at $net.1 (server id 0x0000000a): ASAP on SCTP port 3863, ENRP on SCTP port 9901, each over UDP."
"$work/rspregistrar" -id 0xa -asap "$net.1:3863" -enrp "$net.1:9901" -no-announce -no-enrp-multicast -hsdump-addr "$net.1:8863" \
	"${timers[@]}" 2>"$work/registrarA.log" &
reg_a=$!
pids+=($reg_a)
disown $reg_a # its death by kill -9 is the demo's, not an error to report
say "Starting registrar B at $net.2 (server id 0x0000000b) with A as its ENRP peer (-peer $net.1:9901): it asks A for the server list and the handlespace."
"$work/rspregistrar" -id 0xb -asap "$net.2:3863" -enrp "$net.2:9901" -peer "$net.1:9901" -no-announce -no-enrp-multicast -hsdump-addr "$net.2:8863" \
	"${timers[@]}" 2>"$work/registrarB.log" &
pids+=($!)

for i in 3 4 5; do
	"$work/rspserver" -poolhandle EchoPool -echo -local "$net.$i" -registrar "$net.1:3863" -lifetime 300s 2>"$work/pe$i.log" &
	pids+=($!)
done
say "Starting three pool elements of \"EchoPool\" at $net.3, $net.4 and $net.5; each registers with registrar A only."

# Wait (at most 10 s) until B holds all three, learned from A by ENRP.
for _ in $(seq 100); do
	[ "$(homes "$net.2" | grep -c '@10$' || true)" -ge 3 ] && break
	sleep 0.1
done
say "Registrar B's handlespace, told by A's ENRP_HANDLE_UPDATEs: the HOME column names A (0x0000000a)."
"$work/hsdump" -addr "$net.2:8863" || true

say "Starting a pool user at $net.6 that knows only registrar B: it resolves EchoPool there and sends \"message 1\" to \"message $count\", one every 100 ms."
"$work/rspterminal" -poolhandle EchoPool -registrar "$net.2:3863" -local "$net.6" -count "$count" -interval 100ms \
	>"$work/user.out" 2>"$work/user.err" &
user=$!
pids+=($user)

shown=0
killed=""
killed_at=0
adopted=""
while kill -0 "$user" 2>/dev/null || [ "$shown" -lt "$(wc -l <"$work/user.out")" ]; do
	total=$(wc -l <"$work/user.out")
	while [ "$shown" -lt "$total" ]; do
		shown=$((shown + 1))
		echo "  answer: $(sed -n "${shown}p" "$work/user.out")"
		if [ "$shown" = "$kill_at" ] && [ -z "$killed" ]; then
			say "Killing registrar A (kill -9: no goodbye to anyone). B will find it silent and take it over."
			kill -9 "$reg_a"
			killed=1
			killed_at=$(date +%s%N)
		fi
	done
	if [ -n "$killed" ] && [ -z "$adopted" ] && [ "$(homes "$net.2" | grep -c '@11$' || true)" -ge 3 ]; then
		adopted=$((($(date +%s%N) - killed_at) / 1000000))
		say "Registrar B took A over ${adopted} ms after the kill: it is now the home of the three pool elements."
	fi
	sleep 0.05
done
wait "$user" && status=0 || status=$?

got=$(wc -l <"$work/user.out")
missing=$(missing_answers "$count" "$work/user.out")
# The takeover may end after the last answer with other settings; wait
# for it (at most 10 s).
for _ in $(seq 100); do
	[ "$(homes "$net.2" | grep -c '@11$' || true)" -ge 3 ] && break
	sleep 0.1
done
echo
say "Registrar B's handlespace now: the HOME column names B (0x0000000b)."
"$work/hsdump" -addr "$net.2:8863" || true
say "What the pool elements logged when B's keep-alive with the H flag reached them:"
grep -h "took the pool element over" "$work"/pe*.log | sed 's/^/  /' || true
say "What registrar B logged:"
grep -E "presumed dead|took over" "$work/registrarB.log" | sed 's/^/  /' || true
adopted_pes=$(grep -l "took the pool element over" "$work"/pe*.log 2>/dev/null | wc -l)
echo
if [ -n "$killed" ] && [ "$status" = 0 ] && [ "$got" = "$count" ] && [ "$missing" = 0 ] &&
	[ "$(homes "$net.2" | grep -c '@11$' || true)" = 3 ] && [ "$adopted_pes" = 3 ]; then
	say "Done: registrar A died after answer $kill_at; registrar B took over its three pool elements and the pool user got all $count answers, none missing, none twice."
else
	say "Something went wrong: exit status $status, $got answers of $count, $missing missing, $adopted_pes pool elements adopted."
	echo "--- pool user stderr"; cat "$work/user.err"
	echo "--- registrar B log"; tail -30 "$work/registrarB.log"
	exit 1
fi
