package wire_test

import (
	"bytes"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/sctp/wire"
)

// TestCaptures walks every SCTP packet recorded from the Linux kernel,
// usrsctp and rsplib: each parses, its CRC32c verifies, every chunk
// decodes into its type's struct and re-encodes to the bytes on the wire
// (padding included), and so does every parameter and error cause inside.
func TestCaptures(t *testing.T) {
	seen := map[wire.ChunkType]int{}
	params := map[wire.ParamType]int{}
	causes := map[wire.CauseCode]int{}
	total := 0
	for _, path := range pcaptest.Captures(t) {
		pkts, err := pcaptest.ReadSCTP(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(pkts) == 0 {
			t.Fatalf("%s: no SCTP packet", path)
		}
		for _, p := range pkts {
			where := filepath.Base(path) + " frame " + strconv.Itoa(p.Index)
			pkt, err := wire.ParsePacket(p.SCTP)
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			if !pkt.VerifyChecksum() {
				t.Fatalf("%s: checksum does not verify", where)
			}
			total++
			it := pkt.Chunks()
			for c, ok := it.Next(); ok; c, ok = it.Next() {
				if !c.Type().Known() {
					t.Fatalf("%s: unknown chunk type %v", where, c.Type())
				}
				d, err := wire.DecodeChunk(c)
				if err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				seen[c.Type()]++
				onWire := p.SCTP[c.Offset() : c.Offset()+(c.Len()+3)&^3]
				if got := d.Append(nil); !bytes.Equal(got, onWire) {
					t.Fatalf("%s: %v re-encodes differently\nwire %x\n got %x", where, c.Type(), onWire, got)
				}
				checkLists(t, where, d, params, causes)
			}
		}
	}
	t.Logf("%d packets; chunks %v; parameters %v; causes %v", total, seen, params, causes)
	// What the recordings are known to hold: the handshake, data transfer,
	// heartbeats, shutdown, and the parameters of real INITs.
	for _, ct := range []wire.ChunkType{wire.ChunkInit, wire.ChunkInitAck, wire.ChunkCookieEcho, wire.ChunkCookieAck,
		wire.ChunkData, wire.ChunkSack, wire.ChunkHeartbeat, wire.ChunkHeartbeatAck} {
		if seen[ct] == 0 {
			t.Errorf("no %v chunk in the captures", ct)
		}
	}
	for _, pt := range []wire.ParamType{wire.ParamIPv4Address, wire.ParamStateCookie, wire.ParamSupportedExtensions, wire.ParamForwardTSNSupported} {
		if params[pt] == 0 {
			t.Errorf("no %v parameter in the captures", pt)
		}
	}
}

// checkLists re-encodes each parameter and cause that a decoded chunk
// carries and compares it with its bytes on the wire.
func checkLists(t *testing.T, where string, d wire.DecodableChunk, params map[wire.ParamType]int, causes map[wire.CauseCode]int) {
	t.Helper()
	var ps wire.Params
	var cs wire.Causes
	switch v := d.(type) {
	case *wire.Init:
		ps = v.Params
	case *wire.InitAck:
		ps = v.Params
	case *wire.ASCONF:
		ps = v.Params
	case *wire.ASCONFAck:
		ps = v.Params
	case *wire.Reconfig:
		ps = v.Params
	case *wire.Abort:
		cs = v.Causes
	case *wire.ErrorChunk:
		cs = v.Causes
	}
	pit := ps.Iter()
	for p, ok := pit.Next(); ok; p, ok = pit.Next() {
		dp, err := wire.DecodeParam(p)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		params[p.Type()]++
		if got, want := dp.Append(nil), p.Bytes(); !bytes.Equal(got[:len(want)], want) {
			t.Fatalf("%s: %v parameter re-encodes differently\nwire %x\n got %x", where, p.Type(), want, got)
		}
	}
	cit := cs.Iter()
	for c, ok := cit.Next(); ok; c, ok = cit.Next() {
		dc, err := wire.DecodeCause(c)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		causes[c.Code()]++
		if got, want := dc.Append(nil), c.Bytes(); !bytes.Equal(got[:len(want)], want) {
			t.Fatalf("%s: %v cause re-encodes differently\nwire %x\n got %x", where, c.Code(), want, got)
		}
	}
}
