/*
 * pingpong: the request/response half of the benchmark of bench/peers
 * for usrsctp, whose example programs time bulk transfers (tsctp) but
 * not round trips. Over UDP encapsulation (RFC 6951), like the other
 * programs of the benchmark:
 *
 *	pingpong -s -E UDPPORT -p SCTPPORT [-L ADDR]
 *	pingpong -E UDPPORT -U PEERUDPPORT -p SCTPPORT -l SIZE -T SECONDS -w WARMUP [-L ADDR] PEERADDR
 *
 * The server echoes every message until the client shuts down; the
 * client sends a message, waits for its echo, and prints the median and
 * 99th percentile of the round trips as one JSON line, the format of
 * the Go programs' results (package harness).
 *
 * Debian ships the library without its header, so the handful of
 * declarations this program uses are written out below, after the
 * library's public interface (usrsctp.h, socket API of RFC 6458).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct socket;

#define IPPROTO_SCTP_ 132
#define SCTP_NODELAY_ 0x00000004
#define SCTP_REMOTE_UDP_ENCAPS_PORT_ 0x00000024
#define SCTP_SENDV_NOINFO_ 0
#define MSG_NOTIFICATION_ 0x2000

struct sctp_udpencaps_ {
	struct sockaddr_storage sue_address;
	uint32_t sue_assoc_id;
	uint16_t sue_port;
};

/* The callbacks are passed as NULL (blocking socket API), hence void *. */
void usrsctp_init(uint16_t udp_port, void *conn_output, void *debug_printf);
struct socket *usrsctp_socket(int domain, int type, int protocol, void *receive_cb,
    void *send_cb, uint32_t sb_threshold, void *ulp_info);
int usrsctp_bind(struct socket *so, struct sockaddr *name, socklen_t namelen);
int usrsctp_listen(struct socket *so, int backlog);
struct socket *usrsctp_accept(struct socket *so, struct sockaddr *aname, socklen_t *anamelen);
int usrsctp_connect(struct socket *so, struct sockaddr *name, socklen_t namelen);
int usrsctp_setsockopt(struct socket *so, int level, int option_name,
    const void *option_value, socklen_t option_len);
ssize_t usrsctp_sendv(struct socket *so, const void *data, size_t len, struct sockaddr *to,
    int addrcnt, void *info, socklen_t infolen, unsigned int infotype, int flags);
ssize_t usrsctp_recvv(struct socket *so, void *dbuf, size_t len, struct sockaddr *from,
    socklen_t *fromlen, void *info, socklen_t *infolen, unsigned int *infotype, int *msg_flags);
int usrsctp_shutdown(struct socket *so, int how);
void usrsctp_close(struct socket *so);

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* nearest-rank percentile of sorted samples */
static double percentile(const double *s, size_t n, int p)
{
	size_t i = (n * p + 99) / 100;
	return n == 0 ? 0 : s[i > 0 ? i - 1 : 0];
}

/* recvmsg reads one whole user message, skipping notifications. */
static ssize_t recvmsg_(struct socket *so, char *buf, size_t len)
{
	for (;;) {
		unsigned int infotype = 0;
		int flags = 0;
		socklen_t infolen = 0;
		ssize_t n = usrsctp_recvv(so, buf, len, NULL, NULL, NULL, &infolen, &infotype, &flags);
		if (n <= 0 || !(flags & MSG_NOTIFICATION_))
			return n;
	}
}

