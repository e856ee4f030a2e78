package enrp

import (
	"errors"
	"math"
	"net/netip"
	"slices"
	"time"

	"github.com/rserpool/rserpool/asap/handlespace"
	"github.com/rserpool/rserpool/asap/msg"
)

// This file is the registrar's side of registration and de-registration
// (RFC 5352 §3.1, §3.2).

// register handles ASAP_REGISTRATION (RFC 5352 §3.1, the server's rules
// 1-5). Every registration is answered, granted or refused with the
// cause (§3.1: "In all above cases, the ENRP server MUST reply").
//
// Before the handlespace's own checks (pool handle, policy, transport
// type and use against the pool's: rules 1-3, limits) the registrar
// applies its own:
//
//   - the registration lifetime is bounded (Config.MinRegistrationLife,
//     MaxRegistrationLife), or refused when it is 0 or below -1;
//   - the user transport's addresses must be the PE's own, those of the
//     association (§2.2.1), unless Config.AllowForeignAddresses;
//   - an identifier already registered by a PE on another live
//     association, with another user transport, is refused as Non-Unique
//     PE Identifier (RFC 5354 §3.12.5): two PEs picked the same number.
//     The same transport is the same PE come back on a new association,
//     and its registration moves there (rule 3);
//   - one association registers at most
//     Config.MaxRegistrationsPerAssociation PEs.
//
// A granted registration makes the registrar the PE's home and records
// the association's transport as its ASAP transport (rule 4), resets
// the count of unreachability reports and schedules the next
// keep-alive.
func (r *Registrar) register(c *conn, m *msg.Registration, now time.Time) {
	pe := m.PoolElement
	resp := msg.RegistrationResponse{PoolHandle: m.PoolHandle, ID: pe.ID}
	refuse := func(cause msg.Cause, why string) {
		r.stats.RegistrationsRejected++
		resp.Reject = true
		resp.Error = msg.NewOperationError(cause)
		if resp.Len() > msg.MaxMessageLen {
			// The cause repeats what made the registration too long to
			// answer with it; the code alone still says why.
			resp.Error = msg.NewOperationError(msg.Cause{Code: cause.Code})
		}
		if resp.Len() > msg.MaxMessageLen {
			resp.PoolHandle = nil // a handle that leaves no room for the answer
		}
		r.log.Warn("registration refused", "peer", c.peer(), "pool", quote(m.PoolHandle), "pe", pe.ID.String(),
			"cause", cause.Code.String(), "reason", why)
		r.send(c, &resp)
	}

	life, granted, changed, ok := r.lifetime(pe.RegistrationLife)
	if !ok {
		refuse(invalidValues(&pe), "registration life "+itoa(int(pe.RegistrationLife)))
		return
	}
	pe.RegistrationLife = granted
	if !r.cfg.AllowForeignAddresses {
		if a, bad := r.foreign(c, &pe.UserTransport); bad {
			refuse(invalidValues(&pe.UserTransport), "user transport address "+a.String()+" is not one of the association's")
			return
		}
	}
	pe.HomeServer = r.id
	pe.ASAPTransport = c.asapTransport()

	var s *peState
	if e, ok := r.hs.Lookup(m.PoolHandle, pe.ID); ok {
		s = r.owned[e]
		if s != nil && s.c != nil && s.c != c {
			old := e.Param()
			if !sameTransport(&old.UserTransport, &pe.UserTransport) {
				refuse(msg.Cause{Code: msg.CauseNonUniquePEIdentifier}, "identifier registered by another PE")
				return
			}
		}
	}
	if (s == nil || s.c != c) && len(c.pes) >= r.cfg.MaxRegistrationsPerAssociation {
		refuse(msg.Cause{Code: msg.CauseLackOfResources}, "limit of "+itoa(r.cfg.MaxRegistrationsPerAssociation)+" registrations per association")
		return
	}
	e, isNew, err := r.hs.Register(m.PoolHandle, &pe, now.Add(life))
	if err != nil {
		cause := msg.Cause{Code: msg.CauseUnspecified}
		var he *handlespace.Error
		if errors.As(err, &he) {
			cause = he.Cause
		}
		refuse(cause, err.Error())
		return
	}

	if s == nil {
		s = &peState{e: e, idx: -1}
		r.owned[e] = s
	}
	if s.c != c {
		if s.c != nil {
			delete(s.c.pes, e)
		}
		s.c = c
		c.pes[e] = s
	}
	s.reports = 0
	r.schedule(s, now)
	// RFC 5353 §3.3.1: the home announces the new or updated PE.
	r.announceUpdate(msg.AddPE, e)
	if isNew {
		r.stats.Registrations++
	} else {
		r.stats.Reregistrations++
	}
	if changed {
		// RFC 5352 §2.2.3: with R clear, the Operation Error warns that
		// "some of its registration values may have been modified"; the
		// Pool Element as kept shows which.
		kept := e.Param()
		resp.Error = msg.NewOperationError(invalidValues(&kept))
	}
	r.log.Info("pool element registered", "peer", c.peer(), "pool", quote(m.PoolHandle), "pe", pe.ID.String(),
		"new", isNew, "life", life)
	r.send(c, &resp)
}

