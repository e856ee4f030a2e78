package asap

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

var rr = msg.Policy{Type: msg.PolicyRoundRobin}

// RFC 5352 §3.3: Resolve asks the home registrar and returns the pool's
// elements; within stale_cache_value the cache answers (C4), after it
// the registrar is asked again (C2).
func TestPUResolveAndCache(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		reg.set(func(r *fakeRegistrar) {
			r.pools["EchoPool"] = []msg.PoolElement{poolElement(1, pe1Addr, rr), poolElement(2, pe2Addr, rr)}
		})
		pu := startPU(t, tn.endpoint(puAddr, 7000), PUConfig{Config: fastConfig(reg1Addr), Items: 5})
		ctx := context.Background()
		infos, err := pu.Resolve(ctx, "EchoPool")
		if err != nil {
			t.Fatal(err)
		}
		if len(infos) != 2 || infos[0].ID != 1 || infos[1].ID != 2 {
			t.Fatalf("resolved %v", infos)
		}
		i := infos[0]
		if i.Handle != "EchoPool" || i.Home != 0x1111 || i.Transport != msg.ParamSCTPTransport || i.Port != pePort ||
			len(i.Addrs) != 1 || i.Addrs[0] != pe1Addr.Addr() || i.Policy.Type != msg.PolicyRoundRobin {
			t.Errorf("info %+v", i)
		}
		if got := i.AddrPorts(9899); len(got) != 1 || got[0] != pe1Addr {
			t.Errorf("lower-layer addresses %v", got)
		}
		hr, _ := expect[*msg.HandleResolution](t, reg, time.Second)
		if !hr.HasItems || hr.Items != 5 || string(hr.PoolHandle) != "EchoPool" {
			t.Errorf("request %+v", hr)
		}
		time.Sleep(4 * time.Second)
		if _, err := pu.Resolve(ctx, "EchoPool"); err != nil {
			t.Fatal(err)
		}
		if n := reg.resolutions(); n != 1 {
			t.Errorf("%d requests within stale_cache_value, want 1", n)
		}
		time.Sleep(time.Second)
		if _, err := pu.Resolve(ctx, "EchoPool"); err != nil {
			t.Fatal(err)
		}
		if n := reg.resolutions(); n != 2 {
			t.Errorf("%d requests after stale_cache_value, want 2", n)
		}
		// Purge (§6.4) empties the cache at once.
		pu.Purge("EchoPool")
		if _, err := pu.Resolve(ctx, "EchoPool"); err != nil {
			t.Fatal(err)
		}
		if n := reg.resolutions(); n != 3 {
			t.Errorf("%d requests after the purge, want 3", n)
		}
	})
}

// Select follows the pool's policy over the cache: round robin takes
// the elements in turn without asking the registrar each time.
func TestPUSelectRoundRobin(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		reg.set(func(r *fakeRegistrar) {
			r.pools["EchoPool"] = []msg.PoolElement{poolElement(1, pe1Addr, rr), poolElement(2, pe2Addr, rr)}
		})
		pu := startPU(t, tn.endpoint(puAddr, 7000), PUConfig{Config: fastConfig(reg1Addr)})
		seen := map[msg.PEID]int{}
		for range 6 {
			i, err := pu.Select(context.Background(), "EchoPool")
			if err != nil {
				t.Fatal(err)
			}
			seen[i.ID]++
		}
		if seen[1] != 3 || seen[2] != 3 || reg.resolutions() != 1 {
			t.Errorf("selections %v after %d requests", seen, reg.resolutions())
		}
	})
}

// RFC 5352 §3.3: a pool the registrar does not know is an error that
// names the cause.
func TestPUUnknownPool(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		tn.registrar(reg1Addr, 0x1111)
		pu := startPU(t, tn.endpoint(puAddr, 7000), PUConfig{Config: fastConfig(reg1Addr)})
		_, err := pu.Resolve(context.Background(), "NoPool")
		if !errors.Is(err, ErrUnknownPoolHandle) {
			t.Errorf("Resolve: %v", err)
		}
		if _, err := pu.Select(context.Background(), "NoPool"); !errors.Is(err, ErrUnknownPoolHandle) {
			t.Errorf("Select: %v", err)
		}
	})
}

