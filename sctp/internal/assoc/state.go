package assoc

// State is an association's state in the diagram of RFC 9260 §4.
type State int

// The states of §4. Closed is both the state before INIT and after the
// association ended.
const (
	Closed State = iota
	CookieWait
	CookieEchoed
	Established
	ShutdownPending
	ShutdownSent
	ShutdownReceived
	ShutdownAckSent
)

var stateNames = [...]string{"CLOSED", "COOKIE-WAIT", "COOKIE-ECHOED", "ESTABLISHED",
	"SHUTDOWN-PENDING", "SHUTDOWN-SENT", "SHUTDOWN-RECEIVED", "SHUTDOWN-ACK-SENT"}

func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "state?"
}

// shuttingDown reports whether s is one of the shutdown states, in which
// no new user data is accepted (§9.2).
func (s State) shuttingDown() bool { return s >= ShutdownPending }

// canSendData reports whether DATA chunks may be sent: in ESTABLISHED,
// and in SHUTDOWN-PENDING and SHUTDOWN-RECEIVED to finish what is
// outstanding (§9.2). COOKIE-ECHOED may bundle DATA with the COOKIE ECHO
// (§5.1 D) and is handled where the COOKIE ECHO is sent.
func (s State) canSendData() bool {
	return s == Established || s == ShutdownPending || s == ShutdownReceived
}
