package tun

import (
	"bufio"
	"errors"
	"io/fs"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/songgao/water"
)

// devTun is the clone device through which TUN devices are made.
const devTun = "/dev/net/tun"

// Open opens (creating it if needed) the TUN device cfg.Name in the
// network namespace of the calling OS thread, configures it when
// cfg.Configure is set, and returns the Conn. Errors are a *ConfigError
// for cfg itself, else an *OpenError whose message says, in one line,
// what is missing when that is CAP_NET_ADMIN or /dev/net/tun.
func Open(cfg Config) (*Conn, error) {
	addrs, err := cfg.check()
	if err != nil {
		return nil, err
	}
	name := cfg.Name
	exists := false
	if name != "" {
		_, err := net.InterfaceByName(name)
		exists = err == nil
	}
	op := deviceOp("creating", name)
	if exists {
		op = deviceOp("attaching to", name)
	}
	if _, err := os.Stat(devTun); errors.Is(err, fs.ErrNotExist) {
		return nil, &OpenError{Device: name, Op: devTun + " does not exist", Hint: "(load the tun kernel module, or give the container the device)"}
	}
	// Creating a device takes CAP_NET_ADMIN, and so does configuring
	// one; attaching to a persistent device the user owns does not.
	// Asking first spares the kernel's refusal, after which water would
	// leave its descriptor of /dev/net/tun open.
	if (!exists || cfg.Configure) && !hasCapNetAdmin() {
		if cfg.Configure && exists {
			op = deviceOp("configuring", name)
		}
		return nil, &OpenError{Device: name, Op: op, Hint: needCap}
	}
	dev, err := water.New(water.Config{
		DeviceType: water.TUN,
		// A persistent device that was there before stays: clearing
		// the flag, as water does by default, would delete it on Close.
		PlatformSpecificParams: water.PlatformSpecificParams{Name: name, Persist: exists},
	})
	if err != nil {
		return nil, openError(name, op, err)
	}
	f, ok := dev.ReadWriteCloser.(*os.File)
	if !ok {
		dev.Close()
		return nil, &OpenError{Device: name, Op: op, Err: errors.New("the device is not a file")}
	}
	name = dev.Name()
	if cfg.Configure {
		if err := configure(name, &cfg, addrs); err != nil {
			f.Close()
			return nil, err
		}
	}
	mtu := cfg.MTU
	if mtu == 0 {
		ifi, err := net.InterfaceByName(name)
		if err != nil {
			f.Close()
			return nil, &OpenError{Device: name, Op: "reading the MTU of device " + name, Err: err}
		}
		mtu = ifi.MTU
	}
	c, err := newConn(f, name, addrs, mtu)
	if err != nil {
		f.Close()
		return nil, &OpenError{Device: name, Op: op, Err: err}
	}
	return c, nil
}

// deviceOp names an operation on a device for an error message.
func deviceOp(verb, name string) string {
	if name == "" {
		return verb + " a TUN device"
	}
	return verb + " device " + name
}

const needCap = "needs CAP_NET_ADMIN (run as root)"

// openError turns the system's refusal to open or create a device into a
// message that says what to do.
func openError(name, op string, err error) error {
	var errno syscall.Errno
	isOpen := true // the error came from opening /dev/net/tun, not from an ioctl
	var se *os.SyscallError
	if errors.As(err, &se) {
		isOpen = false
	}
	errors.As(err, &errno)
	if isOpen {
		op = "opening " + devTun
	}
	e := &OpenError{Device: name, Op: op, Err: err}
	switch errno {
	case syscall.EPERM, syscall.EACCES:
		e.Hint = needCap
	case syscall.ENOENT, syscall.ENODEV, syscall.ENXIO:
		if isOpen {
			e.Op, e.Hint = devTun+" is not usable", "(load the tun kernel module)"
		}
	case syscall.EBUSY:
		e.Hint = "failed: another process has it open"
	case syscall.EINVAL:
		e.Hint = "failed: a device of that name exists and is not a TUN device"
	}
	return e
}

// capNetAdmin is CAP_NET_ADMIN's bit in the capability sets.
const capNetAdmin = 12

// hasCapNetAdmin reports whether the process has CAP_NET_ADMIN in its
// effective set, as /proc/self/status shows it. When it cannot tell, it
// says yes and lets the kernel decide.
func hasCapNetAdmin() bool {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return true
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		v, ok := strings.CutPrefix(s.Text(), "CapEff:")
		if !ok {
			continue
		}
		caps, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		return err != nil || caps&(1<<capNetAdmin) != 0
	}
	return true
}
