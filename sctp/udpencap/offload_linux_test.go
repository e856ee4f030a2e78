package udpencap

import (
	"net/netip"
	"testing"
	"unsafe"

	"github.com/rserpool/rserpool/sctp/lower"
	"golang.org/x/sys/unix"
)

// mmsghdr must have the C layout of struct mmsghdr, or recvmmsg and
// sendmmsg read the wrong memory.
func TestMmsghdrLayout(t *testing.T) {
	var m mmsghdr
	ptr := unsafe.Sizeof(uintptr(0))
	if off := unsafe.Offsetof(m.n); off != unix.SizeofMsghdr {
		t.Errorf("msg_len at %d, want %d", off, unix.SizeofMsghdr)
	}
	if size := unsafe.Sizeof(m); size != (unix.SizeofMsghdr+4+ptr-1)/ptr*ptr {
		t.Errorf("size %d", size)
	}
}

// Batches of 64 equal packets, with GSO and GRO each on or off, arrive
// whole and in order; GSO sends them in few datagrams and GRO takes them
// in few buffers when both ends use them.
func TestOffloads(t *testing.T) {
	for _, tc := range []struct {
		name     string
		gso, gro bool
		addr     netip.Addr
	}{
		{"Plain", false, false, lo2},
		{"GSO", true, false, lo2},
		{"GRO", false, true, lo2},
		{"GSOGRO", true, true, lo2},
		{"GSOGRO6", true, true, lo6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noLeak(t)
			from := lo1
			if tc.addr.Is6() {
				from = lo6
			}
			a := listen(t, Config{Addrs: []netip.Addr{from}, DisableGSO: !tc.gso})
			b := listen(t, Config{Addrs: []netip.Addr{tc.addr}, DisableGRO: !tc.gro})
			sa, sb := a.Stats(), b.Stats()
			if tc.gso && !sa.GSO || tc.gro && !sb.GRO {
				t.Skipf("kernel without UDP GSO or GRO: %+v, %+v", sa, sb)
			}
			if !tc.gso && sa.GSO || !tc.gro && sb.GRO {
				t.Fatalf("offload on though disabled: GSO %v, GRO %v", sa.GSO, sb.GRO)
			}
			aa, ba := a.LocalAddrs()[0], b.LocalAddrs()[0]
			for round := range 3 {
				write(t, a, batch(aa, ba, 64*round, repeat(64, 1200)...))
				expect(t, readN(t, b, 64, 1500, 64), aa, ba, 64*round, repeat(64, 1200)...)
			}
			sa, sb = a.Stats(), b.Stats()
			if sa.PacketsOut != 192 || sb.PacketsIn != 192 {
				t.Errorf("out %d, in %d", sa.PacketsOut, sb.PacketsIn)
			}
			// 64 packets of 1200 bytes exceed one datagram: 2 per batch.
			if want := map[bool]uint64{false: 0, true: 6}[tc.gso]; sa.GSOSends != want {
				t.Errorf("GSOSends = %d, want %d", sa.GSOSends, want)
			}
			// Loopback hands a GSO send to a GRO socket whole.
			if tc.gso && tc.gro && sb.GROReceives == 0 || !tc.gro && sb.GROReceives != 0 {
				t.Errorf("GROReceives = %d", sb.GROReceives)
			}
		})
	}
}

