package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/rserpool/rserpool/enrp"
)

var t0 = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

func sampleDump() enrp.Dump {
	return enrp.Dump{
		ServerID: 0x5ee5e001,
		Time:     t0,
		Stats:    enrp.Stats{Pools: 2, PoolElements: 3, Owned: 2, Associations: 2},
		Pools: []enrp.PoolInfo{
			{Handle: "EchoPool", HandleHex: "4563686f506f6f6c", Policy: "Weighted Random", Elements: []enrp.ElementInfo{
				{ID: 0x1001, Home: 0x5ee5e001, Expires: t0.Add(299 * time.Second), Owned: true, Connected: true,
					Policy:        enrp.PolicyInfo{Name: "Weighted Random", Weight: 5},
					UserTransport: enrp.TransportInfo{Kind: "SCTP Transport", Port: 7000, Use: "data plus control", Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("127.0.0.3")}}},
				{ID: 0x1002, Home: 0x77777777, Policy: enrp.PolicyInfo{Name: "Weighted Random", Weight: 1},
					UserTransport: enrp.TransportInfo{Kind: "TCP Transport", Port: 80, Addrs: []netip.Addr{netip.MustParseAddr("::1")}}},
			}},
			{Handle: "\xff", HandleHex: "ff", Policy: "Round Robin", Elements: []enrp.ElementInfo{
				{ID: 7, Home: 0x5ee5e001, Owned: true, AwaitingAck: true, UnreachableReports: 2, Expires: t0.Add(time.Hour),
					Policy: enrp.PolicyInfo{Name: "Round Robin"}, UserTransport: enrp.TransportInfo{Kind: "Opaque Transport", Opaque: []byte{1, 2}}},
			}},
		},
	}
}

func TestTable(t *testing.T) {
	var b bytes.Buffer
	if err := writeTable(&b, sampleDump()); err != nil {
		t.Fatal(err)
	}
	want := `registrar 0x5ee5e001 at 2024-01-02T03:04:05Z: 2 pools, 3 pool elements (2 owned), 2 associations

POOL      PE          HOME        TRANSPORT                ADDRESSES            POLICY                      EXPIRES  STATE
EchoPool  0x00001001  0x5ee5e001  SCTP port 7000 +control  127.0.0.2,127.0.0.3  Weighted Random (weight 5)  4m59s    owned
EchoPool  0x00001002  0x77777777  TCP port 80              ::1                  Weighted Random (weight 1)  never    peer's
\xff      0x00000007  0x5ee5e001  Opaque                   0102                 Round Robin                 1h0m0s   owned, no association, keep-alive out, 2 unreachable reports
`
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	b.Reset()
	writeTable(&b, enrp.Dump{ServerID: 1, Time: t0})
	if !strings.HasSuffix(b.String(), "no pools\n") {
		t.Errorf("empty handlespace: %q", b.String())
	}
}

// hsdump reads the registrar's endpoint and prints the table, or the
// JSON as it came with -json.
func TestRunAgainstServer(t *testing.T) {
	d := sampleDump()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/handlespace" {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(d)
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")

	var out, errb bytes.Buffer
	if s := run(context.Background(), options{addr: addr, timeout: time.Second}, &out, &errb); s != 0 {
		t.Fatalf("status %d: %s", s, errb.String())
	}
	if !strings.Contains(out.String(), "EchoPool  0x00001001") {
		t.Errorf("table:\n%s", out.String())
	}

	out.Reset()
	if s := run(context.Background(), options{addr: addr, json: true, timeout: time.Second}, &out, &errb); s != 0 {
		t.Fatalf("status %d: %s", s, errb.String())
	}
	var back enrp.Dump
	if err := json.Unmarshal(out.Bytes(), &back); err != nil || back.ServerID != d.ServerID || len(back.Pools) != 2 ||
		back.Pools[1].HandleHex != "ff" || back.Pools[0].Elements[0].UserTransport.Addrs[1] != d.Pools[0].Elements[0].UserTransport.Addrs[1] {
		t.Fatalf("JSON %v: %+v", err, back)
	}

	errb.Reset()
	if s := run(context.Background(), options{addr: srv.URL + "/elsewhere", timeout: time.Second}, io.Discard, &errb); s != 1 || !strings.Contains(errb.String(), "404") {
		t.Errorf("wrong path: status %d, %q", s, errb.String())
	}
}

func TestParseArgs(t *testing.T) {
	opts, _, ok := parseArgs([]string{"-addr", "127.0.0.5:8863", "-json"}, io.Discard)
	if !ok || opts.url() != "http://127.0.0.5:8863/handlespace" || !opts.json {
		t.Fatalf("%+v", opts)
	}
	if opts, _, _ := parseArgs([]string{"-addr", "http://h/x"}, io.Discard); opts.url() != "http://h/x" {
		t.Fatalf("URL: %s", opts.url())
	}
	if _, status, ok := parseArgs([]string{"extra"}, io.Discard); ok || status != 2 {
		t.Fatal("extra argument accepted")
	}
}