int main(int argc, char **argv)
{
	int server = 0, opt, size = 100, warmup = 1000, on = 1;
	unsigned udp = 9899, peerudp = 9899, port = 5001;
	double seconds = 5;
	const char *local = "127.0.0.1";

	while ((opt = getopt(argc, argv, "sE:U:p:l:T:w:L:")) != -1) {
		switch (opt) {
		case 's': server = 1; break;
		case 'E': udp = (unsigned)atoi(optarg); break;
		case 'U': peerudp = (unsigned)atoi(optarg); break;
		case 'p': port = (unsigned)atoi(optarg); break;
		case 'l': size = atoi(optarg); break;
		case 'T': seconds = atof(optarg); break;
		case 'w': warmup = atoi(optarg); break;
		case 'L': local = optarg; break;
		default:
			fprintf(stderr, "usage: pingpong [-s] [-E udpport] [-U peerudpport] [-p port] [-l size] [-T seconds] [-w warmup] [-L addr] [peer]\n");
			return 2;
		}
	}
	if (size < 1 || size > 65536 || udp > 65535 || peerudp > 65535 || port > 65535 || (!server && optind >= argc)) {
		fprintf(stderr, "pingpong: bad arguments\n");
		return 2;
	}

	usrsctp_init((uint16_t)udp, NULL, NULL);
	struct socket *so = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP_, NULL, NULL, 0, NULL);
	if (so == NULL)
		die("usrsctp_socket");
	if (usrsctp_setsockopt(so, IPPROTO_SCTP_, SCTP_NODELAY_, &on, sizeof on) < 0)
		die("SCTP_NODELAY");
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(server ? port : 0);
	if (inet_pton(AF_INET, local, &sin.sin_addr) != 1)
		die("local address");
	if (usrsctp_bind(so, (struct sockaddr *)&sin, sizeof sin) < 0)
		die("usrsctp_bind");

	char *buf = malloc(65536);
	if (buf == NULL)
		die("malloc");
	memset(buf, 'x', 65536);

	if (server) {
		if (usrsctp_listen(so, 1) < 0)
			die("usrsctp_listen");
		printf("ready\n");
		fflush(stdout);
		struct socket *c = usrsctp_accept(so, NULL, NULL);
		if (c == NULL)
			die("usrsctp_accept");
		if (usrsctp_setsockopt(c, IPPROTO_SCTP_, SCTP_NODELAY_, &on, sizeof on) < 0)
			die("SCTP_NODELAY");
		long n = 0;
		ssize_t k;
		while ((k = recvmsg_(c, buf, 65536)) > 0) {
			if (usrsctp_sendv(c, buf, (size_t)k, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO_, 0) < 0)
				die("usrsctp_sendv");
			n++;
		}
		usrsctp_close(c);
		printf("{\"role\":\"server\",\"mode\":\"rr\",\"size\":%d,\"msgs\":%ld}\n", size, n);
		fflush(stdout);
		_exit(0);
	}

	struct sctp_udpencaps_ enc;
	memset(&enc, 0, sizeof enc);
	enc.sue_port = htons((uint16_t)peerudp);
	if (usrsctp_setsockopt(so, IPPROTO_SCTP_, SCTP_REMOTE_UDP_ENCAPS_PORT_, &enc, sizeof enc) < 0)
		die("SCTP_REMOTE_UDP_ENCAPS_PORT");
	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, argv[optind], &sin.sin_addr) != 1)
		die("peer address");
	if (usrsctp_connect(so, (struct sockaddr *)&sin, sizeof sin) < 0)
		die("usrsctp_connect");

	size_t cap = 1 << 22, n = 0;
	double *samples = malloc(cap * sizeof *samples);
	if (samples == NULL)
		die("malloc");
	for (long i = -warmup;; i++) {
		double t0 = now();
		if (usrsctp_sendv(so, buf, (size_t)size, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO_, 0) < 0)
			die("usrsctp_sendv");
		ssize_t k = recvmsg_(so, buf, 65536);
		if (k != size) {
			fprintf(stderr, "pingpong: echo of %zd bytes\n", k);
			return 1;
		}
		double t1 = now();
		static double start, end;
		if (i == 0) {
			start = t0;
			end = t0 + seconds;
		}
		if (i >= 0) {
			samples[n++] = t1 - t0;
			if (t1 >= end || n == cap) {
				double elapsed = t1 - start;
				qsort(samples, n, sizeof *samples, cmp);
				printf("{\"role\":\"client\",\"mode\":\"rr\",\"size\":%d,\"bytes\":%zu,\"msgs\":%zu,\"seconds\":%.6f,"
				    "\"rtts\":%zu,\"rtt_p50_us\":%.3f,\"rtt_p99_us\":%.3f}\n",
				    size, n * (size_t)size, n, elapsed, n,
				    percentile(samples, n, 50) * 1e6, percentile(samples, n, 99) * 1e6);
				fflush(stdout);
				break;
			}
		}
	}
	/* A graceful shutdown (RFC 9260 §9.2), so that the server sees the
	 * end: the read returns 0 once the association is closed. */
	if (usrsctp_shutdown(so, SHUT_WR) < 0)
		die("usrsctp_shutdown");
	while (recvmsg_(so, buf, 65536) > 0)
		;
	usrsctp_close(so);
	_exit(0);
}