// RFC 5352 §3.7.2: when T1 expires the request is sent again to the home
// registrar and a server hunt starts in parallel; the registrar it finds
// answers, and becomes the home registrar.
func TestPURetransmitsAndFailsOver(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg1 := tn.registrar(reg1Addr, 0x1111)
		reg2 := tn.registrar(reg2Addr, 0x2222)
		reg1.set(func(r *fakeRegistrar) { r.silentResolve = true })
		reg2.set(func(r *fakeRegistrar) { r.pools["EchoPool"] = []msg.PoolElement{poolElement(1, pe1Addr, rr)} })
		cfg := PUConfig{Config: fastConfig(reg1Addr, reg2Addr)}
		cfg.MaxHuntAssocs = 1 // the first hunt finds reg1
		pu := startPU(t, tn.endpoint(puAddr, 7000), cfg)
		start := time.Now()
		infos, err := pu.Resolve(context.Background(), "EchoPool")
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		if len(infos) != 1 || infos[0].Home != 0x2222 {
			t.Errorf("resolved %v", infos)
		}
		if took < msg.T1ENRPRequest || took > msg.T1ENRPRequest+time.Second {
			t.Errorf("answered after %v, want just after T1", took)
		}
		if n := reg1.resolutions(); n != 2 {
			t.Errorf("first registrar got %d requests, want the request and its retransmission", n)
		}
		// The next request goes to the new home registrar at once.
		pu.Purge("EchoPool")
		start = time.Now()
		if _, err := pu.Resolve(context.Background(), "EchoPool"); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took > time.Second || reg1.resolutions() != 2 || reg2.resolutions() != 2 {
			t.Errorf("second request took %v; requests %d, %d", took, reg1.resolutions(), reg2.resolutions())
		}
	})
}

// RFC 5352 §3.7.2: after MAX-REQUEST-RETRANSMIT retransmissions the
// request fails; a stale cache entry is used then (§3.3 C3).
func TestPURequestTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		reg.set(func(r *fakeRegistrar) { r.pools["EchoPool"] = []msg.PoolElement{poolElement(1, pe1Addr, rr)} })
		pu := startPU(t, tn.endpoint(puAddr, 7000), PUConfig{Config: fastConfig(reg1Addr)})
		if _, err := pu.Resolve(context.Background(), "EchoPool"); err != nil {
			t.Fatal(err)
		}
		reg.set(func(r *fakeRegistrar) { r.silentResolve = true })

		start := time.Now()
		_, err := pu.Resolve(context.Background(), "OtherPool")
		if !errors.Is(err, ErrRequestTimeout) {
			t.Fatalf("Resolve: %v", err)
		}
		want := time.Duration(msg.MaxRequestRetrans+1) * msg.T1ENRPRequest
		if took := time.Since(start); took < want || took > want+time.Second {
			t.Errorf("failed after %v, want %v", took, want)
		}
		// EchoPool is stale by now; the cache answers for the silent
		// registrar.
		infos, err := pu.Resolve(context.Background(), "EchoPool")
		if err != nil || len(infos) != 1 {
			t.Errorf("stale resolution: %v %v", infos, err)
		}
	})
}

// RFC 5352 §3.6: a PU whose home association is lost hunts for another
// registrar at the next request.
func TestPURehuntsOnRegistrarLoss(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg1 := tn.registrar(reg1Addr, 0x1111)
		reg2 := tn.registrar(reg2Addr, 0x2222)
		for _, r := range []*fakeRegistrar{reg1, reg2} {
			r.set(func(r *fakeRegistrar) { r.pools["EchoPool"] = []msg.PoolElement{poolElement(1, pe1Addr, rr)} })
		}
		cfg := PUConfig{Config: fastConfig(reg1Addr, reg2Addr)}
		cfg.MaxHuntAssocs = 1
		pu := startPU(t, tn.endpoint(puAddr, 7000), cfg)
		infos, err := pu.Resolve(context.Background(), "EchoPool")
		if err != nil || infos[0].Home != 0x1111 {
			t.Fatal(infos, err)
		}
		reg1.ep.Close()
		time.Sleep(10 * time.Second)
		infos, err = pu.Resolve(context.Background(), "EchoPool")
		if err != nil || infos[0].Home != 0x2222 {
			t.Fatal(infos, err)
		}
	})
}

