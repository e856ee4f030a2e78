package msg

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
)

// wantEncodeError checks that Encode refuses m with an *EncodeError that
// matches sentinel, and leaves the buffer as it was.
func wantEncodeError(t *testing.T, name string, m Message, sentinel error) {
	t.Helper()
	b, err := Encode([]byte{0xaa}, m)
	var ee *EncodeError
	if !errors.As(err, &ee) || !errors.Is(err, sentinel) || ee.Type != m.MessageType() || ee.Rule == "" {
		t.Fatalf("%s: got %v, want an *EncodeError matching %v", name, err, sentinel)
	}
	if len(b) != 1 || b[0] != 0xaa {
		t.Fatalf("%s: buffer changed to %x", name, b)
	}
}

// wantEncodes checks that Encode accepts m and writes what Append writes.
func wantEncodes(t *testing.T, name string, m Message) {
	t.Helper()
	b, err := Encode(nil, m)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !bytes.Equal(b, m.Append(nil)) {
		t.Fatalf("%s: Encode and Append differ", name)
	}
}

// manyAddrs returns n distinct IPv6 addresses: 3300 of them make an SCTP
// transport of 66008 bytes, past the 16-bit Parameter Length.
func manyAddrs(n int) Addrs {
	as := make([]netip.Addr, n)
	for i := range as {
		as[i] = netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 14: byte(i >> 8), 15: byte(i)})
	}
	return MakeAddrs(as...)
}

// TestEncodeLengthOverflow checks RFC 5354 §3, §3.12 and §4: every length
// field is 16 bits, at any depth. A parameter or error cause too long for
// its field, inside any of the list views, makes Encode refuse the
// message, rather than its length wrapping into a shorter one that the
// list views, which read their items back, would take for the truth.
func TestEncodeLengthOverflow(t *testing.T) {
	big := Transport{Kind: ParamSCTPTransport, Port: 1, Addrs: manyAddrs(3300)}
	if big.Len() != 66008 {
		t.Fatalf("transport Len %d", big.Len())
	}
	// The length that does not fit is written as 0, which no receiver
	// accepts, never as 66008 & 0xffff.
	if enc := big.Append(nil); enc[2] != 0 || enc[3] != 0 || len(enc) != 66008 {
		t.Fatalf("transport header %x, %d bytes", enc[:4], len(enc))
	}
	bigPE := PoolElement{ID: 1, UserTransport: big, Policy: Policy{Type: PolicyRoundRobin}}
	tcp := Transport{Kind: ParamTCPTransport, Port: 80, Addrs: MakeAddrs(v4a)}
	smallPE := PoolElement{ID: 2, UserTransport: tcp, Policy: Policy{Type: PolicyRoundRobin}}
	bigRaw := RawParam{Type: 0x8123, Value: make([]byte, 70000)}
	unkPE := smallPE
	unkPE.Unrecognized = MakeUnrecognized(bigRaw)
	bigInfo := ServerInformation{ServerID: 1, Transport: big}
	for _, info := range []int{65532, 65533, 65534, 65535, 70000} {
		cause := Cause{Code: CauseUnrecognizedMessage, Info: make([]byte, info)}
		wantEncodeError(t, "ASAP_ERROR cause", &ASAPError{Error: NewOperationError(cause)}, ErrTooLong)
		wantEncodeError(t, "ENRP_ERROR cause", &ENRPError{Error: NewOperationError(Cause{Code: CauseUnspecified}, cause)}, ErrTooLong)
	}
	for _, c := range []struct {
		name string
		m    Message
	}{
		{"announce", &ServerAnnounce{ServerID: 1, Transports: MakeTransports(big)}},
		{"announce second", &ServerAnnounce{ServerID: 1, Transports: MakeTransports(tcp, big, tcp)}},
		{"resolution response", &HandleResolutionResponse{PoolHandle: []byte("p"), PoolElements: MakePoolElements(bigPE)}},
		{"resolution response last", &HandleResolutionResponse{PoolHandle: []byte("p"), PoolElements: MakePoolElements(smallPE, bigPE)}},
		{"resolution response nested", &HandleResolutionResponse{PoolHandle: []byte("p"), PoolElements: MakePoolElements(unkPE)}},
		{"business card", &BusinessCard{PoolHandle: []byte("p"), PoolElements: MakePoolElements(smallPE, bigPE)}},
		{"registration", &Registration{PoolHandle: []byte("p"), PoolElement: bigPE}},
		{"registration nested unknown", &Registration{PoolHandle: []byte("p"), PoolElement: unkPE}},
		{"cookie unknown", &Cookie{Cookie: []byte("c"), Unrecognized: MakeUnrecognized(bigRaw)}},
		{"table response", &HandleTableResponse{Entries: MakePoolEntries(AppendPoolEntry(nil, []byte("p"), smallPE, bigPE))}},
		{"table response nested", &HandleTableResponse{Entries: MakePoolEntries(AppendPoolEntry(nil, []byte("p"), unkPE))}},
		{"list response", &ListResponse{Peers: MakeServerInfos(bigInfo)}},
		{"presence", &Presence{ServerInfo: bigInfo}},
		{"update", &HandleUpdate{PoolHandle: []byte("p"), PoolElement: bigPE}},
	} {
		if c.m.Len() <= MaxMessageLen {
			t.Errorf("%s: Len %d", c.name, c.m.Len())
		}
		wantEncodeError(t, c.name, c.m, ErrTooLong)
		// Append still writes every byte Len counts.
		if n := len(c.m.Append(nil)); n != pad4(c.m.Len()) {
			t.Errorf("%s: Append wrote %d bytes for Len %d", c.name, n, c.m.Len())
		}
	}
	// The message header too: a length that does not fit is 0.
	m := &Cookie{Cookie: make([]byte, MaxMessageLen)}
	if enc := m.Append(nil); enc[2] != 0 || enc[3] != 0 {
		t.Fatalf("message header %x", enc[:4])
	}
}

