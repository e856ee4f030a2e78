// Package cookie makes and checks the SCTP State Cookie, which lets an
// endpoint answer an INIT without keeping any state for the peer until a
// valid COOKIE ECHO comes back (RFC 9260 §5.1.3, §5.1.5).
//
// Everything needed to create the association travels in the cookie: the
// creation time and lifespan (§5.1.3), our Initiate Tag, initial TSN,
// window and stream counts, the ports, the Tie-Tags of §5.2.2 that §5.2.4
// compares, the source address of the INIT, and the peer's whole INIT
// chunk, which the receiver of the COOKIE ECHO decodes again. The format
// is private, since only its maker reads it (§5.1.3: "strictly a private
// matter"), but its first byte is a version so that a later format is
// refused cleanly instead of misread.
//
// A Signer protects the cookie with HMAC-SHA256 under a random secret key
// that changes every rotation period (§5.1.3: the key "SHOULD be changed
// reasonably frequently"); the key before the current one is still
// accepted so that a cookie issued just before a change lives its whole
// lifespan. Open follows §5.1.5 steps 1, 2 and 4: a cookie that is not
// ours is ErrBadMAC, to be discarded silently; an authentic one past its
// lifespan is a *StaleError whose Micros is the Measure of Staleness of the
// Stale Cookie error cause (§3.3.10.3, §5.2.6). Step 3 (ports and tag
// against the packet's common header) is State.MatchesHeader.
//
// The package is sans-I/O: it reads no clock and no global randomness.
// Every call that depends on time takes now, and key material comes from
// the io.Reader given to NewSigner, read only when a key is made.
package cookie
