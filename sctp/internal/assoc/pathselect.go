package assoc

import (
	"errors"
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/path"
)

// rank orders path states by their fitness for data: an active path
// first, then a potentially failed one (RFC 7829 §3.2 rule 4), then an
// inactive one (the dormant state, RFC 7829 §4.1). An unconfirmed
// address never carries data (§5.4).
func rank(s path.State) int {
	switch s {
	case path.Active:
		return 3
	case path.PotentiallyFailed:
		return 2
	case path.Inactive:
		return 1
	}
	return 0
}

// pickPath chooses the path for data when avoid is not usable, or for
// the retransmission of data that timed out on avoid (§6.4.1): the best
// ranked state, among equals of a failing state the fewest errors (RFC
// 7829 §3.2 rule 4, §4.1 rule 3), and among equals the first after
// avoid, so that avoid itself comes last and a retransmission goes
// elsewhere when it can. It returns -1 when no path can carry data.
func (a *Assoc) pickPath(avoid int) int {
	best, bestRank, bestErrs := -1, 0, 0
	n := len(a.paths)
	for k := 1; k <= n; k++ {
		j := (avoid + k) % n
		p := a.paths[j]
		r := rank(p.State())
		if r == 0 {
			continue
		}
		better := r > bestRank || (r == bestRank && r < 3 && p.ErrorCount() < bestErrs)
		if best < 0 || better {
			best, bestRank, bestErrs = j, r, p.ErrorCount()
		}
	}
	return best
}

// dataPath returns the path new data goes to: the primary while it is
// active (§6.4, which also gives the switchback when it becomes active
// again), else the best other path.
func (a *Assoc) dataPath() int {
	if a.paths[a.primary].State() == path.Active {
		return a.primary
	}
	if i := a.pickPath(a.primary); i >= 0 {
		return i
	}
	return a.primary
}

// alternatePath returns the path for a retransmission of what was last
// sent to path i (§6.4.1; RFC 7829 §3.2 rule 3 ii): an active path other
// than i when there is one.
func (a *Assoc) alternatePath(i int) int {
	if j := a.pickPath(i); j >= 0 {
		return j
	}
	return i
}

// pathError counts an error against path i and reports what changed:
// a new state to the user (§8.2; RFC 7829 §3.2 rule 12), a first
// heartbeat on entering PF (rule 6), a new primary when its errors
// pass PSMR (RFC 7829 §5).
func (a *Assoc) pathError(now time.Time, i int, reason string) {
	p := a.paths[i]
	if !p.OnError() {
		a.maybeSwitchover(now, i)
		return
	}
	a.pathEvent(i, reason)
	if p.State() == path.PotentiallyFailed && p.HeartbeatEnabled() && !p.hbWaiting && a.state >= Established {
		a.sendHeartbeat(now, i)
	}
	a.maybeSwitchover(now, i)
}

// maybeSwitchover is RFC 7829 §5: when the primary's error counter
// exceeds PSMR, the path data would now go to becomes the primary, and
// the old one gets no switchback.
func (a *Assoc) maybeSwitchover(now time.Time, i int) {
	if !a.cfg.PrimarySwitchover || i != a.primary || a.paths[i].ErrorCount() <= a.cfg.SwitchoverMaxRetrans {
		return
	}
	j := a.pickPath(i)
	if j < 0 || j == i || rank(a.paths[j].State()) <= rank(a.paths[i].State()) {
		return
	}
	a.primary = j
	a.event(Event{Kind: EventPrimary, Path: a.paths[j].Remote, PathState: a.paths[j].State(), Reason: "primary switchover"})
}

func (a *Assoc) pathEvent(i int, reason string) {
	p := a.paths[i]
	a.event(Event{Kind: EventPath, Path: p.Remote, PathState: p.State(), Reason: reason})
}

// ErrUnknownAddress: SetPrimary was given an address that is not one of
// the peer's.
var ErrUnknownAddress = errors.New("not an address of the peer")

// ErrUnconfirmedAddress: SetPrimary was given an address not yet
// confirmed (§5.4), which cannot carry data.
var ErrUnconfirmedAddress = errors.New("peer address not confirmed")

// SetPrimary makes addr the primary path (§11.1 SET PRIMARY). New data
// goes there while it is active.
func (a *Assoc) SetPrimary(addr netip.Addr) error {
	i := a.pathIndex(addr)
	switch {
	case i < 0:
		return ErrUnknownAddress
	case a.paths[i].State() == path.Unconfirmed:
		return ErrUnconfirmedAddress
	}
	if i != a.primary {
		a.primary = i
		a.event(Event{Kind: EventPrimary, Path: a.paths[i].Remote, PathState: a.paths[i].State(), Reason: "set by the user"})
	}
	return nil
}

// Primary returns the primary path's address.
func (a *Assoc) Primary() netip.AddrPort { return a.paths[a.primary].Remote }
