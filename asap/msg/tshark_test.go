package msg_test

import (
	"encoding/binary"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/sctp/wire"
)

// Wireshark's names for the message types (its asap.message_type and
// enrp.message_type value strings).
var wiresharkMessages = map[msg.MessageType]string{
	msg.ASAPRegistration:             "ASAP Registration",
	msg.ASAPDeregistration:           "ASAP Deregistration",
	msg.ASAPRegistrationResponse:     "ASAP Registration Response",
	msg.ASAPDeregistrationResponse:   "ASAP Deregistration Response",
	msg.ASAPHandleResolution:         "ASAP Handle Resolution",
	msg.ASAPHandleResolutionResponse: "ASAP Handle Resolution Response",
	msg.ASAPEndpointKeepAlive:        "ASAP Endpoint Keep-Alive",
	msg.ASAPEndpointKeepAliveAck:     "ASAP Endpoint Keep-Alive Acknowledgement",
	msg.ASAPEndpointUnreachable:      "ASAP Endpoint Unreachable",
	msg.ASAPServerAnnounce:           "ASAP Server Announce",
	msg.ASAPCookie:                   "ASAP Cookie",
	msg.ASAPCookieEcho:               "ASAP Cookie Echo",
	msg.ASAPBusinessCard:             "ASAP Business Card",
	msg.ASAPErrorMessage:             "ASAP Error",
	msg.ENRPPresence:                 "ENRP Presence",
	msg.ENRPHandleTableRequest:       "ENRP Handle Table Request",
	msg.ENRPHandleTableResponse:      "ENRP Handle Table Response",
	msg.ENRPHandleUpdate:             "ENRP Handle Update",
	msg.ENRPListRequest:              "ENRP List Request",
	msg.ENRPListResponse:             "ENRP List Response",
	msg.ENRPInitTakeover:             "ENRP Init Takeover",
	msg.ENRPInitTakeoverAck:          "ENRP Init Takeover Ack",
	msg.ENRPTakeoverServer:           "ENRP Takeover Server",
	msg.ENRPErrorMessage:             "ENRP Error",
}

// Wireshark's names for the parameter types. Wireshark 4.0 has no name
// for the Opaque Transport parameter (RFC 5354 §3.16) and shows it as
// "Unknown"; the test accepts that for that type only.
var wiresharkParams = map[msg.ParamType]string{
	msg.ParamIPv4Address:            "IPv4 Address Parameter",
	msg.ParamIPv6Address:            "IPv6 Address Parameter",
	msg.ParamDCCPTransport:          "DCCP Transport Address Parameter",
	msg.ParamSCTPTransport:          "SCTP Transport Address Parameter",
	msg.ParamTCPTransport:           "TCP Transport Address Parameter",
	msg.ParamUDPTransport:           "UDP Transport Address Parameter",
	msg.ParamUDPLiteTransport:       "UDP-Lite Transport Address Parameter",
	msg.ParamPolicy:                 "Pool Member Selection Policy Parameter",
	msg.ParamPoolHandle:             "Pool Handle Parameter",
	msg.ParamPoolElement:            "Pool Element Parameter",
	msg.ParamServerInfo:             "Server Information Parameter",
	msg.ParamOperationError:         "Operation Error Parameter",
	msg.ParamCookie:                 "Cookie Parameter",
	msg.ParamPEIdentifier:           "Pool Element Identifier Parameter",
	msg.ParamPEChecksum:             "PE Checksum Parameter",
	msg.ParamOpaqueTransport:        "Unknown",
	msg.ParamHandleResolutionOption: "Handle Resolution Option Parameter",
}

var (
	v4  = netip.MustParseAddr("192.0.2.1")
	v4b = netip.MustParseAddr("192.0.2.2")
	v6  = netip.MustParseAddr("2001:db8::1")
)

// everyPolicy is one policy of each RFC 5356 type.
func everyPolicy() []msg.Policy {
	return []msg.Policy{
		{Type: msg.PolicyRoundRobin},
		{Type: msg.PolicyWeightedRoundRobin, Weight: 7},
		{Type: msg.PolicyRandom},
		{Type: msg.PolicyWeightedRandom, Weight: 9},
		{Type: msg.PolicyPriority, Priority: 3},
		{Type: msg.PolicyLeastUsed, Load: 0x80000000},
		{Type: msg.PolicyLeastUsedDegradation, Load: 0x40000000, LoadDegradation: 0x01000000},
		{Type: msg.PolicyPriorityLeastUsed, Load: 0x20000000, LoadDegradation: 0x02000000},
		{Type: msg.PolicyRandomizedLeastUsed, Load: 0x10000000},
	}
}

