package tun

import (
	"bytes"
	"errors"
	"net/netip"
	"syscall"
	"testing"

	"github.com/rserpool/rserpool/ip"
	"github.com/rserpool/rserpool/sctp/lower"
)

func hexWords(words ...uint16) []byte {
	var b []byte
	for _, w := range words {
		b = append(b, byte(w>>8), byte(w))
	}
	return b
}

// The header worked out by hand: 4500 (version, IHL) 0020 (20+12 bytes)
// 1234 (ID) 4000 (DF) 4084 (TTL 64, SCTP) then the addresses. Sum:
// 4500+0020+1234+4000+4084+c000+0201+c633+6402 = 0x2c40e, folded 0xc410,
// complemented 0x3bef.
func TestWriteIPv4Header(t *testing.T) {
	c, kernel := fakeDevice(t, 1500, local4)
	c.id = 0x1234
	payload := sctpBytes(12, 0xa0)
	n, err := c.WriteBatch([]lower.Packet{{Buf: payload, Src: netip.AddrPortFrom(local4, 0), Dst: netip.AddrPortFrom(peer4, 0)}})
	if n != 1 || err != nil {
		t.Fatal(n, err)
	}
	want := append(hexWords(0x4500, 0x0020, 0x1234, 0x4000, 0x4084, 0x3bef, 0xc000, 0x0201, 0xc633, 0x6402), payload...)
	if got := kernelRecv(t, kernel); !bytes.Equal(got, want) {
		t.Fatalf("got  % x\nwant % x", got, want)
	}
	if s := c.Stats(); s.Sent != 1 || s.SourceReplaced != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// 6000 0000 (version 6) 000c (payload length) 84 (SCTP) 40 (hop limit 64),
// then 2001:db8::1 and 2001:db8:1::2.
func TestWriteIPv6Header(t *testing.T) {
	c, kernel := fakeDevice(t, 1500, local4, local6)
	payload := sctpBytes(12, 0x10)
	if _, err := c.WriteBatch([]lower.Packet{{Buf: payload, Src: netip.AddrPortFrom(local6, 0), Dst: netip.AddrPortFrom(peer6, 0)}}); err != nil {
		t.Fatal(err)
	}
	want := hexWords(0x6000, 0x0000, 0x000c, 0x8440,
		0x2001, 0x0db8, 0, 0, 0, 0, 0, 0x0001,
		0x2001, 0x0db8, 0x0001, 0, 0, 0, 0, 0x0002)
	want = append(want, payload...)
	if got := kernelRecv(t, kernel); !bytes.Equal(got, want) {
		t.Fatalf("got  % x\nwant % x", got, want)
	}
}

// The Identification counts up across packets and batches, and each
// header's checksum covers it.
func TestWriteIPv4IDCounts(t *testing.T) {
	c, kernel := fakeDevice(t, 1500, local4)
	c.id = 0xfffe
	pkt := lower.Packet{Buf: sctpBytes(16, 0), Dst: netip.AddrPortFrom(peer4, 0)}
	if _, err := c.WriteBatch([]lower.Packet{pkt, pkt}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WriteBatch([]lower.Packet{pkt}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []uint16{0xfffe, 0xffff, 0} {
		b := kernelRecv(t, kernel)
		if id := uint16(b[4])<<8 | uint16(b[5]); id != want {
			t.Fatalf("ID %#x, want %#x", id, want)
		}
		h, _, err := ip.ParseHeader(b)
		if err != nil || h.Src != local4 {
			t.Fatalf("header %+v: %v", h, err)
		}
	}
}

func TestWriteSourceChoice(t *testing.T) {
	c, kernel := fakeDevice(t, 1500, local4, local6, local4b)
	for _, tc := range []struct {
		name     string
		src, dst netip.Addr
		want     netip.Addr
		replaced uint64
	}{
		{"own address", local4b, peer4, local4b, 0},
		{"mapped own address", netip.AddrFrom16(local4b.As16()), netip.AddrFrom16(peer4.As16()), local4b, 0},
		{"unset", netip.Addr{}, peer4, local4, 0},
		{"unspecified", netip.IPv4Unspecified(), peer4, local4, 0},
		{"unspecified IPv6", netip.IPv6Unspecified(), peer6, local6, 0},
		{"foreign", netip.MustParseAddr("192.0.2.99"), peer4, local4, 1},
		{"other family", local4b, peer6, local6, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := c.Stats().SourceReplaced
			if _, err := c.WriteBatch([]lower.Packet{{Buf: sctpBytes(12, 0), Src: netip.AddrPortFrom(tc.src, 0), Dst: netip.AddrPortFrom(tc.dst, 0)}}); err != nil {
				t.Fatal(err)
			}
			h, _, err := ip.ParseHeader(kernelRecv(t, kernel))
			if err != nil {
				t.Fatal(err)
			}
			if h.Src != tc.want || h.Dst != tc.dst.Unmap() {
				t.Fatalf("sent %v -> %v, want %v -> %v", h.Src, h.Dst, tc.want, tc.dst.Unmap())
			}
			if got := c.Stats().SourceReplaced - before; got != tc.replaced {
				t.Fatalf("SourceReplaced grew by %d, want %d", got, tc.replaced)
			}
		})
	}
}

// A packet that cannot be framed stops the batch at its index, with the
// packets before it sent.
func TestWriteErrors(t *testing.T) {
	c, kernel := fakeDevice(t, 1500, local4)
	ok := lower.Packet{Buf: sctpBytes(12, 0), Dst: netip.AddrPortFrom(peer4, 0)}
	for _, tc := range []struct {
		name string
		bad  lower.Packet
		want error
	}{
		{"no IPv6 address", lower.Packet{Buf: sctpBytes(12, 0), Dst: netip.AddrPortFrom(peer6, 0)}, ErrNoSource},
		{"no destination", lower.Packet{Buf: sctpBytes(12, 0)}, ip.ErrAddress},
		{"too long", lower.Packet{Buf: make([]byte, ip.MaxIPv4Payload+1), Dst: netip.AddrPortFrom(peer4, 0)}, ip.ErrTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := c.WriteBatch([]lower.Packet{ok, tc.bad, ok})
			var pe *PacketError
			if n != 1 || !errors.As(err, &pe) || pe.Index != 1 || !errors.Is(err, tc.want) {
				t.Fatalf("WriteBatch = %d, %v; want 1 and a PacketError at 1 wrapping %v", n, err, tc.want)
			}
			kernelRecv(t, kernel)
		})
	}
	if s := c.Stats(); s.Sent != 3 || s.WriteErrors != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// A write the device refuses is returned, and counted.
func TestWriteDeviceError(t *testing.T) {
	c, kernel := fakeDevice(t, 1500, local4)
	kernel.Close()
	n, err := c.WriteBatch([]lower.Packet{{Buf: sctpBytes(12, 0), Dst: netip.AddrPortFrom(peer4, 0)}})
	if n != 0 || !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("WriteBatch = %d, %v; want 0 and EPIPE", n, err)
	}
	if s := c.Stats(); s.WriteErrors != 1 || s.Sent != 0 {
		t.Fatalf("stats %+v", s)
	}
}
