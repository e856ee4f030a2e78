package services

import (
	"context"
	"encoding/binary"
	"errors"
	"strconv"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/sctp"
)

// PPIDPingPong marks the ping-pong service's data.
const PPIDPingPong = 0x50494e47 // "PING"

// The ping-pong protocol: a Ping is a sequence number (8 bytes), a Pong
// the sequence number and the session's counter (8 + 8 bytes). The
// counter counts the distinct pings of the session, so with no state
// lost it equals the sequence number. The cookie holds the last sequence
// number and the counter: a ping sent again after a failover, already
// counted by the failed PE, is answered without counting it twice.
const (
	pingLen = 8
	pongLen = 16
)

// ErrMalformed is returned for a service message of the wrong length.
var ErrMalformed = errors.New("services: malformed message")

// PingPong is the pool element's side of one ping-pong session.
type PingPong struct {
	seq, count uint64
}

// Restore takes the state of an echoed cookie.
func (p *PingPong) Restore(state []byte) error {
	if len(state) != 16 {
		return errors.New("services: ping-pong state of " + strconv.Itoa(len(state)) + " bytes, want 16")
	}
	p.seq = binary.BigEndian.Uint64(state)
	p.count = binary.BigEndian.Uint64(state[8:])
	return nil
}

// Count returns the session's counter.
func (p *PingPong) Count() uint64 { return p.count }

// Serve answers pings until the association ends. Each new ping bumps
// the counter; the new state goes out as a cookie before the pong, so
// the pool user holds it by the time it sees the answer. answered, when
// not nil, is called after each pong.
func (p *PingPong) Serve(ctx context.Context, ss *asap.ServerSession, answered func()) error {
	for {
		m, err := ss.Receive(ctx)
		if err != nil {
			return err
		}
		if m.PPID != PPIDPingPong || len(m.Data) != pingLen {
			return ErrMalformed
		}
		seq := binary.BigEndian.Uint64(m.Data)
		if seq > p.seq {
			p.seq = seq
			p.count++
			state := binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, p.seq), p.count)
			if err := ss.SendCookie(ctx, state); err != nil {
				return err
			}
		}
		pong := binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, seq), p.count)
		if err := ss.Send(ctx, sctp.Message{Stream: m.Stream, PPID: PPIDPingPong, Data: pong}); err != nil {
			return err
		}
		if answered != nil {
			answered()
		}
	}
}

// Pong is a ping-pong answer.
type Pong struct {
	Seq, Count uint64
	Resent     int // times the ping was sent again after a failover
}

// PingPongClient is the pool user's side of a ping-pong session.
type PingPongClient struct {
	S   *asap.Session
	seq uint64
}

// Ping sends the next ping and waits for its pong, sending it again
// after each failover (asap.ErrFailover). Pongs to earlier pings are
// skipped.
func (c *PingPongClient) Ping(ctx context.Context) (Pong, error) {
	c.seq++
	req := sctp.Message{PPID: PPIDPingPong, Data: binary.BigEndian.AppendUint64(nil, c.seq)}
	if err := c.S.Send(ctx, req); err != nil {
		return Pong{}, err
	}
	resent := 0
	for {
		m, err := c.S.Receive(ctx)
		if errors.Is(err, asap.ErrFailover) {
			resent++
			if err := c.S.Send(ctx, req); err != nil {
				return Pong{}, err
			}
			continue
		}
		if err != nil {
			return Pong{}, err
		}
		if m.PPID != PPIDPingPong || len(m.Data) != pongLen {
			return Pong{}, ErrMalformed
		}
		p := Pong{Seq: binary.BigEndian.Uint64(m.Data), Count: binary.BigEndian.Uint64(m.Data[8:]), Resent: resent}
		if p.Seq == c.seq {
			return p, nil
		}
	}
}