// everyTransport is one transport of each kind with an address list.
func everyTransport() []msg.Transport {
	return []msg.Transport{
		{Kind: msg.ParamSCTPTransport, Port: 5000, Use: msg.DataPlusControl, Addrs: msg.MakeAddrs(v4, v6, v4b)},
		{Kind: msg.ParamTCPTransport, Port: 80, Addrs: msg.MakeAddrs(v4)},
		{Kind: msg.ParamUDPTransport, Port: 53, Addrs: msg.MakeAddrs(v6)},
		{Kind: msg.ParamUDPLiteTransport, Port: 5004, Addrs: msg.MakeAddrs(v4b)},
		{Kind: msg.ParamDCCPTransport, Port: 5001, ServiceCode: 0x44434350, Addrs: msg.MakeAddrs(v4)},
	}
}

// poolElements has a PE of each policy, the user transports taking turns.
func poolElements() []msg.PoolElement {
	var pes []msg.PoolElement
	ts := everyTransport()
	for i, p := range everyPolicy() {
		pe := msg.PoolElement{
			ID: msg.PEID(0x100 + i), HomeServer: 0xf15cc54b, RegistrationLife: 300,
			UserTransport: ts[i%len(ts)], Policy: p,
		}
		if i%2 == 0 {
			pe.ASAPTransport = msg.Transport{Kind: msg.ParamSCTPTransport, Port: 3863, Addrs: msg.MakeAddrs(v4)}
		}
		pes = append(pes, pe)
	}
	return pes
}

// everyMessage returns one of every ASAP and ENRP message; among them they
// carry every parameter type and every RFC 5356 policy.
func everyMessage() []msg.Message {
	pes := poolElements()
	handle := []byte("EchoPool")
	servers := msg.Servers{Sender: 0xf15cc54b, Receiver: 0x840fb314}
	opErr := msg.NewOperationError(
		msg.Cause{Code: msg.CauseUnknownPoolHandle},
		msg.InconsistentPoolingPolicyCause(msg.Policy{Type: msg.PolicyRoundRobin}),
		msg.InconsistentTransportTypeCause(everyTransport()[1]),
		msg.Cause{Code: msg.CauseInvalidValues, Info: []byte{0, 0x0e, 0, 8, 0, 0, 0, 1}},
		msg.Cause{Code: msg.CauseUnrecognizedParameter, Info: []byte{0, 0x0f, 0, 6, 0xab, 0xcd}},
		msg.Cause{Code: msg.CauseUnrecognizedMessage, Info: []byte{0x0f, 0, 0, 4}},
		msg.Cause{Code: msg.CauseLackOfResources})
	si := msg.ServerInformation{ServerID: 0x840fb314,
		Transport: msg.Transport{Kind: msg.ParamSCTPTransport, Port: 9901, Addrs: msg.MakeAddrs(v4, v6)}}
	entries := msg.AppendPoolEntry(nil, handle, pes[:3]...)
	entries = msg.AppendPoolEntry(entries, []byte("other pool"), pes[3])
	return []msg.Message{
		&msg.Registration{PoolHandle: handle, PoolElement: pes[0]},
		&msg.Deregistration{PoolHandle: handle, ID: 0x100},
		&msg.RegistrationResponse{Reject: true, PoolHandle: handle, ID: 0x100, Error: opErr},
		&msg.DeregistrationResponse{PoolHandle: handle, ID: 0x100},
		&msg.HandleResolution{Subscribe: true, PoolHandle: handle, Items: 3, HasItems: true},
		&msg.HandleResolutionResponse{PoolHandle: handle, Policy: msg.Policy{Type: msg.PolicyLeastUsed},
			PoolElements: msg.MakePoolElements(pes...)},
		&msg.HandleResolutionResponse{PoolHandle: []byte("nope"), Error: opErr},
		&msg.EndpointKeepAlive{Home: true, ServerID: 0xf15cc54b, PoolHandle: handle, ID: 0x100, HasID: true},
		&msg.EndpointKeepAliveAck{PoolHandle: handle, ID: 0x100},
		&msg.EndpointUnreachable{PoolHandle: handle, ID: 0x101},
		&msg.ServerAnnounce{ServerID: 0xf15cc54b, Transports: msg.MakeTransports(everyTransport()[:2]...)},
		&msg.Cookie{Cookie: []byte("state of the session")},
		&msg.CookieEcho{Cookie: []byte("state of the session")},
		&msg.BusinessCard{PoolHandle: handle, PoolElements: msg.MakePoolElements(pes[1], pes[4], msg.PoolElement{ID: 0x200,
			UserTransport: msg.Transport{Kind: msg.ParamOpaqueTransport, Opaque: []byte("opaque")}, Policy: everyPolicy()[0]})},
		&msg.ASAPError{Error: opErr},
		&msg.Presence{ReplyRequired: true, Servers: servers, Checksum: 0x8dd5, ServerInfo: si},
		&msg.HandleTableRequest{OwnChildrenOnly: true, Servers: servers},
		&msg.HandleTableResponse{MoreToSend: true, Servers: servers, Entries: msg.MakePoolEntries(entries)},
		&msg.HandleUpdate{Servers: servers, Action: msg.DelPE, PoolHandle: handle, PoolElement: pes[2]},
		&msg.ListRequest{Servers: servers},
		&msg.ListResponse{Servers: servers, Peers: msg.MakeServerInfos(si, si)},
		&msg.InitTakeover{Servers: servers, Target: 0x01020304},
		&msg.InitTakeoverAck{Servers: servers, Target: 0x01020304},
		&msg.TakeoverServer{Servers: servers, Target: 0x01020304},
		&msg.ENRPError{Servers: servers, Error: opErr},
	}
}

