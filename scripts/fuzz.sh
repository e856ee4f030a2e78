#!/usr/bin/env bash
# Runs every Go fuzz target of the module for FUZZTIME (default 3s) each,
# one after the other. A target that finds a failure stops the run; Go
# writes the failing input under the package's testdata/fuzz/ for replay.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-3s}
parallel=${FUZZPARALLEL:-$(nproc)}
status=0
while read -r pkg; do
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		echo "== $pkg $target ($fuzztime)"
		if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -parallel "$parallel" "$pkg"; then
			status=1
			break 2
		fi
	done
done < <(go list ./...)
exit $status
