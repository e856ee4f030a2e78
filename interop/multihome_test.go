package interop

import (
	"regexp"
	"testing"
)

// Two sctpcat processes with two addresses each exchange data over UDP,
// and -v shows the association with both paths: the listener confirms
// the client's second address with a heartbeat (RFC 9260 §5.4) and both
// report both paths active at the end.
func TestMultihomedSctpcat(t *testing.T) {
	t.Parallel()
	q := regexp.QuoteMeta
	l, udpPort := listenCat(t, "127.0.0.2,127.0.0.12:5000")
	c := dialCat(t, "127.0.0.3,127.0.0.13", udpPort, "127.0.0.2,127.0.0.12:5000")
	lPaths := q("2 paths: 127.0.0.3:") + `\d+` + q(" (primary), 127.0.0.13:")
	cPaths := q("2 paths: 127.0.0.2:" + udpPort + " (primary), 127.0.0.12:" + udpPort)
	c.waitErr(t, `association up with SCTP port 5000, `+cPaths)
	l.waitErr(t, `association up with SCTP port \d+, `+lPaths)

	c.send(t, "client to listener\n")
	l.waitOut(t, `^client to listener\n$`)
	l.send(t, "listener to client\n")
	c.waitOut(t, `^listener to client\n$`)

	// The client gave both of the listener's addresses, which makes them
	// confirmed; the listener learnt the client's second one from the
	// INIT and confirms it by a heartbeat.
	l.waitErr(t, q("path 127.0.0.13:")+`\d+`+q(" active (confirmed by heartbeat)"))

	c.closeStdin()
	c.exits(t, 0)
	l.exits(t, 0)
	for _, p := range []struct {
		p    *proc
		addr string
	}{{c, "127.0.0.2"}, {c, "127.0.0.12"}, {l, "127.0.0.3"}, {l, "127.0.0.13"}} {
		p.p.waitErr(t, `(?m)^sctpcat: path `+q(p.addr)+`:\d+ active: `)
	}
}
