package msg

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestConstants pins the numbers the RFCs assign.
func TestConstants(t *testing.T) {
	// RFC 5352 §8.2-§8.4, RFC 5353 §5.3-§5.4.
	if PPIDASAP != 11 || PPIDENRP != 12 || PortASAP != 3863 || PortASAPTLS != 3864 || PortENRP != 9901 || PortENRPTLS != 9902 {
		t.Fatal("transport numbers")
	}
	if IANAAnnounceGroupIPv4 != netip.MustParseAddr("224.0.1.185") || !IANAAnnounceGroupIPv4.IsMulticast() {
		t.Fatal(IANAAnnounceGroupIPv4)
	}
	for scope, want := range map[uint8]string{2: "ff02::133", 5: "ff05::133", 0xe: "ff0e::133", 0x15: "ff05::133"} {
		if got := IANAAnnounceGroupIPv6(scope); got != netip.MustParseAddr(want) || !got.IsMulticast() {
			t.Errorf("scope %#x: %v, want %v", scope, got, want)
		}
	}
	if ASAPAnnounceGroup.String() != "239.0.0.50:3863" || ENRPAnnounceGroup.String() != "239.0.0.51:9901" {
		t.Fatal(ASAPAnnounceGroup, ENRPAnnounceGroup)
	}
	// RFC 5352 §7.
	for i, c := range []struct{ got, want time.Duration }{
		{T1ENRPRequest, 15 * time.Second}, {T2Registration, 30 * time.Second}, {T3Deregistration, 30 * time.Second},
		{T4Reregistration, 10 * time.Minute}, {T5ServerHunt, 10 * time.Second}, {T6ServerAnnounce, time.Second},
		{T7ENRPOutdate, 5 * time.Second}, {RetranMax, time.Minute},
	} {
		if c.got != c.want {
			t.Errorf("timer %d: %v, want %v", i+1, c.got, c.want)
		}
	}
	if MaxRegAttempt != 2 || MaxRequestRetrans != 2 || MaxHuntAssocs != 3 {
		t.Fatal("thresholds")
	}
	// RFC 5353 §4.2.
	if PeerHeartbeatCycle != 30*time.Second || MaxTimeLastHeard != 61*time.Second || MaxTimeNoResponse != 5*time.Second {
		t.Fatal("ENRP thresholds")
	}
}

// TestT4For checks RFC 5352 §7.1: 10 minutes or 20 seconds less than the
// lifetime, whichever is less.
func TestT4For(t *testing.T) {
	for life, want := range map[time.Duration]time.Duration{
		time.Hour:                       10 * time.Minute,
		10*time.Minute + 20*time.Second: 10 * time.Minute,
		5 * time.Minute:                 4*time.Minute + 40*time.Second,
		90 * time.Second:                70 * time.Second,
		20 * time.Second:                0,
		5 * time.Second:                 0,
	} {
		if got := T4For(life); got != want {
			t.Errorf("T4For(%v) = %v, want %v", life, got, want)
		}
	}
}

func TestStringers(t *testing.T) {
	if PEID(0x5297b1e4).String() != "0x5297b1e4" || ServerID(1).String() != "0x00000001" {
		t.Fatal("identifiers")
	}
	if DataOnly.String() != "data only" || DataPlusControl.String() != "data plus control" || TransportUse(7).String() != "transport use 7" {
		t.Fatal("transport use")
	}
	e := &PolicyError{Policy: Policy{Type: 0x80000001}}
	if !strings.Contains(e.Error(), "0x80000001") {
		t.Fatal(e.Error())
	}
	_, err := DecodeENRP([]byte{1, 0, 0})
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Error() != "asap/msg: ENRP message header at offset 0: fewer than 4 bytes for a message header" {
		t.Fatalf("%v", err)
	}
	if errors.Unwrap(err) != nil {
		t.Fatal("unexpected sentinel")
	}
	wrapped := &ParseError{Err: ErrPolicyNotSupported}
	if !errors.Is(wrapped, ErrPolicyNotSupported) || !errors.Is(wrapped, ErrMalformed) {
		t.Fatal("Unwrap")
	}
}

func TestParamsHelpers(t *testing.T) {
	b := AppendParams(nil, &PoolHandleParam{Handle: []byte("p")}, &PEIdentifierParam{ID: 3})
	ps := MakeParams(b)
	it := ps.Iter()
	p, ok := it.Next()
	if !ok || p.IsZero() || p.Type() != ParamPoolHandle || !(Param{}).IsZero() {
		t.Fatal("first")
	}
	p, ok = it.Next()
	if !ok || p.Type() != ParamPEIdentifier || p.Offset() != 8 {
		t.Fatalf("second at %d", p.Offset())
	}
}

// TestViewIterErrors walks hand-built views that a decoder would refuse.
func TestViewIterErrors(t *testing.T) {
	ss := ServerInfos{list{b: hx(t, "000b 0008 00000001")}}
	sit := ss.Iter()
	var s ServerInformation
	if sit.Next(&s) {
		t.Fatal("bad server information decoded")
	}
	if sit.Next(&s) {
		t.Fatal("Next after an error")
	}
	wantParseError(t, sit.Err(), 0, "no SCTP transport")
	ss = ServerInfos{list{b: hx(t, "000b 0009 00000001")}}
	sit = ss.Iter()
	if sit.Next(&s) {
		t.Fatal("truncated")
	}
	wantParseError(t, sit.Err(), 2, "length runs past the end of the enclosing structure")

	ts := Transports{list{b: hx(t, "0004 0008 0001 0000")}}
	tit := ts.Iter()
	var tr Transport
	if tit.Next(&tr) {
		t.Fatal("bad transport decoded")
	}
	if tit.Next(&tr) {
		t.Fatal("Next after an error")
	}
	wantParseError(t, tit.Err(), 2, "no address")
	ts = Transports{list{b: hx(t, "0004 0009")}}
	tit = ts.Iter()
	if tit.Next(&tr) {
		t.Fatal("truncated")
	}
	wantParseError(t, tit.Err(), 2, "length runs past the end of the enclosing structure")

	pes := PoolElements{list{b: hx(t, "000a 0009")}}
	pit := pes.Iter()
	var pe PoolElement
	if pit.Next(&pe) {
		t.Fatal("truncated PE")
	}
	if pit.Next(&pe) {
		t.Fatal("Next after an error")
	}
	wantParseError(t, pit.Err(), 2, "length runs past the end of the enclosing structure")
	as := Addrs{list{b: hx(t, "0001 0009")}}
	ait := as.Iter()
	if _, ok := ait.Next(); ok {
		t.Fatal("truncated address")
	}
	wantParseError(t, ait.Err(), 2, "length runs past the end of the enclosing structure")
	if _, ok := ait.Next(); ok {
		t.Fatal("Next after an error")
	}
}
