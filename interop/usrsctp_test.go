package interop

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// Our client sends a small message and a 10000-byte one, which usrsctp
// fragments on the way back (echo_server reads 10240 bytes at most, and
// echoes only the last piece of a larger message, so 64 KiB messages are
// tested against discard_server and tsctp instead), then shuts down.
func TestSctpcatToEchoServer(t *testing.T) {
	fams, skip6 := loopbacks()
	for _, fam := range fams {
		for _, ord := range orderings {
			t.Run(fam.name+"/"+ord.name, func(t *testing.T) {
				t.Parallel()
				peer := usrsctp(t)
				peer.wildcard(t, "echo_server")
				port := freeUDPPort(t)
				es := peer.startServer(t, fam.usrsctp, "echo_server", port)
				local, _ := fam.ours(nextAddr())
				c := dialCat(t, local, port, fam.sctpURL+":7", ord.flag...)
				c.waitErr(t, `association up with SCTP port 7, 1 path`)

				c.send(t, "hello interop\n")
				c.waitOut(t, `^hello interop\n$`)
				big := strings.Repeat("f", 9999) + "\n"
				c.send(t, big)
				c.waitOutLen(t, len("hello interop\n")+len(big))
				if got := c.out.String(); got != "hello interop\n"+big {
					t.Fatalf("echoes: got %d bytes, not the messages sent", len(got))
				}
				es.waitOut(t, `Msg of length 10000 received .* complete 1`)

				c.closeStdin()
				c.exits(t, 0)
				c.waitErr(t, `graceful shutdown complete`)
			})
		}
	}
	if skip6 != "" {
		t.Log(skip6)
	}
}

// discardSizes reads the message sizes discard_server reports: it reads
// at most 10240 bytes at a time, and "complete 1" ends a message.
func discardSizes(out string) []int {
	re := regexp.MustCompile(`Msg of length (\d+) received .* complete (\d)`)
	var sizes []int
	cur := 0
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[1])
		cur += n
		if m[2] == "1" {
			sizes = append(sizes, cur)
			cur = 0
		}
	}
	return sizes
}

// Small and 64 KiB messages (fragmented on the way) from our client,
// ordered and unordered, then our graceful shutdown.
func TestSctpcatToDiscardServer(t *testing.T) {
	fams, _ := loopbacks()
	for _, fam := range fams {
		for _, ord := range orderings {
			t.Run(fam.name+"/"+ord.name, func(t *testing.T) {
				t.Parallel()
				peer := usrsctp(t)
				peer.wildcard(t, "discard_server")
				port := freeUDPPort(t)
				ds := peer.startServer(t, fam.usrsctp, "discard_server", port)
				local, _ := fam.ours(nextAddr())
				c := dialCat(t, local, port, fam.sctpURL+":9", ord.flag...)
				c.waitErr(t, `association up`)
				big := strings.Repeat("x", 65535) + "\n"
				for _, m := range []string{"one\n", big, "two\n", big, "three\n"} {
					c.send(t, m)
				}
				ds.waitOut(t, `(?s)(complete 1.*){5}`)
				got := discardSizes(ds.out.String())
				want := []int{4, 65536, 4, 65536, 6}
				if ord.flag != nil {
					// Unordered messages may overtake each other.
					slices.Sort(got)
					slices.Sort(want)
				}
				if !slices.Equal(got, want) {
					t.Fatalf("discard_server received messages of %v bytes, want %v", got, want)
				}
				c.closeStdin()
				c.exits(t, 0)
				c.waitErr(t, `graceful shutdown complete`)
			})
		}
	}
}

// daytime_server (IPv4 only: its socket is AF_INET) sends the time and
// shuts down at once: the graceful shutdown started by the peer ends
// sctpcat with status 0 while its stdin is still open.
func TestDaytimeServerShutsDown(t *testing.T) {
	t.Parallel()
	peer := usrsctp(t)
	peer.wildcard(t, "daytime_server")
	port := freeUDPPort(t)
	peer.startServer(t, "127.0.0.1", "daytime_server", port)
	local, _ := family{usrsctp: "127.0.0.1"}.ours(nextAddr())
	c := dialCat(t, local, port, "127.0.0.1:13")
	c.exits(t, 0)
	c.waitOut(t, `\d\d:\d\d:\d\d`)
	c.waitErr(t, `peer started a graceful shutdown`)
	c.waitErr(t, `graceful shutdown complete`)
}

