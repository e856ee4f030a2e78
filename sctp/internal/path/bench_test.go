package path

import "testing"

// sendLoop is what the association does per SACK chunk: apply it, then
// fill the window.
func sendLoop(p *Path, flight int) int {
	p.OnAck(pmdcs1500, flight, true, false)
	flight -= pmdcs1500
	p.LimitBurst(flight)
	for p.CanSend(flight, pmdcs1500) {
		flight += pmdcs1500
	}
	if flight > 1<<24 {
		p.OnFastRetransmit()
	}
	return flight
}

func BenchmarkOnAckCanSend(b *testing.B) {
	p := New(v4, 1500, nil, true)
	flight := p.Cwnd()
	b.ReportAllocs()
	for b.Loop() {
		flight = sendLoop(p, flight)
	}
}

func TestOnAckCanSendDoNotAllocate(t *testing.T) {
	p := newPath(t, nil)
	flight := p.Cwnd()
	if n := testing.AllocsPerRun(1000, func() { flight = sendLoop(p, flight) }); n != 0 {
		t.Fatalf("%v allocations per SACK chunk", n)
	}
}
