package tuntest

import (
	"os"
	"strings"
	"testing"
)

// /proc/sys/net belongs to the network namespace of the thread that opens
// it: a value written from inside a Netns does not change the host's.
func TestSysctlPerNetns(t *testing.T) {
	n := NewNetns(t)
	const name = "net/ipv4/ip_forward"
	host := func() string {
		b, err := os.ReadFile("/proc/sys/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(b))
	}
	before := host()
	other := "1"
	if before == "1" {
		other = "0"
	}
	if err := n.Sysctl(name, other); err != nil {
		t.Fatal(err)
	}
	if v, err := n.ReadSysctl(name); err != nil || v != other {
		t.Fatalf("namespace's %s = %q, %v; want %q", name, v, err, other)
	}
	if after := host(); after != before {
		t.Fatalf("host's %s changed from %s to %s", name, before, after)
	}
}

// Do runs in the namespace, and the caller's thread stays out of it.
func TestDoIsolated(t *testing.T) {
	n := NewNetns(t)
	inside := func() string {
		l, err := os.Readlink("/proc/thread-self/ns/net")
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	var got string
	if err := n.Do(func() error {
		l, err := os.Readlink("/proc/thread-self/ns/net")
		got = l
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if here := inside(); got == here {
		t.Fatalf("Do ran in the caller's namespace %s", here)
	}
}
