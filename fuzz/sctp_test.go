package fuzz

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

// checkParseError fails unless err is a *wire.ParseError whose offset lies
// inside [lo, hi].
func checkParseError(t *testing.T, err error, lo, hi int) {
	t.Helper()
	var pe *wire.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, wire.ErrMalformed) {
		t.Fatalf("error %v (%T) is not a *wire.ParseError", err, err)
	}
	if pe.Offset < lo || pe.Offset > hi {
		t.Fatalf("error offset %d outside [%d, %d]: %v", pe.Offset, lo, hi, err)
	}
}

func pad4(n int) int { return (n + 3) &^ 3 }

// roundTripChunk checks the invariant on one decoded chunk: its encoding
// has the length it claims, parses, decodes, and encodes to the same bytes.
// It also checks every parameter and cause list the chunk carries.
func roundTripChunk(t *testing.T, d wire.DecodableChunk) []byte {
	t.Helper()
	enc := d.Append(nil)
	if len(enc) != pad4(d.Len()) {
		t.Fatalf("%v: Append wrote %d bytes for Len %d", d.ChunkType(), len(enc), d.Len())
	}
	c, err := wire.ParseChunk(enc)
	if err != nil {
		t.Fatalf("%v: re-encoding does not parse: %v\n%x", d.ChunkType(), err, enc)
	}
	d2, err := wire.DecodeChunk(c)
	if err != nil {
		t.Fatalf("%v: re-encoding does not decode: %v\n%x", d.ChunkType(), err, enc)
	}
	if enc2 := d2.Append(nil); !bytes.Equal(enc, enc2) {
		t.Fatalf("%v: round trip differs\n first %x\nsecond %x", d.ChunkType(), enc, enc2)
	}
	checkNestedLists(t, d)
	return enc
}

// checkNestedLists finds the Params and Causes lists a decoded chunk or
// parameter carries and round-trips each item of them.
func checkNestedLists(t *testing.T, v any) {
	t.Helper()
	rv := reflect.ValueOf(v).Elem()
	for i := 0; i < rv.NumField(); i++ {
		switch f := rv.Field(i).Interface().(type) {
		case wire.Params:
			roundTripParams(t, f, false)
		case wire.Causes:
			roundTripCauses(t, f, false)
		}
	}
}

// roundTripParams decodes every parameter of a list. Decoding errors are
// allowed only when the list came from fuzz input directly (raw); a list
// inside a chunk that decoded has been validated as TLVs, but its items'
// contents may still be invalid, which is fine: they are checked to fail
// cleanly.
func roundTripParams(t *testing.T, ps wire.Params, raw bool) {
	t.Helper()
	it := ps.Iter()
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		d, err := wire.DecodeParam(p)
		if err != nil {
			checkParseError(t, err, p.Offset(), p.Offset()+p.Len())
			continue
		}
		enc := d.Append(nil)
		if len(enc) != pad4(d.Len()) {
			t.Fatalf("%v: Append wrote %d bytes for Len %d", d.ParamType(), len(enc), d.Len())
		}
		p2, err := wire.ParseParam(enc)
		if err != nil {
			t.Fatalf("%v: re-encoding does not parse: %v", d.ParamType(), err)
		}
		d2, err := wire.DecodeParam(p2)
		if err != nil {
			t.Fatalf("%v: re-encoding does not decode: %v\n%x", d.ParamType(), err, enc)
		}
		if enc2 := d2.Append(nil); !bytes.Equal(enc, enc2) {
			t.Fatalf("%v: round trip differs\n first %x\nsecond %x", d.ParamType(), enc, enc2)
		}
		checkNestedLists(t, d)
	}
	if err := it.Err(); err != nil {
		if !raw {
			t.Fatalf("validated list fails to iterate: %v", err)
		}
		checkParseError(t, err, 0, len(ps.Bytes()))
	}
}

