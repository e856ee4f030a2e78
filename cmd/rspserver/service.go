package main

import (
	"context"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// serve runs the chosen service on one association until it ends.
// Messages with the ASAP PPID are control messages (RFC 5352 §5), not
// service data: they are not answered.
func (s *server) serve(ctx context.Context, a *sctp.Association) {
	defer a.Close()
	switch s.service {
	case "pingpong", "calcapp":
		s.serveSession(ctx, a)
		return
	case "chargen":
		s.chargen(ctx, a)
		return
	case "daytime":
		if err := a.Send(ctx, sctp.Message{Data: daytime(time.Now())}); err != nil {
			return
		}
	}
	for {
		m, err := a.Receive(ctx)
		if err != nil {
			return
		}
		if m.PPID == msg.PPIDASAP {
			continue
		}
		var reply []byte
		switch s.service {
		case "echo":
			reply = m.Data
		case "daytime":
			reply = daytime(time.Now())
		}
		if reply != nil {
			if err := a.Send(ctx, sctp.Message{Stream: m.Stream, PPID: m.PPID, Data: reply}); err != nil {
				return
			}
		}
		s.answered()
	}
}

// daytime is the time as RFC 867 suggests: "Weekday, Month Day, Year
// HH:MM:SS-Zone".
func daytime(t time.Time) []byte {
	return []byte(t.Format("Monday, January 2, 2006 15:04:05-MST") + "\r\n")
}

// chargenLine returns line i of the RFC 864 pattern: 72 printable
// characters starting one further along the 95 each time.
func chargenLine(i int) []byte {
	const first, count, width = 0x20, 95, 72
	b := make([]byte, 0, width+2)
	for k := range width {
		b = append(b, byte(first+(i+k)%count))
	}
	return append(b, '\r', '\n')
}

// chargen sends lines as fast as the association takes them (Send
// blocks while the send buffer is full), reading and dropping what the
// user sends, until the association ends.
func (s *server) chargen(ctx context.Context, a *sctp.Association) {
	go func() {
		for {
			if _, err := a.Receive(ctx); err != nil {
				return
			}
			s.answered()
		}
	}()
	for i := 0; ; i++ {
		if err := a.Send(ctx, sctp.Message{Data: chargenLine(i)}); err != nil {
			return
		}
	}
}
