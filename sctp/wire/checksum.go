package wire

import (
	"encoding/binary"
	"hash/crc32"
)

// castagnoli is built once; hash/crc32 uses the CPU's CRC32 instruction
// for it where there is one (SSE4.2, ARMv8 CRC).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var zeroChecksum [4]byte

// Checksum computes the CRC32c of an SCTP packet as RFC 9260 §6.8 says:
// over the whole packet with the checksum field taken as zero. The packet
// itself is not modified. pkt must hold at least the common header.
func Checksum(pkt []byte) uint32 {
	c := crc32.Update(0, castagnoli, pkt[:8])
	c = crc32.Update(c, castagnoli, zeroChecksum[:])
	return crc32.Update(c, castagnoli, pkt[HeaderLen:])
}

// SetChecksum computes the packet's CRC32c and stores it in the common
// header. RFC 9260 Appendix A transmits the CRC least significant byte
// first, which is little-endian order in the field.
func SetChecksum(pkt []byte) {
	binary.LittleEndian.PutUint32(pkt[8:12], 0)
	binary.LittleEndian.PutUint32(pkt[8:12], crc32.Checksum(pkt, castagnoli))
}

// VerifyChecksum reports whether the packet's checksum field matches its
// contents. A packet shorter than the common header never verifies.
func VerifyChecksum(pkt []byte) bool {
	if len(pkt) < HeaderLen {
		return false
	}
	return binary.LittleEndian.Uint32(pkt[8:12]) == Checksum(pkt)
}
