package fuzz

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/sctp/wire"
)

// The RSerPool message parsers (asap/msg): ASAP (RFC 5352) and ENRP (RFC
// 5353) messages with the parameters of RFC 5354 and the policies of RFC
// 5356. The invariant: any input either decodes or fails with one of the
// package's error types (a *ParseError pointing inside the input, an
// unrecognized message or an unrecognized parameter); a decoded message
// encodes to bytes that decode again to a message encoding to the very
// same bytes, and equal to the first one when the input was already in
// that canonical form; every list view of a decoded message iterates
// without error; Encode writes the same bytes as Append or says which RFC
// rule the message breaks.

var rspUpdateCorpus = flag.Bool("update-rserpool-corpus", false,
	"rewrite testdata/fuzz/Fuzz{ASAP,ENRP}Message/seed-* from the reference captures and the hand-built messages")

func FuzzASAPMessage(f *testing.F) {
	for _, b := range rspHandSeeds(msg.ASAP) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { rspRoundTrip(t, msg.ASAP, b) })
}

func FuzzENRPMessage(f *testing.F) {
	for _, b := range rspHandSeeds(msg.ENRP) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { rspRoundTrip(t, msg.ENRP, b) })
}

// rspRoundTrip checks the invariant on one input.
func rspRoundTrip(t *testing.T, p msg.Protocol, b []byte) {
	m, err := msg.DecodeMessage(p, b)
	if err != nil {
		rspCheckError(t, err, len(b))
		return
	}
	enc := m.Append(nil)
	if len(enc) != (m.Len()+3)&^3 {
		t.Fatalf("%v: Append wrote %d bytes for Len %d", m.MessageType(), len(enc), m.Len())
	}
	// Re-encoding never amplifies: it drops nothing but padding counted in
	// lengths, except that skipped unrecognized parameters are re-encoded
	// after the known ones (RFC 5354 §3 fixes no order among them), so an
	// input whose last parameter was a known one without its padding gains
	// at most that padding, 3 bytes.
	if m.Len() > len(b)+3 {
		t.Fatalf("%v: re-encoding grew from %d to %d bytes", m.MessageType(), len(b), m.Len())
	}
	m2, err := msg.DecodeMessage(p, enc)
	if err != nil {
		t.Fatalf("%v: re-encoding does not decode: %v\n in %x\nout %x", m.MessageType(), err, b, enc)
	}
	// Encode agrees with Append, or refuses what the decoder let through
	// leniently (a reserved update action), or a re-encoding that grew
	// past 65535 bytes.
	got, err := msg.Encode(nil, m)
	var ee *msg.EncodeError
	switch {
	case err == nil:
		if !bytes.Equal(got, enc) {
			t.Fatalf("%v: Encode and Append differ", m.MessageType())
		}
	case !errors.As(err, &ee):
		t.Fatalf("%v: Encode: %v", m.MessageType(), err)
	case errors.Is(err, msg.ErrTooLong):
		if m.Len() <= msg.MaxMessageLen {
			t.Fatalf("%v: Encode: %v for Len %d", m.MessageType(), err, m.Len())
		}
	case m.MessageType() != msg.ENRPHandleUpdate:
		t.Fatalf("%v: Encode refuses a decoded message: %v", m.MessageType(), err)
	}
	enc2 := m2.Append(nil)
	if !bytes.Equal(enc, enc2) {
		t.Fatalf("%v: round trip differs\n first %x\nsecond %x", m.MessageType(), enc, enc2)
	}
	if bytes.Equal(b, enc) && !reflect.DeepEqual(m, m2) {
		t.Fatalf("%v: canonical input decodes differently the second time\n%+v\n%+v", m.MessageType(), m, m2)
	}
	// The typed decoder agrees with the generic one.
	v, err := msg.ParseMessage(p, enc)
	if err != nil {
		t.Fatal(err)
	}
	typed := msg.New(m.MessageType())
	if err := typed.Decode(v); err != nil || !reflect.DeepEqual(typed, m2) {
		t.Fatalf("%v: typed decoder gives %+v, %v", m.MessageType(), typed, err)
	}
	rspWalkViews(t, m)
}

