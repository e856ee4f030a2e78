// Package asaptest is for the tests of commands that need a registrar: a
// minimal one over simnet, and the network and endpoints around it.
package asaptest

import (
	"context"
	"math/rand/v2"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/simnet"
)

// Registrar is the least of a registrar a command's test needs: it
// accepts registrations, answers handle resolutions with the pool
// elements registered (in the order they came), drops the ones
// reported unreachable or de-registered, and tells the test of each
// message.
type Registrar struct {
	ep  *sctp.Endpoint
	got chan msg.Message

	mu  sync.Mutex
	pes map[string][]msg.PoolElement
}

// RegistrarAddr is where StartRegistrar's registrar is.
var RegistrarAddr = netip.MustParseAddrPort("10.0.0.1:9899")

// NewNet is a simnet network with 1 ms links, closed by the test's cleanup.
func NewNet(t *testing.T) *simnet.Network {
	n := simnet.New(1)
	n.SetDefault(simnet.LinkConfig{Delay: time.Millisecond})
	t.Cleanup(func() { n.Close() })
	return n
}

// Endpoint is an SCTP endpoint on n at addr, closed by the test's cleanup.
func Endpoint(t *testing.T, n *simnet.Network, addr netip.AddrPort, port uint16, seed byte) *sctp.Endpoint {
	t.Helper()
	ep, err := sctp.NewEndpoint(n.Host(addr), port, &sctp.Config{Rand: rand.NewChaCha8([32]byte{seed})})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	return ep
}

// StartRegistrar runs a Registrar at RegistrarAddr on SCTP port 3863.
func StartRegistrar(t *testing.T, n *simnet.Network) *Registrar {
	r := &Registrar{ep: Endpoint(t, n, RegistrarAddr, msg.PortASAP, 99), got: make(chan msg.Message, 1024), pes: map[string][]msg.PoolElement{}}
	if err := r.ep.Listen(); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			a, err := r.ep.Accept(context.Background())
			if err != nil {
				return
			}
			go r.serve(a)
		}
	}()
	return r
}

func (r *Registrar) serve(a *sctp.Association) {
	ctx := context.Background()
	for {
		m, err := asap.ReadMessage(ctx, a)
		if err != nil {
			return
		}
		var reply msg.Message
		r.mu.Lock()
		switch m := m.(type) {
		case *msg.Registration:
			pe := m.PoolElement
			pe.HomeServer = 1
			h := string(m.PoolHandle)
			r.drop(h, pe.ID)
			// Keep a copy of the element: the message's bytes are not ours
			// to hold on to once the next one is read.
			b := pe.Append(nil)
			p, _ := msg.ParseParam(b)
			var own msg.PoolElement
			own.Decode(p)
			r.pes[h] = append(r.pes[h], own)
			reply = &msg.RegistrationResponse{PoolHandle: m.PoolHandle, ID: pe.ID}
		case *msg.Deregistration:
			r.drop(string(m.PoolHandle), m.ID)
			reply = &msg.DeregistrationResponse{PoolHandle: m.PoolHandle, ID: m.ID}
		case *msg.EndpointUnreachable:
			r.drop(string(m.PoolHandle), m.ID)
		case *msg.HandleResolution:
			resp := &msg.HandleResolutionResponse{PoolHandle: m.PoolHandle}
			if pes := r.pes[string(m.PoolHandle)]; len(pes) > 0 {
				resp.PoolElements = msg.MakePoolElements(pes...)
				resp.Policy = msg.Policy{Type: pes[0].Policy.Type}
			} else {
				resp.Error = msg.NewOperationError(msg.Cause{Code: msg.CauseUnknownPoolHandle})
			}
			reply = resp
		}
		r.mu.Unlock()
		if reply != nil {
			asap.WriteMessage(ctx, a, reply)
		}
		select {
		case r.got <- m:
		default:
		}
	}
}

func (r *Registrar) drop(handle string, id msg.PEID) {
	pes := r.pes[handle]
	for i, pe := range pes {
		if pe.ID == id {
			r.pes[handle] = append(pes[:i:i], pes[i+1:]...)
			return
		}
	}
}

// Await returns the next message of type T the registrar gets, within d.
func Await[T msg.Message](t *testing.T, r *Registrar, d time.Duration) T {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case m := <-r.got:
			if m, ok := m.(T); ok {
				return m
			}
		case <-deadline:
			var zero T
			t.Fatalf("registrar: no %T within %v", zero, d)
			return zero
		}
	}
}
