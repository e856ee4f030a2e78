package capture_test

import (
	"bytes"
	"io"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/rserpool/rserpool/ip"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/wire"
)

// fakeConn is a lower layer whose reads come from a queue the test fills
// and whose writes are kept.
type fakeConn struct {
	local []netip.AddrPort
	in    chan lower.Packet
	done  chan struct{}
	once  sync.Once

	mu      sync.Mutex
	written []lower.Packet
	closes  int
}

func newFake(local ...netip.AddrPort) *fakeConn {
	return &fakeConn{local: local, in: make(chan lower.Packet, 1024), done: make(chan struct{})}
}

func (f *fakeConn) ReadBatch(pkts []lower.Packet) (int, error) {
	select {
	case p := <-f.in:
		pkts[0].Buf = append(pkts[0].Buf[:0], p.Buf...)
		pkts[0].Src, pkts[0].Dst = p.Src, p.Dst
		return 1, nil
	case <-f.done:
		return 0, lower.ErrClosed
	}
}

func (f *fakeConn) WriteBatch(pkts []lower.Packet) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range pkts {
		p.Buf = bytes.Clone(p.Buf)
		f.written = append(f.written, p)
	}
	return len(pkts), nil
}

func (f *fakeConn) LocalAddrs() []netip.AddrPort { return f.local }
func (f *fakeConn) MTU() int                     { return 1400 }

func (f *fakeConn) Close() error {
	f.mu.Lock()
	f.closes++
	f.mu.Unlock()
	f.once.Do(func() { close(f.done) })
	return nil
}

// sctpPacket is a valid SCTP packet with a DATA chunk, so that dissectors
// have something to check.
func sctpPacket(t *testing.T, sport, dport uint16, data string) []byte {
	t.Helper()
	var pb wire.Builder
	pb.Start(nil, wire.Header{SrcPort: sport, DstPort: dport, VTag: 0x01020304}, 1200)
	if !pb.Add(&wire.Data{DataFlags: wire.DataFlags{Beginning: true, Ending: true}, TSN: 1, UserData: []byte(data)}) {
		t.Fatal("DATA does not fit")
	}
	return pb.Finish()
}

var t0 = time.Date(2025, 3, 4, 5, 6, 7, 8000, time.UTC)

// fixedClock returns t0, t0+1s, t0+2s, ... on successive calls.
func fixedClock() func() time.Time {
	var mu sync.Mutex
	n := 0
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		n++
		return t0.Add(time.Duration(n-1) * time.Second)
	}
}

// readFrames takes a capture apart with the ip package's reader.
func readFrames(t *testing.T, r io.Reader) []ip.Frame {
	t.Helper()
	pr, err := ip.NewPcapReader(r, "capture")
	if err != nil {
		t.Fatal(err)
	}
	var frames []ip.Frame
	for {
		f, err := pr.Next()
		if err == io.EOF {
			return frames
		}
		if err != nil {
			t.Fatal(err)
		}
		if f.Err != nil {
			t.Fatalf("frame %d: %v", f.Index, f.Err)
		}
		frames = append(frames, f)
	}
}

// want is what one record must hold.
type want struct {
	src, dst   netip.AddrPort // SCTP ports
	udp        [2]uint16      // encapsulation ports, zero over raw IP
	sctp       []byte
	timeOffset time.Duration
}

func checkFrames(t *testing.T, frames []ip.Frame, wants []want) {
	t.Helper()
	if len(frames) != len(wants) {
		t.Fatalf("%d frames, want %d", len(frames), len(wants))
	}
	for i, w := range wants {
		f := frames[i]
		if f.Kind != ip.FrameSCTP {
			t.Fatalf("frame %d: kind %v", i+1, f.Kind)
		}
		p := f.Packet
		encap := w.udp != [2]uint16{}
		if p.Src != w.src || p.Dst != w.dst || p.Encap != encap || [2]uint16{p.UDPSrcPort, p.UDPDstPort} != w.udp {
			t.Errorf("frame %d: %v -> %v encap %v ports %d/%d; want %v -> %v ports %v",
				i+1, p.Src, p.Dst, p.Encap, p.UDPSrcPort, p.UDPDstPort, w.src, w.dst, w.udp)
		}
		if !bytes.Equal(p.SCTP, w.sctp) {
			t.Errorf("frame %d: SCTP bytes differ", i+1)
		}
		if !f.Time.Equal(t0.Add(w.timeOffset)) {
			t.Errorf("frame %d: time %v, want %v", i+1, f.Time, t0.Add(w.timeOffset))
		}
	}
}