// A batch of mixed sizes and destinations: runs of equal packets are
// joined, the rest sent as they are, and everything arrives in order.
func TestOffloadsMixed(t *testing.T) {
	for _, gro := range []bool{false, true} {
		t.Run(map[bool]string{false: "GROoff", true: "GROon"}[gro], func(t *testing.T) {
			noLeak(t)
			a := listen(t, Config{Addrs: []netip.Addr{lo1}})
			b := listen(t, Config{Addrs: []netip.Addr{lo2, lo12}, DisableGRO: !gro})
			c := listen(t, Config{Addrs: []netip.Addr{lo2}, DisableGRO: !gro})
			if !a.Stats().GSO {
				t.Skip("kernel without UDP GSO")
			}
			aa := a.LocalAddrs()[0]
			b2, b12, c2 := b.LocalAddrs()[0], b.LocalAddrs()[1], c.LocalAddrs()[0]
			type run struct {
				dst   netip.AddrPort
				sizes []int
			}
			runs := []run{
				{b2, []int{1200, 1200, 1200, 800}},      // last shorter: one send
				{b2, []int{1200, 1200}},                 // after a shorter one: a new send
				{b12, []int{1200, 1200, 1300, 1300, 9}}, // larger: a new send
				{c2, []int{500}},
				{b2, []int{1400, 1400, 1400}},
				{b2, []int{8}}, // shorter: ends the send before
				{b2, []int{9000, 9000, 9000, 9000, 9000, 9000, 9000, 9000}},
			}
			var pkts []lower.Packet
			for _, r := range runs {
				pkts = append(pkts, batch(aa, r.dst, len(pkts), r.sizes...)...)
			}
			write(t, a, pkts)
			want := map[netip.AddrPort][]lower.Packet{}
			for _, p := range pkts {
				want[p.Dst] = append(want[p.Dst], p)
			}
			got := append(readN(t, b, len(want[b2])+len(want[b12]), 9000, 16), readN(t, c, len(want[c2]), 9000, 16)...)
			next := map[netip.AddrPort]int{}
			for _, p := range got {
				w := want[p.Dst][next[p.Dst]]
				next[p.Dst]++
				if string(p.Buf) != string(w.Buf) || p.Src != aa {
					t.Fatalf("to %v: got %d bytes from %v, want packet %d", p.Dst, len(p.Buf), p.Src, w.Buf[0:4])
				}
			}
			// Sends of 2 or more: 1200×3+800, 1200×2, 1200×2, 1300×2+9,
			// 1400×3+8, 9000×7 (the 8th would pass 65507 bytes).
			if s := a.Stats(); s.GSOSends != 6 || s.PacketsOut != uint64(len(pkts)) {
				t.Errorf("GSOSends = %d, PacketsOut = %d; want 6 and %d", s.GSOSends, s.PacketsOut, len(pkts))
			}
		})
	}
}

// The grouping rules of UDP_SEGMENT, one by one.
func TestBuildGroups(t *testing.T) {
	noLeak(t)
	c := listen(t, Config{Addrs: []netip.Addr{lo1, lo6}})
	if !c.Stats().GSO {
		t.Skip("kernel without UDP GSO")
	}
	s := c.socks[0]
	d1 := netip.MustParseAddrPort("127.0.0.2:9899")
	d2 := netip.MustParseAddrPort("127.0.0.2:9900")
	d6 := netip.MustParseAddrPort("[::1]:9899")
	mk := func(dst netip.AddrPort, sizes ...int) []lower.Packet {
		return batch(netip.AddrPort{}, dst, 0, sizes...)
	}
	cat := func(b ...[]lower.Packet) (all []lower.Packet) {
		for _, x := range b {
			all = append(all, x...)
		}
		return all
	}
	for _, tc := range []struct {
		name   string
		pkts   []lower.Packet
		counts []int // packets per message
		end    int   // first packet not built
	}{
		{"equal", mk(d1, 100, 100, 100), []int{3}, 3},
		{"shorter last", mk(d1, 100, 100, 50, 100), []int{3, 1}, 4},
		{"longer", mk(d1, 100, 200, 200), []int{1, 2}, 3},
		{"other port", cat(mk(d1, 100, 100), mk(d2, 100)), []int{2, 1}, 3},
		{"empty", cat([]lower.Packet{{Dst: d1}, {Dst: d1}}, mk(d1, 100)), []int{1, 1, 1}, 3},
		{"segment limit", mk(d1, repeat(gsoMaxSegs+1, 10)...), []int{gsoMaxSegs, 1}, gsoMaxSegs + 1},
		{"datagram limit", mk(d1, repeat(4, 20000)...), []int{3, 1}, 4},
		{"larger than the link", mk(d1, s.maxSeg+1, s.maxSeg+1), []int{1, 1}, 2},
		{"other socket", cat(mk(d1, 100, 100), mk(d6, 100)), []int{2}, 2},
		{"bad address", cat(mk(d1, 100), mk(netip.AddrPort{}, 100)), []int{1}, 1},
		{"batch limit", mk(d1, repeat(writeMax+1, 10)...), repeat(writeMax/gsoMaxSegs, gsoMaxSegs), writeMax},
	} {
		_, dst, _ := c.route(&tc.pkts[0])
		end, nm := c.wr.build(s, dst, tc.pkts, 0)
		var counts []int
		for _, m := range c.wr.meta[:nm] {
			counts = append(counts, m.count)
			h := c.wr.msgs[len(counts)-1].hdr
			seg, ok := cmsgUint(unsafe.Slice(h.Control, h.Controllen), unix.IPPROTO_UDP, unix.UDP_SEGMENT)
			if m.count > 1 && (!ok || seg != m.seg) || m.count == 1 && h.Control != nil || int(h.Iovlen) != m.count {
				t.Errorf("%s: message of %d packets: segment %d, %v, iovlen %d", tc.name, m.count, seg, ok, h.Iovlen)
			}
		}
		if end != tc.end || !equal(counts, tc.counts) {
			t.Errorf("%s: built %v up to %d, want %v up to %d", tc.name, counts, end, tc.counts, tc.end)
		}
	}
}

