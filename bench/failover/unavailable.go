package failover

// UnavailableError says why the veth mode cannot run on this machine.
type UnavailableError struct{ Reason string }

func (e *UnavailableError) Error() string {
	return "failover: the veth mode cannot run: " + e.Reason
}
