package rsptest

import (
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/enrp"
)

// Two pool elements register (RFC 5352 §3.1); the one with a short
// lifetime re-registers every T4-reregistration, which moves its expiry
// on (§3.1, §7.1); a pool user reaches the pool through the registrar
// (§3.3); SIGTERM makes each element de-register (§3.2), and the pool
// goes when its last element does.
func TestRegistration(t *testing.T) {
	t.Parallel()
	s := netRegistration
	r := startRegistrar(t, s, "-keepalive-interval", "1h")
	const handle = "EchoPool"
	// A lifetime of 4 s puts T4 at 2 s, half of it (asap.PEConfig).
	a := startPE(t, r, s.host(hostPE), handle, 0xa1, "-lifetime", "4s")
	b := startPE(t, r, s.host(hostPE+1), handle, 0xb2)
	d := r.waitPEs(t, handle, a.id, b.id)
	checkConsistent(t, d)

	for _, pe := range []struct {
		*poolElement
		life int32
	}{{a, 4}, {b, 300}} {
		e, _ := element(d, handle, pe.id)
		if !e.Owned || !e.Connected || e.Home != r.id || e.RegistrationLife != pe.life || e.Policy.Name != "Round Robin" {
			t.Errorf("%v: %+v", pe.id, e)
		}
		if e.UserTransport.Kind != "SCTP Transport" || len(e.UserTransport.Addrs) != 1 || e.UserTransport.Addrs[0] != pe.addr {
			t.Errorf("%v: user transport %+v, want SCTP at %v", pe.id, e.UserTransport, pe.addr)
		}
		// Rule 4 of §3.1: the registrar records where the PE speaks ASAP.
		if e.ASAPTransport == nil || len(e.ASAPTransport.Addrs) != 1 || e.ASAPTransport.Addrs[0] != pe.addr {
			t.Errorf("%v: ASAP transport %+v", pe.id, e.ASAPTransport)
		}
		if left := e.Expires.Sub(d.Time); left <= 0 || left > time.Duration(pe.life)*time.Second {
			t.Errorf("%v: expires %v after the dump, lifetime %d s", pe.id, left, pe.life)
		}
	}

	// Re-registration: the expiry moves on, the element is the same.
	ea, _ := element(d, handle, a.id)
	d = r.waitFor(t, "the re-registration of "+a.id.String(), func(d enrp.Dump) bool {
		e, ok := element(d, handle, a.id)
		return ok && e.Expires.After(ea.Expires.Add(time.Second)) && d.Stats.Reregistrations >= 1
	})
	if s := d.Stats; s.Registrations != 2 || s.RegistrationsRejected != 0 || s.Removals != 0 {
		t.Errorf("after re-registration: %+v", s)
	}
	if e, _ := element(d, handle, a.id); e.Expires.Sub(d.Time) > 4*time.Second {
		t.Errorf("re-registration granted %v, more than the 4 s asked", e.Expires.Sub(d.Time))
	}
	checkConsistent(t, d)

	// A pool user process resolves the handle at the registrar and
	// talks to the element it picks.
	term := startProc(t, "rspterminal", "rspterminal", "-poolhandle", handle, "-registrar", r.addr.String(),
		"-local", s.host(hostUser).String(), "-count", "3", "-interval", "10ms")
	if st := term.exitStatus(t); st != 0 {
		t.Fatalf("rspterminal exited with %d", st)
	}
	if got := term.out.String(); got != "message 1\nmessage 2\nmessage 3\n" {
		t.Errorf("rspterminal printed %q", got)
	}
	m := regexp.MustCompile(`connected to pool element 0x([0-9a-f]{8}) at (\S+)`).FindStringSubmatch(term.err.String())
	if m == nil {
		t.Fatalf("rspterminal does not say which element it reached")
	}
	id, _ := strconv.ParseUint(m[1], 16, 32)
	if e, ok := element(r.mustDump(t), handle, msg.PEID(id)); !ok || e.UserTransport.Addrs[0].String() != m[2] {
		t.Errorf("rspterminal reached %s at %s, not a member of the pool", m[1], m[2])
	}
	if d := r.mustDump(t); d.Stats.Resolutions == 0 || d.Stats.ResolutionsFailed != 0 {
		t.Errorf("resolutions: %+v", d.Stats)
	}

	// De-registration: the element is gone once the process has ended,
	// since it waits for the registrar's answer.
	a.signal(t, syscall.SIGTERM)
	if st := a.exitStatus(t); st != 0 {
		t.Fatalf("rspserver exited with %d after SIGTERM", st)
	}
	d = r.mustDump(t)
	if got := poolIDs(d, handle); len(got) != 1 || got[0] != b.id {
		t.Fatalf("after the de-registration of %v the pool holds %v", a.id, got)
	}
	if s := d.Stats; s.Deregistrations != 1 || s.DeregistrationsRejected != 0 || s.Removals != 0 {
		t.Errorf("after de-registration: %+v", s)
	}
	checkConsistent(t, d)

	b.signal(t, syscall.SIGTERM)
	if st := b.exitStatus(t); st != 0 {
		t.Fatalf("rspserver exited with %d after SIGTERM", st)
	}
	d = r.mustDump(t)
	if len(d.Pools) != 0 || d.Stats.Deregistrations != 2 {
		t.Errorf("after the last de-registration: pools %v, %+v", d.Pools, d.Stats)
	}
	checkConsistent(t, d)
}

// A pool element that stops re-registering leaves when its lifetime
// ends (RFC 5352 §3.2: "allow the registration life of the PE to
// expire"), without a keep-alive involved; once it runs again it
// registers anew.
func TestRegistrationExpiry(t *testing.T) {
	t.Parallel()
	s := netExpiry
	r := startRegistrar(t, s, "-keepalive-interval", "1h")
	const handle = "ExpiryPool"
	a := startPE(t, r, s.host(hostPE), handle, 0xe1, "-lifetime", "2s")
	b := startPE(t, r, s.host(hostPE+1), handle, 0xe2)
	r.waitPEs(t, handle, a.id, b.id)

	a.stop(t)
	d := r.waitPEs(t, handle, b.id)
	if s := d.Stats; s.Expirations != 1 || s.Removals != 1 || s.KeepAliveFailures != 0 || s.Deregistrations != 0 {
		t.Errorf("after the expiry: %+v", s)
	}
	checkConsistent(t, d)

	a.signal(t, syscall.SIGCONT)
	d = r.waitPEs(t, handle, a.id, b.id)
	if s := d.Stats; s.Registrations != 3 || s.Expirations != 1 {
		t.Errorf("after the element came back: %+v", s)
	}
	checkConsistent(t, d)
}
