package path

import (
	"encoding/binary"
	"testing"
	"time"
)

// FuzzPath drives a path with arbitrary calls and arguments and checks
// that its variables stay in range.
func FuzzPath(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add([]byte{3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 0x80, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, ops []byte) {
		p := New(v4, 1500, &Params{RTOMin: time.Millisecond}, len(ops)%2 == 0)
		now := t0
		arg := func() int64 {
			if len(ops) < 8 {
				return 0
			}
			v := int64(binary.LittleEndian.Uint64(ops))
			ops = ops[8:]
			return v
		}
		for len(ops) > 0 {
			op := ops[0]
			ops = ops[1:]
			switch op % 16 {
			case 0:
				p.RTTSample(time.Duration(arg()))
			case 1:
				p.BackoffRTO()
			case 2:
				p.OnAck(int(arg()), int(arg()), op&16 != 0, op&32 != 0)
			case 3:
				p.CanSend(int(arg()), int(arg()))
			case 4:
				p.OnFastRetransmit()
			case 5:
				p.OnT3Expiry()
			case 6:
				now = now.Add(time.Duration(arg() % int64(time.Hour)))
				p.OnIdle(now)
			case 7:
				p.LimitBurst(int(arg()))
			case 8:
				p.NoteSend(now)
			case 9:
				p.OnError()
			case 10:
				p.OnAckReceived()
			case 11:
				p.Confirm()
			case 12:
				p.NextHeartbeat(now, float64(arg())/float64(1<<62))
			case 13:
				p.SetMTU(int(arg()))
			case 14:
				p.SetChunkOverhead(int(arg()))
			case 15:
				p.OnAllAcked()
			}
			s := p.Stats()
			switch {
			case s.RTO < time.Millisecond || s.RTO > 60*time.Second:
				t.Fatalf("RTO %v", s.RTO)
			case s.Cwnd <= 0 || s.Cwnd > MaxWindow:
				t.Fatalf("cwnd %d", s.Cwnd)
			case s.Ssthresh <= 0 || s.Ssthresh > MaxWindow:
				t.Fatalf("ssthresh %d", s.Ssthresh)
			case s.PartialBytesAcked < 0 || s.PartialBytesAcked > MaxWindow:
				t.Fatalf("partial_bytes_acked %d", s.PartialBytesAcked)
			case s.ErrorCount < 0 || s.ErrorCount > 6:
				t.Fatalf("errors %d", s.ErrorCount)
			case s.PMDCS < s.MTU/4-4 || s.PMDCS > s.MTU-12 || s.PMDCS%4 != 0:
				t.Fatalf("PMDCS %d of MTU %d", s.PMDCS, s.MTU)
			case s.Reachable != (s.ErrorCount <= 5):
				t.Fatalf("reachable %v with %d errors", s.Reachable, s.ErrorCount)
			}
		}
	})
}
