package asap

import (
	"context"
	"strconv"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// Dial selects a pool element of the pool (Select) and starts an
// association with its user transport, on the addresses of the handle
// resolution with Config.EncapPort. A pool element that cannot be
// reached within DialTimeout is reported unreachable (RFC 5352 §3.5;
// the report goes out in the background) and the next one is tried, up
// to MaxDialAttempts. Only SCTP user transports can be dialed; others
// are skipped. The error after the last attempt is a *DialError.
func (u *PoolUser) Dial(ctx context.Context, handle string) (*sctp.Association, PoolElementInfo, error) {
	de := &DialError{Handle: handle}
	for range u.cfg.MaxDialAttempts {
		info, err := u.Select(ctx, handle)
		if err != nil {
			if de.Attempts == 0 {
				return nil, PoolElementInfo{}, err
			}
			de.Last = err
			return nil, PoolElementInfo{}, de
		}
		de.Attempts++
		if info.Transport != msg.ParamSCTPTransport || len(info.Addrs) == 0 {
			u.forget(handle, info.ID)
			de.Last = &transportError{info: info}
			continue
		}
		dctx, cancel := context.WithTimeout(ctx, u.cfg.DialTimeout)
		a, err := u.ep.Dial(dctx, info.AddrPorts(u.cfg.EncapPort), info.Port)
		cancel()
		if err == nil {
			return a, info, nil
		}
		if cerr := ctx.Err(); cerr != nil {
			return nil, PoolElementInfo{}, cerr
		}
		u.log.Warn("asap: pool element unreachable", "pool", handle, "pe", info.ID, "addr", info.String(), "err", err)
		u.reportLater(handle, info.ID)
		de.Last = err
	}
	return nil, PoolElementInfo{}, de
}

// DialError says Dial reached no pool element.
type DialError struct {
	Handle   string
	Attempts int   // pool elements tried
	Last     error // why the last one failed
}

func (e *DialError) Error() string {
	s := "asap: no pool element of " + quoteHandle(e.Handle) + " reached after " + strconv.Itoa(e.Attempts) + " attempts"
	if e.Last != nil {
		s += ": " + e.Last.Error()
	}
	return s
}

// Unwrap returns the last attempt's error.
func (e *DialError) Unwrap() error { return e.Last }

// Is makes errors.Is(err, ErrNoPoolElement) true.
func (e *DialError) Is(target error) bool { return target == ErrNoPoolElement }

type transportError struct{ info PoolElementInfo }

func (e *transportError) Error() string {
	return "asap: pool element " + e.info.ID.String() + " offers " + e.info.Transport.String() + ", not SCTP"
}
