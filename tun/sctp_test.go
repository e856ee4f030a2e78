package tun_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/capture"
	"github.com/rserpool/rserpool/sctp/wire"
	"github.com/rserpool/rserpool/tun/tuntest"
)

// The SCTP ports of the two endpoints of TestSCTPOverTUN.
const (
	portA = 5000
	portB = 5001
)

// tunMessages are what each side sends: small ones, and one larger than
// the device's MTU so that it travels as fragments (RFC 9260 §6.9) and
// is reassembled from several IP packets.
func tunMessages(from string) []sctp.Message {
	big := bytes.Repeat([]byte(from+"-fragmented-"), 600) // 7800 bytes
	return []sctp.Message{
		{Stream: 0, PPID: 51, Data: []byte(from + ": first")},
		{Stream: 1, PPID: 51, Data: []byte(from + ": second, stream 1")},
		{Stream: 0, PPID: 53, Data: big},
		{Stream: 2, PPID: 51, Unordered: true, Data: []byte(from + ": unordered")},
		{Stream: 0, PPID: 51, Data: []byte(from + ": last")},
	}
}

// Two endpoints of this stack talk real SCTP over IP (protocol 132)
// through two TUN devices with the kernel routing between them: the
// four-way handshake (RFC 9260 §5.1), messages both ways, one of them
// fragmented, and the graceful shutdown of §9.2, once with an IPv4
// primary path and once with an IPv6 one. The exchange, recorded on both
// devices, must decode in Wireshark's dissector with every checksum good
// and nothing malformed: the stack's packets are ones an independent
// decoder accepts, carried in IP headers the kernel forwarded.
func TestSCTPOverTUN(t *testing.T) {
	for _, tc := range []struct {
		name    string
		primary netip.Addr // B's address A dials first
		other   netip.Addr
	}{
		{"IPv4", tuntest.AddrB4, tuntest.AddrB6},
		{"IPv6", tuntest.AddrB6, tuntest.AddrB4},
	} {
		t.Run(tc.name, func(t *testing.T) { sctpOverTUN(t, tc.primary, tc.other) })
	}
}