// paramTypes lists the parameter types of an encoded message, nested ones
// included, in order: what Wireshark should show.
func paramTypes(t *testing.T, m msg.Message) []msg.ParamType {
	t.Helper()
	b := m.Append(nil)[:m.Len()]
	fixed := map[msg.MessageType]int{
		msg.ASAPEndpointKeepAlive: 4, msg.ASAPServerAnnounce: 4, msg.ENRPHandleUpdate: 12,
		msg.ENRPInitTakeover: 12, msg.ENRPInitTakeoverAck: 12, msg.ENRPTakeoverServer: 12,
	}[m.MessageType()]
	if fixed == 0 && m.MessageType().Protocol() == msg.ENRP {
		fixed = 8
	}
	var out []msg.ParamType
	var walk func(b []byte)
	walk = func(b []byte) {
		ps, err := msg.ParseParams(b)
		if err != nil {
			t.Fatal(err)
		}
		it := ps.Iter()
		for p, ok := it.Next(); ok; p, ok = it.Next() {
			out = append(out, p.Type())
			switch v := p.Value(); p.Type() {
			case msg.ParamPoolElement:
				walk(v[12:])
			case msg.ParamServerInfo:
				walk(v[4:])
			case msg.ParamSCTPTransport, msg.ParamTCPTransport, msg.ParamUDPTransport, msg.ParamUDPLiteTransport:
				walk(v[4:])
			case msg.ParamDCCPTransport:
				walk(v[8:])
			case msg.ParamOperationError:
				// Wireshark dissects the TLV that these causes carry.
				var e msg.OperationError
				if err := e.Decode(p); err != nil {
					t.Fatal(err)
				}
				ci := e.Causes.Iter()
				for c, ok := ci.Next(); ok; c, ok = ci.Next() {
					switch c.Code {
					case msg.CauseUnrecognizedParameter, msg.CauseInvalidValues,
						msg.CauseInconsistentPoolingPolicy, msg.CauseInconsistentTransportType:
						walk(c.Info)
					}
				}
			}
		}
	}
	walk(b[4+fixed:])
	return out
}

var (
	frameRE   = regexp.MustCompile(`(?m)^Frame (\d+):`)
	msgTypeRE = regexp.MustCompile(`(?m)^    Type: (.+) \((\d+)\)$`)
	paramRE   = regexp.MustCompile(`(?m)^ *Parameter Type: (.+) \(0x([0-9a-f]{4})\)$`)
	policyRE  = regexp.MustCompile(`(?m)^ *Policy Type: (.+) \(0x([0-9a-f]{8})\)$`)
)