// RFC 5352 §3.5: ReportUnreachable sends ASAP_ENDPOINT_UNREACHABLE with
// the pool handle and PE identifier, and the PE leaves the cache, also
// when the registrar still lists it.
func TestPUReportUnreachable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		reg.set(func(r *fakeRegistrar) {
			r.pools["EchoPool"] = []msg.PoolElement{poolElement(1, pe1Addr, rr), poolElement(2, pe2Addr, rr)}
		})
		pu := startPU(t, tn.endpoint(puAddr, 7000), PUConfig{Config: fastConfig(reg1Addr)})
		ctx := context.Background()
		if _, err := pu.Resolve(ctx, "EchoPool"); err != nil {
			t.Fatal(err)
		}
		if err := pu.ReportUnreachable(ctx, "EchoPool", 1); err != nil {
			t.Fatal(err)
		}
		m, _ := expect[*msg.EndpointUnreachable](t, reg, time.Second)
		if string(m.PoolHandle) != "EchoPool" || m.ID != 1 {
			t.Errorf("report %q %v", m.PoolHandle, m.ID)
		}
		check := func(when string) {
			infos, err := pu.Resolve(ctx, "EchoPool")
			if err != nil || len(infos) != 1 || infos[0].ID != 2 {
				t.Errorf("%s: resolved %v %v", when, infos, err)
			}
			for range 3 {
				if i, err := pu.Select(ctx, "EchoPool"); err != nil || i.ID != 2 {
					t.Errorf("%s: selected %v %v", when, i, err)
				}
			}
		}
		check("from the cache")
		pu.Purge("EchoPool")
		check("from the registrar")
		// After stale_cache_value the registrar's word counts again.
		time.Sleep(6 * time.Second)
		if infos, err := pu.Resolve(ctx, "EchoPool"); err != nil || len(infos) != 2 {
			t.Errorf("later: resolved %v %v", infos, err)
		}
	})
}

// Dial tries the pool element the policy selects, and when it cannot be
// reached reports it unreachable and dials the next.
func TestPUDialFailsOver(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		// The dead PE has the higher priority: it is tried first.
		reg.set(func(r *fakeRegistrar) {
			r.pools["EchoPool"] = []msg.PoolElement{
				poolElement(1, deadAddr, msg.Policy{Type: msg.PolicyPriority, Priority: 10}),
				poolElement(2, pe2Addr, msg.Policy{Type: msg.PolicyPriority, Priority: 1}),
			}
		})
		live := tn.endpoint(pe2Addr, pePort)
		if err := live.Listen(); err != nil {
			t.Fatal(err)
		}
		pu := startPU(t, tn.endpoint(puAddr, 7000), PUConfig{Config: fastConfig(reg1Addr), DialTimeout: 3 * time.Second})
		start := time.Now()
		a, info, err := pu.Dial(context.Background(), "EchoPool")
		if err != nil {
			t.Fatal(err)
		}
		defer a.Abort("done")
		if info.ID != 2 || a.PeerPort() != pePort || a.RemoteAddrs()[0] != pe2Addr {
			t.Errorf("dialed %v at %v", info, a.RemoteAddrs())
		}
		if took := time.Since(start); took < 3*time.Second || took > 4*time.Second {
			t.Errorf("dialed after %v, want the dial timeout and a bit", took)
		}
		m, _ := expect[*msg.EndpointUnreachable](t, reg, time.Second)
		if m.ID != 1 {
			t.Errorf("reported %v", m.ID)
		}
		b, err := live.Accept(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		b.Abort("done")
	})
}

// Dial gives up after MaxDialAttempts with a *DialError.
func TestPUDialGivesUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		dead := []msg.PoolElement{}
		for i := range 5 {
			dead = append(dead, poolElement(msg.PEID(i+1), netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 9, 9, byte(i)}), 9899), rr))
		}
		reg.set(func(r *fakeRegistrar) { r.pools["EchoPool"] = dead })
		pu := startPU(t, tn.endpoint(puAddr, 7000), PUConfig{Config: fastConfig(reg1Addr), DialTimeout: time.Second, MaxDialAttempts: 3})
		_, _, err := pu.Dial(context.Background(), "EchoPool")
		var de *DialError
		if !errors.As(err, &de) || de.Attempts != 3 || !errors.Is(err, ErrNoPoolElement) {
			t.Fatalf("Dial: %v", err)
		}
		for range 3 {
			expect[*msg.EndpointUnreachable](t, reg, time.Second)
		}
	})
}

// Calls after Close fail with ErrClosed.
func TestPUClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		tn.registrar(reg1Addr, 0x1111)
		pu := startPU(t, tn.endpoint(puAddr, 7000), PUConfig{Config: fastConfig(reg1Addr)})
		pu.Close()
		if _, err := pu.Resolve(context.Background(), "EchoPool"); !errors.Is(err, ErrClosed) {
			t.Errorf("Resolve after Close: %v", err)
		}
	})
}

// A request whose caller gives up ends with the caller's error.
func TestPURequestContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		reg.set(func(r *fakeRegistrar) { r.silentResolve = true })
		pu := startPU(t, tn.endpoint(puAddr, 7000), PUConfig{Config: fastConfig(reg1Addr)})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if _, err := pu.Resolve(ctx, "EchoPool"); !isTimeout(err) {
			t.Errorf("Resolve: %v", err)
		}
	})
}
