package rsptest

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/udpencap"
)

// replyTimeout bounds the wait for one answer of the registrar.
const replyTimeout = 10 * time.Second

// endpoint opens an SCTP endpoint over UDP encapsulation at addr, port
// 9899, closed when the test ends.
func endpoint(t *testing.T, addr netip.Addr, port uint16) *sctp.Endpoint {
	t.Helper()
	conn, err := udpencap.Listen(udpencap.Config{Addrs: []netip.Addr{addr}, Port: encapPort})
	if err != nil {
		t.Fatalf("udpencap at %v: %v", addr, err)
	}
	ep, err := sctp.NewEndpoint(conn, port, nil)
	if err != nil {
		conn.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	return ep
}

// poolUser starts the library's pool user in the test process at addr,
// with r as its only registrar, asking for at most items pool elements
// per handle resolution (0: the registrar's default).
func poolUser(t *testing.T, addr netip.Addr, r *registrar, items uint32) *asap.PoolUser {
	t.Helper()
	ep := endpoint(t, addr, 5000)
	pu, err := asap.NewPoolUser(context.Background(), ep, asap.PUConfig{
		Config: asap.Config{Registrars: []netip.AddrPort{r.lower()}},
		Items:  items,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pu.Close() })
	return pu
}

// resolveNow asks the registrar, not the pool user's cache, for the
// pool and returns the elements in the registrar's order.
func resolveNow(t *testing.T, pu *asap.PoolUser, handle string) []asap.PoolElementInfo {
	t.Helper()
	pu.Purge(handle)
	ctx, cancel := context.WithTimeout(context.Background(), replyTimeout)
	defer cancel()
	infos, err := pu.Resolve(ctx, handle)
	if err != nil {
		t.Fatalf("resolving %q: %v", handle, err)
	}
	return infos
}

// rawClient speaks raw ASAP to a registrar on one association, so that
// a test controls every byte it sends. A goroutine reads: it
// acknowledges the registrar's keep-alives at once, as a live pool
// element does (RFC 5352 §3.4), and queues every other message.
type rawClient struct {
	t     *testing.T
	addr  netip.Addr
	port  uint16
	a     *sctp.Association
	inbox chan received
	acks  atomic.Int64 // keep-alives acknowledged
	wg    sync.WaitGroup
}

// received is a message the reader got, or why it did not decode.
type received struct {
	m   msg.Message
	err error
}

// dialRaw associates a client at addr with the registrar.
func dialRaw(t *testing.T, addr netip.Addr, r *registrar) *rawClient {
	t.Helper()
	const port = 5000
	ep := endpoint(t, addr, port)
	ctx, cancel := context.WithTimeout(context.Background(), replyTimeout)
	defer cancel()
	a, err := ep.Dial(ctx, []netip.AddrPort{r.lower()}, msg.PortASAP)
	if err != nil {
		t.Fatalf("dialing the registrar: %v", err)
	}
	c := &rawClient{t: t, addr: addr, port: port, a: a, inbox: make(chan received, 4096)}
	ctx, stop := context.WithCancel(context.Background())
	c.wg.Add(1)
	go c.read(ctx)
	// Registered after the endpoint's Close, so it runs before it: the
	// reader ends with its context, then the endpoint closes.
	t.Cleanup(func() {
		stop()
		c.wg.Wait()
	})
	return c
}

func (c *rawClient) read(ctx context.Context) {
	defer c.wg.Done()
	defer close(c.inbox)
	for {
		m, err := asap.ReadMessage(ctx, c.a)
		if err != nil {
			var nd *asap.NotASAPError
			if !errors.As(err, &nd) && !isDecodeError(err) {
				return
			}
			if !c.queue(ctx, received{err: err}) {
				return
			}
			continue
		}
		if ka, ok := m.(*msg.EndpointKeepAlive); ok {
			ack := &msg.EndpointKeepAliveAck{PoolHandle: append([]byte(nil), ka.PoolHandle...), ID: ka.ID}
			if asap.WriteMessage(ctx, c.a, ack) != nil {
				return
			}
			c.acks.Add(1)
			continue
		}
		if !c.queue(ctx, received{m: m}) {
			return
		}
	}
}

func (c *rawClient) queue(ctx context.Context, r received) bool {
	select {
	case c.inbox <- r:
		return true
	case <-ctx.Done():
		return false
	}
}

// isDecodeError tells a message that did not decode from the end of the
// association.
func isDecodeError(err error) bool {
	var pe *msg.ParseError
	var um *msg.UnrecognizedMessageError
	var up *msg.UnrecognizedParamError
	return errors.As(err, &pe) || errors.As(err, &um) || errors.As(err, &up)
}

// send writes one ASAP message.
func (c *rawClient) send(m msg.Message) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), replyTimeout)
	defer cancel()
	if err := asap.WriteMessage(ctx, c.a, m); err != nil {
		c.t.Fatalf("sending %v: %v", m.MessageType(), err)
	}
}