func splitFrames(out string) []string {
	idx := frameRE.FindAllStringIndex(out, -1)
	var frames []string
	for i, loc := range idx {
		end := len(out)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		frames = append(frames, out[loc[0]:end])
	}
	return frames
}

// TestWiresharkDecodesEveryMessage writes one of every ASAP and ENRP
// message, with every parameter and policy among them, into a pcap as
// SCTP DATA chunks (PPID 11 to port 3863, PPID 12 to port 9901) and the
// announcements also as UDP multicast, and checks that Wireshark's ASAP
// and ENRP dissectors name each message and parameter as meant and find
// nothing malformed.
func TestWiresharkDecodesEveryMessage(t *testing.T) {
	msgs := everyMessage()
	path, w, done := pcaptest.TempPcap(t)
	src, dst := netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("127.0.0.2")
	type frame struct {
		m   msg.Message
		udp bool
	}
	var frames []frame
	for i, m := range msgs {
		port, ppid := msg.PortASAP, wire.PPID(msg.PPIDASAP)
		if m.MessageType().Protocol() == msg.ENRP {
			port, ppid = msg.PortENRP, wire.PPID(msg.PPIDENRP)
		}
		var pb wire.Builder
		pb.Start(nil, wire.Header{SrcPort: port, DstPort: port, VTag: 0x11223344}, 65535)
		user, err := msg.Encode(nil, m)
		if err != nil {
			t.Fatal(err)
		}
		d := &wire.Data{DataFlags: wire.DataFlags{Beginning: true, Ending: true}, TSN: wire.TSN(i), PPID: ppid, UserData: user}
		if !pb.Add(d) {
			t.Fatalf("%v does not fit", m.MessageType())
		}
		if err := w.WriteSCTP(time.Unix(int64(i), 0), src, dst, pb.Finish()); err != nil {
			t.Fatal(err)
		}
		frames = append(frames, frame{m, false})
	}
	// The multicast announcements of rsplib, over UDP.
	for _, m := range msgs {
		var group netip.AddrPort
		switch m.MessageType() {
		case msg.ASAPServerAnnounce:
			group = msg.ASAPAnnounceGroup
		case msg.ENRPPresence:
			group = msg.ENRPAnnounceGroup
		default:
			continue
		}
		err := w.WriteUDP(time.Unix(100, 0), netip.AddrPortFrom(src, group.Port()), group, m.Append(nil))
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, frame{m, true})
	}
	done()

	out := pcaptest.Tshark(t, "-r", path, "-V")
	for _, bad := range []string{"Malformed", "Expert Info (Error", "Expert Info (Warning", "[incorrect"} {
		if strings.Contains(out, bad) {
			t.Fatalf("tshark reports %q:\n%s", bad, out)
		}
	}
	got := splitFrames(out)
	if len(got) != len(frames) {
		t.Fatalf("tshark shows %d frames, want %d", len(got), len(frames))
	}
	seenParams := map[msg.ParamType]bool{}
	seenPolicies := map[string]bool{}
	for i, f := range got {
		m := frames[i].m
		where := "frame " + strconv.Itoa(i+1) + " (" + m.MessageType().String() + ")"
		section := "Aggregate Server Access Protocol"
		if m.MessageType().Protocol() == msg.ENRP {
			section = "Endpoint Handlespace Redundancy Protocol"
		}
		at := strings.Index(f, "\n"+section+"\n")
		if at < 0 {
			t.Errorf("%s: no %s section", where, section)
			continue
		}
		f = f[at:]
		mt := msgTypeRE.FindStringSubmatch(f)
		if mt == nil || mt[1] != wiresharkMessages[m.MessageType()] || mt[2] != strconv.Itoa(int(m.MessageType().Code())) {
			t.Errorf("%s: Wireshark sees %q", where, mt)
		}
		var names []string
		for _, p := range paramRE.FindAllStringSubmatch(f, -1) {
			code, _ := strconv.ParseUint(p[2], 16, 16)
			names = append(names, p[1]+"/"+strconv.FormatUint(code, 16))
		}
		var want []string
		for _, pt := range paramTypes(t, m) {
			want = append(want, wiresharkParams[pt]+"/"+strconv.FormatUint(uint64(pt), 16))
			seenParams[pt] = true
		}
		if !slices.Equal(names, want) {
			t.Errorf("%s: Wireshark sees parameters\n%v\nwant\n%v", where, names, want)
		}
		for _, p := range policyRE.FindAllStringSubmatch(f, -1) {
			if strings.HasPrefix(p[1], "Unknown") {
				t.Errorf("%s: Wireshark does not know policy %s", where, p[2])
			}
			seenPolicies[p[2]] = true
		}
		checkFields(t, where, f, m)
	}
	for pt := range wiresharkParams {
		if !seenParams[pt] {
			t.Errorf("no %v parameter written", pt)
		}
	}
	for _, p := range everyPolicy() {
		code := strconv.FormatUint(uint64(p.Type)|1<<32, 16)[1:]
		if !seenPolicies[code] {
			t.Errorf("Wireshark showed no %v policy", p.Type)
		}
	}
}

