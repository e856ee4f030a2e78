package rserpool

import (
	"context"
	"errors"
	"net/netip"
	"sync"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/udpencap"
)

// EncapPort is the UDP encapsulation port of every endpoint (RFC 6951
// §5.1); each has its own loopback address.
const EncapPort = 9899

// clientPort is the SCTP port of the load generator's endpoints.
const clientPort = 5000

// client is one association of the load generator with the registrar.
// A reader acknowledges the registrar's keep-alives, as a pool element
// must (RFC 5352 §3.4), and queues the other messages on in.
type client struct {
	addr netip.Addr
	ep   *sctp.Endpoint
	a    *sctp.Association
	in   chan msg.Message
	quit chan struct{}
	wg   sync.WaitGroup

	mu  sync.Mutex
	err error // why the reader ended
}

// dial opens an endpoint at addr and associates it with the registrar.
func dial(ctx context.Context, addr netip.Addr, registrar netip.AddrPort) (*client, error) {
	conn, err := udpencap.Listen(udpencap.Config{Addrs: []netip.Addr{addr}, Port: EncapPort})
	if err != nil {
		return nil, err
	}
	ep, err := sctp.NewEndpoint(conn, clientPort, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	a, err := ep.Dial(ctx, []netip.AddrPort{registrar}, msg.PortASAP)
	if err != nil {
		ep.Close()
		return nil, err
	}
	c := &client{addr: addr, ep: ep, a: a, in: make(chan msg.Message, 1024), quit: make(chan struct{})}
	c.wg.Add(1)
	go c.read()
	return c, nil
}

// dialAll associates one client per address, parallel at most at
// once.
func dialAll(ctx context.Context, addrs []netip.Addr, registrar netip.AddrPort, parallel int) ([]*client, error) {
	clients := make([]*client, len(addrs))
	errs := make([]error, len(addrs))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, addr := range addrs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			clients[i], errs[i] = dial(ctx, addr, registrar)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		closeAll(clients)
		return nil, err
	}
	return clients, nil
}

func closeAll(clients []*client) {
	for _, c := range clients {
		if c != nil {
			c.close()
		}
	}
}

func (c *client) read() {
	defer c.wg.Done()
	defer close(c.in)
	ctx := context.Background()
	for {
		m, err := asap.ReadMessage(ctx, c.a)
		if err != nil {
			c.mu.Lock()
			c.err = err
			c.mu.Unlock()
			return
		}
		if ka, ok := m.(*msg.EndpointKeepAlive); ok {
			ack := &msg.EndpointKeepAliveAck{PoolHandle: ka.PoolHandle, ID: ka.ID}
			if asap.WriteMessage(ctx, c.a, ack) != nil {
				return
			}
			continue
		}
		select {
		case c.in <- m:
		case <-c.quit:
			return
		}
	}
}

// next returns the next message from the registrar.
func (c *client) next(ctx context.Context) (msg.Message, error) {
	select {
	case m, ok := <-c.in:
		if !ok {
			c.mu.Lock()
			defer c.mu.Unlock()
			return nil, errors.Join(errors.New("association with the registrar ended"), c.err)
		}
		return m, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// close aborts the association and waits for the reader.
func (c *client) close() {
	close(c.quit)
	c.ep.Close()
	c.wg.Wait()
}

// transport is the client's user transport: a registrar takes only the
// association's own addresses (RFC 5352 §2.2.1).
func (c *client) transport() msg.Transport {
	return msg.Transport{Kind: msg.ParamSCTPTransport, Port: clientPort, Use: msg.DataOnly, Addrs: msg.MakeAddrs(c.addr)}
}
