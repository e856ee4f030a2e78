package msg

import (
	"bytes"
	"net/netip"
	"testing"
)

// TestENRPWire checks one instance of every ENRP message against the
// layout of its RFC 5353 §2 figure.
func TestENRPWire(t *testing.T) {
	r1 := netip.MustParseAddr("10.99.200.1")
	r2 := netip.MustParseAddr("10.99.200.2")
	pe11 := netip.MustParseAddr("10.99.200.11")
	servers := Servers{Sender: 0xf15cc54b, Receiver: 0x840fb314}
	const ids = "f15cc54b 840fb314"
	tcp := Transport{Kind: ParamTCPTransport, Port: 80, Addrs: MakeAddrs(v4a)}
	for _, c := range []struct {
		name string
		m    Message
		want string
	}{
		// §2.1, as rsplib group-casts it over UDP (rsplib-asap-enrp-encap0.pcap
		// frame 5): receiver 0, PE checksum of an empty handlespace, Server
		// Information.
		{"PRESENCE", &Presence{Servers: Servers{Sender: 0xf15cc54b}, Checksum: 0xffff,
			ServerInfo: ServerInformation{ServerID: 0xf15cc54b,
				Transport: Transport{Kind: ParamSCTPTransport, Port: 9901, Addrs: MakeAddrs(r1)}}},
			"01 00 002c f15cc54b 00000000 | 000f 0006 ffff 0000 | 000b 0018 f15cc54b 0004 0010 26ad 0000 0001 0008 0a63c801"},
		// Reply required; the message length leaves out the PE checksum's
		// padding when it comes last.
		{"PRESENCE reply required", &Presence{ReplyRequired: true, Servers: servers, Checksum: 0xabcd},
			"01 01 0012 " + ids + " 000f 0006 abcd 0000"},
		// §3.6.1 step 2: every PRESENCE carries the PE checksum, so the
		// zero value sends it (here the checksum 0).
		{"PRESENCE zero checksum", &Presence{Servers: servers}, "01 00 0012 " + ids + " 000f 0006 0000 0000"},
		// Without it only when asked to, as a received one may come.
		{"PRESENCE no checksum", &Presence{Servers: servers, NoChecksum: true}, "01 00 000c " + ids},
		// §2.2 with W set.
		{"HANDLE_TABLE_REQUEST", &HandleTableRequest{OwnChildrenOnly: true, Servers: servers}, "02 01 000c " + ids},
		// §2.3 with M set: one pool entry, a handle and its PEs.
		{"HANDLE_TABLE_RESPONSE", &HandleTableResponse{MoreToSend: true, Servers: servers,
			Entries: MakePoolEntries(AppendPoolEntry(nil, []byte("pool"), PoolElement{ID: 1, UserTransport: tcp, Policy: Policy{Type: PolicyRandom}}))},
			"03 02 003c " + ids + poolHandle +
				"000a 0028 00000001 00000000 00000000 0005 0010 0050 0000 0001 0008 c0000201 0008 0008 00000003"},
		// R set, nothing else (the captures hold M and R clear, no entry).
		{"HANDLE_TABLE_RESPONSE reject", &HandleTableResponse{Reject: true, Servers: servers}, "03 01 000c " + ids},
		// §2.4 as rsplib sent it (frame 44): action ADD_PE, reserved, the
		// pool handle, the PE with its ASAP transport.
		{"HANDLE_UPDATE", &HandleUpdate{Servers: servers, Action: AddPE, PoolHandle: []byte("EchoPool"),
			PoolElement: PoolElement{ID: 0x5297b1e4, HomeServer: 0xf15cc54b, RegistrationLife: 90000,
				UserTransport: Transport{Kind: ParamSCTPTransport, Port: 36849, Use: DataPlusControl, Addrs: MakeAddrs(pe11)},
				Policy:        Policy{Type: PolicyRoundRobin},
				ASAPTransport: Transport{Kind: ParamSCTPTransport, Port: 41318, Addrs: MakeAddrs(pe11)}}},
			"04 00 0054 " + ids + " 0000 0000" + echoPool + "000a 0038 5297b1e4 f15cc54b 00015f90" +
				" 0004 0010 8ff1 0001 0001 0008 0a63c80b 0008 0008 00000001 0004 0010 a166 0000 0001 0008 0a63c80b"},
		// DEL_PE, with rsplib's takeover-suggested flag.
		{"HANDLE_UPDATE del", &HandleUpdate{TakeoverSuggested: true, Servers: servers, Action: DelPE, PoolHandle: []byte("pool"),
			PoolElement: PoolElement{ID: 2, UserTransport: tcp, Policy: Policy{Type: PolicyRoundRobin}}},
			"04 01 0040 " + ids + " 0001 0000" + poolHandle +
				"000a 0028 00000002 00000000 00000000 0005 0010 0050 0000 0001 0008 c0000201 0008 0008 00000001"},
		// §2.5
		{"LIST_REQUEST", &ListRequest{Servers: servers}, "05 00 000c " + ids},
		// §2.6 as rsplib answered (frame 25).
		{"LIST_RESPONSE", &ListResponse{Servers: servers, Peers: MakeServerInfos(ServerInformation{ServerID: 0x840fb314,
			Transport: Transport{Kind: ParamSCTPTransport, Port: 9901, Addrs: MakeAddrs(r2)}})},
			"06 00 0024 " + ids + " 000b 0018 840fb314 0004 0010 26ad 0000 0001 0008 0a63c802"},
		{"LIST_RESPONSE reject", &ListResponse{Reject: true, Servers: servers}, "06 01 000c " + ids},
		// §2.7-§2.9: the target's identifier after the servers.
		{"INIT_TAKEOVER", &InitTakeover{Servers: servers, Target: 0x01020304}, "07 00 0010 " + ids + " 01020304"},
		{"INIT_TAKEOVER_ACK", &InitTakeoverAck{Servers: servers, Target: 0x01020304}, "08 00 0010 " + ids + " 01020304"},
		{"TAKEOVER_SERVER", &TakeoverServer{Servers: servers, Target: 0x01020304}, "09 00 0010 " + ids + " 01020304"},
		// §2.10 (cause 6, Lack of Resources).
		{"ERROR", &ENRPError{Servers: servers, Error: NewOperationError(Cause{Code: CauseLackOfResources})},
			"0a 00 0014 " + ids + " 000c 0008 0006 0004"},
	} {
		want := hx(t, c.want)
		got := c.m.Append(nil)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: got %x\nwant %x", c.name, got, want)
			continue
		}
		m, err := DecodeMessage(ENRP, want)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !bytes.Equal(m.Append(nil), want) {
			t.Errorf("%s: decoded message re-encodes differently", c.name)
		}
	}
}

