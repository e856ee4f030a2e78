package sctp_test

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/simnet"
)

// Two endpoints on an in-memory network: one listens, the other dials
// and sends a message on stream 1.
func Example() {
	ctx := context.Background()
	n := simnet.New(1)
	defer n.Close()
	clientAddr := netip.MustParseAddrPort("10.0.0.1:9899")
	serverAddr := netip.MustParseAddrPort("10.0.0.2:9899")

	server, err := sctp.NewEndpoint(n.Host(serverAddr), 5001, nil)
	if err != nil {
		panic(err)
	}
	defer server.Close()
	if err := server.Listen(); err != nil {
		panic(err)
	}
	client, err := sctp.NewEndpoint(n.Host(clientAddr), 5000, nil)
	if err != nil {
		panic(err)
	}
	defer client.Close()

	a, err := client.Dial(ctx, []netip.AddrPort{serverAddr}, server.Port())
	if err != nil {
		panic(err)
	}
	if err := a.Send(ctx, sctp.Message{Stream: 1, PPID: 51, Data: []byte("hello")}); err != nil {
		panic(err)
	}

	b, err := server.Accept(ctx)
	if err != nil {
		panic(err)
	}
	m, err := b.Receive(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Printf("stream %d ppid %d: %s\n", m.Stream, m.PPID, m.Data)

	if err := a.Shutdown(ctx); err != nil {
		panic(err)
	}
	_, err = b.Receive(ctx)
	fmt.Println(err)
	// Output:
	// stream 1 ppid 51: hello
	// EOF
}