// usrsctp's client talks to our listener both ways; then one side or the
// other shuts down gracefully.
func TestUsrsctpClientToSctpcat(t *testing.T) {
	fams, _ := loopbacks()
	for _, fam := range fams {
		for _, closer := range []string{"they close", "we close"} {
			t.Run(fam.name+"/"+closer, func(t *testing.T) {
				t.Parallel()
				peer := usrsctp(t)
				peer.wildcard(t, "client")
				local, url := fam.ours(nextAddr())
				l, udpPort := listenCat(t, url+":5001")
				cl := peer.start(t, fam.usrsctp, "client", local, "5001", "0", freeUDPPort(t), udpPort)
				cl.waitOut(t, `SCTP_COMM_UP`)
				l.waitErr(t, `association up`)

				cl.send(t, "from usrsctp\n")
				l.waitOut(t, `^from usrsctp\n$`)
				l.send(t, "from sctpcat\n")
				cl.waitOut(t, `from sctpcat\n`)

				if closer == "they close" {
					cl.closeStdin()
					l.exits(t, 0)
					l.waitErr(t, `peer started a graceful shutdown`)
				} else {
					l.closeStdin()
					l.exits(t, 0)
					cl.closeStdin()
				}
				l.waitErr(t, `graceful shutdown complete`)
				cl.waitOut(t, `SCTP_SHUTDOWN_COMP`)
				cl.exits(t, 0)
			})
		}
	}
}

// usrsctp's client gets its lines back from sctpcat -echo, which goes on
// serving until SIGTERM and then exits 0.
func TestUsrsctpClientToSctpcatEcho(t *testing.T) {
	fams, _ := loopbacks()
	for _, fam := range fams {
		t.Run(fam.name, func(t *testing.T) {
			t.Parallel()
			peer := usrsctp(t)
			peer.wildcard(t, "client")
			local, url := fam.ours(nextAddr())
			l, udpPort := listenCat(t, "-echo", url+":7")
			for i := range 2 {
				cl := peer.start(t, fam.usrsctp, "client", local, "7", "0", freeUDPPort(t), udpPort)
				cl.waitOut(t, `SCTP_COMM_UP`)
				line := "ping " + strconv.Itoa(i) + "\n"
				cl.send(t, line)
				cl.waitOut(t, regexp.QuoteMeta(line))
				cl.closeStdin()
				cl.waitOut(t, `SCTP_SHUTDOWN_COMP`)
				cl.exits(t, 0)
			}
			l.waitErr(t, `(?s)(graceful shutdown complete.*){2}`)
			l.signal(t, syscall.SIGTERM)
			l.exits(t, 0)
		})
	}
}

// tsctp, IPv4 only, sends to our listener: small and 64 KiB messages,
// ordered and unordered, then its graceful shutdown (SCTP_EOF with the
// last message).
func TestTsctpToSctpcat(t *testing.T) {
	for _, size := range []int{100, 65536} {
		for _, ord := range orderings {
			t.Run(strconv.Itoa(size)+"/"+ord.name, func(t *testing.T) {
				t.Parallel()
				peer := usrsctp(t)
				local, _ := family{usrsctp: "127.0.0.1"}.ours(nextAddr())
				l, udpPort := listenCat(t, local+":5001")
				count := 20
				if size == 100 {
					count = 500
				}
				args := append([]string{"-L", "127.0.0.1", "-E", freeUDPPort(t), "-U", udpPort, "-p", "5001",
					"-l", strconv.Itoa(size), "-n", strconv.Itoa(count)}, ord.tsc...)
				ts := peer.start(t, "127.0.0.1", "tsctp", append(args, local)...)
				l.waitOutLen(t, size*count)
				l.exits(t, 0)
				if got := l.out.String(); len(got) != size*count || strings.Trim(got, "b") != "" {
					t.Fatalf("received %d bytes, want %d bytes of 'b'", len(got), size*count)
				}
				l.waitErr(t, `peer started a graceful shutdown`)
				ts.waitOut(t, `Sending of `+strconv.Itoa(count)+` messages of length `+strconv.Itoa(size))
				ts.exits(t, 0)
			})
		}
	}
}

// Our client sends 64 KiB messages to tsctp's server, which counts them.
func TestSctpcatToTsctp(t *testing.T) {
	for _, ord := range orderings {
		t.Run(ord.name, func(t *testing.T) {
			t.Parallel()
			peer := usrsctp(t)
			port := freeUDPPort(t)
			ts := peer.startServer(t, "127.0.0.1", "tsctp", "-L", "127.0.0.1", "-E", port, "-p", "5001")
			local, _ := family{usrsctp: "127.0.0.1"}.ours(nextAddr())
			c := dialCat(t, local, port, "127.0.0.1:5001", ord.flag...)
			c.waitErr(t, `association up`)
			big := strings.Repeat("z", 65535) + "\n"
			for range 10 {
				c.send(t, big)
			}
			c.closeStdin()
			c.exits(t, 0)
			// first message's length, messages, reads, bytes, ...
			ts.waitOut(t, `(?m)^65536, 10, \d+, 655360, `)
		})
	}
}
