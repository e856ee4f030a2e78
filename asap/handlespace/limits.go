package handlespace

// Limits bound the handlespace, so that registrations cannot grow it
// without end (RFC 5355 §2.1 lists registration flooding among the
// threats). A registration beyond a limit is refused with the limit's own
// error. A zero field takes its default.
type Limits struct {
	MaxPools        int // pools
	MaxPoolElements int // pool elements in one pool
	MaxElements     int // pool elements in all pools
	MaxHandleLen    int // bytes of a pool handle
}

// The defaults of Limits. RFC 5354 §3.9 sets no bound on a pool handle;
// rsplib's components stop at 32 bytes, and 64 leaves room above that.
const (
	DefaultMaxPools        = 4096
	DefaultMaxPoolElements = 16384
	DefaultMaxElements     = 65536
	DefaultMaxHandleLen    = 64
)

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxPools, DefaultMaxPools)
	def(&l.MaxPoolElements, DefaultMaxPoolElements)
	def(&l.MaxElements, DefaultMaxElements)
	def(&l.MaxHandleLen, DefaultMaxHandleLen)
	return l
}