// TestENRPRoundTrips encodes every ENRP message with every parameter it
// can carry, and parameters of unknown types besides.
func TestENRPRoundTrips(t *testing.T) {
	u := unknownSkip()
	s := Servers{Sender: 1, Receiver: 2}
	si := ServerInformation{ServerID: 3, Transport: sctpTransport(DataOnly, 9901)}
	entries := AppendPoolEntry(nil, []byte("one"), samplePE(1), samplePE(2))
	entries = AppendPoolEntry(entries, []byte("two pools"), samplePE(3))
	for _, c := range []struct{ in, out Decoder }{
		{&Presence{ReplyRequired: true, Servers: s, Checksum: 0x1234, ServerInfo: si, Unrecognized: u}, &Presence{}},
		{&Presence{Servers: s}, &Presence{}},
		{&Presence{Servers: s, NoChecksum: true}, &Presence{}},
		{&Presence{Servers: s, NoChecksum: true, ServerInfo: si}, &Presence{}},
		{&HandleTableRequest{OwnChildrenOnly: true, Servers: s, Unrecognized: u}, &HandleTableRequest{}},
		{&HandleTableResponse{MoreToSend: true, Servers: s, Entries: MakePoolEntries(entries), Unrecognized: u}, &HandleTableResponse{}},
		{&HandleTableResponse{Reject: true, Servers: s, Unrecognized: u}, &HandleTableResponse{}},
		{&HandleUpdate{TakeoverSuggested: true, Servers: s, Action: DelPE, PoolHandle: []byte("pool"), PoolElement: samplePE(4), Unrecognized: u}, &HandleUpdate{}},
		{&HandleUpdate{Servers: s, Action: 0x1234, PoolHandle: []byte("pool"), PoolElement: samplePE(4)}, &HandleUpdate{}},
		{&ListRequest{Servers: s, Unrecognized: u}, &ListRequest{}},
		{&ListResponse{Servers: s, Peers: MakeServerInfos(si, si), Unrecognized: u}, &ListResponse{}},
		{&ListResponse{Reject: true, Servers: s}, &ListResponse{}},
		{&InitTakeover{Servers: s, Target: 9, Unrecognized: u}, &InitTakeover{}},
		{&InitTakeoverAck{Servers: s, Target: 9, Unrecognized: u}, &InitTakeoverAck{}},
		{&TakeoverServer{Servers: s, Target: 9, Unrecognized: u}, &TakeoverServer{}},
		{&ENRPError{Servers: s, Error: sampleOpError(), Unrecognized: u}, &ENRPError{}},
	} {
		roundTripMsg(t, c.in, c.out)
	}
}