// rspCheckError fails unless err is one of the decoder's error types.
func rspCheckError(t *testing.T, err error, n int) {
	var pe *msg.ParseError
	var um *msg.UnrecognizedMessageError
	var up *msg.UnrecognizedParamError
	switch {
	case errors.As(err, &pe):
		if !errors.Is(err, msg.ErrMalformed) || pe.Offset < 0 || pe.Offset > n || pe.Rule == "" {
			t.Fatalf("bad ParseError %v (offset %d of %d)", err, pe.Offset, n)
		}
	case errors.As(err, &um):
		if !errors.Is(err, msg.ErrUnrecognizedMessage) || len(um.Message) < 4 || len(um.Message) > n {
			t.Fatalf("bad UnrecognizedMessageError %v", err)
		}
	case errors.As(err, &up):
		if !errors.Is(err, msg.ErrUnrecognizedParameter) || up.Offset < 4 || up.Offset+up.Param.Len() > n ||
			!up.Param.Type().UnknownAction().Stop() || up.Param.Type().Known() {
			t.Fatalf("bad UnrecognizedParamError %v", err)
		}
	default:
		t.Fatalf("error %v (%T) is none of the decoder's types", err, err)
	}
}

// rspWalkViews iterates every list a decoded message holds, down to the
// addresses of each transport: the decoder checked them all, so none may
// fail.
func rspWalkViews(t *testing.T, m msg.Message) {
	walkTransport := func(tr *msg.Transport) {
		it := tr.Addrs.Iter()
		for _, ok := it.Next(); ok; _, ok = it.Next() {
		}
		if err := it.Err(); err != nil {
			t.Fatalf("%v: addresses: %v", m.MessageType(), err)
		}
		rspWalkUnrecognized(t, tr.Unrecognized)
	}
	walkInfo := func(s *msg.ServerInformation) {
		walkTransport(&s.Transport)
		rspWalkUnrecognized(t, s.Unrecognized)
	}
	walkPE := func(pe *msg.PoolElement) {
		walkTransport(&pe.UserTransport)
		walkTransport(&pe.ASAPTransport)
		if pe.Policy.Type.Known() != (pe.Policy.Check() == nil) {
			t.Fatalf("%v: policy check", m.MessageType())
		}
		rspWalkUnrecognized(t, pe.Unrecognized)
	}
	walkPEs := func(ps msg.PoolElements) {
		var pe msg.PoolElement
		it := ps.Iter()
		for it.Next(&pe) {
			walkPE(&pe)
		}
		if err := it.Err(); err != nil {
			t.Fatalf("%v: pool elements: %v", m.MessageType(), err)
		}
	}
	walkCauses := func(e msg.OperationError) {
		it := e.Causes.Iter()
		for _, ok := it.Next(); ok; _, ok = it.Next() {
		}
		if err := it.Err(); err != nil {
			t.Fatalf("%v: causes: %v", m.MessageType(), err)
		}
	}
	switch m := m.(type) {
	case *msg.Registration:
		walkPE(&m.PoolElement)
	case *msg.HandleUpdate:
		walkPE(&m.PoolElement)
	case *msg.HandleResolutionResponse:
		walkPEs(m.PoolElements)
		walkCauses(m.Error)
	case *msg.BusinessCard:
		walkPEs(m.PoolElements)
	case *msg.RegistrationResponse:
		walkCauses(m.Error)
	case *msg.DeregistrationResponse:
		walkCauses(m.Error)
	case *msg.ASAPError:
		walkCauses(m.Error)
	case *msg.ENRPError:
		walkCauses(m.Error)
	case *msg.HandleTableResponse:
		var e msg.PoolEntry
		it := m.Entries.Iter()
		for it.Next(&e) {
			walkPEs(e.PoolElements)
		}
		if err := it.Err(); err != nil {
			t.Fatalf("%v: entries: %v", m.MessageType(), err)
		}
	case *msg.ServerAnnounce:
		var tr msg.Transport
		it := m.Transports.Iter()
		for it.Next(&tr) {
			walkTransport(&tr)
		}
		if err := it.Err(); err != nil {
			t.Fatalf("%v: transports: %v", m.MessageType(), err)
		}
	case *msg.Presence:
		walkInfo(&m.ServerInfo)
	case *msg.ListResponse:
		var s msg.ServerInformation
		it := m.Peers.Iter()
		for it.Next(&s) {
			walkInfo(&s)
		}
		if err := it.Err(); err != nil {
			t.Fatalf("%v: peers: %v", m.MessageType(), err)
		}
	}
	if u := reflect.ValueOf(m).Elem().FieldByName("Unrecognized"); u.IsValid() {
		rspWalkUnrecognized(t, u.Interface().(msg.Unrecognized))
	}
	// Report hands out only unknown types whose bits say skip and report.
	msg.Report(m, func(p msg.Param) {
		if p.Type().Known() || p.Type().UnknownAction() != msg.SkipReport {
			t.Fatalf("%v: Report hands out %v", m.MessageType(), p.Type())
		}
	})
}

