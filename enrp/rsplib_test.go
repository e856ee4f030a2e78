package enrp

import (
	"bytes"
	"context"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// Messages of rsplib 3.4.4 taken from the reference capture
// rsplib-asap-enrp-encap9899.pcap (frames 40, 44, 86, 119 and 121): an
// rspserver registers with the registrar 0xfcffc723 and acknowledges its
// keep-alive, an rspterminal resolves the pool.
var (
	// Frame 40: ASAP_REGISTRATION of EchoPool/0x50d62a7d from
	// 10.99.200.11, life 90000 (rsplib's milliseconds).
	rsplibRegistration = []byte{
		0x01, 0x00, 0x00, 0x38, 0x00, 0x09, 0x00, 0x0c, 'E', 'c', 'h', 'o', 'P', 'o', 'o', 'l',
		0x00, 0x0a, 0x00, 0x28, 0x50, 0xd6, 0x2a, 0x7d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x5f, 0x90,
		0x00, 0x04, 0x00, 0x10, 0xa9, 0x12, 0x00, 0x01, 0x00, 0x01, 0x00, 0x08, 0x0a, 0x63, 0xc8, 0x0b,
		0x00, 0x08, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01,
	}
	// Frame 44: rsplib's registrar grants it.
	rsplibRegistrationResponse = []byte{
		0x03, 0x00, 0x00, 0x18, 0x00, 0x09, 0x00, 0x0c, 'E', 'c', 'h', 'o', 'P', 'o', 'o', 'l',
		0x00, 0x0e, 0x00, 0x08, 0x50, 0xd6, 0x2a, 0x7d,
	}
	// Frame 86: the PE's ASAP_ENDPOINT_KEEP_ALIVE_ACK.
	rsplibKeepAliveAck = []byte{
		0x08, 0x00, 0x00, 0x18, 0x00, 0x09, 0x00, 0x0c, 'E', 'c', 'h', 'o', 'P', 'o', 'o', 'l',
		0x00, 0x0e, 0x00, 0x08, 0x50, 0xd6, 0x2a, 0x7d,
	}
	// Frame 119: ASAP_HANDLE_RESOLUTION of EchoPool with rsplib's Handle
	// Resolution Option asking for one element.
	rsplibResolution = []byte{
		0x05, 0x00, 0x00, 0x18, 0x00, 0x09, 0x00, 0x0c, 'E', 'c', 'h', 'o', 'P', 'o', 'o', 'l',
		0x80, 0x3f, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01,
	}
	// Frame 121: rsplib's registrar answers with the policy and the PE,
	// without its ASAP transport.
	rsplibResolutionResponse = []byte{
		0x06, 0x00, 0x00, 0x40, 0x00, 0x09, 0x00, 0x0c, 'E', 'c', 'h', 'o', 'P', 'o', 'o', 'l',
		0x00, 0x08, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x28, 0x50, 0xd6, 0x2a, 0x7d,
		0xfc, 0xff, 0xc7, 0x23, 0x00, 0x01, 0x5f, 0x90, 0x00, 0x04, 0x00, 0x10, 0xa9, 0x12, 0x00, 0x01,
		0x00, 0x01, 0x00, 0x08, 0x0a, 0x63, 0xc8, 0x0b, 0x00, 0x08, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01,
	}
)

// The registrar answers rsplib's pool element and pool user with the
// bytes rsplib's own registrar sent them, given its server identifier
// and rsplib's lifetime unit.
func TestRsplibMessages(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{ServerID: 0xfcffc723, RegistrationLifeUnit: time.Millisecond})
		pe := tb.clientAt(netip.MustParseAddrPort("10.99.200.11:9899"))
		pe.sendRaw(rsplibRegistration)
		if got := rawRecv(t, pe); !bytes.Equal(got, rsplibRegistrationResponse) {
			t.Fatalf("registration response\n% x\nwant\n% x", got, rsplibRegistrationResponse)
		}
		e, _ := tb.element("EchoPool", 0x50d62a7d)
		if !e.Expires.Equal(time.Now().Add(90 * time.Second)) {
			t.Fatalf("expires in %v, want 90 s", time.Until(e.Expires))
		}

		// The keep-alive, answered with rsplib's acknowledgement, keeps
		// the PE.
		ka := expect[*msg.EndpointKeepAlive](pe)
		if ka.ServerID != 0xfcffc723 || ka.ID != 0x50d62a7d {
			t.Fatalf("keep-alive %+v", ka)
		}
		pe.sendRaw(rsplibKeepAliveAck)
		wait(DefaultKeepAliveTimeout + time.Millisecond)
		if _, ok := tb.element("EchoPool", 0x50d62a7d); !ok {
			t.Fatal("the PE that acknowledged was removed")
		}

		pu := tb.clientAt(netip.MustParseAddrPort("10.99.200.21:9899"))
		pu.sendRaw(rsplibResolution)
		if got := rawRecv(t, pu); !bytes.Equal(got, rsplibResolutionResponse) {
			t.Fatalf("handle resolution response\n% x\nwant\n% x", got, rsplibResolutionResponse)
		}
	})
}

// rawRecv returns the bytes of the next ASAP message.
func rawRecv(t *testing.T, c *client) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	m, err := c.a.Receive(ctx)
	if err != nil || m.PPID != msg.PPIDASAP {
		t.Fatalf("receive: %v, PPID %d", err, m.PPID)
	}
	return m.Data
}
