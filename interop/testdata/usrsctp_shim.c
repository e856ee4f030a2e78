/*
 * A preload library for usrsctp's example programs, used by the interop
 * tests (LD_PRELOAD=usrsctp_shim.so):
 *
 *  - usrsctp_sysctl_set_sctp_debug_on always sets the debug mask to 0.
 *    Debian builds the programs with debug tracing, which tsctp turns on
 *    fully: a line per packet, which throttles it and floods the logs.
 *  - usrsctp_init turns the tracing off right after it ran, for the
 *    programs that never set the mask themselves.
 *  - usrsctp_bind to the wildcard address binds USRSCTP_SHIM_BIND
 *    instead when that variable names an address, so that a program that
 *    cannot be told where to bind (echo_server, discard_server, client)
 *    advertises that address only, not every address of the host.
 *  - usrsctp_listen writes "usrsctp_shim: listening" to stderr once the
 *    socket listens, so that the tests start a client only then: an
 *    INIT that comes before is answered with an ABORT.
 *  - stdout is line buffered, so that the tests read each line the
 *    programs print while they run, not when they exit.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct socket;

typedef int (*debug_fn)(uint32_t);
typedef void (*init_fn)(uint16_t, int (*)(void *, void *, size_t, uint8_t, uint8_t), void (*)(const char *, ...));
typedef int (*bind_fn)(struct socket *, struct sockaddr *, socklen_t);
typedef int (*listen_fn)(struct socket *, int);

static void *next(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);
	if (f == NULL) {
		fprintf(stderr, "usrsctp_shim: %s not found\n", name);
		abort();
	}
	return f;
}

__attribute__((constructor)) static void shim_start(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

int usrsctp_sysctl_set_sctp_debug_on(uint32_t value)
{
	(void)value;
	return ((debug_fn)next("usrsctp_sysctl_set_sctp_debug_on"))(0);
}

void usrsctp_init(uint16_t port, int (*conn_output)(void *, void *, size_t, uint8_t, uint8_t),
                  void (*debug_printf)(const char *, ...))
{
	((init_fn)next("usrsctp_init"))(port, conn_output, debug_printf);
	((debug_fn)next("usrsctp_sysctl_set_sctp_debug_on"))(0);
}

static int is_wildcard(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		return ((const struct sockaddr_in *)sa)->sin_addr.s_addr == htonl(INADDR_ANY);
	}
	if (sa->sa_family == AF_INET6) {
		return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)sa)->sin6_addr);
	}
	return 0;
}

int usrsctp_bind(struct socket *so, struct sockaddr *name, socklen_t namelen)
{
	bind_fn real = (bind_fn)next("usrsctp_bind");
	const char *want = getenv("USRSCTP_SHIM_BIND");
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	uint16_t port;

	if (want == NULL || *want == '\0' || name == NULL || !is_wildcard(name)) {
		return real(so, name, namelen);
	}
	port = name->sa_family == AF_INET ? ((struct sockaddr_in *)name)->sin_port
	                                  : ((struct sockaddr_in6 *)name)->sin6_port;
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, want, &sin.sin_addr) == 1) {
		if (name->sa_family == AF_INET) {
			sin.sin_family = AF_INET;
			sin.sin_port = port;
			return real(so, (struct sockaddr *)&sin, sizeof(sin));
		}
		/* An IPv6 socket takes an IPv4 address in its mapped form. */
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = port;
		sin6.sin6_addr.s6_addr[10] = 0xff;
		sin6.sin6_addr.s6_addr[11] = 0xff;
		memcpy(&sin6.sin6_addr.s6_addr[12], &sin.sin_addr, 4);
		return real(so, (struct sockaddr *)&sin6, sizeof(sin6));
	}
	if (inet_pton(AF_INET6, want, &sin6.sin6_addr) == 1 && name->sa_family == AF_INET6) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = port;
		return real(so, (struct sockaddr *)&sin6, sizeof(sin6));
	}
	fprintf(stderr, "usrsctp_shim: USRSCTP_SHIM_BIND=%s does not suit the socket's family\n", want);
	return real(so, name, namelen);
}

int usrsctp_listen(struct socket *so, int backlog)
{
	int r = ((listen_fn)next("usrsctp_listen"))(so, backlog);

	if (r == 0) {
		fputs("usrsctp_shim: listening\n", stderr);
		fflush(stderr);
	}
	return r;
}
