package cli

import (
	"bytes"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp"
)

func TestEventLine(t *testing.T) {
	p := netip.MustParseAddrPort("127.0.0.12:9899")
	tests := []struct {
		ev   sctp.Event
		want string
	}{
		{sctp.Event{Kind: sctp.EventUp}, "association up"},
		{sctp.Event{Kind: sctp.EventPath, Path: p, PathState: sctp.PathActive, Reason: "confirmed by heartbeat"},
			"path 127.0.0.12:9899 active (confirmed by heartbeat)"},
		{sctp.Event{Kind: sctp.EventPath, Path: p, PathState: sctp.PathInactive, Reason: "heartbeat timeout"},
			"path 127.0.0.12:9899 inactive (heartbeat timeout)"},
		{sctp.Event{Kind: sctp.EventPrimary, Path: p, Reason: "primary switchover"},
			"primary path now 127.0.0.12:9899 (primary switchover)"},
		{sctp.Event{Kind: sctp.EventDown, Err: errors.New("gone")}, "association down: gone"},
		{sctp.Event{Kind: sctp.EventShutdownStarted}, "peer started a graceful shutdown"},
		{sctp.Event{Kind: sctp.EventShutdownComplete}, "graceful shutdown complete"},
		{sctp.Event{Kind: sctp.EventRestart}, "peer restarted the association"},
		{sctp.Event{Kind: sctp.EventSendFailed, Err: errors.New("x"), Message: &sctp.Message{Stream: 3, Data: []byte("abc")}},
			"message of 3 bytes on stream 3 not delivered: x"},
		{sctp.Event{Kind: sctp.EventSendFailed, Err: errors.New("x")}, "message not delivered: x"},
		{sctp.Event{Kind: sctp.EventPeerError, Err: errors.New("y")}, "peer reported an error: y"},
		{sctp.Event{Kind: 99}, "EventKind(99)"},
	}
	for _, tt := range tests {
		if got := EventLine(tt.ev); got != tt.want {
			t.Errorf("EventLine(%v) = %q, want %q", tt.ev.Kind, got, tt.want)
		}
	}
}

func TestPathList(t *testing.T) {
	one := []netip.AddrPort{netip.MustParseAddrPort("127.0.0.2:9899")}
	if got := PathList(one); got != "1 path: 127.0.0.2:9899 (primary)" {
		t.Errorf("one path: %q", got)
	}
	two := append(one, netip.MustParseAddrPort("[::1]:9899"))
	if got := PathList(two); got != "2 paths: 127.0.0.2:9899 (primary), [::1]:9899" {
		t.Errorf("two paths: %q", got)
	}
	// Over IP the addresses have no port.
	ip := []netip.AddrPort{netip.MustParseAddrPort("10.0.0.2:0"), netip.MustParseAddrPort("[fd00::2]:0")}
	if got := PathList(ip); got != "2 paths: 10.0.0.2 (primary), fd00::2" {
		t.Errorf("paths over IP: %q", got)
	}
	if got := EventLine(sctp.Event{Kind: sctp.EventPath, Path: ip[1], PathState: sctp.PathActive, Reason: "r"}); got != "path fd00::2 active (r)" {
		t.Errorf("path event over IP: %q", got)
	}
}

func TestPathLines(t *testing.T) {
	s := sctp.Stats{Paths: []sctp.PathStats{
		{Remote: netip.MustParseAddrPort("127.0.0.2:9899"), State: sctp.PathActive, SRTT: 1500 * time.Microsecond,
			PacketsSent: 7, PacketsReceived: 6, HeartbeatsAcked: 1, Retransmissions: 2},
		{Remote: netip.MustParseAddrPort("127.0.0.12:9899"), State: sctp.PathUnconfirmed},
	}}
	got := PathLines(s)
	want := []string{
		"path 127.0.0.2:9899 active: srtt 1.5ms, 7 packets sent, 6 received, 1 heartbeats acknowledged, 2 retransmissions",
		"path 127.0.0.12:9899 unconfirmed: srtt 0s, 0 packets sent, 0 received, 0 heartbeats acknowledged, 0 retransmissions",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("PathLines:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestAddrList(t *testing.T) {
	got := AddrList([]netip.AddrPort{netip.MustParseAddrPort("127.0.0.2:9899"), netip.MustParseAddrPort("10.0.0.1:0")})
	if got != "127.0.0.2:9899, 10.0.0.1" {
		t.Errorf("AddrList = %q", got)
	}
}

func TestLogger(t *testing.T) {
	var b bytes.Buffer
	NewLogger(&b, "tool").Printf("x %d", 1)
	if b.String() != "tool: x 1\n" {
		t.Errorf("logged %q", b.String())
	}
}