func TestENRPDecodedFields(t *testing.T) {
	s := Servers{Sender: 1, Receiver: 2}
	entries := AppendPoolEntry(nil, []byte("one"), samplePE(1), samplePE(2))
	entries = AppendPoolEntry(entries, []byte("two pools"), samplePE(3))
	var htr HandleTableResponse
	roundTripMsg(t, &HandleTableResponse{MoreToSend: true, Servers: s, Entries: MakePoolEntries(entries)}, &htr)
	if !htr.MoreToSend || htr.Reject || htr.Servers != s || htr.Entries.Count() != 2 {
		t.Fatalf("decoded %+v", htr)
	}
	it := htr.Entries.Iter()
	var e PoolEntry
	var got []string
	for it.Next(&e) {
		pit := e.PoolElements.Iter()
		var pe PoolElement
		for pit.Next(&pe) {
			got = append(got, string(e.PoolHandle)+"/"+pe.ID.String())
		}
	}
	if it.Err() != nil || len(got) != 3 || got[0] != "one/0x00000001" || got[2] != "two pools/0x00000003" {
		t.Fatalf("entries %v %v", got, it.Err())
	}

	var p Presence
	roundTripMsg(t, &Presence{ReplyRequired: true, Servers: s, Checksum: 7}, &p)
	if !p.ReplyRequired || p.Servers != s || p.Checksum != 7 || p.NoChecksum || !p.ServerInfo.IsZero() {
		t.Fatalf("presence %+v", p)
	}
	// A PRESENCE without the checksum decodes (RFC 5353 §2.1: SHOULD)
	// and says so, to re-encode as it came.
	roundTripMsg(t, &Presence{Servers: s, NoChecksum: true}, &p)
	if !p.NoChecksum || p.Checksum != 0 {
		t.Fatalf("presence without checksum %+v", p)
	}
	var hu HandleUpdate
	roundTripMsg(t, &HandleUpdate{Servers: s, Action: 0x1234, PoolHandle: []byte("pool"), PoolElement: samplePE(4)}, &hu)
	if hu.Action != 0x1234 || hu.Action.String() != "update action 4660" || hu.PoolElement.ID != 4 || hu.TakeoverSuggested {
		t.Fatalf("update %+v", hu)
	}
	if AddPE.String() != "ADD_PE" || DelPE.String() != "DEL_PE" {
		t.Fatal("action names")
	}
	var lr ListResponse
	si := ServerInformation{ServerID: 3, Transport: sctpTransport(DataOnly, 9901)}
	roundTripMsg(t, &ListResponse{Servers: s, Peers: MakeServerInfos(si, si)}, &lr)
	sit := lr.Peers.Iter()
	var out ServerInformation
	n := 0
	for sit.Next(&out) {
		n++
		if out.ServerID != 3 || out.Transport.Port != 9901 {
			t.Fatalf("peer %+v", out)
		}
	}
	if n != 2 || lr.Peers.Count() != 2 || sit.Err() != nil {
		t.Fatalf("%d peers", n)
	}
	var it2 InitTakeoverAck
	roundTripMsg(t, &InitTakeoverAck{Servers: s, Target: 9}, &it2)
	if it2.Target != 9 || it2.Servers != s {
		t.Fatalf("ack %+v", it2)
	}
	// The reserved field of HANDLE_UPDATE is ignored on receipt.
	m, err := decodeHex(t, ENRP, "04 00 0040 00000001 00000002 0000 ffff"+poolHandle+
		"000a 0028 00000002 00000000 00000000 0005 0010 0050 0000 0001 0008 c0000201 0008 0008 00000001")
	if err != nil || m.(*HandleUpdate).Action != AddPE {
		t.Fatalf("reserved bits: %v", err)
	}
}

