package tun

import (
	"encoding/binary"
	"net/netip"
	"os"
	"syscall"
	"testing"

	"github.com/rserpool/rserpool/ip"
	"github.com/rserpool/rserpool/sctp/lower"
)

var (
	local4  = netip.MustParseAddr("192.0.2.1")
	local4b = netip.MustParseAddr("192.0.2.7")
	local6  = netip.MustParseAddr("2001:db8::1")
	peer4   = netip.MustParseAddr("198.51.100.2")
	peer6   = netip.MustParseAddr("2001:db8:1::2")
)

// fakeDevice is a Conn over one end of a SOCK_SEQPACKET socket pair,
// which keeps packet boundaries as a TUN descriptor does; the test plays
// the kernel on the other end. It needs no privilege.
func fakeDevice(t *testing.T, mtu int, addrs ...netip.Addr) (*Conn, *os.File) {
	t.Helper()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_SEQPACKET|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	dev, kernel := os.NewFile(uintptr(fds[0]), "dev"), os.NewFile(uintptr(fds[1]), "kernel")
	t.Cleanup(func() { kernel.Close() })
	c, err := newConn(dev, "fake0", addrs, mtu)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, kernel
}

// sctpBytes is a stand-in SCTP packet: the lower layer does not look
// inside.
func sctpBytes(n int, fill byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = fill + byte(i)
	}
	return b
}

// ipPacket builds what the kernel would hand the device.
func ipPacket(t *testing.T, src, dst netip.Addr, proto uint8, payload []byte) []byte {
	t.Helper()
	b, err := ip.AppendIPPacket(nil, src, dst, proto, payload, 64)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fixChecksum recomputes an IPv4 header's checksum after an edit.
func fixChecksum(b []byte) []byte {
	b[10], b[11] = 0, 0
	binary.BigEndian.PutUint16(b[10:], ip.Checksum(b[:20]))
	return b
}

func kernelSend(t *testing.T, kernel *os.File, pkts ...[]byte) {
	t.Helper()
	for _, p := range pkts {
		if _, err := kernel.Write(p); err != nil {
			t.Fatal(err)
		}
	}
}

func kernelRecv(t *testing.T, kernel *os.File) []byte {
	t.Helper()
	b := make([]byte, 70000)
	n, err := kernel.Read(b)
	if err != nil {
		t.Fatal(err)
	}
	return b[:n]
}

func readBatch(t *testing.T, c *Conn, slots, capacity int) []lower.Packet {
	t.Helper()
	pkts := make([]lower.Packet, slots)
	for i := range pkts {
		pkts[i].Buf = make([]byte, 0, capacity)
	}
	n, err := c.ReadBatch(pkts)
	if err != nil {
		t.Fatal(err)
	}
	return pkts[:n]
}
