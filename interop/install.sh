#!/usr/bin/env bash
# Installs what the interop tests need on Debian or Ubuntu: usrsctp's
# example programs (package libusrsctp-examples, in /usr/lib/usrsctp)
# and a C compiler for the preload shim that silences their debug
# tracing. Without root or apt-get it says why and installs nothing; the
# tests then skip, saying so.
set -euo pipefail

need=()
[ -x /usr/lib/usrsctp/tsctp ] || need+=(libusrsctp-examples)
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)

if [ ${#need[@]} -eq 0 ]; then
	echo "interop: usrsctp's example programs and a C compiler are present"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "interop: not root, not installing ${need[*]}: the usrsctp interop tests will skip"
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "interop: no apt-get, not installing ${need[*]}: the usrsctp interop tests will skip"
	exit 0
fi
echo "interop: installing ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
