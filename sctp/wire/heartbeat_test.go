package wire

import (
	"bytes"
	"testing"
)

// A HEARTBEAT and its HEARTBEAT ACK as usrsctp and Linux exchanged them
// (usrsctp-client-to-kernel-echo-plain-ip.pcap): 36 bytes of info.
const (
	usrsctpHeartbeatHex    = "0400002c00010028700a056b88c20500f93999e5db35571a021000000a630102000000000000000000000000"
	linuxHeartbeatAckHex   = "0500002c00010028700a056b88c20500f93999e5db35571a021000000a630102000000000000000000000000"
	heartbeatCaptureInfoAt = 8
)

func TestHeartbeatWire(t *testing.T) {
	// RFC 9260 §3.3.5 figure: the Heartbeat Info TLV fills the value.
	for _, tc := range []struct {
		raw string
		dec chunkDecoder
		typ ChunkType
	}{
		{usrsctpHeartbeatHex, new(Heartbeat), ChunkHeartbeat},
		{linuxHeartbeatAckHex, new(HeartbeatAck), ChunkHeartbeatAck},
	} {
		b := unhex(t, tc.raw)
		if err := tc.dec.Decode(mustChunk(t, b)); err != nil {
			t.Fatal(err)
		}
		var info []byte
		switch d := tc.dec.(type) {
		case *Heartbeat:
			info = d.Info
		case *HeartbeatAck:
			info = d.Info
		}
		if !bytes.Equal(info, b[heartbeatCaptureInfoAt:]) || len(info) != 36 {
			t.Fatalf("%v: info %x", tc.typ, info)
		}
		if again := tc.dec.Append(nil); !bytes.Equal(again, b) {
			t.Fatalf("%v: re-encoded %x, want %x", tc.typ, again, b)
		}
	}
	// Info of 5 bytes: parameter length 9, chunk length 13, one padding
	// run of 3 bytes that is the parameter's and the chunk's.
	h := Heartbeat{Info: []byte{1, 2, 3, 4, 5}}
	want := []byte{4, 0, 0, 13, 0, 1, 0, 9, 1, 2, 3, 4, 5, 0, 0, 0}
	if got := h.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got %x want %x", got, want)
	}
	ack := HeartbeatAck(h)
	want[0] = 5
	if got := ack.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got %x want %x", got, want)
	}
}

func TestHeartbeatRoundTrip(t *testing.T) {
	for _, info := range [][]byte{nil, {1}, bytes.Repeat([]byte{9}, 64)} {
		in := Heartbeat{Info: info}
		var out Heartbeat
		roundTripChunk(t, &in, &out)
		if !bytes.Equal(out.Info, info) {
			t.Fatalf("HEARTBEAT info %x", out.Info)
		}
		ack := HeartbeatAck{Info: info}
		var outAck HeartbeatAck
		roundTripChunk(t, &ack, &outAck)
		if !bytes.Equal(outAck.Info, info) {
			t.Fatalf("HEARTBEAT ACK info %x", outAck.Info)
		}
	}
}

func TestHeartbeatTolerance(t *testing.T) {
	// RFC 9260 §3.2: a chunk length that counts the parameter's padding.
	var h Heartbeat
	if err := h.Decode(mustChunk(t, []byte{4, 0xff, 0, 16, 0, 1, 0, 9, 1, 2, 3, 4, 5, 0, 0, 0})); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(h.Info, []byte{1, 2, 3, 4, 5}) {
		t.Fatalf("info %x", h.Info)
	}
	// Bytes after the parameter are not the Info, and not an error.
	var a HeartbeatAck
	if err := a.Decode(mustChunk(t, []byte{5, 0, 0, 16, 0, 1, 0, 6, 7, 7, 0, 0, 0xee, 0xee, 0xee, 0xee})); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Info, []byte{7, 7}) {
		t.Fatalf("info %x", a.Info)
	}
}

func TestHeartbeatErrors(t *testing.T) {
	for _, typ := range []ChunkType{ChunkHeartbeat, ChunkHeartbeatAck} {
		var dec chunkDecoder = new(Heartbeat)
		if typ == ChunkHeartbeatAck {
			dec = new(HeartbeatAck)
		}
		c := byte(typ)
		// No room for the mandatory parameter.
		wantParseError(t, dec.Decode(inPacket(t, []byte{c, 0, 0, 4})), 14, "chunk length below 8")
		wantParseError(t, dec.Decode(inPacket(t, []byte{c, 0, 0, 7, 0, 1, 0, 0})), 14, "chunk length below 8")
		// A parameter other than Heartbeat Info.
		wantParseError(t, dec.Decode(inPacket(t, []byte{c, 0, 0, 8, 0, 7, 0, 4})), 16, "parameter is a State Cookie")
		// A malformed parameter.
		wantParseError(t, dec.Decode(inPacket(t, []byte{c, 0, 0, 8, 0, 1, 0, 3})), 18, "length below 4")
		wantParseError(t, dec.Decode(inPacket(t, []byte{c, 0, 0, 12, 0, 1, 0, 9, 1, 2, 3, 4})), 18, "length runs past the end of the enclosing structure")
		// The chunk length counts one of the parameter's three padding
		// bytes: padding is ignored (RFC 9260 §3.2.1), so it decodes,
		// and re-encodes with the padding left to the chunk.
		hb := []byte{c, 0, 0, 14, 0, 1, 0, 9, 1, 2, 3, 4, 5, 0, 0, 0}
		if err := dec.Decode(inPacket(t, hb)); err != nil {
			t.Fatalf("%v with part of the padding counted: %v", typ, err)
		}
		if got, want := dec.Append(nil), []byte{c, 0, 0, 13, 0, 1, 0, 9, 1, 2, 3, 4, 5, 0, 0, 0}; !bytes.Equal(got, want) {
			t.Fatalf("%v re-encoded %x, want %x", typ, got, want)
		}
	}
	var h Heartbeat
	wantParseError(t, h.Decode(inPacket(t, unhex(t, linuxHeartbeatAckHex))), 12, "chunk is a HEARTBEAT ACK")
	var a HeartbeatAck
	wantParseError(t, a.Decode(inPacket(t, unhex(t, usrsctpHeartbeatHex))), 12, "chunk is a HEARTBEAT")
}

func TestHeartbeatDecodeDoesNotAllocate(t *testing.T) {
	c := mustChunk(t, unhex(t, usrsctpHeartbeatHex))
	ca := mustChunk(t, unhex(t, linuxHeartbeatAckHex))
	var h Heartbeat
	var a HeartbeatAck
	noAllocs(t, "HEARTBEAT", func() { _ = h.Decode(c) })
	noAllocs(t, "HEARTBEAT ACK", func() { _ = a.Decode(ca) })
}