// TestMakePoolEntriesUnframed checks that pool entries that do not frame
// are encoded as given, the bytes Len counts.
func TestMakePoolEntriesUnframed(t *testing.T) {
	raw := hx(t, "0009 0008 706f6f6c 000a 00")
	m := &HandleTableResponse{Entries: MakePoolEntries(raw)}
	enc := m.Append(nil)
	if m.Len() != 12+len(raw) || len(enc) != pad4(m.Len()) || !bytes.Equal(enc[12:12+len(raw)], raw) {
		t.Fatalf("Len %d, encoded %x", m.Len(), enc)
	}
}

// TestUnrecognizedCauseFits checks that the causes built to report an
// unrecognized message or parameter fit an error message, however long
// the message or parameter: RFC 5354 §3.12.2 and §3.12.3 put it whole
// into the cause, which a 16-bit Cause Length cannot always hold.
func TestUnrecognizedCauseFits(t *testing.T) {
	for _, n := range []int{65515, 65516, 65532, 65535} {
		in := make([]byte, n)
		in[0], in[2], in[3] = 0x4f, byte(n>>8), byte(n)
		for i := 4; i < n; i++ {
			in[i] = byte(i)
		}
		for _, p := range []Protocol{ASAP, ENRP} {
			_, err := DecodeMessage(p, in)
			var ue *UnrecognizedMessageError
			if !errors.As(err, &ue) {
				t.Fatalf("%d: %v", n, err)
			}
			c := ue.Cause()
			if len(c.Info) != min(n, MaxCauseInfo) || !bytes.Equal(c.Info, in[:len(c.Info)]) {
				t.Fatalf("%d: cause of %d bytes", n, len(c.Info))
			}
			var m Message = &ASAPError{Error: NewOperationError(c)}
			if p == ENRP {
				m = &ENRPError{Servers: Servers{Sender: 1}, Error: NewOperationError(c)}
			}
			enc, err := Encode(nil, m)
			if err != nil {
				t.Fatalf("%d %v: %v", n, p, err)
			}
			back, err := DecodeMessage(p, enc)
			if err != nil {
				t.Fatalf("%d %v: %v", n, p, err)
			}
			var got Cause
			switch back := back.(type) {
			case *ASAPError:
				got, _ = back.Error.Causes.First()
			case *ENRPError:
				got, _ = back.Error.Causes.First()
			}
			if !bytes.Equal(got.Info, c.Info) {
				t.Fatalf("%d %v: cause came back with %d bytes", n, p, len(got.Info))
			}
		}
	}
	// The longest parameter an ASAP message holds: 65535 bytes less the
	// header and a Pool Handle.
	n := MaxMessageLen - headerLen - 12
	in := append(hx(t, "0500 ffff 0009 000c 4563686f 506f6f6c 0123"), byte(n>>8), byte(n))
	in = append(in, make([]byte, n-4)...)
	_, err := DecodeMessage(ASAP, in)
	var ue *UnrecognizedParamError
	if !errors.As(err, &ue) || ue.Param.Len() != n {
		t.Fatalf("got %v", err)
	}
	c := ue.Cause()
	if c.Code != CauseUnrecognizedParameter || len(c.Info) != MaxCauseInfo || !bytes.Equal(c.Info, in[16:16+MaxCauseInfo]) {
		t.Fatalf("cause %v of %d bytes", c.Code, len(c.Info))
	}
	wantEncodes(t, "parameter cause", &ENRPError{Error: NewOperationError(c)})
	if c := UnrecognizedParameterCause(mustParam(t, hx(t, "c456 0005 ab"))); c.Code != CauseUnrecognizedParameter ||
		!bytes.Equal(c.Info, hx(t, "c456 0005 ab")) {
		t.Fatalf("short cause %x", c.Info)
	}
}

