// Package pcaptest holds what tests need around packet captures: it finds
// the project's reference captures and the tshark binary used to
// cross-check them, writes temporary captures, and reads a whole capture
// at once with the ip package's PcapReader (ReadSCTP, ReadUDP), failing on
// the first frame the reader cannot use.
//
// The reference captures are recordings of implementations this project
// did not write; every SCTP packet in them is a test vector.
package pcaptest
