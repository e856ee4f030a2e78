//go:build !linux

package failover

// RunVeth needs Linux network namespaces.
func RunVeth(sc Scenario) (*Timeline, error) {
	return nil, &UnavailableError{"network namespaces and veth pairs exist on Linux only"}
}
