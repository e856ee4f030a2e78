package msg

import (
	"net/netip"
	"strconv"
	"testing"
)

// The hot paths of a pool user and a registrar: handle resolution and its
// response, endpoint keep-alive and its ack. Decoding and encoding into a
// reused buffer must not allocate.

func benchPEs(n int) PoolElements {
	pes := make([]PoolElement, n)
	for i := range pes {
		pes[i] = PoolElement{
			ID: PEID(i + 1), HomeServer: 0xf15cc54b, RegistrationLife: 300,
			UserTransport: Transport{Kind: ParamSCTPTransport, Port: uint16(20000 + i), Use: DataPlusControl,
				Addrs: MakeAddrs(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}), v6a)},
			Policy: Policy{Type: PolicyLeastUsed, Load: uint32(i)},
		}
	}
	return MakePoolElements(pes...)
}

func hotMessages(n int) map[string]Decoder {
	return map[string]Decoder{
		"HandleResolution": &HandleResolution{PoolHandle: []byte("EchoPool"), Items: 3, HasItems: true},
		"HandleResolutionResponse/" + strconv.Itoa(n): &HandleResolutionResponse{PoolHandle: []byte("EchoPool"),
			Policy: Policy{Type: PolicyLeastUsed}, PoolElements: benchPEs(n)},
		"EndpointKeepAlive":    &EndpointKeepAlive{Home: true, ServerID: 0xf15cc54b, PoolHandle: []byte("EchoPool"), ID: 7, HasID: true},
		"EndpointKeepAliveAck": &EndpointKeepAliveAck{PoolHandle: []byte("EchoPool"), ID: 7},
	}
}

// decodeAndWalk decodes b into m and, for a response, decodes every pool
// element, as a pool user does.
func decodeAndWalk(m Decoder, b []byte, pe *PoolElement) error {
	v, err := ParseMessage(m.MessageType().Protocol(), b)
	if err != nil {
		return err
	}
	if err := m.Decode(v); err != nil {
		return err
	}
	if r, ok := m.(*HandleResolutionResponse); ok {
		it := r.PoolElements.Iter()
		for it.Next(pe) {
		}
		return it.Err()
	}
	return nil
}

// TestHotPathsDoNotAllocate is the test behind the benchmarks' 0 allocs/op.
func TestHotPathsDoNotAllocate(t *testing.T) {
	for _, n := range []int{3, 32} {
		for name, m := range hotMessages(n) {
			enc := m.Append(nil)
			buf := make([]byte, 0, len(enc))
			out := New(m.MessageType())
			var pe PoolElement
			if a := testing.AllocsPerRun(100, func() { buf = m.Append(buf[:0]) }); a != 0 {
				t.Errorf("%s: encoding allocates %v times", name, a)
			}
			if a := testing.AllocsPerRun(100, func() {
				if err := decodeAndWalk(out, enc, &pe); err != nil {
					t.Fatal(err)
				}
			}); a != 0 {
				t.Errorf("%s: decoding allocates %v times", name, a)
			}
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, n := range []int{3, 32} {
		for name, m := range hotMessages(n) {
			if n == 32 && name[0] != 'H' || n == 32 && name == "HandleResolution" {
				continue
			}
			enc := m.Append(nil)
			out := New(m.MessageType())
			b.Run(name, func(b *testing.B) {
				var pe PoolElement
				b.ReportAllocs()
				b.SetBytes(int64(len(enc)))
				for b.Loop() {
					if err := decodeAndWalk(out, enc, &pe); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, n := range []int{3, 32} {
		for name, m := range hotMessages(n) {
			if n == 32 && name[0] != 'H' || n == 32 && name == "HandleResolution" {
				continue
			}
			buf := make([]byte, 0, pad4(m.Len()))
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(cap(buf)))
				for b.Loop() {
					buf = m.Append(buf[:0])
				}
			})
		}
	}
}