func rspWalkUnrecognized(t *testing.T, u msg.Unrecognized) {
	it := u.Iter()
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		if p.Type().Known() || p.Type().UnknownAction().Stop() {
			t.Fatalf("unrecognized list holds %v", p.Type())
		}
	}
	if err := it.Err(); err != nil {
		t.Fatalf("unrecognized parameters: %v", err)
	}
}

// rspHandSeeds are messages built to reach every decoder: all message
// types of the protocol, every parameter, every policy, lists, unknown
// parameter types, and the rsplib extensions.
func rspHandSeeds(p msg.Protocol) map[string][]byte {
	a4, a6 := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")
	unk := msg.MakeUnrecognized(msg.RawParam{Type: 0x8abc, Value: []byte{1}}, msg.RawParam{Type: 0xcabc, Value: []byte("rep")})
	sctp := msg.Transport{Kind: msg.ParamSCTPTransport, Port: 3863, Use: msg.DataPlusControl, Addrs: msg.MakeAddrs(a4, a6)}
	sctpUnk := sctp
	sctpUnk.Unrecognized = unk
	transports := []msg.Transport{sctp,
		{Kind: msg.ParamTCPTransport, Port: 80, Addrs: msg.MakeAddrs(a4)},
		{Kind: msg.ParamUDPTransport, Port: 53, Addrs: msg.MakeAddrs(a6)},
		{Kind: msg.ParamUDPLiteTransport, Port: 9, Addrs: msg.MakeAddrs(a4)},
		{Kind: msg.ParamDCCPTransport, Port: 7, ServiceCode: 42, Addrs: msg.MakeAddrs(a6)},
		{Kind: msg.ParamOpaqueTransport, Opaque: []byte("opq")},
	}
	policies := []msg.Policy{
		{Type: msg.PolicyRoundRobin}, {Type: msg.PolicyWeightedRoundRobin, Weight: 2}, {Type: msg.PolicyRandom},
		{Type: msg.PolicyWeightedRandom, Weight: 3}, {Type: msg.PolicyPriority, Priority: 4},
		{Type: msg.PolicyLeastUsed, Load: 5}, {Type: msg.PolicyLeastUsedDegradation, Load: 6, LoadDegradation: 7},
		{Type: msg.PolicyPriorityLeastUsed, Load: 8, LoadDegradation: 9},
		{Type: msg.PolicyPriorityLeastUsed, Load: 8, NoDegradation: true},
		{Type: msg.PolicyRandomizedLeastUsed, Load: 10}, {Type: 0xb0002001, Data: []byte{1, 2, 3, 4, 5}},
	}
	// rsplib's Handle Resolution Option, an unknown type to skip outside
	// ASAP_HANDLE_RESOLUTION.
	hrOpt := msg.MakeUnrecognized(msg.RawParam{Type: msg.ParamHandleResolutionOption, Value: []byte{0, 0, 0, 1}})
	var pes []msg.PoolElement
	for i, pol := range policies {
		pe := msg.PoolElement{ID: msg.PEID(i + 1), HomeServer: 9, RegistrationLife: int32(-i),
			UserTransport: transports[i%len(transports)], Policy: pol}
		if i%2 == 1 {
			pe.ASAPTransport = sctp
			pe.Unrecognized = unk
		}
		if i%4 == 1 {
			pe.ASAPTransport = sctpUnk
		}
		pes = append(pes, pe)
	}
	opErr := msg.NewOperationError(msg.Cause{Code: msg.CauseUnknownPoolHandle},
		msg.InconsistentPoolingPolicyCause(policies[1]), msg.InconsistentTransportTypeCause(transports[1]),
		msg.Cause{Code: msg.CauseUnrecognizedParameter, Info: []byte{0xc0, 1, 0, 5, 9}})
	handle := []byte("EchoPool")
	sv := msg.Servers{Sender: 1, Receiver: 2}
	si := msg.ServerInformation{ServerID: 3, Transport: sctp}
	siUnk := msg.ServerInformation{ServerID: 4, Transport: sctpUnk, Unrecognized: unk}
	var ms map[string]msg.Message
	if p == msg.ASAP {
		ms = map[string]msg.Message{
			"registration":     &msg.Registration{PoolHandle: handle, PoolElement: pes[1], Unrecognized: unk},
			"deregistration":   &msg.Deregistration{PoolHandle: handle, ID: 1},
			"registration-rej": &msg.RegistrationResponse{Reject: true, PoolHandle: handle, ID: 1, Error: opErr},
			"dereg-response":   &msg.DeregistrationResponse{PoolHandle: []byte("odd"), ID: 1},
			"resolution":       &msg.HandleResolution{Subscribe: true, PoolHandle: handle, Items: 2, HasItems: true, Unrecognized: unk},
			"resolution-resp": &msg.HandleResolutionResponse{Accept: true, PoolHandle: handle, Policy: policies[5],
				PoolElements: msg.MakePoolElements(pes...)},
			"resolution-neg":      &msg.HandleResolutionResponse{PoolHandle: handle, Error: opErr},
			"keep-alive":          &msg.EndpointKeepAlive{Home: true, ServerID: 1, PoolHandle: handle, ID: 2, HasID: true},
			"keep-alive-ack":      &msg.EndpointKeepAliveAck{PoolHandle: handle, ID: 2},
			"unreachable":         &msg.EndpointUnreachable{PoolHandle: handle, ID: 2},
			"server-announce":     &msg.ServerAnnounce{ServerID: 1, Transports: msg.MakeTransports(transports[:2]...)},
			"announce-unknown":    &msg.ServerAnnounce{ServerID: 1, Transports: msg.MakeTransports(sctpUnk)},
			"registration-option": &msg.Registration{PoolHandle: handle, PoolElement: pes[0], Unrecognized: hrOpt},
			"cookie":              &msg.Cookie{Cookie: []byte("c")},
			"cookie-echo":         &msg.CookieEcho{Cookie: []byte("cookie")},
			"business-card":       &msg.BusinessCard{PoolHandle: handle, PoolElements: msg.MakePoolElements(pes[:3]...)},
			"error":               &msg.ASAPError{Error: opErr},
		}
	} else {
		entries := msg.AppendPoolEntry(nil, handle, pes[:4]...)
		entries = msg.AppendPoolEntry(entries, []byte("p2"), pes[4:]...)
		ms = map[string]msg.Message{
			"presence":        &msg.Presence{ReplyRequired: true, Servers: sv, Checksum: 0x8dd5, ServerInfo: si},
			"presence-bare":   &msg.Presence{Servers: sv, Checksum: 1},
			"presence-no-sum": &msg.Presence{Servers: sv, NoChecksum: true, ServerInfo: siUnk},
			"table-request":   &msg.HandleTableRequest{OwnChildrenOnly: true, Servers: sv, Unrecognized: unk},
			"table-response":  &msg.HandleTableResponse{MoreToSend: true, Servers: sv, Entries: msg.MakePoolEntries(entries)},
			"table-reject":    &msg.HandleTableResponse{Reject: true, Servers: sv},
			"handle-update":   &msg.HandleUpdate{TakeoverSuggested: true, Servers: sv, Action: msg.DelPE, PoolHandle: handle, PoolElement: pes[3]},
			"list-request":    &msg.ListRequest{Servers: sv},
			"list-response":   &msg.ListResponse{Servers: sv, Peers: msg.MakeServerInfos(si, siUnk)},
			"init-takeover":   &msg.InitTakeover{Servers: sv, Target: 4},
			"takeover-ack":    &msg.InitTakeoverAck{Servers: sv, Target: 4},
			"takeover-server": &msg.TakeoverServer{Servers: sv, Target: 4},
			"error":           &msg.ENRPError{Servers: sv, Error: opErr},
		}
	}
	seeds := map[string][]byte{}
	for name, m := range ms {
		seeds["hand-"+name] = m.Append(nil)
	}
	return seeds
}

