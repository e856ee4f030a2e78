package cli

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp"
)

// Start's listener and client make an association over loopback UDP,
// and Watch reports it: up with its path, the graceful shutdown, and
// the path at the end.
func TestStartAndWatch(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	target := Endpoint{Addrs: addrs("127.0.0.1"), Port: 5000}
	srv, err := parseLower(t, "-udp-port", "0").Start(true, target, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if srv.Port() != 5000 {
		t.Errorf("listener on SCTP port %d, want the target's 5000", srv.Port())
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	udp := strconv.Itoa(int(srv.Addr().Port()))
	cl, err := parseLower(t, "-udp-port", "0", "-peer-udp-port", udp).Start(false, target, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if p := cl.Port(); p < 49152 {
		t.Errorf("client on SCTP port %d, want one of the dynamic range", p)
	}
	a, err := cl.Dial(ctx, parseLower(t, "-peer-udp-port", udp).Peers(target.Addrs), target.Port)
	if err != nil {
		t.Fatal(err)
	}
	b, err := srv.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var logA, logB bytes.Buffer // written by Watch, read once it is done
	doneA := Watch(a, NewLogger(&logA, "a"), true, "")
	doneB := Watch(b, NewLogger(&logB, "b"), false, "")
	if err := a.Send(ctx, sctp.Message{Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	<-doneA
	<-doneB
	want := regexp.MustCompile(`^a: association up with SCTP port 5000, 1 path: 127\.0\.0\.1:` + udp + ` \(primary\)\n` +
		`a: graceful shutdown complete\n` +
		`a: path 127\.0\.0\.1:` + udp + ` active: srtt \S+, \d+ packets sent, \d+ received, \d+ heartbeats acknowledged, 0 retransmissions\n$`)
	if !want.MatchString(logA.String()) {
		t.Errorf("verbose log:\n%s", logA.String())
	}
	if logB.Len() != 0 {
		t.Errorf("quiet log: %q", logB.String())
	}
}
