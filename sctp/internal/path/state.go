package path

import "strconv"

// State is the state of a destination address as the upper layer sees it
// (RFC 9260 §5.4 and §8.2; RFC 6458 §8.2.2 names the same states).
type State int

// The values are fixed.
const (
	// Unconfirmed: the address came from the peer and has not answered
	// a HEARTBEAT chunk carrying our nonce (§5.4). No data goes to it.
	// It stays Unconfirmed while its error counter runs; Reachable
	// tells whether it has failed.
	Unconfirmed State = 0
	// Active: confirmed and reachable.
	Active State = 1
	// Inactive: confirmed, but the error counter exceeded
	// 'Path.Max.Retrans' (§8.2).
	Inactive State = 2
	// PotentiallyFailed: confirmed and reachable, but the error counter
	// exceeded PFMaxRetrans with SCTP-PF on (RFC 7829 §3.2 rule 2). Data
	// avoids it while an active address exists.
	PotentiallyFailed State = 3
)

// String returns the state's name.
func (s State) String() string {
	switch s {
	case Unconfirmed:
		return "Unconfirmed"
	case Active:
		return "Active"
	case Inactive:
		return "Inactive"
	case PotentiallyFailed:
		return "PotentiallyFailed"
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}
