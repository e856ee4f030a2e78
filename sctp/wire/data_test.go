package wire

import (
	"bytes"
	"errors"
	"testing"
)

func TestDataRoundTrip(t *testing.T) {
	for _, d := range []Data{
		{TSN: 1, Stream: 2, SSN: 3, PPID: 4, UserData: []byte("x")},
		{DataFlags: DataFlags{Unordered: true, Beginning: true, Ending: true, Immediate: true}, TSN: 0xffffffff, Stream: 0xffff, SSN: 0xffff, PPID: 0xffffffff, UserData: []byte("hello")},
		{DataFlags: DataFlags{Beginning: true}, UserData: []byte("four")},
	} {
		var out Data
		enc := roundTripChunk(t, &d, &out)
		if out.DataFlags != d.DataFlags || out.TSN != d.TSN || out.Stream != d.Stream || out.SSN != d.SSN || out.PPID != d.PPID || !bytes.Equal(out.UserData, d.UserData) {
			t.Fatalf("decoded %+v, want %+v", out, d)
		}
		if enc[1]&0xf0 != 0 {
			t.Fatalf("reserved flag bits set: %#x", enc[1])
		}
	}
}

func TestDataWire(t *testing.T) {
	// RFC 9260 §3.3.1: U=0x04, B=0x02, E=0x01, I=0x08; one byte of data
	// padded by three zero bytes outside the length.
	d := Data{DataFlags: DataFlags{Beginning: true, Ending: true}, TSN: 0x01020304, Stream: 5, SSN: 6, PPID: 7, UserData: []byte{0xaa}}
	want := []byte{0, 0x03, 0, 17, 1, 2, 3, 4, 0, 5, 0, 6, 0, 0, 0, 7, 0xaa, 0, 0, 0}
	if got := d.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got %x want %x", got, want)
	}
}

func TestDataErrors(t *testing.T) {
	var d Data
	wantParseError(t, d.Decode(mustChunk(t, []byte{0, 3, 0, 8, 0, 0, 0, 1})), 2, "chunk length below 16")
	err := d.Decode(mustChunk(t, []byte{0, 3, 0, 16, 0, 0, 0, 9, 0, 1, 0, 0, 0, 0, 0, 0}))
	wantParseError(t, err, 2, "DATA chunk with no user data")
	if !errors.Is(err, ErrNoUserData) || d.TSN != 9 || d.Stream != 1 {
		t.Fatalf("no-user-data: err %v, decoded %+v", err, d)
	}
	wantParseError(t, d.Decode(mustChunk(t, []byte{1, 0, 0, 4})), 0, "chunk is a INIT")
}

func TestIDataRoundTrip(t *testing.T) {
	for _, d := range []IData{
		{DataFlags: DataFlags{Beginning: true}, TSN: 10, Stream: 1, MID: 7, PPID: 51, UserData: []byte("first")},
		{DataFlags: DataFlags{Ending: true, Unordered: true}, TSN: 11, Stream: 1, MID: 7, FSN: 1, UserData: []byte("last!")},
		// The FSN wraps (RFC 8260 §2.1): a fragment after FSN 2^32-1.
		{TSN: 12, Stream: 1, MID: 8, FSN: FSN(0xffffffff).Add(1), UserData: []byte("wrap")},
	} {
		var out IData
		roundTripChunk(t, &d, &out)
		if out.DataFlags != d.DataFlags || out.TSN != d.TSN || out.MID != d.MID || out.PPID != d.PPID || out.FSN != d.FSN || !bytes.Equal(out.UserData, d.UserData) {
			t.Fatalf("decoded %+v, want %+v", out, d)
		}
	}
	var out IData
	z := make([]byte, 20)
	z[3] = 20
	err := out.Decode(mustChunk(t, z))
	wantParseError(t, err, 0, "chunk is a DATA")
	b := (&IData{TSN: 1, UserData: []byte{1}}).Append(nil)[:20]
	b[3] = 20
	if err := out.Decode(mustChunk(t, b)); !errors.Is(err, ErrNoUserData) {
		t.Fatalf("got %v, want ErrNoUserData", err)
	}
}
