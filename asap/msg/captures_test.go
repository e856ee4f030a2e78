package msg_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/sctp/wire"
)

// capMsg is one ASAP or ENRP message found in a capture.
type capMsg struct {
	where string // file and frame, for messages
	file  string
	frame int
	proto msg.Protocol
	udp   bool   // came in a UDP datagram rather than SCTP DATA
	b     []byte // the user message or datagram payload
}

// fragKey identifies a user message being reassembled: fragments of one
// message share the direction and the stream (RFC 9260 §6.9).
type fragKey struct {
	src, dst netip.AddrPort
	stream   wire.StreamID
	ppid     wire.PPID
}

type tsnKey struct {
	src, dst netip.AddrPort
	tsn      wire.TSN
}

// captureMessages returns every ASAP and ENRP message of the reference
// captures: the user messages of SCTP DATA chunks with PPID 11 or 12
// (fragments reassembled by their B and E flags, retransmissions dropped
// by TSN) and the UDP datagrams to or from ports 3863 and 9901.
func captureMessages(t testing.TB) []capMsg {
	t.Helper()
	var out []capMsg
	for _, path := range pcaptest.Captures(t) {
		file := filepath.Base(path)
		pkts, err := pcaptest.ReadSCTP(path)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		partial := map[fragKey][]byte{}
		seenTSN := map[tsnKey]bool{}
		for _, p := range pkts {
			pkt, err := wire.ParsePacket(p.SCTP)
			if err != nil {
				t.Fatalf("%s frame %d: %v", file, p.Index, err)
			}
			it := pkt.Chunks()
			for c, ok := it.Next(); ok; c, ok = it.Next() {
				if c.Type() != wire.ChunkData {
					continue
				}
				var d wire.Data
				if err := d.Decode(c); err != nil {
					t.Fatalf("%s frame %d: %v", file, p.Index, err)
				}
				var proto msg.Protocol
				switch uint32(d.PPID) {
				case msg.PPIDASAP:
					proto = msg.ASAP
				case msg.PPIDENRP:
					proto = msg.ENRP
				default:
					continue
				}
				tk := tsnKey{p.Src, p.Dst, d.TSN}
				if seenTSN[tk] {
					continue // a retransmission
				}
				seenTSN[tk] = true
				k := fragKey{p.Src, p.Dst, d.Stream, d.PPID}
				if d.Beginning {
					partial[k] = nil
				}
				partial[k] = append(partial[k], d.UserData...)
				if !d.Ending {
					continue
				}
				out = append(out, capMsg{
					where: fmt.Sprintf("%s frame %d", file, p.Index),
					file:  file, frame: p.Index, proto: proto, b: partial[k],
				})
				delete(partial, k)
			}
		}
		if len(partial) != 0 {
			t.Fatalf("%s: %d user messages not completed", file, len(partial))
		}
		for _, u := range []struct {
			port  uint16
			proto msg.Protocol
		}{{msg.PortASAP, msg.ASAP}, {msg.PortENRP, msg.ENRP}} {
			ds, err := pcaptest.ReadUDP(path, u.port)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			for _, d := range ds {
				out = append(out, capMsg{
					where: fmt.Sprintf("%s frame %d (UDP)", file, d.Index),
					file:  file, frame: d.Index, proto: u.proto, udp: true, b: d.Payload,
				})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].file != out[j].file {
			return out[i].file < out[j].file
		}
		return out[i].frame < out[j].frame
	})
	return out
}

// TestCaptureMessages decodes every ASAP and ENRP message recorded from
// rsplib 3.4.4, over SCTP and over UDP multicast, checks that each
// re-encodes to the very bytes on the wire, and that every message type
// the recordings hold was met.
func TestCaptureMessages(t *testing.T) {
	msgs := captureMessages(t)
	seen := map[msg.MessageType]int{}
	udp := map[msg.MessageType]int{}
	for _, c := range msgs {
		m, err := msg.DecodeMessage(c.proto, c.b)
		if err != nil {
			t.Fatalf("%s: %v\n%x", c.where, err, c.b)
		}
		if got := m.Append(nil); !bytes.Equal(got, c.b) {
			t.Fatalf("%s: %v re-encodes differently\nwire %x\n got %x", c.where, m.MessageType(), c.b, got)
		}
		seen[m.MessageType()]++
		if c.udp {
			udp[m.MessageType()]++
		}
	}
	t.Logf("%d messages: %v; over UDP: %v", len(msgs), seen, udp)
	// What the recordings hold (tshark agrees, see TestTsharkAgreesOnCaptures).
	for _, mt := range []msg.MessageType{
		msg.ASAPRegistration, msg.ASAPDeregistration, msg.ASAPRegistrationResponse,
		msg.ASAPDeregistrationResponse, msg.ASAPHandleResolution, msg.ASAPHandleResolutionResponse,
		msg.ASAPEndpointKeepAlive, msg.ASAPEndpointKeepAliveAck, msg.ASAPServerAnnounce,
		msg.ENRPPresence, msg.ENRPHandleTableRequest, msg.ENRPHandleTableResponse,
		msg.ENRPHandleUpdate, msg.ENRPListRequest, msg.ENRPListResponse,
	} {
		if seen[mt] == 0 {
			t.Errorf("no %v in the captures", mt)
		}
	}
	if udp[msg.ASAPServerAnnounce] == 0 || udp[msg.ENRPPresence] == 0 {
		t.Errorf("no multicast announcements over UDP: %v", udp)
	}
}