// lifetime turns a Registration Life (RFC 5354 §3.10, in units of
// Config.RegistrationLifeUnit, -1 for infinite) into the time the
// registration is granted for, and the field's value for that time. An
// infinite or too long life is cut to MaxRegistrationLife and a too short
// one raised to MinRegistrationLife (changed tells); 0 and values below
// -1 are no lifetime at all (ok false).
func (r *Registrar) lifetime(v int32) (d time.Duration, field int32, changed, ok bool) {
	unit, lo, hi := r.cfg.RegistrationLifeUnit, r.cfg.MinRegistrationLife, r.cfg.MaxRegistrationLife
	switch {
	case v == -1:
		d, changed = hi, true
	case v <= 0:
		return 0, v, false, false
	case int64(v) > math.MaxInt64/int64(unit):
		d, changed = hi, true
	default:
		d = time.Duration(v) * unit
	}
	switch {
	case d > hi:
		d, changed = hi, true
	case d < lo:
		d, changed = lo, true
	}
	if !changed {
		return d, v, false, true
	}
	n := (int64(d) + int64(unit) - 1) / int64(unit)
	return d, int32(min(n, math.MaxInt32)), true, true
}

// foreign returns an address of t that is not one of the association's;
// bad is false when there is none (an Opaque Transport has no address).
func (r *Registrar) foreign(c *conn, t *msg.Transport) (a netip.Addr, bad bool) {
	it := t.Addrs.Iter()
	for a, ok := it.Next(); ok; a, ok = it.Next() {
		if !c.hasAddr(a) {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// sameTransport reports whether two user transports are the same:
// kind, port, use, opaque data, and the same set of addresses.
func sameTransport(a, b *msg.Transport) bool {
	if a.Kind != b.Kind || a.Port != b.Port || a.Use != b.Use || string(a.Opaque) != string(b.Opaque) {
		return false
	}
	x := a.Addrs.AppendTo(nil)
	y := b.Addrs.AppendTo(nil)
	if len(x) != len(y) {
		return false
	}
	for _, v := range x {
		if !slices.Contains(y, v) {
			return false
		}
	}
	return true
}

// deregister handles ASAP_DEREGISTRATION (RFC 5352 §3.2). A PE the
// handlespace does not hold is "granted and completed" all the same.
// "De-registration is NOT allowed by proxy" (§2.2.2): while the
// association a PE registered over lasts, only an association from one
// of its addresses may take the PE out (the PE itself, maybe restarted
// before the registrar noticed the old association's end); another gets
// the refusal with Rejected due to Security Considerations (RFC 5354
// §3.12). Once that association is gone, the PE may de-register from
// its new one without registering again.
func (r *Registrar) deregister(c *conn, m *msg.Deregistration) {
	resp := msg.DeregistrationResponse{PoolHandle: m.PoolHandle, ID: m.ID}
	if e, ok := r.hs.Lookup(m.PoolHandle, m.ID); ok {
		s := r.owned[e]
		if s != nil && s.c != nil && s.c != c && !s.c.sharesAddr(c) {
			r.stats.DeregistrationsRejected++
			resp.Error = msg.NewOperationError(msg.Cause{Code: msg.CauseRejectedSecurity})
			r.log.Warn("de-registration by proxy refused", "peer", c.peer(), "pool", quote(m.PoolHandle), "pe", m.ID.String())
			r.send(c, &resp)
			return
		}
		r.hs.Deregister(m.PoolHandle, m.ID)
		if s != nil {
			r.forget(s)
			r.announceUpdate(msg.DelPE, e) // RFC 5353 §3.3.2
		}
		r.log.Info("pool element de-registered", "peer", c.peer(), "pool", quote(m.PoolHandle), "pe", m.ID.String())
	}
	r.stats.Deregistrations++
	r.send(c, &resp)
}

// expire removes the registrations whose life has run out (RFC 5352
// §3.2: "an alternate method of de-registration is to NOT re-register
// and to allow the registration life of the PE to expire"), and tells
// each PE with an ASAP_DEREGISTRATION_RESPONSE, as that section says.
func (r *Registrar) expire(now time.Time) {
	r.expired = r.hs.Expire(r.expired[:0], now)
	for _, e := range r.expired {
		r.stats.Expirations++
		r.stats.Removals++
		s := r.owned[e]
		if s == nil {
			continue
		}
		c := s.c
		r.forget(s)
		r.announceUpdate(msg.DelPE, e) // RFC 5353 §3.3.2
		r.log.Info("registration expired", "pool", quote([]byte(e.Handle())), "pe", e.ID().String())
		r.send(c, &msg.DeregistrationResponse{PoolHandle: []byte(e.Handle()), ID: e.ID()})
	}
	clear(r.expired)
}

// invalidValues is the Invalid Values cause carrying the parameter that
// holds the invalid value (RFC 5354 §3.12.4), without its padding.
func invalidValues(p msg.Parameter) msg.Cause {
	return msg.Cause{Code: msg.CauseInvalidValues, Info: p.Append(nil)[:p.Len()]}
}