func sctpOverTUN(t *testing.T, primary, other netip.Addr) {
	p := tuntest.NewPair(t)
	dir := t.TempDir()
	pathA, pathB := filepath.Join(dir, "a.pcap"), filepath.Join(dir, "b.pcap")
	capA, err := capture.WrapFile(p.A, pathA)
	if err != nil {
		t.Fatal(err)
	}
	capB, err := capture.WrapFile(p.B, pathB)
	if err != nil {
		t.Fatal(err)
	}
	// The time limit turns a lost exchange into a failure instead of a
	// hang; a working one takes about a second, mostly delayed SACKs.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// No idle probing: its packets would come at times the exchange does
	// not set, and the test checks what the captures hold.
	cfg := &sctp.Config{DisableHeartbeats: true}
	epA, err := sctp.NewEndpoint(capA, portA, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer epA.Close()
	epB, err := sctp.NewEndpoint(capB, portB, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer epB.Close()
	if err := epB.Listen(); err != nil {
		t.Fatal(err)
	}

	peers := []netip.AddrPort{netip.AddrPortFrom(primary, 0), netip.AddrPortFrom(other, 0)}
	a, err := epA.Dial(ctx, peers, portB)
	if err != nil {
		t.Fatal(err)
	}
	b, err := epB.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// B's primary is the address A's INIT came from: A's own of the
	// family A dialed.
	wantA := tuntest.AddrA4
	if primary.Is6() {
		wantA = tuntest.AddrA6
	}
	if got := b.RemoteAddrs(); len(got) != 2 || got[0].Addr() != wantA {
		t.Fatalf("B sees A at %v, want %v first of two", got, wantA)
	}

	exchangeMessages(ctx, t, a, b, "A")
	exchangeMessages(ctx, t, b, a, "B")

	if err := a.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if _, err := b.Receive(ctx); err != io.EOF {
		t.Fatalf("B's Receive after A's shutdown: %v, want EOF", err)
	}
	select {
	case <-b.Done():
	case <-ctx.Done():
		t.Fatal("B's association did not end after the shutdown")
	}
	if err := b.Err(); err != nil {
		t.Fatalf("B's association ended with %v, want a graceful end", err)
	}
	if err := epA.Close(); err != nil {
		t.Fatalf("closing A: %v", err)
	}
	if err := epB.Close(); err != nil {
		t.Fatalf("closing B: %v", err)
	}
	if s := capA.Stats(); s.Skipped != 0 {
		t.Fatalf("capture of A skipped %d packets", s.Skipped)
	}
	if s := capB.Stats(); s.Skipped != 0 {
		t.Fatalf("capture of B skipped %d packets", s.Skipped)
	}

	// Each side's capture holds the whole exchange: it sent or received
	// every packet of it.
	for _, path := range []string{pathA, pathB} {
		checkCaptureChunks(t, path, primary.Is6())
		checkTshark(t, path)
	}
}

// exchangeMessages sends tunMessages(name) from one association and
// reads them on the other: ordered ones in order per stream, the
// unordered one anywhere, each with its stream and PPID.
func exchangeMessages(ctx context.Context, t *testing.T, from, to *sctp.Association, name string) {
	t.Helper()
	want := tunMessages(name)
	for _, m := range want {
		if err := from.Send(ctx, m); err != nil {
			t.Fatalf("%s sends: %v", name, err)
		}
	}
	pending := append([]sctp.Message(nil), want...)
	for range want {
		m, err := to.Receive(ctx)
		if err != nil {
			t.Fatalf("receiving %s's messages: %v", name, err)
		}
		i := indexOfMessage(pending, m)
		if i < 0 {
			t.Fatalf("unexpected message from %s: stream %d ppid %d unordered %v, %d bytes %.40q", name, m.Stream, m.PPID, m.Unordered, len(m.Data), m.Data)
		}
		// An ordered message must be the first one left of its stream.
		if !m.Unordered {
			for _, q := range pending[:i] {
				if !q.Unordered && q.Stream == m.Stream {
					t.Fatalf("%s's message %.40q overtook %.40q on stream %d", name, m.Data, q.Data, m.Stream)
				}
			}
		}
		pending = append(pending[:i], pending[i+1:]...)
	}
}

func indexOfMessage(ms []sctp.Message, m sctp.Message) int {
	for i, w := range ms {
		if w.Stream == m.Stream && w.PPID == m.PPID && w.Unordered == m.Unordered && bytes.Equal(w.Data, m.Data) {
			return i
		}
	}
	return -1
}

// checkCaptureChunks reads the capture with the ip package and checks
// that every packet is SCTP directly over IP between the endpoints'
// addresses, with a good CRC32c, that the handshake, data, SACKs and
// the shutdown sequence are all there, and that the handshake used the
// family of the primary path.
func checkCaptureChunks(t *testing.T, path string, v6 bool) {
	t.Helper()
	pkts, err := pcaptest.ReadSCTP(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	locals := map[netip.Addr]bool{tuntest.AddrA4: true, tuntest.AddrA6: true, tuntest.AddrB4: true, tuntest.AddrB6: true}
	seen := map[wire.ChunkType]int{}
	if len(pkts) == 0 {
		t.Fatalf("%s: no SCTP packet", path)
	}
	if got := pkts[0].Src.Addr().Is6(); got != v6 {
		t.Errorf("%s: the handshake went over IPv6 = %v, want %v (the primary's family)", path, got, v6)
	}
	for i, pk := range pkts {
		if pk.Encap {
			t.Errorf("%s: packet %d is UDP-encapsulated; TUN carries SCTP directly over IP", path, i+1)
		}
		if !locals[pk.Src.Addr()] || !locals[pk.Dst.Addr()] {
			t.Errorf("%s: packet %d goes %v -> %v, not between the endpoints", path, i+1, pk.Src, pk.Dst)
		}
		if !wire.VerifyChecksum(pk.SCTP) {
			t.Errorf("%s: packet %d: CRC32c does not verify", path, i+1)
		}
		pkt, err := wire.ParsePacket(pk.SCTP)
		if err != nil {
			t.Fatalf("%s: packet %d: %v", path, i+1, err)
		}
		it := pkt.Chunks()
		for c, ok := it.Next(); ok; c, ok = it.Next() {
			seen[c.Type()]++
		}
		if err := it.Err(); err != nil {
			t.Fatalf("%s: packet %d: %v", path, i+1, err)
		}
	}
	for _, ct := range []wire.ChunkType{wire.ChunkInit, wire.ChunkInitAck, wire.ChunkCookieEcho, wire.ChunkCookieAck,
		wire.ChunkData, wire.ChunkSack, wire.ChunkShutdown, wire.ChunkShutdownAck, wire.ChunkShutdownComplete} {
		if seen[ct] == 0 {
			t.Errorf("%s: no %v chunk among %v", path, ct, seen)
		}
	}
	if seen[wire.ChunkAbort] != 0 {
		t.Errorf("%s: an ABORT in a graceful exchange", path)
	}
	// Two times five messages, one of them in several fragments each way.
	if seen[wire.ChunkData] < 2*6 {
		t.Errorf("%s: %d DATA chunks, want at least 12 (the large messages are fragmented)", path, seen[wire.ChunkData])
	}
}

// checkTshark has Wireshark decode the capture with IP and SCTP checksum
// verification on, and fails on any frame that is not SCTP over IP, any
// checksum that is not good, and any expert note or malformed mark.
func checkTshark(t *testing.T, path string) {
	t.Helper()
	opts := []string{"-r", path, "-n",
		"-o", "ip.check_checksum:TRUE",
		"-o", "sctp.checksum:CRC 32c"}
	fields := pcaptest.Tshark(t, append(opts, "-T", "fields", "-E", "separator=|",
		"-e", "frame.number", "-e", "frame.protocols", "-e", "ip.checksum.status", "-e", "sctp.checksum.status",
		"-e", "sctp.chunk_type", "-e", "_ws.expert.message", "-e", "_ws.malformed")...)
	lines := strings.Split(strings.TrimSpace(fields), "\n")
	pkts, err := pcaptest.ReadSCTP(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != len(pkts) || len(pkts) == 0 {
		t.Fatalf("%s: tshark shows %d frames, the capture holds %d SCTP packets", path, len(lines), len(pkts))
	}
	var shutdownComplete bool
	for _, line := range lines {
		f := strings.Split(line, "|")
		if len(f) != 7 {
			t.Fatalf("%s: tshark line %q", path, line)
		}
		v4 := strings.HasPrefix(f[1], "raw:ip:")
		switch {
		case !strings.HasPrefix(f[1], "raw:ip:sctp") && !strings.HasPrefix(f[1], "raw:ipv6:sctp"):
			t.Errorf("%s frame %s: protocols %q, want SCTP directly over IP", path, f[0], f[1])
		case v4 && f[2] != "1":
			t.Errorf("%s frame %s: IPv4 header checksum status %q, want 1 (good)", path, f[0], f[2])
		case f[3] != "1":
			t.Errorf("%s frame %s: SCTP checksum status %q, want 1 (good)", path, f[0], f[3])
		case f[5] != "" || f[6] != "":
			t.Errorf("%s frame %s: tshark reports %q %q", path, f[0], f[5], f[6])
		}
		// SHUTDOWN COMPLETE is chunk type 14.
		shutdownComplete = shutdownComplete || f[4] == fmt.Sprint(uint8(wire.ChunkShutdownComplete))
	}
	if !shutdownComplete {
		t.Errorf("%s: tshark finds no SHUTDOWN COMPLETE", path)
	}
	verbose := pcaptest.Tshark(t, append(opts, "-V")...)
	for _, bad := range []string{"Malformed", "Checksum Status: Bad", "Expert Info (Error", "Expert Info (Warning", "[incorrect"} {
		if strings.Contains(verbose, bad) {
			t.Errorf("%s: tshark reports %q:\n%s", path, bad, verbose)
		}
	}
}
