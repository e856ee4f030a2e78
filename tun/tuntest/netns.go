// Package tuntest gives tests of the tun lower layer a network of their
// own: a network namespace that lives as long as the test, and in it two
// TUN devices between which the kernel forwards, so that two SCTP
// endpoints can exchange packets over real IP without touching the host's
// network. It needs root; without it the tests are skipped.
package tuntest

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/vishvananda/netns"
)

// Netns is a network namespace created for one test. It is anonymous (no
// name under /run/netns), so the kernel deletes it, with every device in
// it, once the test has closed its handle and the descriptors of the
// devices opened in it.
type Netns struct {
	h netns.NsHandle
}

// skipUnlessPrivileged skips t, saying why, where namespaces and TUN
// devices cannot be created.
func skipUnlessPrivileged(t testing.TB) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("tuntest: network namespaces and TUN devices are Linux's")
	}
	if os.Geteuid() != 0 {
		t.Skip("tuntest: needs root (CAP_SYS_ADMIN for a network namespace, CAP_NET_ADMIN for TUN devices); run the tests as root to include them")
	}
	if _, err := os.Stat("/dev/net/tun"); err != nil {
		t.Skipf("tuntest: no TUN support here: %v", err)
	}
}

// NewNetns creates a network namespace for t and deletes it when t ends.
// The calling goroutine's thread is left in its own namespace.
func NewNetns(t testing.TB) *Netns {
	t.Helper()
	skipUnlessPrivileged(t)
	type result struct {
		h   netns.NsHandle
		err error
	}
	ch := make(chan result, 1)
	go func() {
		// A thread of its own: unshare(2) moves only the calling thread.
		runtime.LockOSThread()
		orig, err := netns.Get()
		if err != nil {
			runtime.UnlockOSThread()
			ch <- result{err: err}
			return
		}
		defer orig.Close()
		h, err := netns.New()
		if err != nil {
			runtime.UnlockOSThread() // unshare failed: still in orig
			ch <- result{err: err}
			return
		}
		if err := netns.Set(orig); err != nil {
			// Stay locked: the thread ends with the goroutine instead
			// of running other goroutines in the test's namespace.
			h.Close()
			ch <- result{err: err}
			return
		}
		runtime.UnlockOSThread()
		ch <- result{h: h}
	}()
	r := <-ch
	if errors.Is(r.err, syscall.EPERM) {
		t.Skipf("tuntest: creating a network namespace is not permitted here: %v", r.err)
	}
	if r.err != nil {
		t.Fatalf("tuntest: creating a network namespace: %v", r.err)
	}
	n := &Netns{h: r.h}
	t.Cleanup(func() { n.h.Close() })
	return n
}

// Do runs fn on an OS thread inside the namespace and returns its error.
// Whatever fn opens there (sockets, TUN devices, netlink requests) belongs
// to the namespace; the descriptors it returns can be used from any
// goroutine afterwards. fn runs on another goroutine, so it must not call
// t.Fatal.
func (n *Netns) Do(fn func() error) error {
	ch := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := netns.Get()
		if err != nil {
			runtime.UnlockOSThread()
			ch <- err
			return
		}
		defer orig.Close()
		if err := netns.Set(n.h); err != nil {
			runtime.UnlockOSThread()
			ch <- err
			return
		}
		err = fn()
		if serr := netns.Set(orig); serr != nil {
			// Leave the thread locked so that it is not reused.
			ch <- errors.Join(err, serr)
			return
		}
		runtime.UnlockOSThread()
		ch <- err
	}()
	return <-ch
}

// Sysctl sets a kernel parameter of the namespace, such as
// "net/ipv4/ip_forward". The files under /proc/sys/net belong to the
// network namespace of the thread that opens them, so writing from inside
// Do changes the namespace's value and not the host's (TestSysctlPerNetns
// checks this).
func (n *Netns) Sysctl(name, value string) error {
	return n.Do(func() error { return os.WriteFile("/proc/sys/"+name, []byte(value), 0) })
}

// ReadSysctl reads a kernel parameter of the namespace.
func (n *Netns) ReadSysctl(name string) (string, error) {
	var v string
	err := n.Do(func() error {
		b, err := os.ReadFile("/proc/sys/" + name)
		v = strings.TrimSpace(string(b))
		return err
	})
	return v, err
}
