package asap

import (
	"errors"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// The zero Config has every default of RFC 5352 §7.
func TestConfigDefaults(t *testing.T) {
	c, err := Config{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		RegistrarPort: 3863, EncapPort: 9899, MaxAnnounced: DefaultMaxAnnounced,
		T1ENRPRequest: 15 * time.Second, T2Registration: 30 * time.Second, T3Deregistration: 30 * time.Second,
		T4Reregistration: 10 * time.Minute, T5ServerHunt: 10 * time.Second, T6ServerAnnounce: time.Second,
		T7ENRPOutdate: 5 * time.Second, RetranMax: 60 * time.Second, MaxRegAttempt: 2, MaxRequestRetransmit: 2,
		StaleCacheValue: 5 * time.Second, MaxHuntAssocs: 3,
	}
	c.Logger, c.Registrars = nil, nil
	if !reflect.DeepEqual(c, want) {
		t.Errorf("defaults\n got %+v\nwant %+v", c, want)
	}
}

func TestConfigRefused(t *testing.T) {
	for _, c := range []Config{
		{T2Registration: -time.Second},
		{StaleCacheValue: -1},
		{MaxRegAttempt: -1},
		{MaxHuntAssocs: 4}, // RFC 5352 §3.6 SH1
		{Registrars: []netip.AddrPort{{}}},
		{Registrars: []netip.AddrPort{netip.MustParseAddrPort("0.0.0.0:9899")}},
	} {
		if _, err := c.withDefaults(); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: %v", c, err)
		}
	}
}

// RETRAN-MAX is at least the timers it caps.
func TestConfigRetranMaxFloor(t *testing.T) {
	c, err := Config{T5ServerHunt: 2 * time.Minute}.withDefaults()
	if err != nil || c.RetranMax != 2*time.Minute {
		t.Errorf("RetranMax %v, %v", c.RetranMax, err)
	}
}

func TestBackoff(t *testing.T) {
	for _, c := range []struct {
		n    int
		want time.Duration
	}{{0, 10 * time.Second}, {1, 20 * time.Second}, {2, 40 * time.Second}, {3, 60 * time.Second}, {40, 60 * time.Second}} {
		if got := backoff(10*time.Second, 60*time.Second, c.n); got != c.want {
			t.Errorf("backoff(%d) = %v, want %v", c.n, got, c.want)
		}
	}
}

func TestOperationFailedError(t *testing.T) {
	oe := msg.NewOperationError(msg.Cause{Code: msg.CauseUnknownPoolHandle}, msg.Cause{Code: msg.CauseLackOfResources})
	err := refusal("handle resolution", []byte("Pool\x01"), &oe)
	if got, want := err.Error(), `asap: handle resolution of pool "Pool\x01" refused: Unknown Pool Handle, Lack of Resources`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if !errors.Is(err, ErrUnknownPoolHandle) {
		t.Error("does not match ErrUnknownPoolHandle")
	}
	oe = msg.NewOperationError(msg.Cause{Code: msg.CauseLackOfResources})
	if errors.Is(refusal("registration", []byte("p"), &oe), ErrUnknownPoolHandle) {
		t.Error("matches ErrUnknownPoolHandle without the cause")
	}
}