// TestCaptureRsplibForms pins down the rsplib encodings the codec accepts
// where they go beyond the RFCs: the PE Identifier in keep-alives, the
// Handle Resolution Option, registration lifetimes in milliseconds, and
// the reply-required flag of PRESENCE.
func TestCaptureRsplibForms(t *testing.T) {
	var keepAliveID, hrOption, replyRequired, lifeMS int
	for _, c := range captureMessages(t) {
		m, err := msg.DecodeMessage(c.proto, c.b)
		if err != nil {
			t.Fatalf("%s: %v", c.where, err)
		}
		switch m := m.(type) {
		case *msg.EndpointKeepAlive:
			if m.HasID {
				keepAliveID++
			}
		case *msg.HandleResolution:
			if m.HasItems {
				hrOption++
			}
		case *msg.Presence:
			if m.ReplyRequired {
				replyRequired++
			}
		case *msg.Registration:
			if m.PoolElement.RegistrationLife == 90000 {
				lifeMS++
			}
		}
	}
	if keepAliveID == 0 || hrOption == 0 || replyRequired == 0 || lifeMS == 0 {
		t.Fatalf("rsplib forms: keep-alive PE id %d, handle resolution option %d, reply required %d, 90000 ms lifetimes %d",
			keepAliveID, hrOption, replyRequired, lifeMS)
	}
}

// TestCapturePEChecksums checks the PE checksum of every ENRP_PRESENCE
// against RFC 5353 §3.6.2 computed over the PEs its sender owns. Where
// registrars peer, the ENRP_HANDLE_UPDATEs say which PEs each one owns at
// each moment. Where a lone registrar has no peer to update, the PEs come
// from its handle resolution responses (their home server field), and its
// PRESENCE must carry either their checksum or, before they registered,
// the empty handlespace's 0xffff.
func TestCapturePEChecksums(t *testing.T) {
	type pe struct {
		handle string
		id     msg.PEID
	}
	type owner struct {
		file string
		home msg.ServerID
	}
	msgs := captureMessages(t)
	decoded := make([]msg.Message, len(msgs))
	updated := map[owner]bool{}  // owners seen in handle updates
	resolved := map[owner][]pe{} // PEs seen in handle resolution responses
	for i, c := range msgs {
		m, err := msg.DecodeMessage(c.proto, c.b)
		if err != nil {
			t.Fatalf("%s: %v", c.where, err)
		}
		decoded[i] = m
		switch m := m.(type) {
		case *msg.HandleUpdate:
			updated[owner{c.file, m.PoolElement.HomeServer}] = true
		case *msg.HandleResolutionResponse:
			var e msg.PoolElement
			it := m.PoolElements.Iter()
			for it.Next(&e) {
				o := owner{c.file, e.HomeServer}
				resolved[o] = append(resolved[o], pe{string(m.PoolHandle), e.ID})
			}
		}
	}
	owned := map[owner]map[pe]bool{}
	checked, nonEmpty := 0, 0
	for i, c := range msgs {
		switch m := decoded[i].(type) {
		case *msg.HandleUpdate:
			o := owner{c.file, m.PoolElement.HomeServer}
			if owned[o] == nil {
				owned[o] = map[pe]bool{}
			}
			k := pe{string(m.PoolHandle), m.PoolElement.ID}
			switch m.Action {
			case msg.AddPE:
				owned[o][k] = true
			case msg.DelPE:
				delete(owned[o], k)
			}
		case *msg.Presence:
			if m.NoChecksum {
				continue
			}
			o := owner{c.file, m.Sender}
			var sum msg.PEChecksum
			for k := range owned[o] {
				sum.Add([]byte(k.handle), k.id)
			}
			want := []uint16{sum.Value()}
			if !updated[o] {
				var all msg.PEChecksum
				for _, k := range resolved[o] {
					all.Add([]byte(k.handle), k.id)
				}
				want = append(want, all.Value())
			}
			if !slices.Contains(want, m.Checksum) {
				t.Errorf("%s: PRESENCE of %v carries PE checksum %#04x, its PEs give %#04x", c.where, m.Sender, m.Checksum, want)
			}
			checked++
			if m.Checksum != 0xffff {
				nonEmpty++
			}
		}
	}
	if checked == 0 || nonEmpty == 0 {
		t.Fatalf("checked %d PRESENCE checksums, %d of a non-empty handlespace", checked, nonEmpty)
	}
	t.Logf("%d PE checksums checked, %d over owned PEs", checked, nonEmpty)
}