// repeat returns n times size.
func repeat(n, size int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = size
	}
	return s
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A kernel or device that refuses UDP_SEGMENT (EIO when the device
// cannot checksum) turns GSO off for good; the batch is sent anyway.
func TestGSOFallback(t *testing.T) {
	noLeak(t)
	a := listen(t, Config{Addrs: []netip.Addr{lo1}})
	b := listen(t, Config{Addrs: []netip.Addr{lo2}})
	if !a.Stats().GSO {
		t.Skip("kernel without UDP GSO")
	}
	refused := 0
	a.wr.sendmmsg = func(fd uintptr, msgs []mmsghdr) (int, unix.Errno) {
		if msgs[0].hdr.Control != nil {
			refused++
			return 0, unix.EIO
		}
		return sendmmsg(fd, msgs)
	}
	aa, ba := a.LocalAddrs()[0], b.LocalAddrs()[0]
	for round := range 2 {
		write(t, a, batch(aa, ba, 10*round, 100, 100, 100, 50, 100))
		expect(t, readN(t, b, 5, 1500, 8), aa, ba, 10*round, 100, 100, 100, 50, 100)
	}
	s := a.Stats()
	if refused != 1 || s.GSO || s.GSOFallbacks != 1 || s.GSOSends != 0 || s.PacketsOut != 10 {
		t.Errorf("refused %d times; stats %+v", refused, s)
	}
}

// Packets the kernel refuses for a reason SCTP takes as a loss are
// counted and skipped; the others of the batch go out.
func TestSendDropped(t *testing.T) {
	noLeak(t)
	a := listen(t, Config{Addrs: []netip.Addr{lo1}})
	b := listen(t, Config{Addrs: []netip.Addr{lo2}})
	aa, ba := a.LocalAddrs()[0], b.LocalAddrs()[0]
	huge := lower.Packet{Buf: make([]byte, maxPayload4+1), Src: aa, Dst: ba} // EMSGSIZE
	pkts := append(append(batch(aa, ba, 0, 100), huge), batch(aa, ba, 1, 100)...)
	write(t, a, pkts)
	got := readN(t, b, 2, 1500, 8)
	checkNumbered(t, got[0].Buf, 0, 100)
	checkNumbered(t, got[1].Buf, 1, 100)
	if s := a.Stats(); s.SendDropped != 1 || s.PacketsOut != 2 {
		t.Errorf("SendDropped = %d, PacketsOut = %d; want 1 and 2", s.SendDropped, s.PacketsOut)
	}
}

// The UDP_GRO control message is found among others, and a malformed
// one is refused rather than read past.
func TestCmsg(t *testing.T) {
	space := unix.CmsgSpace(4)
	buf := make([]byte, 3*space)
	put := func(at int, level, typ int32, v int32) {
		h := (*unix.Cmsghdr)(unsafe.Pointer(&buf[at]))
		h.Level, h.Type = level, typ
		h.SetLen(unix.CmsgLen(4))
		*(*int32)(unsafe.Pointer(&buf[at+unix.CmsgLen(0)])) = v
	}
	put(0, unix.IPPROTO_IP, unix.IP_TOS, 7)
	put(space, unix.IPPROTO_UDP, unix.UDP_GRO, 1200)
	if v, ok := cmsgUint(buf[:2*space], unix.IPPROTO_UDP, unix.UDP_GRO); !ok || v != 1200 {
		t.Errorf("cmsgUint = %d, %v", v, ok)
	}
	if _, ok := cmsgUint(buf[:space], unix.IPPROTO_UDP, unix.UDP_GRO); ok {
		t.Error("found a message that is not there")
	}
	h := (*unix.Cmsghdr)(unsafe.Pointer(&buf[0]))
	h.SetLen(4 * space) // longer than the buffer
	if _, ok := cmsgUint(buf[:2*space], unix.IPPROTO_UDP, unix.UDP_GRO); ok {
		t.Error("read past a control message longer than the buffer")
	}
	h.SetLen(2) // shorter than its header
	if _, ok := cmsgUint(buf[:2*space], unix.IPPROTO_UDP, unix.UDP_GRO); ok {
		t.Error("accepted a control message shorter than its header")
	}
}