// checkFields checks a few decoded values that show the fields landed
// where Wireshark expects them: flags, identifiers, ports, addresses.
func checkFields(t *testing.T, where, f string, m msg.Message) {
	t.Helper()
	var want []string
	switch m := m.(type) {
	case *msg.RegistrationResponse:
		want = []string{"R Bit: Rejected", "Cause Code: Unknown pool handle (0x0009)"}
	case *msg.EndpointKeepAlive:
		want = []string{"H Bit: Want to be new ENRP server", "Server Identifier: 0xf15cc54b", "PE Identifier: 0x00000100"}
	case *msg.HandleResolution:
		want = []string{"Items: 3"}
	case *msg.Presence:
		want = []string{"R Bit: Reply required", "Sender Server's ID: 0xf15cc54b", "PE Checksum: 0x8dd5",
			"IP Version 6 Address: 2001:db8::1", "Port: 9901"}
	case *msg.HandleTableRequest:
		want = []string{"W Bit: Only information for own PEs"}
	case *msg.HandleTableResponse:
		want = []string{"M Bit: More information available", "Pool Handle: 6f7468657220706f6f6c (other pool)"}
	case *msg.HandleUpdate:
		want = []string{"Update Action: Delete pool element (1)", "Registration Life: 300"}
	case *msg.InitTakeover:
		want = []string{"Target Server's ID: 0x01020304"}
	case *msg.HandleResolutionResponse:
		if m.PoolElements.Count() > 0 {
			want = []string{"Transport Use: Data plus control (1)", "IP Version 4 Address: 192.0.2.2"}
		}
	}
	for _, s := range want {
		if !strings.Contains(f, s) {
			t.Errorf("%s: no %q in\n%s", where, s, f)
		}
	}
}

// TestTsharkAgreesOnCaptures checks that the messages this package finds
// in the reference captures are, type for type and count for count, the
// ones Wireshark finds.
func TestTsharkAgreesOnCaptures(t *testing.T) {
	ours := map[string]int{}
	for _, c := range captureMessages(t) {
		m, err := msg.DecodeMessage(c.proto, c.b)
		if err != nil {
			t.Fatalf("%s: %v", c.where, err)
		}
		ours[c.file+" "+m.MessageType().String()]++
	}
	theirs := map[string]int{}
	for _, path := range pcaptest.Captures(t) {
		for _, p := range []struct {
			proto msg.Protocol
			field string
		}{{msg.ASAP, "asap.message_type"}, {msg.ENRP, "enrp.message_type"}} {
			out := pcaptest.Tshark(t, "-r", path, "-Y", strings.Split(p.field, ".")[0], "-T", "fields", "-e", p.field)
			for _, line := range strings.Fields(out) {
				for _, code := range strings.Split(line, ",") {
					n, err := strconv.Atoi(code)
					if err != nil {
						t.Fatalf("tshark field %q", code)
					}
					var b [2]byte
					binary.BigEndian.PutUint16(b[:], uint16(p.proto)<<8|uint16(n))
					mt := msg.MessageType(binary.BigEndian.Uint16(b[:]))
					theirs[pathBase(path)+" "+mt.String()]++
				}
			}
		}
	}
	if len(ours) == 0 {
		t.Fatal("no message found")
	}
	for k, n := range theirs {
		if ours[k] != n {
			t.Errorf("%s: tshark %d, we %d", k, n, ours[k])
		}
	}
	for k, n := range ours {
		if theirs[k] != n {
			t.Errorf("%s: we %d, tshark %d", k, n, theirs[k])
		}
	}
}

func pathBase(p string) string { return p[strings.LastIndex(p, "/")+1:] }
