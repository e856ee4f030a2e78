package msg

import "encoding/binary"

// This file holds the PE checksum of RFC 5353 §3.6.2, by which ENRP
// servers audit that they agree on the PEs each of them owns. Each PE
// contributes a byte block: its pool handle padded with zeros to a
// multiple of 4 bytes, then its 4-byte PE identifier. The checksum is the
// Internet checksum of RFC 1071 over the blocks of all PEs a server owns:
// the one's complement of the one's complement sum of the 16-bit words.
//
// Every block is a whole number of 32-bit words, so the order of the
// blocks does not matter and a block can be added or removed as PEs come
// and go (the RFC's implementation note). PEChecksum keeps the plain
// integer sum of the words and folds it only when asked, which gives
// exactly what summing the blocks afresh gives, without the +0/-0
// ambiguity of one's complement subtraction. rsplib 3.4.4 computes it the
// same way; its PRESENCE messages in the reference captures carry the
// values this code computes.

// PEChecksum is the running PE checksum of a set of PEs. The zero value
// is the empty set, whose checksum is 0xffff.
type PEChecksum struct {
	sum uint64
}

// blockSum returns the sum of the 16-bit words of a PE's byte block.
func blockSum(handle []byte, id PEID) uint64 {
	var s uint64
	i := 0
	for ; i+1 < len(handle); i += 2 {
		s += uint64(binary.BigEndian.Uint16(handle[i:]))
	}
	if i < len(handle) {
		s += uint64(handle[i]) << 8 // the zero padding fills the low byte
	}
	return s + uint64(id>>16) + uint64(id&0xffff)
}

// Add adds the PE identified by its pool handle and identifier.
func (c *PEChecksum) Add(handle []byte, id PEID) { c.sum += blockSum(handle, id) }

// Remove removes a PE added before. Removing one that was not added
// leaves a meaningless checksum (but does not panic).
func (c *PEChecksum) Remove(handle []byte, id PEID) { c.sum -= blockSum(handle, id) }

// Value returns the checksum as the PE Checksum parameter carries it.
func (c PEChecksum) Value() uint16 {
	s := c.sum
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}
