package asap

import (
	"errors"
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

// The card survives the wire: order, addresses, ports and policy.
func TestBusinessCardRoundTrip(t *testing.T) {
	pe2 := poolElement(2, pe2Addr, rr)
	pe3 := poolElement(3, pe3Addr, rr)
	card := BusinessCard{Handle: "EchoPool", Order: []PoolElementInfo{infoFrom([]byte("EchoPool"), &pe3), infoFrom([]byte("EchoPool"), &pe2)}}
	b, err := msg.Encode(nil, card.message())
	if err != nil {
		t.Fatal(err)
	}
	m, err := msg.DecodeASAP(b)
	if err != nil {
		t.Fatal(err)
	}
	got := cardFrom(m.(*msg.BusinessCard))
	if got.Handle != "EchoPool" || len(got.Order) != 2 || got.Order[0].ID != 3 || got.Order[1].ID != 2 ||
		got.Order[0].Addrs[0] != pe3Addr.Addr() || got.Order[0].Port != pePort || got.Order[0].Transport != msg.ParamSCTPTransport {
		t.Errorf("card %+v", got)
	}
}

// A peer's card is cut at maxCardEntries.
func TestBusinessCardBounded(t *testing.T) {
	var order []PoolElementInfo
	for i := range maxCardEntries + 5 {
		pe := poolElement(msg.PEID(i+1), pe2Addr, rr)
		order = append(order, infoFrom([]byte("P"), &pe))
	}
	b, err := msg.Encode(nil, (&BusinessCard{Handle: "P", Order: order}).message())
	if err != nil {
		t.Fatal(err)
	}
	m, _ := msg.DecodeASAP(b)
	if got := cardFrom(m.(*msg.BusinessCard)); len(got.Order) != maxCardEntries {
		t.Errorf("%d entries kept", len(got.Order))
	}
}

// RFC 5352 §2.2.13: a card lists one or more pool elements.
func TestBusinessCardEmptyRefused(t *testing.T) {
	if err := WriteBusinessCard(t.Context(), nil, BusinessCard{Handle: "P"}); !errors.Is(err, ErrConfig) {
		t.Errorf("empty card: %v", err)
	}
}
