package main

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp/wire"
)

// Reassembly of fragmented user messages (RFC 9260 §6.9, RFC 8260 §2.1).
//
// A DATA fragment is placed by its TSN: the fragments of one message
// have consecutive TSNs, the first with B set and the last with E set,
// and TSNs count per association and direction, whatever the stream. An
// I-DATA fragment is placed by its FSN within its message, which the
// stream, the U bit and the MID name; the first fragment has FSN 0 and
// carries the PPID.
//
// Fragments are kept by that number, so they may arrive in any order and
// more than once (retransmissions): a message is complete as soon as a
// run of numbers from a B fragment to an E fragment is all there. The
// numbers of fragments already delivered are remembered, so that a
// retransmission of one is recognized rather than left over as an
// incomplete message.

// fragment is the part of a DATA or I-DATA chunk that reassembly needs.
type fragment struct {
	idata bool
	flags wire.DataFlags
	seq   uint32 // DATA: TSN; I-DATA: FSN (0 in the first fragment)
	sid   uint16
	mid   uint32 // I-DATA only
	ppid  uint32 // DATA: every fragment; I-DATA: the first one only
	data  []byte
}

// seqKey names a numbering space of fragments: for DATA one direction of
// an association, for I-DATA one message of it. A direction is told by
// its ports and the Verification Tag, which the receiver chose and which
// stays the same on every path of a multihomed association.
type seqKey struct {
	srcPort, dstPort uint16
	vtag             uint32
	idata            bool
	sid              uint16 // I-DATA only
	unordered        bool   // I-DATA only
	mid              uint32 // I-DATA only
}

// heldFrag is a fragment waiting for the rest of its message.
type heldFrag struct {
	begin, end bool
	sid        uint16
	ppid       uint32
	data       []byte
	frame      int
	src, dst   netip.AddrPort
}

type seqSpace struct {
	held map[uint32]heldFrag
	done map[uint32]bool // numbers of fragments already delivered
}

// reassembler holds the fragments of one capture file.
type reassembler struct {
	spaces map[seqKey]*seqSpace
	// ignored lists I-DATA messages whose first fragment named a PPID
	// that is neither ASAP nor ENRP: their other fragments, retransmitted
	// ones included, are dropped.
	ignored map[seqKey]bool
}

func newReassembler() *reassembler {
	return &reassembler{spaces: map[seqKey]*seqSpace{}, ignored: map[seqKey]bool{}}
}

// outcome is what adding a fragment gives.
type outcome struct {
	duplicate bool   // a retransmission of a fragment already delivered
	message   []byte // the reassembled message, when this fragment completed it
	ppid      uint32
	fragments int // fragments of the message so far, or in all when complete
	bytes     int // bytes of the message so far, or in all when complete
	firstSeen int // frame of the earliest fragment
}

func keyOf(pc *pktCtx, f *fragment) seqKey {
	k := seqKey{srcPort: pc.src.Port(), dstPort: pc.dst.Port(), vtag: pc.vtag, idata: f.idata}
	if f.idata {
		k.sid, k.unordered, k.mid = f.sid, f.flags.Unordered, f.mid
	}
	return k
}

// add files a fragment that is not a whole message (B and E not both
// set). DATA fragments are only given here when their PPID is one to
// decode; I-DATA fragments after the first carry no PPID, so all come
// here and those of other protocols are dropped once the first says so.
func (r *reassembler) add(pc *pktCtx, f fragment) (outcome, bool) {
	k := keyOf(pc, &f)
	if r.ignored[k] {
		return outcome{}, false
	}
	if f.idata && f.flags.Beginning && !isRSerPool(f.ppid) {
		r.ignored[k] = true
		delete(r.spaces, k)
		return outcome{}, false
	}
	s := r.spaces[k]
	if s == nil {
		s = &seqSpace{held: map[uint32]heldFrag{}, done: map[uint32]bool{}}
		r.spaces[k] = s
	}
	if s.done[f.seq] {
		return outcome{duplicate: true}, true
	}
	s.held[f.seq] = heldFrag{
		begin: f.flags.Beginning, end: f.flags.Ending, sid: f.sid, ppid: f.ppid,
		data: f.data, frame: pc.frame, src: pc.src, dst: pc.dst,
	}
	first, last, complete := s.run(f.seq)
	var o outcome
	for n := first; ; n++ {
		h := s.held[n]
		o.fragments++
		o.bytes += len(h.data)
		if o.firstSeen == 0 || h.frame < o.firstSeen {
			o.firstSeen = h.frame
		}
		if n == last {
			break
		}
	}
	if !complete {
		return o, true
	}
	o.message = make([]byte, 0, o.bytes)
	o.ppid = s.held[first].ppid
	for n := first; ; n++ {
		o.message = append(o.message, s.held[n].data...)
		delete(s.held, n)
		s.done[n] = true
		if n == last {
			break
		}
	}
	return o, true
}