// TestEncodeRefusesForbidden checks that Encode refuses what the RFCs
// forbid a sender to send, and accepts the messages next to it.
func TestEncodeRefusesForbidden(t *testing.T) {
	tcp := Transport{Kind: ParamTCPTransport, Port: 80, Addrs: MakeAddrs(v4a)}
	udp := Transport{Kind: ParamUDPTransport, Port: 53, Addrs: MakeAddrs(v4a)}
	pe := PoolElement{ID: 1, UserTransport: tcp, Policy: Policy{Type: PolicyRoundRobin}}
	pes := MakePoolElements(pe)
	opErr := NewOperationError(Cause{Code: CauseUnknownPoolHandle})
	s := Servers{Sender: 1, Receiver: 2}
	si := ServerInformation{ServerID: 3, Transport: sctpTransport(DataOnly, 9901)}
	entries := MakePoolEntries(AppendPoolEntry(nil, []byte("p"), pe))
	handle := []byte("p")
	for _, c := range []struct {
		name string
		m    Message
	}{
		// RFC 5354 §3.12: "one or more Error Causes".
		{"empty ASAP_ERROR", &ASAPError{}},
		{"empty ENRP_ERROR", &ENRPError{Servers: s}},
		// RFC 5352 §2.2.10: "Only SCTP and TCP Transport parameters are
		// allowed".
		{"announce UDP", &ServerAnnounce{ServerID: 1, Transports: MakeTransports(sctpTransport(DataOnly, 1), udp)}},
		{"announce opaque", &ServerAnnounce{ServerID: 1, Transports: MakeTransports(Transport{Kind: ParamOpaqueTransport})}},
		{"announce DCCP", &ServerAnnounce{ServerID: 1, Transports: MakeTransports(Transport{Kind: ParamDCCPTransport, Addrs: MakeAddrs(v4a)})}},
		// RFC 5352 §2.2.6.
		{"resolution response both", &HandleResolutionResponse{PoolHandle: handle, PoolElements: pes, Error: opErr}},
		{"resolution response negative policy", &HandleResolutionResponse{PoolHandle: handle, Policy: Policy{Type: PolicyRandom}, Error: opErr}},
		{"resolution response empty", &HandleResolutionResponse{PoolHandle: handle}},
		{"resolution response policy only", &HandleResolutionResponse{PoolHandle: handle, Policy: Policy{Type: PolicyRandom}}},
		// RFC 5353 §2.3: with R, "pool entries MUST NOT be included".
		{"table response reject", &HandleTableResponse{Reject: true, Servers: s, Entries: entries}},
		// RFC 5353 §2.6: with R, no Server Information.
		{"list response reject", &ListResponse{Reject: true, Servers: s, Peers: MakeServerInfos(si)}},
		// RFC 5353 §2.4: "Other values are reserved by IETF and MUST NOT
		// be used".
		{"update action 2", &HandleUpdate{Servers: s, Action: 2, PoolHandle: handle, PoolElement: pe}},
		{"update action 0xffff", &HandleUpdate{Servers: s, Action: 0xffff, PoolHandle: handle, PoolElement: pe}},
	} {
		wantEncodeError(t, c.name, c.m, ErrInvalidMessage)
	}
	for _, c := range []struct {
		name string
		m    Message
	}{
		{"ASAP_ERROR", &ASAPError{Error: opErr}},
		{"ENRP_ERROR", &ENRPError{Servers: s, Error: opErr}},
		{"announce", &ServerAnnounce{ServerID: 1, Transports: MakeTransports(sctpTransport(DataOnly, 1), tcp)}},
		{"announce bare", &ServerAnnounce{ServerID: 1}},
		{"resolution response positive", &HandleResolutionResponse{PoolHandle: handle, Policy: Policy{Type: PolicyRandom}, PoolElements: pes}},
		{"resolution response negative", &HandleResolutionResponse{PoolHandle: handle, Error: opErr}},
		{"table response", &HandleTableResponse{Servers: s, Entries: entries}},
		// §2.3 says SHOULD for at least one entry; rsplib sends none.
		{"table response empty", &HandleTableResponse{Servers: s}},
		{"table response reject", &HandleTableResponse{Reject: true, Servers: s}},
		{"list response", &ListResponse{Servers: s, Peers: MakeServerInfos(si)}},
		{"list response reject", &ListResponse{Reject: true, Servers: s}},
		{"update add", &HandleUpdate{Servers: s, Action: AddPE, PoolHandle: handle, PoolElement: pe}},
		{"update del", &HandleUpdate{Servers: s, Action: DelPE, PoolHandle: handle, PoolElement: pe}},
		// Optional Operation Errors may be absent.
		{"registration response", &RegistrationResponse{PoolHandle: handle, ID: 1}},
		{"deregistration response", &DeregistrationResponse{PoolHandle: handle, ID: 1}},
	} {
		wantEncodes(t, c.name, c.m)
	}
	e := &EncodeError{Type: ASAPErrorMessage, Rule: "a rule", Err: ErrInvalidMessage}
	if e.Error() != "asap/msg: cannot encode ASAP_ERROR: a rule" || errors.Unwrap(e) != ErrInvalidMessage ||
		errors.Is(e, ErrTooLong) || errors.Is(e, ErrMalformed) {
		t.Fatalf("%v", e)
	}
}
