#!/bin/sh
# The peer benchmark (make bench-peers): this project's SCTP stack,
# pion/sctp and usrsctp over loopback UDP, with raw UDP datagrams as the
# floor. Builds the programs of bench/peers into a temporary directory,
# the usrsctp pieces with cc when there is one, and runs the driver,
# which writes bench/results/peers/. Extra arguments go to the driver
# (for example -runs 5, -duration 5s, -only rserpool).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bench=$(dirname "$here")
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT INT TERM

cd "$bench"
go build -o "$bin/" ./peers/rserpool ./peers/pion ./peers/udp ./peers/driver

shim=
if command -v cc >/dev/null 2>&1; then
	if cc -shared -fPIC -O2 -o "$bin/nodebug.so" peers/usrsctp/nodebug.c; then
		shim="$bin/nodebug.so"
	fi
	lib=
	for f in /usr/lib/*/libusrsctp.so.2 /usr/lib/libusrsctp.so.2 /usr/local/lib/libusrsctp.so.2; do
		if [ -e "$f" ]; then lib=$f; break; fi
	done
	if [ -n "$lib" ]; then
		cc -O2 -o "$bin/pingpong" peers/usrsctp/pingpong.c "$lib" -lpthread ||
			echo "run.sh: building the usrsctp ping-pong failed; it is left out" >&2
	else
		echo "run.sh: libusrsctp.so.2 not found (Debian package libusrsctp2); usrsctp's ping-pong is left out" >&2
	fi
else
	echo "run.sh: no C compiler: tsctp runs with its per-packet debug output, and usrsctp's ping-pong is left out" >&2
fi

"$bin/driver" -bin "$bin" -out results/peers -shim "$shim" "$@"
