package handlespace

import (
	"errors"

	"github.com/rserpool/rserpool/asap/msg"
)

// The sentinels of Error.Err. Each limit has its own, so that a caller can
// tell which one a registration hit.
var (
	ErrEmptyHandle     = errors.New("handlespace: empty pool handle")
	ErrHandleTooLong   = errors.New("handlespace: pool handle longer than the limit")
	ErrTooManyPools    = errors.New("handlespace: too many pools")
	ErrPoolFull        = errors.New("handlespace: too many pool elements in the pool")
	ErrHandlespaceFull = errors.New("handlespace: too many pool elements")

	ErrInconsistentPolicy      = errors.New("handlespace: policy type differs from the pool's")
	ErrInconsistentTransport   = errors.New("handlespace: transport type differs from the pool's")
	ErrInconsistentDataControl = errors.New("handlespace: transport use differs from the pool's")
	ErrInvalidElement          = errors.New("handlespace: pool element does not encode")

	ErrUnknownPool = errors.New("handlespace: no pool with this handle")
)

// Error says why the handlespace refused a request, and carries the error
// cause a registrar returns for it (RFC 5354 §3.12):
//
//	ErrEmptyHandle, ErrHandleTooLong  Invalid Values with the handle (§3.12.4)
//	ErrTooManyPools, ErrPoolFull,
//	ErrHandlespaceFull                Lack of Resources (§3.12.7)
//	*msg.PolicyError                  Invalid Values with the policy (§3.12.4)
//	ErrInconsistentPolicy             Inconsistent Pooling Policy (§3.12.6)
//	ErrInconsistentTransport          Inconsistent Transport Type (§3.12.8)
//	ErrInconsistentDataControl        Inconsistent Data/Control Configuration (§3.12.9)
//	ErrInvalidElement                 Invalid Values (§3.12.4)
//	ErrUnknownPool                    Unknown Pool Handle (§3.12.10)
type Error struct {
	Err   error     // one of the sentinels, or a *msg.PolicyError
	Rule  string    // what was broken, with the values concerned
	Cause msg.Cause // the cause to send back
}

func (e *Error) Error() string { return "handlespace: " + e.Rule }

// Unwrap returns Err, so that errors.Is matches the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func refuse(err error, rule string, code msg.CauseCode) *Error {
	return &Error{Err: err, Rule: rule, Cause: msg.Cause{Code: code}}
}
