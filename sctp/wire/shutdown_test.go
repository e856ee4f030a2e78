package wire

import (
	"bytes"
	"testing"
)

func TestShutdownWire(t *testing.T) {
	// RFC 9260 §3.3.8, §3.3.9 and §3.3.13 figures, as Linux sent them
	// (kernel-client-to-usrsctp-echo_server-udpencap.pcap).
	for _, tc := range []struct {
		c    chunkDecoder
		want []byte
	}{
		{&Shutdown{CumTSNAck: 0xc2b74677}, []byte{7, 0, 0, 8, 0xc2, 0xb7, 0x46, 0x77}},
		{&ShutdownAck{}, []byte{8, 0, 0, 4}},
		{&ShutdownComplete{}, []byte{14, 0, 0, 4}},
		{&ShutdownComplete{TBit: true}, []byte{14, 1, 0, 4}},
	} {
		if got := tc.c.Append(nil); !bytes.Equal(got, tc.want) {
			t.Errorf("%v: got %x want %x", tc.c.ChunkType(), got, tc.want)
		}
	}
}

func TestShutdownRoundTrip(t *testing.T) {
	for _, tsn := range []TSN{0, 1, 0xffffffff} {
		in := Shutdown{CumTSNAck: tsn}
		var out Shutdown
		roundTripChunk(t, &in, &out)
		if out != in {
			t.Fatalf("decoded %+v, want %+v", out, in)
		}
	}
	roundTripChunk(t, &ShutdownAck{}, new(ShutdownAck))
	for _, tb := range []bool{false, true} {
		in := ShutdownComplete{TBit: tb}
		out := ShutdownComplete{TBit: !tb}
		roundTripChunk(t, &in, &out)
		if out != in {
			t.Fatalf("decoded %+v, want %+v", out, in)
		}
	}
}

func TestShutdownFlagsIgnored(t *testing.T) {
	var s Shutdown
	if err := s.Decode(mustChunk(t, []byte{7, 0xff, 0, 8, 0, 0, 0, 5})); err != nil || s.CumTSNAck != 5 {
		t.Fatalf("%+v, %v", s, err)
	}
	var a ShutdownAck
	if err := a.Decode(mustChunk(t, []byte{8, 0xff, 0, 4})); err != nil {
		t.Fatal(err)
	}
	// Only the T bit counts; the reserved bits are ignored.
	var c ShutdownComplete
	if err := c.Decode(mustChunk(t, []byte{14, 0xfe, 0, 4})); err != nil || c.TBit {
		t.Fatalf("reserved bits: %+v, %v", c, err)
	}
	if err := c.Decode(mustChunk(t, []byte{14, 0xff, 0, 4})); err != nil || !c.TBit {
		t.Fatalf("T bit with reserved bits: %+v, %v", c, err)
	}
}

func TestShutdownErrors(t *testing.T) {
	var s Shutdown
	wantParseError(t, s.Decode(inPacket(t, []byte{7, 0, 0, 4})), 14, "chunk length below 8")
	wantParseError(t, s.Decode(inPacket(t, []byte{7, 0, 0, 7, 0, 0, 0, 0})), 14, "chunk length below 8")
	wantParseError(t, s.Decode(inPacket(t, []byte{8, 0, 0, 4})), 12, "chunk is a SHUTDOWN ACK")
	var a ShutdownAck
	wantParseError(t, a.Decode(inPacket(t, []byte{14, 0, 0, 4})), 12, "chunk is a SHUTDOWN COMPLETE")
	var c ShutdownComplete
	wantParseError(t, c.Decode(inPacket(t, []byte{7, 0, 0, 8, 0, 0, 0, 0})), 12, "chunk is a SHUTDOWN")
}

func TestShutdownDecodeDoesNotAllocate(t *testing.T) {
	cs := mustChunk(t, []byte{7, 0, 0, 8, 0, 0, 0, 1})
	ca := mustChunk(t, []byte{8, 0, 0, 4})
	cc := mustChunk(t, []byte{14, 1, 0, 4})
	var s Shutdown
	var a ShutdownAck
	var c ShutdownComplete
	noAllocs(t, "SHUTDOWN", func() { _ = s.Decode(cs) })
	noAllocs(t, "SHUTDOWN ACK", func() { _ = a.Decode(ca) })
	noAllocs(t, "SHUTDOWN COMPLETE", func() { _ = c.Decode(cc) })
}