// rspCaptureSeeds takes from the reference captures the first message of
// each protocol, type, flags and length: SCTP DATA chunks with PPID 11 or
// 12 (the captures hold no fragmented message) and the UDP multicast
// announcements.
func rspCaptureSeeds(t *testing.T, p msg.Protocol) map[string][]byte {
	seeds := map[string][]byte{}
	seen := map[string]bool{}
	add := func(file string, frame int, b []byte) {
		if len(b) < 4 {
			t.Fatalf("%s frame %d: short message", file, frame)
		}
		key := fmt.Sprintf("type%d-flags%d-len%d", b[0], b[1], len(b))
		if seen[key] {
			return
		}
		seen[key] = true
		seeds[fmt.Sprintf("capture-%s-frame%d-%s", strings.TrimSuffix(file, ".pcap"), frame, key)] = b
	}
	for _, path := range pcaptest.Captures(t) {
		pkts, err := pcaptest.ReadSCTP(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, pk := range pkts {
			pkt, err := wire.ParsePacket(pk.SCTP)
			if err != nil {
				t.Fatalf("%s frame %d: %v", pk.File, pk.Index, err)
			}
			it := pkt.Chunks()
			for c, ok := it.Next(); ok; c, ok = it.Next() {
				var d wire.Data
				if c.Type() != wire.ChunkData || d.Decode(c) != nil || uint32(d.PPID) != p.PPID() {
					continue
				}
				if !d.Beginning || !d.Ending {
					t.Fatalf("%s frame %d: a fragmented message", pk.File, pk.Index)
				}
				add(pk.File, pk.Index, d.UserData)
			}
		}
		port := msg.PortASAP
		if p == msg.ENRP {
			port = msg.PortENRP
		}
		ds, err := pcaptest.ReadUDP(path, port)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			add(d.File, d.Index, d.Payload)
		}
	}
	if len(seeds) == 0 {
		t.Fatalf("no %v message in the captures", p)
	}
	return seeds
}

