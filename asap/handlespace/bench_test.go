package handlespace

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/asap/policy"
)

// benchElements returns 10,000 registrations in 100 pools of 100: an
// SCTP transport with two addresses, a Least Used policy, four homes.
func benchElements() (handles [][]byte, pes []msg.PoolElement) {
	for i := range 10000 {
		handles = append(handles, fmt.Appendf(nil, "pool-%03d", i%100))
		p := pe(msg.PEID(0x10000+i*7919), msg.ServerID(1+i%4), policy.LeastUsed{Load: uint32(i % 97)})
		p.UserTransport = sctp(uint16(i), msg.DataOnly, "127.0.0.2", "127.0.0.3")
		pes = append(pes, *p)
	}
	return handles, pes
}

func fill(b *testing.B, handles [][]byte, pes []msg.PoolElement) *Handlespace {
	h := New(Limits{})
	for i := range pes {
		if _, _, err := h.Register(handles[i], &pes[i], at(30+i%600)); err != nil {
			b.Fatal(err)
		}
	}
	return h
}

// BenchmarkRegister registers 10,000 new elements in 100 pools.
func BenchmarkRegister(b *testing.B) {
	handles, pes := benchElements()
	b.ReportAllocs()
	for b.Loop() {
		fill(b, handles, pes)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(pes)), "ns/PE")
}

// BenchmarkReregister updates one element of a handlespace of 10,000.
func BenchmarkReregister(b *testing.B) {
	handles, pes := benchElements()
	h := fill(b, handles, pes)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i = (i + 1) % len(pes)
		if _, _, err := h.Register(handles[i], &pes[i], at(1000+i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeregister removes and adds back one element of 10,000.
func BenchmarkDeregisterRegister(b *testing.B) {
	handles, pes := benchElements()
	h := fill(b, handles, pes)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i = (i + 1) % len(pes)
		h.Deregister(handles[i], pes[i].ID)
		if _, _, err := h.Register(handles[i], &pes[i], at(1000+i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolve resolves a pool of 10,000 elements, and one of 100
// pools of 100, for k elements.
func BenchmarkResolve(b *testing.B) {
	for _, pol := range []policy.Policy{policy.RoundRobin{}, policy.Random{}, policy.WeightedRandom{}, policy.LeastUsed{}, policy.LeastUsedDegradation{}} {
		for _, k := range []int{1, 16} {
			b.Run(fmt.Sprintf("%v/k=%d", pol.Type(), k), func(b *testing.B) {
				h := New(Limits{})
				for i := range 10000 {
					p := pe(msg.PEID(i), 1, pol)
					p.Policy.Weight, p.Policy.Load, p.Policy.LoadDegradation = 1+uint32(i%13), uint32(i%97), 3
					mustRegister(b, h, "big", p, time.Time{})
				}
				r := seeded(1)
				dst := make([]*Element, 0, k)
				handle := []byte("big")
				b.ReportAllocs()
				for b.Loop() {
					var err error
					if dst, err = h.Resolve(dst[:0], handle, k, r); err != nil || len(dst) != k {
						b.Fatal(err)
					}
				}
			})
		}
	}
	b.Run("100x100/LeastUsed/k=3", func(b *testing.B) {
		handles, pes := benchElements()
		h := fill(b, handles, pes)
		dst := make([]*Element, 0, 3)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i = (i + 1) % 100
			dst, _ = h.Resolve(dst[:0], handles[i], 3, nil)
		}
	})
}

// BenchmarkExpire registers 10,000 elements and expires them all.
func BenchmarkExpire(b *testing.B) {
	handles, pes := benchElements()
	var dst []*Element
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		h := fill(b, handles, pes)
		b.StartTimer()
		dst = h.Expire(dst[:0], at(10000))
		if len(dst) != len(pes) {
			b.Fatalf("expired %d", len(dst))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(pes)), "ns/PE")
}

// BenchmarkMemoryPerPE reports the heap that 10,000 registered elements
// in 100 pools take, per element.
func BenchmarkMemoryPerPE(b *testing.B) {
	handles, pes := benchElements()
	var perPE float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		h := fill(b, handles, pes)
		runtime.GC()
		runtime.ReadMemStats(&after)
		perPE = float64(after.HeapAlloc-before.HeapAlloc) / float64(len(pes))
		runtime.KeepAlive(h)
	}
	b.ReportMetric(perPE, "bytes/PE")
}

// BenchmarkCursor walks the whole handlespace in (handle, id) order.
func BenchmarkCursor(b *testing.B) {
	handles, pes := benchElements()
	h := fill(b, handles, pes)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for range h.After(Cursor{}) {
			n++
		}
		if n != len(pes) {
			b.Fatal(n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(pes)), "ns/PE")
}