func roundTripCauses(t *testing.T, cs wire.Causes, raw bool) {
	t.Helper()
	it := cs.Iter()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		d, err := wire.DecodeCause(c)
		if err != nil {
			checkParseError(t, err, c.Offset(), c.Offset()+c.Len())
			continue
		}
		enc := d.Append(nil)
		if len(enc) != pad4(d.Len()) {
			t.Fatalf("%v: Append wrote %d bytes for Len %d", d.CauseCode(), len(enc), d.Len())
		}
		c2, err := wire.ParseCause(enc)
		if err != nil {
			t.Fatalf("%v: re-encoding does not parse: %v", d.CauseCode(), err)
		}
		d2, err := wire.DecodeCause(c2)
		if err != nil {
			t.Fatalf("%v: re-encoding does not decode: %v\n%x", d.CauseCode(), err, enc)
		}
		if enc2 := d2.Append(nil); !bytes.Equal(enc, enc2) {
			t.Fatalf("%v: round trip differs\n first %x\nsecond %x", d.CauseCode(), enc, enc2)
		}
		checkNestedLists(t, d)
	}
	if err := it.Err(); err != nil {
		if !raw {
			t.Fatalf("validated list fails to iterate: %v", err)
		}
		checkParseError(t, err, 0, len(cs.Bytes()))
	}
}

// FuzzSCTPPacket: whatever the bytes, parsing never panics, every error
// names an offset inside the input, and every chunk that decodes
// round-trips; the decoded chunks rebuilt into a packet parse again to
// the same chunks.
func FuzzSCTPPacket(f *testing.F) {
	for _, s := range sctpSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pkt, err := wire.ParsePacket(b)
		if err != nil {
			checkParseError(t, err, 0, len(b))
			return
		}
		_ = pkt.VerifyChecksum()
		var pb wire.Builder
		pb.Start(nil, pkt.Header(), wire.MaxPacketLen)
		var encs [][]byte
		it := pkt.Chunks()
		for c, ok := it.Next(); ok; c, ok = it.Next() {
			d, err := wire.DecodeChunk(c)
			if err != nil {
				checkParseError(t, err, c.Offset(), c.Offset()+c.Len())
				continue
			}
			encs = append(encs, roundTripChunk(t, d))
			if !pb.Add(d) {
				if len(b) <= wire.MaxPacketLen {
					t.Fatalf("chunk of %d bytes does not fit a packet rebuilt from a %d-byte one", d.Len(), len(b))
				}
				return // larger than any packet a 16-bit length can frame
			}
		}
		if it.Err() != nil {
			t.Fatalf("ParsePacket accepted a packet whose chunks fail to iterate: %v", it.Err())
		}
		again, err := wire.ParsePacket(pb.Finish())
		if err != nil || !again.VerifyChecksum() || again.Header().VTag != pkt.Header().VTag {
			t.Fatalf("rebuilt packet: err %v", err)
		}
		it = again.Chunks()
		i := 0
		for c, ok := it.Next(); ok; c, ok = it.Next() {
			d, err := wire.DecodeChunk(c)
			if err != nil || i >= len(encs) || !bytes.Equal(d.Append(nil), encs[i]) {
				t.Fatalf("rebuilt packet's chunk %d differs (err %v)", i, err)
			}
			i++
		}
		if i != len(encs) {
			t.Fatalf("rebuilt packet has %d chunks, want %d", i, len(encs))
		}
	})
}

// FuzzSCTPParams feeds bytes as a parameter list (the body of an INIT,
// ASCONF or RE-CONFIG) to every parameter decoder.
func FuzzSCTPParams(f *testing.F) {
	for _, s := range paramSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTripParams(t, wire.MakeParams(b), true)
	})
}

// FuzzSCTPCauses feeds bytes as an error cause list (the body of an ABORT
// or ERROR chunk) to every cause decoder.
func FuzzSCTPCauses(f *testing.F) {
	for _, s := range causeSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTripCauses(t, wire.MakeCauses(b), true)
	})
}
