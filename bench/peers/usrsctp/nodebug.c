/*
 * nodebug: an LD_PRELOAD shim for usrsctp's example programs.
 *
 * Debian builds libusrsctp with debug tracing, and tsctp switches all of
 * it on at start, which prints a line per packet and throttles the
 * program to the speed of its terminal. Preloading this library makes
 * the switch a no-op, so tsctp runs as fast as the stack allows.
 */
#include <stdint.h>

int usrsctp_sysctl_set_sctp_debug_on(uint32_t value)
{
	(void)value;
	return 0;
}