// TestRSerPoolSeedCorpus keeps the committed seed corpora in step with the
// captures and the hand-built messages, and checks the invariant on each
// seed (all of which must decode).
func TestRSerPoolSeedCorpus(t *testing.T) {
	for _, p := range []msg.Protocol{msg.ASAP, msg.ENRP} {
		dir := filepath.Join("testdata", "fuzz", "Fuzz"+p.String()+"Message")
		seeds := rspHandSeeds(p)
		for k, v := range rspCaptureSeeds(t, p) {
			seeds[k] = v
		}
		if *rspUpdateCorpus {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			old, _ := filepath.Glob(filepath.Join(dir, "seed-*"))
			for _, f := range old {
				os.Remove(f)
			}
		}
		for name, b := range seeds {
			t.Run(p.String()+"/"+name, func(t *testing.T) {
				if _, err := msg.DecodeMessage(p, b); err != nil {
					t.Fatalf("seed does not decode: %v", err)
				}
				rspRoundTrip(t, p, b)
			})
			path := filepath.Join(dir, "seed-"+name)
			want := fmt.Appendf(nil, "go test fuzz v1\n[]byte(%+q)\n", b)
			if *rspUpdateCorpus {
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			got, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s missing or stale (%v); run go test ./fuzz/ -run TestRSerPoolSeedCorpus -update-rserpool-corpus", path, err)
			}
		}
	}
}
