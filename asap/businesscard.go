package asap

import (
	"context"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// BusinessCard is what an ASAP_BUSINESS_CARD says (RFC 5352 §2.2.13,
// §3.9): the sender's pool handle and the pool elements its peer should
// fail over to, best first. A PE sends its own to each pool user; a pool
// user that is also a PE sends its own to the PEs it uses, so that they
// learn its pool.
type BusinessCard struct {
	Handle string
	Order  []PoolElementInfo
}

// maxCardEntries bounds the failover order kept from a peer's card: the
// pool user tries them one after the other at a failover, and a peer
// should not make it hold, or try, more.
const maxCardEntries = 32

// message builds the ASAP message. Entries without an SCTP or other
// transport address cannot be written and are left out.
func (c *BusinessCard) message() *msg.BusinessCard {
	pes := make([]msg.PoolElement, 0, len(c.Order))
	for _, i := range c.Order {
		kind := i.Transport
		if kind == 0 {
			kind = msg.ParamSCTPTransport
		}
		pes = append(pes, msg.PoolElement{
			ID:               i.ID,
			HomeServer:       i.Home,
			RegistrationLife: i.Lifetime,
			UserTransport:    msg.Transport{Kind: kind, Port: i.Port, Use: i.Use, Addrs: msg.MakeAddrs(i.Addrs...)},
			Policy:           orRoundRobin(i.Policy),
		})
	}
	return &msg.BusinessCard{PoolHandle: []byte(c.Handle), PoolElements: msg.MakePoolElements(pes...)}
}

func orRoundRobin(p msg.Policy) msg.Policy {
	if p.IsZero() {
		return msg.Policy{Type: msg.PolicyRoundRobin}
	}
	return p
}

// cardFrom copies a received card, at most maxCardEntries entries; it
// owns its bytes.
func cardFrom(m *msg.BusinessCard) BusinessCard {
	c := BusinessCard{Handle: string(m.PoolHandle)}
	var pe msg.PoolElement
	it := m.PoolElements.Iter()
	for it.Next(&pe) && len(c.Order) < maxCardEntries {
		c.Order = append(c.Order, infoFrom(m.PoolHandle, &pe))
	}
	return c
}

// WriteBusinessCard sends card on a's control channel (RFC 5352 §3.9):
// one ASAP_BUSINESS_CARD with the ASAP PPID. A card needs at least one
// pool element (RFC 5352 §2.2.13); Encode refuses an empty one.
func WriteBusinessCard(ctx context.Context, a *sctp.Association, card BusinessCard) error {
	if err := checkHandle(card.Handle); err != nil {
		return err
	}
	if len(card.Order) == 0 {
		return &ConfigError{Field: "business card", Rule: "no pool element in the failover order (RFC 5352 §2.2.13)"}
	}
	return WriteMessage(ctx, a, card.message())
}
