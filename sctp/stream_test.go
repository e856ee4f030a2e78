package sctp

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/sctp/simnet"
)

func TestStreamConnReadWrite(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: 5 * time.Millisecond}, nil, nil)
		aa, ba := tn.connect()
		ctx := context.Background()
		// A message on stream 2 that arrives before the view exists
		// belongs to the view once it is made. The marker on stream 0,
		// sent last, tells when they all arrived.
		for _, m := range []Message{
			{Stream: 2, PPID: 9, Data: []byte("early")},
			{Stream: 3, Data: []byte("for Receive")},
			{Stream: 0, Data: []byte("marker")},
		} {
			if err := aa.Send(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		marker := make([]byte, 10)
		if n, err := ba.StreamConn(0, 0).Read(marker); err != nil || string(marker[:n]) != "marker" {
			t.Fatal(n, err)
		}
		ca := aa.StreamConn(2, 9)
		cb := ba.StreamConn(2, 9)
		if n, err := ca.Write([]byte("hello, world")); n != 12 || err != nil {
			t.Fatal(n, err)
		}
		buf := make([]byte, 5)
		var got []string
		for range 4 {
			n, err := cb.Read(buf)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, string(buf[:n]))
		}
		// A short buffer keeps the rest of the message for the next Read.
		want := []string{"early", "hello", ", wor", "ld"}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("reads %q, want %q", got, want)
			}
		}
		// The other stream is still Receive's.
		m, err := ba.Receive(ctx)
		if err != nil || m.Stream != 3 || string(m.Data) != "for Receive" {
			t.Fatalf("Receive got %+v %v", m, err)
		}
		// Writes are ordered messages with the view's PPID.
		if _, err := cb.Write([]byte("back")); err != nil {
			t.Fatal(err)
		}
		if n, err := ca.Read(buf); err != nil || string(buf[:n]) != "back" {
			t.Fatal(n, err)
		}
		if la, ra := ca.LocalAddr(), ca.RemoteAddr(); la.Network() != "sctp" || la.String() != "10.0.0.1:5000" || ra.String() != "10.0.0.2:5001" {
			t.Errorf("addresses %v %v", la, ra)
		}
		if err := aa.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := cb.Read(buf); err != io.EOF {
			t.Errorf("read after shutdown: %v", err)
		}
	})
}

func TestStreamConnDeadlines(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: 5 * time.Millisecond}, &Config{SendBuffer: 2000}, nil)
		aa, ba := tn.connect()
		ca, cb := aa.StreamConn(1, 0), ba.StreamConn(1, 0)
		buf := make([]byte, 100)

		start := time.Now()
		cb.SetReadDeadline(start.Add(2 * time.Second))
		_, err := cb.Read(buf)
		var ne net.Error
		if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() || time.Since(start) != 2*time.Second {
			t.Fatalf("read: %v after %v", err, time.Since(start))
		}
		// An expired deadline fails at once; clearing it lets Read wait.
		if _, err := cb.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("read past the deadline: %v", err)
		}
		cb.SetReadDeadline(time.Time{})

		// Moving the deadline of a blocked Read applies to it.
		start = time.Now()
		cb.SetReadDeadline(start.Add(time.Hour))
		readErr := make(chan error)
		go func() { _, err := cb.Read(buf); readErr <- err }()
		synctest.Wait()
		cb.SetReadDeadline(start.Add(time.Second))
		if err := <-readErr; !errors.Is(err, os.ErrDeadlineExceeded) || time.Since(start) != time.Second {
			t.Fatalf("moved deadline: %v after %v", err, time.Since(start))
		}
		cb.SetReadDeadline(time.Time{})

		// Writes block on the full buffer until their deadline.
		tn.n.Blackout(addrA.Addr(), addrB.Addr(), true)
		if _, err := ca.Write(make([]byte, 2000)); err != nil {
			t.Fatal(err)
		}
		start = time.Now()
		ca.SetWriteDeadline(start.Add(300 * time.Millisecond))
		if n, err := ca.Write([]byte("x")); n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) || time.Since(start) != 300*time.Millisecond {
			t.Fatalf("write: %d %v after %v", n, err, time.Since(start))
		}

		// Close releases a blocked Read and fails later calls.
		go func() { _, err := cb.Read(buf); readErr <- err }()
		synctest.Wait()
		cb.Close()
		if err := <-readErr; !errors.Is(err, net.ErrClosed) {
			t.Fatalf("read on a closed view: %v", err)
		}
		if _, err := cb.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
			t.Fatalf("write on a closed view: %v", err)
		}
		if aa.State() != StateEstablished {
			t.Error("closing a view closed the association")
		}
	})
}

func TestRecvQueuesDemux(t *testing.T) {
	var r recvQueues
	for i, s := range []uint16{1, 2, 1, 3, 2} {
		r.push(Message{Stream: s, Data: []byte{byte(i)}})
	}
	if r.held != 5*(1+messageCharge) {
		t.Errorf("held %d", r.held)
	}
	if m, _ := r.popAny(); m.Stream != 1 || m.Data[0] != 0 {
		t.Fatalf("first %+v", m)
	}
	r.claim(2)
	var order []byte
	for m, ok := r.popAny(); ok; m, ok = r.popAny() {
		order = append(order, m.Data[0])
	}
	if string(order) != "\x02\x03" {
		t.Errorf("Receive order %v, want stream 2 skipped", order)
	}
	for _, want := range []byte{1, 4} {
		if m, ok := r.popStream(2); !ok || m.Data[0] != want {
			t.Fatalf("stream 2: %+v %v", m, ok)
		}
	}
	if _, ok := r.popStream(2); ok || r.held != 0 {
		t.Errorf("left %d", r.held)
	}
	r.push(Message{Stream: 2, Data: []byte{9}})
	if _, ok := r.popAny(); ok {
		t.Error("a claimed stream's new message went to Receive")
	}
}

func TestFIFOReusesArray(t *testing.T) {
	var q fifo[int]
	for i := range 1000 {
		q.push(i)
		q.push(i)
		if v, _ := q.pop(); v != i {
			t.Fatalf("pop %d, want %d", v, i)
		}
		q.pop()
	}
	if q.len() != 0 || cap(q.buf) > 64 {
		t.Errorf("len %d cap %d", q.len(), cap(q.buf))
	}
	for i := range 100 {
		q.push(i)
	}
	for i := range 100 {
		if v, ok := q.pop(); !ok || v != i {
			t.Fatal(v, ok)
		}
	}
}