func TestENRPErrors(t *testing.T) {
	const (
		ids    = "00000001 00000002"
		peid   = "000e 0008 00000001"
		opErr  = "000c 0008 0009 0004"
		tcpPE  = "000a 0028 00000001 00000000 00000000 0005 0010 0050 0000 0001 0008 c0000201 0008 0008 00000001"
		sctp   = "0004 0010 26ad 0000 0001 0008 c0000201"
		sInfo  = "000b 0018 00000003" + sctp
		cksum  = "000f 0006 abcd 0000"
		update = "0000 0000"
	)
	for _, c := range []struct {
		in   string
		off  int
		rule string
	}{
		{"01 00 0014 " + ids + peid, 12, "unexpected PE Identifier parameter"},
		{"01 00 001c " + ids + cksum + cksum, 20, "second PE Checksum parameter"},
		{"01 00 0014 " + ids + "000b 0008 00000003", 12, "no SCTP transport"},
		{"01 00 0014 " + ids + "000f 0008 abcd 0000", 14, "length is not 6"},
		{"02 00 0014 " + ids + peid, 12, "unexpected PE Identifier parameter"},
		// §2.3: no entries when rejecting; each entry a handle and PEs.
		{"03 01 003c " + ids + poolHandle + tcpPE, 0, "pool entries in a rejecting response"},
		{"03 00 0034 " + ids + tcpPE, 12, "pool element before a pool handle"},
		{"03 00 0014 " + ids + poolHandle, 12, "pool handle without a pool element"},
		{"03 00 0044 " + ids + poolHandle + poolHandle + tcpPE, 12, "pool handle without a pool element"},
		{"03 00 0044 " + ids + poolHandle + tcpPE + poolHandle, 60, "pool handle without a pool element"},
		{"03 00 001c " + ids + poolHandle + opErr, 20, "unexpected Operation Error parameter"},
		{"03 00 003c " + ids + poolHandle + "000a 0028 00000001 00000000 00000000 0005 0010 0050 0000 0001 0008 c0000201 0008 0008 00000000",
			56, "policy type 0 is reserved as invalid"},
		{"04 00 0018 " + ids + update + poolHandle, 0, "no Pool Element parameter"},
		{"04 00 0038 " + ids + update + tcpPE, 0, "no Pool Handle parameter"},
		{"04 00 0048 " + ids + update + poolHandle + tcpPE + peid, 64, "unexpected PE Identifier parameter"},
		{"05 00 0014 " + ids + peid, 12, "unexpected PE Identifier parameter"},
		// §2.6: no Server Information when rejecting.
		{"06 01 0024 " + ids + sInfo, 0, "server information in a rejecting response"},
		{"06 00 0014 " + ids + peid, 12, "unexpected PE Identifier parameter"},
		{"06 00 0024 " + ids + "000b 0018 00000003 0005 0010 26ad 0000 0001 0008 c0000201", 20, "unexpected TCP Transport parameter"},
		{"07 00 0018 " + ids + "00000009" + peid, 16, "unexpected PE Identifier parameter"},
		{"08 00 0018 " + ids + "00000009" + opErr, 16, "unexpected Operation Error parameter"},
		{"09 00 0018 " + ids + "00000009" + poolHandle, 16, "unexpected Pool Handle parameter"},
		{"0a 00 000c " + ids, 0, "no Operation Error parameter"},
		{"0a 00 0014 " + ids + peid, 12, "unexpected PE Identifier parameter"},
	} {
		_, err := decodeHex(t, ENRP, c.in)
		wantParseError(t, err, c.off, c.rule)
	}
}

// TestPoolEntryIterErrors walks hand-built views that a decoder would
// refuse, to check the iterator stops and says why.
func TestPoolEntryIterErrors(t *testing.T) {
	bad := MakePoolEntries(hx(t, "0009 0008 706f6f6c 000a 0008 00000001"))
	it := bad.Iter()
	var e PoolEntry
	if !it.Next(&e) || it.Err() != nil {
		t.Fatalf("entry: %v", it.Err())
	}
	pit := e.PoolElements.Iter()
	var pe PoolElement
	if pit.Next(&pe) {
		t.Fatal("a malformed PE decoded")
	}
	wantParseError(t, pit.Err(), 10, "length below 16")
	trunc := MakePoolEntries(hx(t, "0009 0008 706f6f6c 000a 0030"))
	it = trunc.Iter()
	if it.Next(&e) {
		t.Fatal("truncated entry")
	}
	wantParseError(t, it.Err(), 10, "length runs past the end of the enclosing structure")
	if it.Next(&e) {
		t.Fatal("Next after an error")
	}
}
