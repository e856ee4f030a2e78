package wire

import (
	"bytes"
	"testing"
)

func TestCookieEchoWire(t *testing.T) {
	// RFC 9260 §3.3.11: the cookie is the chunk value; 5 bytes are padded
	// by 3 outside the length.
	e := CookieEcho{Cookie: []byte{1, 2, 3, 4, 5}}
	want := []byte{10, 0, 0, 9, 1, 2, 3, 4, 5, 0, 0, 0}
	if got := e.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got %x want %x", got, want)
	}
}

func TestCookieEchoRoundTrip(t *testing.T) {
	for _, c := range [][]byte{nil, {1}, bytes.Repeat([]byte{0xcc}, 400)} {
		in := CookieEcho{Cookie: c}
		var out CookieEcho
		roundTripChunk(t, &in, &out)
		if !bytes.Equal(out.Cookie, c) {
			t.Fatalf("cookie %x, want %x", out.Cookie, c)
		}
	}
	// Flags are ignored on receipt.
	var out CookieEcho
	if err := out.Decode(mustChunk(t, []byte{10, 0xff, 0, 8, 1, 2, 3, 4})); err != nil || !bytes.Equal(out.Cookie, []byte{1, 2, 3, 4}) {
		t.Fatalf("%x, %v", out.Cookie, err)
	}
}

func TestCookieEchoErrors(t *testing.T) {
	var e CookieEcho
	wantParseError(t, e.Decode(inPacket(t, []byte{11, 0, 0, 4})), 12, "chunk is a COOKIE ACK")
	wantParseError(t, e.Decode(Chunk{}), 0, "no chunk")
}

func TestCookieAckWire(t *testing.T) {
	// RFC 9260 §3.3.12, as Linux and usrsctp send it.
	want := []byte{11, 0, 0, 4}
	var a CookieAck
	if got := a.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got %x want %x", got, want)
	}
	roundTripChunk(t, &CookieAck{}, &a)
	if err := a.Decode(mustChunk(t, []byte{11, 0xff, 0, 4})); err != nil {
		t.Fatalf("flags not ignored: %v", err)
	}
}

func TestCookieAckErrors(t *testing.T) {
	// §3.3.12 fixes the length at 4 for senders; a longer chunk is read
	// (see TestTrailingBytesIgnored), so only the type can be wrong.
	var a CookieAck
	wantParseError(t, a.Decode(inPacket(t, []byte{10, 0, 0, 4})), 12, "chunk is a COOKIE ECHO")
}

func TestCookieDecodeDoesNotAllocate(t *testing.T) {
	ce := mustChunk(t, []byte{10, 0, 0, 8, 1, 2, 3, 4})
	ca := mustChunk(t, []byte{11, 0, 0, 4})
	var e CookieEcho
	var a CookieAck
	noAllocs(t, "COOKIE ECHO", func() { _ = e.Decode(ce) })
	noAllocs(t, "COOKIE ACK", func() { _ = a.Decode(ca) })
}
