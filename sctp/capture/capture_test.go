package capture_test

import (
	"bytes"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/sctp/capture"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/simnet"
)

var (
	a4 = netip.MustParseAddr("192.0.2.1")
	b4 = netip.MustParseAddr("192.0.2.2")
	a6 = netip.MustParseAddr("2001:db8::1")
	b6 = netip.MustParseAddr("2001:db8::2")
)

func ap(a netip.Addr, port uint16) netip.AddrPort { return netip.AddrPortFrom(a, port) }

// Over raw IP (ports zero) both directions and both families are recorded
// as protocol 132 with the addresses of the packets and the clock's time.
func TestRawIP(t *testing.T) {
	inner := newFake(ap(a4, 0), ap(a6, 0))
	var buf bytes.Buffer
	c, err := capture.Wrap(inner, &buf)
	if err != nil {
		t.Fatal(err)
	}
	c.SetClock(fixedClock())
	out4, out6 := sctpPacket(t, 5000, 6000, "four"), sctpPacket(t, 5000, 6000, "six")
	in4, in6 := sctpPacket(t, 6000, 5000, "in four"), sctpPacket(t, 6000, 5000, "in six")
	if n, err := c.WriteBatch([]lower.Packet{
		{Buf: out4, Src: ap(a4, 0), Dst: ap(b4, 0)},
		{Buf: out6, Src: ap(a6, 0), Dst: ap(b6, 0)},
	}); n != 2 || err != nil {
		t.Fatal(n, err)
	}
	inner.in <- lower.Packet{Buf: in4, Src: ap(b4, 0), Dst: ap(a4, 0)}
	inner.in <- lower.Packet{Buf: in6, Src: ap(b6, 0), Dst: ap(a6, 0)}
	for _, want := range [][]byte{in4, in6} {
		pkts := []lower.Packet{{Buf: make([]byte, 0, 1500)}}
		if n, err := c.ReadBatch(pkts); n != 1 || err != nil || !bytes.Equal(pkts[0].Buf, want) {
			t.Fatal(n, err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if len(inner.written) != 2 || !bytes.Equal(inner.written[0].Buf, out4) {
		t.Fatal("the writes did not pass through unchanged")
	}
	checkFrames(t, readFrames(t, &buf), []want{
		{src: ap(a4, 5000), dst: ap(b4, 6000), sctp: out4},
		{src: ap(a6, 5000), dst: ap(b6, 6000), sctp: out6},
		{src: ap(b4, 6000), dst: ap(a4, 5000), sctp: in4, timeOffset: time.Second},
		{src: ap(b6, 6000), dst: ap(a6, 5000), sctp: in6, timeOffset: 2 * time.Second},
	})
	if s := c.Stats(); s.Recorded != 4 || s.Skipped != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// Over simnet hosts with ports (UDP encapsulation) the records are UDP
// datagrams between those ports carrying the SCTP packets.
func TestSimnetUDP(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := ap(a4, 9899), ap(b4, 9900)
		n := simnet.New(1)
		defer n.Close()
		n.Link(a.Addr(), b.Addr(), simnet.LinkConfig{Delay: 10 * time.Millisecond})
		var buf bytes.Buffer
		c, err := capture.Wrap(n.Host(a), &buf)
		if err != nil {
			t.Fatal(err)
		}
		c.SetClock(fixedClock())
		hb := n.Host(b)
		out, in := sctpPacket(t, 1, 2, "to b"), sctpPacket(t, 2, 1, "to a")
		// The source left unspecified is the host's, port included.
		if _, err := c.WriteBatch([]lower.Packet{{Buf: out, Dst: b}}); err != nil {
			t.Fatal(err)
		}
		pkts := []lower.Packet{{Buf: make([]byte, 0, 1500)}}
		if k, err := hb.ReadBatch(pkts); k != 1 || err != nil || pkts[0].Src != a {
			t.Fatalf("b read %d, %v from %v", k, err, pkts[0].Src)
		}
		if _, err := hb.WriteBatch([]lower.Packet{{Buf: in, Src: b, Dst: a}}); err != nil {
			t.Fatal(err)
		}
		if k, err := c.ReadBatch(pkts); k != 1 || err != nil || !bytes.Equal(pkts[0].Buf, in) {
			t.Fatalf("a read %d, %v", k, err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		checkFrames(t, readFrames(t, &buf), []want{
			{src: ap(a4, 1), dst: ap(b4, 2), udp: [2]uint16{9899, 9900}, sctp: out},
			{src: ap(b4, 2), dst: ap(a4, 1), udp: [2]uint16{9900, 9899}, sctp: in, timeOffset: time.Second},
		})
	})
}

// A packet whose addresses cannot make an IP header passes through and is
// left out of the capture, counted.
func TestSkipped(t *testing.T) {
	inner := newFake(ap(a4, 0))
	var buf bytes.Buffer
	c, err := capture.Wrap(inner, &buf)
	if err != nil {
		t.Fatal(err)
	}
	pkt := sctpPacket(t, 1, 2, "x")
	if n, err := c.WriteBatch([]lower.Packet{
		{Buf: pkt, Src: ap(a4, 0), Dst: ap(b6, 0)}, // families differ
		{Buf: pkt, Dst: ap(b6, 0)},                 // no local IPv6 address to guess
		{Buf: pkt, Dst: ap(b4, 0)},                 // source guessed: a4
	}); n != 3 || err != nil {
		t.Fatal(n, err)
	}
	c.Close()
	if s := c.Stats(); s.Recorded != 1 || s.Skipped != 2 {
		t.Fatalf("stats %+v", s)
	}
	frames := readFrames(t, &buf)
	if len(frames) != 1 || frames[0].Packet.Src.Addr() != a4 {
		t.Fatalf("frames %v", frames)
	}
	if len(inner.written) != 3 {
		t.Fatalf("%d packets passed, want 3", len(inner.written))
	}
}

// Records reach the writer within FlushInterval without Close.
func TestFlushInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var buf bytes.Buffer
		w := writerFunc(func(b []byte) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			return buf.Write(b)
		})
		size := func() int {
			mu.Lock()
			defer mu.Unlock()
			return buf.Len()
		}
		c, err := capture.Wrap(newFake(ap(a4, 0)), w)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.WriteBatch([]lower.Packet{{Buf: sctpPacket(t, 1, 2, "x"), Src: ap(a4, 0), Dst: ap(b4, 0)}})
		if size() != 0 {
			t.Fatal("written before the flush interval")
		}
		time.Sleep(capture.FlushInterval - time.Nanosecond)
		synctest.Wait()
		if size() != 0 {
			t.Fatal("written before the flush interval")
		}
		time.Sleep(time.Nanosecond)
		synctest.Wait()
		if size() == 0 {
			t.Fatal("nothing written after the flush interval")
		}
		if frames := readFrames(t, bytes.NewReader(buf.Bytes())); len(frames) != 1 {
			t.Fatalf("%d frames after the flush, want 1", len(frames))
		}
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// A failing writer stops the recording, not the traffic; Close reports it.
func TestWriteErrorStopsRecording(t *testing.T) {
	boom := errors.New("disk full")
	inner := newFake(ap(a4, 0))
	c, err := capture.Wrap(inner, writerFunc(func([]byte) (int, error) { return 0, boom }))
	if err != nil {
		t.Fatal(err)
	}
	pkt := lower.Packet{Buf: sctpPacket(t, 1, 2, "x"), Src: ap(a4, 0), Dst: ap(b4, 0)}
	if err := c.Flush(); !errors.Is(err, boom) {
		t.Fatalf("Flush: %v", err)
	}
	if n, err := c.WriteBatch([]lower.Packet{pkt, pkt}); n != 2 || err != nil {
		t.Fatal(n, err)
	}
	if !errors.Is(c.Err(), boom) || c.Stats().Skipped != 2 {
		t.Fatalf("Err %v, stats %+v", c.Err(), c.Stats())
	}
	if err := c.Close(); !errors.Is(err, boom) {
		t.Fatalf("Close: %v", err)
	}
	if len(inner.written) != 2 || inner.closes != 1 {
		t.Fatalf("inner: %d written, %d closes", len(inner.written), inner.closes)
	}
}

// Close closes the lower layer once, wakes its reader, and completes the
// file WrapFile created.
func TestCloseFile(t *testing.T) {
	inner := newFake(ap(a4, 0))
	path := filepath.Join(t.TempDir(), "x.pcap")
	c, err := capture.WrapFile(inner, path)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() {
		_, err := c.ReadBatch([]lower.Packet{{Buf: make([]byte, 0, 100)}})
		done <- err
	}()
	c.WriteBatch([]lower.Packet{{Buf: sctpPacket(t, 1, 2, "x"), Src: ap(a4, 0), Dst: ap(b4, 0)}})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, lower.ErrClosed) {
		t.Fatalf("reader: %v", err)
	}
	if err := c.Close(); err != nil || inner.closes != 1 {
		t.Fatalf("second Close: %v, inner closed %d times", err, inner.closes)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if frames := readFrames(t, f); len(frames) != 1 {
		t.Fatalf("%d frames in the file, want 1", len(frames))
	}
}

// Reading and writing on two goroutines at once records every packet.
func TestConcurrent(t *testing.T) {
	inner := newFake(ap(a4, 0))
	var buf bytes.Buffer
	c, err := capture.Wrap(inner, &buf)
	if err != nil {
		t.Fatal(err)
	}
	const n = 200
	pkt := sctpPacket(t, 1, 2, "x")
	for range n {
		inner.in <- lower.Packet{Buf: pkt, Src: ap(b4, 0), Dst: ap(a4, 0)}
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		pkts := []lower.Packet{{Buf: make([]byte, 0, 100)}}
		for range n {
			c.ReadBatch(pkts)
		}
	})
	wg.Go(func() {
		for range n {
			c.WriteBatch([]lower.Packet{{Buf: pkt, Src: ap(a4, 0), Dst: ap(b4, 0)}})
		}
	})
	wg.Wait()
	c.Close()
	if frames := readFrames(t, &buf); len(frames) != 2*n {
		t.Fatalf("%d frames, want %d", len(frames), 2*n)
	}
}

// Wireshark decodes every record, raw IP and UDP, IPv4 and IPv6, without
// a malformed packet or a bad checksum.
func TestTshark(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.pcap")
	inner := newFake(ap(a4, 9899), ap(a6, 9899))
	c, err := capture.WrapFile(inner, path)
	if err != nil {
		t.Fatal(err)
	}
	pkt := sctpPacket(t, 5000, 6000, "hello")
	c.WriteBatch([]lower.Packet{
		{Buf: pkt, Src: ap(a4, 0), Dst: ap(b4, 0)},
		{Buf: pkt, Src: ap(a6, 0), Dst: ap(b6, 0)},
		{Buf: pkt, Src: ap(a4, 9899), Dst: ap(b4, 9899)},
		{Buf: pkt, Src: ap(a6, 9899), Dst: ap(b6, 9899)},
	})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	out := pcaptest.Tshark(t, "-r", path, "-V",
		"-o", "sctp.checksum:CRC 32c",
		"-o", "udp.check_checksum:TRUE",
		"-o", "ip.check_checksum:TRUE")
	for _, bad := range []string{"Malformed", "Checksum Status: Bad", "Expert Info (Error", "Expert Info (Warning", "[incorrect"} {
		if strings.Contains(out, bad) {
			t.Fatalf("tshark reports %q:\n%s", bad, out)
		}
	}
	if got := strings.Count(out, "Stream Control Transmission Protocol, Src Port: 5000 (5000), Dst Port: 6000 (6000)"); got != 4 {
		t.Fatalf("tshark shows %d SCTP packets, want 4:\n%s", got, out)
	}
	if got := strings.Count(out, "User Datagram Protocol, Src Port: 9899, Dst Port: 9899"); got != 2 {
		t.Fatalf("tshark shows %d UDP datagrams, want 2:\n%s", got, out)
	}
}
