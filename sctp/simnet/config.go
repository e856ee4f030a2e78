package simnet

import "time"

// Defaults applied to the zero fields of a LinkConfig.
const (
	// DefaultMTU is the largest SCTP packet of a link: an Ethernet frame
	// of 1500 bytes less 20 of IPv4 and 8 of UDP, as over RFC 6951
	// encapsulation.
	DefaultMTU = 1452
	// DefaultQueueLimit is the bandwidth queue of a link, in bytes.
	DefaultQueueLimit = 256 << 10
	// DefaultRecvQueue is the number of packets a Host holds for its
	// reader before dropping.
	DefaultRecvQueue = 1024
)

// LinkConfig describes one direction of a link. The zero value is a
// perfect link: no delay, no loss, unlimited bandwidth, DefaultMTU.
// Negative durations and sizes count as zero; probabilities are clamped to
// [0, 1].
type LinkConfig struct {
	// Delay is the one-way propagation delay.
	Delay time.Duration
	// Jitter adds a uniform extra delay in [0, Jitter) to each packet.
	// Packets overtake each other when their jitter differs by more than
	// the time between them.
	Jitter time.Duration
	// Loss is the probability that a packet is dropped.
	Loss float64
	// Duplicate is the probability that a packet is delivered twice; the
	// copy arrives right after the original.
	Duplicate float64
	// Reorder is the probability that a packet is held back by
	// ReorderDelay, so later packets overtake it.
	Reorder float64
	// ReorderDelay is the extra delay of a held-back packet; zero means
	// 2*Delay + 1ms.
	ReorderDelay time.Duration
	// Bandwidth is in bytes per second; zero is unlimited. A limited link
	// sends one packet at a time: each waits for the ones before it and
	// then takes len/Bandwidth to serialize, before the propagation delay.
	Bandwidth int64
	// QueueLimit is the number of bytes waiting to be serialized,
	// including what is left of the packet being sent, above which a new
	// packet is dropped (drop tail). Zero means DefaultQueueLimit. It
	// applies only when Bandwidth is set.
	QueueLimit int
	// MTU is the largest SCTP packet the link carries; larger ones are
	// dropped. Zero means DefaultMTU.
	MTU int
}

// normalized returns c with its defaults filled in and its values in range,
// so the send path need not check them.
func (c LinkConfig) normalized() LinkConfig {
	c.Delay = max(c.Delay, 0)
	c.Jitter = max(c.Jitter, 0)
	c.Loss = clamp01(c.Loss)
	c.Duplicate = clamp01(c.Duplicate)
	c.Reorder = clamp01(c.Reorder)
	if c.ReorderDelay <= 0 {
		c.ReorderDelay = 2*c.Delay + time.Millisecond
	}
	c.Bandwidth = max(c.Bandwidth, 0)
	if c.QueueLimit <= 0 {
		c.QueueLimit = DefaultQueueLimit
	}
	if c.MTU <= 0 {
		c.MTU = DefaultMTU
	}
	return c
}

func clamp01(p float64) float64 {
	if !(p > 0) { // also NaN
		return 0
	}
	return min(p, 1)
}