// run finds the run of held fragments around n: back to a fragment with
// B set or a gap, forward to one with E set or a gap, and reports
// whether it is a whole message. Fragments of different streams never
// make one message.
func (s *seqSpace) run(n uint32) (first, last uint32, complete bool) {
	h := s.held[n]
	first, last = n, n
	for !s.held[first].begin {
		prev, ok := s.held[first-1]
		if !ok || prev.end || prev.sid != h.sid {
			break
		}
		first--
	}
	for !s.held[last].end {
		next, ok := s.held[last+1]
		if !ok || next.begin || next.sid != h.sid {
			break
		}
		last++
	}
	return first, last, s.held[first].begin && s.held[last].end
}

// incomplete is a message some of whose fragments are in the file but
// not all, reported at the end of the file.
type incomplete struct {
	Protocol   string `json:"protocol"` // ASAP, ENRP, or unknown for I-DATA without its first fragment
	Src        string `json:"src"`
	Dst        string `json:"dst"`
	VTag       uint32 `json:"vtag"`
	SID        uint16 `json:"sid"`
	Chunk      string `json:"chunk"`     // DATA or I-DATA
	First      uint32 `json:"first_seq"` // TSN (DATA) or FSN (I-DATA) of the earliest fragment held
	Fragments  int    `json:"fragments"`
	Bytes      int    `json:"bytes"`
	FirstFrame int    `json:"first_frame"`
	LastFrame  int    `json:"last_frame"`
	HasBegin   bool   `json:"has_begin"`
	HasEnd     bool   `json:"has_end"`
}

// leftovers returns the messages still incomplete, one per run of
// consecutive fragments, in the order of their first frame.
func (r *reassembler) leftovers() []incomplete {
	var out []incomplete
	for k, s := range r.spaces {
		nums := make([]uint32, 0, len(s.held))
		for n := range s.held {
			nums = append(nums, n)
		}
		// Sorting as plain numbers splits a run that wraps past 2^32
		// into two reports, which is good enough for what is left over.
		slices.Sort(nums)
		for i := 0; i < len(nums); {
			h := s.held[nums[i]]
			inc := incomplete{
				Protocol: protocolName(h.ppid, h.begin || !k.idata),
				Src:      h.src.String(), Dst: h.dst.String(), VTag: k.vtag, SID: h.sid,
				Chunk: "DATA", First: nums[i], HasBegin: h.begin,
				FirstFrame: h.frame, LastFrame: h.frame,
			}
			if k.idata {
				inc.Chunk = "I-DATA"
			}
			j := i
			for ; j < len(nums); j++ {
				hj := s.held[nums[j]]
				if j > i && (nums[j] != nums[j-1]+1 || hj.begin || hj.sid != h.sid || s.held[nums[j-1]].end) {
					break
				}
				inc.Fragments++
				inc.Bytes += len(hj.data)
				inc.FirstFrame = min(inc.FirstFrame, hj.frame)
				inc.LastFrame = max(inc.LastFrame, hj.frame)
				inc.HasEnd = hj.end
			}
			out = append(out, inc)
			i = j
		}
	}
	slices.SortFunc(out, func(a, b incomplete) int {
		return cmp.Or(cmp.Compare(a.FirstFrame, b.FirstFrame), cmp.Compare(a.VTag, b.VTag),
			cmp.Compare(a.SID, b.SID), cmp.Compare(a.First, b.First))
	})
	return out
}

func isRSerPool(ppid uint32) bool {
	return ppid == msg.PPIDASAP || ppid == msg.PPIDENRP
}

// protocolName names the protocol of a PPID when known is true (the
// PPID was on the wire).
func protocolName(ppid uint32, known bool) string {
	switch {
	case !known:
		return "unknown"
	case ppid == msg.PPIDASAP:
		return "ASAP"
	case ppid == msg.PPIDENRP:
		return "ENRP"
	}
	return "PPID " + strconv.FormatUint(uint64(ppid), 10)
}
