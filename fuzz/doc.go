// Package fuzz holds the fuzz targets that cross package lines: the SCTP
// packet, parameter and error cause parsers with their round-trip
// invariants, the RSerPool message parsers, and a differential check of
// the SCTP decoder against gopacket's. Seed corpora are committed under
// testdata/fuzz/<Target>/. Run one with
//
//	go test -run '^$' -fuzz '^FuzzSCTPPacket$' -fuzztime 10m ./fuzz/
//
// or all of them with `make fuzz FUZZTIME=10m`.
package fuzz
