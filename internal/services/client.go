package services

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/udpencap"
)

// ClientFlags are the command-line flags the example clients share: where
// the registrars are, the pool, and the session's failure detection.
type ClientFlags struct {
	Handle       string
	Registrars   []string
	Local        string
	ReplyTimeout time.Duration
	Failover     time.Duration
	Verbose      bool

	// Lower opens the lower layer on the local address; nil means UDP
	// encapsulation (RFC 6951) on port 9899. Tests give a simnet host.
	Lower func(local netip.Addr) (lower.Conn, error)
}

// Register adds the flags to fs.
func (f *ClientFlags) Register(fs *flag.FlagSet, pool string) {
	fs.StringVar(&f.Handle, "poolhandle", pool, "pool handle of the service")
	fs.Func("registrar", "registrar ADDR[:PORT] (SCTP port, default 3863); repeat for more (default 127.0.0.1)", func(s string) error {
		f.Registrars = append(f.Registrars, s)
		return nil
	})
	fs.StringVar(&f.Local, "local", "127.0.0.10", "own IP address to bind, with UDP port 9899 (RFC 6951)")
	fs.DurationVar(&f.ReplyTimeout, "reply-timeout", 2*time.Second, "fail over when the pool element answers nothing for this long")
	fs.DurationVar(&f.Failover, "failover-timeout", asap.DefaultFailoverTimeout, "give up on the pool after this long without a pool element")
	fs.BoolVar(&f.Verbose, "v", false, "verbose: log the protocol at debug level")
}

// Client is an open session with its pool user and endpoint.
type Client struct {
	Session *asap.Session
	pu      *asap.PoolUser
	ep      *sctp.Endpoint
}

// Close ends the session, the pool user and the endpoint.
func (c *Client) Close() {
	c.Session.Close()
	c.pu.Close()
	c.ep.Close()
}

// LogEvents logs the session's events at level until the session ends,
// which closes the channel it returns.
func (c *Client) LogEvents(log *slog.Logger, level slog.Level) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case ev := <-c.Session.Events():
				log.Log(context.Background(), level, "session: "+ev.Kind.String(), "from", ev.From.ID, "to", ev.To.ID, "took", ev.Took, "err", ev.Err)
			case <-c.Session.Done():
				return
			}
		}
	}()
	return done
}

// Open starts a pool user over UDP encapsulation on the local address
// and opens a session with the pool.
func (f *ClientFlags) Open(ctx context.Context, log *slog.Logger) (*Client, error) {
	local, err := netip.ParseAddr(f.Local)
	if err != nil {
		return nil, errors.New("-local: not an address: " + strconv.Quote(f.Local))
	}
	regs := f.Registrars
	if len(regs) == 0 {
		regs = []string{"127.0.0.1"}
	}
	var addrs []netip.AddrPort
	port := uint16(msg.PortASAP)
	for _, r := range regs {
		host, p, ok := strings.Cut(r, ":")
		if ok {
			n, err := strconv.ParseUint(p, 10, 16)
			if err != nil || n == 0 {
				return nil, errors.New("-registrar: bad port in " + strconv.Quote(r))
			}
			port = uint16(n)
		}
		a, err := netip.ParseAddr(host)
		if err != nil {
			return nil, errors.New("-registrar: not an address: " + strconv.Quote(r))
		}
		addrs = append(addrs, netip.AddrPortFrom(a, asap.DefaultEncapPort))
	}
	open := f.Lower
	if open == nil {
		open = func(a netip.Addr) (lower.Conn, error) {
			return udpencap.Listen(udpencap.Config{Addrs: []netip.Addr{a}})
		}
	}
	conn, err := open(local)
	if err != nil {
		return nil, err
	}
	ep, err := sctp.NewEndpoint(conn, uint16(49152+rand.IntN(16384)), &sctp.Config{})
	if err != nil {
		conn.Close()
		return nil, err
	}
	pu, err := asap.NewPoolUser(ctx, ep, asap.PUConfig{Config: asap.Config{Registrars: addrs, RegistrarPort: port, Logger: log}})
	if err != nil {
		ep.Close()
		return nil, err
	}
	s, err := pu.OpenSession(ctx, f.Handle, asap.SessionConfig{ReplyTimeout: f.ReplyTimeout, FailoverTimeout: f.Failover})
	if err != nil {
		pu.Close()
		ep.Close()
		return nil, err
	}
	return &Client{Session: s, pu: pu, ep: ep}, nil
}

// Logger returns the clients' log on stderr.
func (f *ClientFlags) Logger(w interface{ Write([]byte) (int, error) }) *slog.Logger {
	level := slog.LevelInfo
	if f.Verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
