# Build, test, lint, fuzz and benchmark the project. Every target works on
# a fresh machine with only Go installed; tools the targets need are
# installed at pinned versions into $(GOBIN).

GO          ?= go
GOBIN       ?= $(shell $(GO) env GOPATH)/bin
FUZZTIME    ?= 3s
BENCHTIME   ?= 1s
STATICCHECK_VERSION ?= v0.8.2
STATICCHECK := $(GOBIN)/staticcheck

.PHONY: all build demo demo-enrp test vet race fuzz-smoke fuzz lint bench bench-failover bench-peers bench-rserpool bench-session interop staticcheck clean

all: build test

build:
	$(GO) build ./...

# The README's main job: a registrar, three pool elements and a pool
# user on loopback over UDP-encapsulated SCTP, unprivileged; one pool
# element is killed and the user carries on (scripts/demo.sh).
demo:
	scripts/demo.sh

# Two registrars peering over ENRP; the first is killed with kill -9, the
# second takes over its pool elements while a pool user carries on
# (scripts/demo-enrp.sh).
demo-enrp:
	scripts/demo-enrp.sh

# The README's test command: vet, the race-enabled test suite, and a short
# run of every fuzz target (FUZZTIME each).
test: vet race fuzz-smoke

vet:
	$(GO) vet ./...

race:
	$(GO) test -race -count=1 ./...

fuzz-smoke:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

# A long fuzzing campaign: make fuzz FUZZTIME=10m
fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

lint: $(STATICCHECK)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

$(STATICCHECK):
	GOBIN=$(GOBIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

clean:
	$(GO) clean -testcache

# Association failover, two paths, the primary cut: in simnet (virtual
# time) and, as root, over UDP between two network namespaces joined by
# veth pairs. Writes bench/results/failover/.
bench-failover:
	cd bench && $(GO) test -count=1 -v -run 'TestFailover(Simnet|Veth)$$' ./failover/ -failover.out=../results/failover -failover.veth

# This stack beside pion/sctp, usrsctp's tsctp and raw UDP on loopback:
# bulk 1000-byte and 64 KiB messages, ping-pong latency. Writes
# bench/results/peers/ (about 5 minutes).
bench-peers:
	bench/peers/run.sh

# sctpcat and sctpperf against usrsctp's example programs
# (interop/install.sh installs them); also part of `make race`.
interop:
	$(GO) test -race -count=1 ./interop/

# A registrar with 10,000 pool elements in 100 pools: registrations and
# resolutions per second in process and over UDP on loopback, latency,
# memory per element. Writes bench/results/rserpool/ (about a minute).
bench-rserpool:
	cd bench && $(GO) test -count=1 -v -timeout 10m -run 'TestRserpoolBench$$' ./rserpool/ -rserpool.out=../results/rserpool

# Session failover under load: pool elements killed at random, in simnet
# and as processes on loopback. Writes bench/results/session/.
bench-session:
	cd bench && $(GO) test -count=1 -v -timeout 10m -run 'Test(Simnet|Loopback)Failover$$' ./session/ -loopback -update
