package wire

import (
	"encoding/binary"
	"hash/crc32"
)

// castagnoli is built once; hash/crc32 uses the CPU's CRC32 instruction
// for it where there is one (SSE4.2, ARMv8 CRC).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Checksum computes the CRC32c of an SCTP packet as RFC 9260 §6.8 says:
// over the whole packet with the checksum field taken as zero. pkt must
// hold at least the common header.
//
// To hash the packet in one pass, which is what makes the CPU's
// instruction pay off, the field is zeroed while the CRC is computed and
// then restored, as the Linux kernel does: the bytes are unchanged when
// Checksum returns, but nothing else may read them meanwhile.
func Checksum(pkt []byte) uint32 {
	field := binary.LittleEndian.Uint32(pkt[8:12])
	binary.LittleEndian.PutUint32(pkt[8:12], 0)
	c := crc32.Checksum(pkt, castagnoli)
	binary.LittleEndian.PutUint32(pkt[8:12], field)
	return c
}

// SetChecksum computes the packet's CRC32c and stores it in the common
// header. RFC 9260 Appendix A transmits the CRC least significant byte
// first, which is little-endian order in the field.
func SetChecksum(pkt []byte) {
	binary.LittleEndian.PutUint32(pkt[8:12], 0)
	binary.LittleEndian.PutUint32(pkt[8:12], crc32.Checksum(pkt, castagnoli))
}

// VerifyChecksum reports whether the packet's checksum field matches its
// contents. A packet shorter than the common header never verifies. Like
// Checksum, it briefly zeroes the field in place.
func VerifyChecksum(pkt []byte) bool {
	if len(pkt) < HeaderLen {
		return false
	}
	return binary.LittleEndian.Uint32(pkt[8:12]) == Checksum(pkt)
}