// sendRaw writes bytes as one message with the ASAP PPID, whatever
// they hold.
func (c *rawClient) sendRaw(b []byte) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), replyTimeout)
	defer cancel()
	if err := c.a.Send(ctx, sctp.Message{PPID: msg.PPIDASAP, Data: b}); err != nil {
		c.t.Fatalf("sending % x: %v", b[:min(len(b), 16)], err)
	}
}

// recv returns the next message other than a keep-alive.
func (c *rawClient) recv() msg.Message {
	c.t.Helper()
	select {
	case r, ok := <-c.inbox:
		if !ok {
			c.t.Fatalf("the association with the registrar ended: %v", c.a.Err())
		}
		if r.err != nil {
			c.t.Fatalf("the registrar sent what does not decode: %v", r.err)
		}
		return r.m
	case <-time.After(replyTimeout):
		c.t.Fatalf("no answer from the registrar within %v", replyTimeout)
	}
	return nil
}

// expect receives the next message and checks its type.
func expect[M msg.Message](c *rawClient) M {
	c.t.Helper()
	m := c.recv()
	v, ok := m.(M)
	if !ok {
		c.t.Fatalf("got %v %+v, want %T", m.MessageType(), m, v)
	}
	return v
}

// transport is the client's own user transport: its address and SCTP
// port, which a registrar requires of a registration (RFC 5352 §2.2.1).
func (c *rawClient) transport() msg.Transport {
	return msg.Transport{Kind: msg.ParamSCTPTransport, Port: c.port, Use: msg.DataOnly, Addrs: msg.MakeAddrs(c.addr)}
}

// pe is a Pool Element parameter for the client.
func (c *rawClient) pe(id msg.PEID, p msg.Policy, life int32) msg.PoolElement {
	return msg.PoolElement{ID: id, RegistrationLife: life, UserTransport: c.transport(), Policy: p}
}

// register sends a registration and returns the response.
func (c *rawClient) register(handle string, pe msg.PoolElement) *msg.RegistrationResponse {
	c.t.Helper()
	c.send(&msg.Registration{PoolHandle: []byte(handle), PoolElement: pe})
	resp := expect[*msg.RegistrationResponse](c)
	if string(resp.PoolHandle) != handle {
		c.t.Fatalf("registration response for %q, want %q", resp.PoolHandle, handle)
	}
	return resp
}

// resolve sends a handle resolution and returns the response.
func (c *rawClient) resolve(handle string) *msg.HandleResolutionResponse {
	c.t.Helper()
	c.send(&msg.HandleResolution{PoolHandle: []byte(handle)})
	return expect[*msg.HandleResolutionResponse](c)
}

// causes lists the cause codes of an Operation Error.
func causes(e msg.OperationError) []msg.CauseCode {
	var out []msg.CauseCode
	it := e.Causes.Iter()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		out = append(out, c.Code)
	}
	return out
}

// wantCause checks that an Operation Error holds exactly one cause, of
// code want, and returns it.
func wantCause(t *testing.T, e msg.OperationError, want msg.CauseCode) msg.Cause {
	t.Helper()
	c, ok := e.Causes.First()
	if !ok || e.Causes.Count() != 1 || c.Code != want {
		t.Fatalf("causes %v, want [%v]", causes(e), want)
	}
	return c
}
