package main

import (
	"bytes"
	"slices"
	"testing"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
)

// The card's order is the ring of identifiers from the one after self,
// without self, at most maxCardOrder long.
func TestFailoverOrder(t *testing.T) {
	pool := func(ids ...msg.PEID) []asap.PoolElementInfo {
		var out []asap.PoolElementInfo
		for _, id := range ids {
			out = append(out, asap.PoolElementInfo{ID: id})
		}
		return out
	}
	ids := func(infos []asap.PoolElementInfo) []msg.PEID {
		var out []msg.PEID
		for _, i := range infos {
			out = append(out, i.ID)
		}
		return out
	}
	for _, c := range []struct {
		pool []asap.PoolElementInfo
		self msg.PEID
		want []msg.PEID
	}{
		{pool(1, 3, 2), 1, []msg.PEID{2, 3}},
		{pool(5, 1, 9, 7), 7, []msg.PEID{9, 1, 5}},
		{pool(4), 4, nil},
		{pool(4), 8, []msg.PEID{4}},
	} {
		if got := ids(failoverOrder(c.pool, c.self)); !slices.Equal(got, c.want) {
			t.Errorf("pool %v, self %v: order %v, want %v", ids(c.pool), c.self, got, c.want)
		}
	}
	var big []msg.PEID
	for i := range msg.PEID(40) {
		big = append(big, i+1)
	}
	if got := failoverOrder(pool(big...), 1); len(got) != maxCardOrder || got[0].ID != 2 {
		t.Errorf("order of 40: %v", ids(got))
	}
}

func TestParseArgsBusinessCard(t *testing.T) {
	var stderr bytes.Buffer
	o, _, ok := parseArgs([]string{"-pingpong"}, &stderr)
	if !ok || !o.businessCard || o.cardRefresh <= 0 {
		t.Errorf("defaults: %+v", o)
	}
	o, _, ok = parseArgs([]string{"-pingpong", "-business-card=false", "-card-refresh", "2s"}, &stderr)
	if !ok || o.businessCard || o.cardRefresh.Seconds() != 2 {
		t.Errorf("options: %+v", o)
	}
	if _, status, ok := parseArgs([]string{"-card-refresh", "0"}, &stderr); ok || status != 2 {
		t.Errorf("-card-refresh 0: ok %v status %d", ok, status)
	}
}
