package msg_test

import (
	"fmt"
	"net/netip"

	"github.com/rserpool/rserpool/asap/msg"
)

// A pool user asks its registrar for the pool elements of "EchoPool"; the
// registrar answers with one; the user walks the answer without
// allocating.
func Example_handleResolution() {
	// The pool user encodes the request into a reusable buffer and sends
	// it as one SCTP user message with PPID msg.PPIDASAP.
	buf := make([]byte, 0, 256)
	req := msg.HandleResolution{PoolHandle: []byte("EchoPool")}
	buf = req.Append(buf[:0])
	fmt.Printf("request: % x\n", buf)

	// The registrar decodes it...
	v, err := msg.ParseMessage(msg.ASAP, buf)
	if err != nil {
		panic(err)
	}
	var got msg.HandleResolution
	if err := got.Decode(v); err != nil {
		panic(err)
	}
	fmt.Printf("registrar: %v for %q\n", v.Type(), got.PoolHandle)

	// ...and answers.
	resp := msg.HandleResolutionResponse{
		PoolHandle: got.PoolHandle,
		Policy:     msg.Policy{Type: msg.PolicyRoundRobin},
		PoolElements: msg.MakePoolElements(msg.PoolElement{
			ID:               0x5297b1e4,
			HomeServer:       0xf15cc54b,
			RegistrationLife: 300,
			UserTransport: msg.Transport{
				Kind: msg.ParamSCTPTransport, Port: 5000, Use: msg.DataPlusControl,
				Addrs: msg.MakeAddrs(netip.MustParseAddr("192.0.2.11")),
			},
			Policy: msg.Policy{Type: msg.PolicyRoundRobin},
		}),
	}
	out, err := msg.Encode(nil, &resp)
	if err != nil {
		panic(err)
	}

	// The pool user decodes the response and walks its pool elements.
	m, err := msg.DecodeASAP(out)
	if err != nil {
		panic(err)
	}
	r := m.(*msg.HandleResolutionResponse)
	var pe msg.PoolElement
	it := r.PoolElements.Iter()
	for it.Next(&pe) {
		fmt.Printf("PE %v: %v port %d at %v, %v\n", pe.ID, pe.UserTransport.Kind, pe.UserTransport.Port,
			pe.UserTransport.Addrs.First(), pe.Policy.Type)
	}
	if err := it.Err(); err != nil {
		panic(err)
	}
	// Output:
	// request: 05 00 00 10 00 09 00 0c 45 63 68 6f 50 6f 6f 6c
	// registrar: ASAP_HANDLE_RESOLUTION for "EchoPool"
	// PE 0x5297b1e4: SCTP Transport port 5000 at 192.0.2.11, Round Robin
}
