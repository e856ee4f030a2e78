package simnet

// LinkStats counts what happened to the packets written from one address
// to another. Every packet written is counted once in Sent and then either
// in Delivered or in exactly one of the drop counters; a duplicate adds one
// to Duplicated and its copy is then counted like any packet, so
// Sent + Duplicated = Delivered + Lost + Dropped() + in flight.
type LinkStats struct {
	Sent           int   // packets written
	SentBytes      int64 // their bytes
	Delivered      int   // packets (copies included) put in the receiving host's queue
	DeliveredBytes int64 // their bytes
	Lost           int   // dropped by the link's Loss probability
	Duplicated     int   // extra copies made by the link's Duplicate probability
	Reordered      int   // packets held back by ReorderDelay

	DroppedBlackout int // written while the link was cut or an end was down
	DroppedMTU      int // larger than the link's MTU
	DroppedQueue    int // bandwidth queue full
	DroppedNoRoute  int // no host owned the destination address on arrival
	DroppedOverflow int // the receiving host's queue was full on arrival
}

// Dropped is the number of packets dropped for a reason other than Loss.
func (s LinkStats) Dropped() int {
	return s.DroppedBlackout + s.DroppedMTU + s.DroppedQueue + s.DroppedNoRoute + s.DroppedOverflow
}

func (s *LinkStats) add(o *LinkStats) {
	s.Sent += o.Sent
	s.SentBytes += o.SentBytes
	s.Delivered += o.Delivered
	s.DeliveredBytes += o.DeliveredBytes
	s.Lost += o.Lost
	s.Duplicated += o.Duplicated
	s.Reordered += o.Reordered
	s.DroppedBlackout += o.DroppedBlackout
	s.DroppedMTU += o.DroppedMTU
	s.DroppedQueue += o.DroppedQueue
	s.DroppedNoRoute += o.DroppedNoRoute
	s.DroppedOverflow += o.DroppedOverflow
}

// HostStats counts what happened at a host's receiving end.
type HostStats struct {
	Received int // packets returned by ReadBatch
	Overflow int // packets dropped because the receive queue was full
	TooLarge int // packets dropped because the reader's buffer was too small
	Queued   int // packets waiting for ReadBatch now
}
