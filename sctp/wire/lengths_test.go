package wire

import (
	"bytes"
	"testing"
)

// TestTrailingBytesIgnored checks the rule of the package documentation:
// where an item has fixed fields, they are read and bytes after them are
// ignored, as the Linux kernel does; re-encoding drops those bytes.
func TestTrailingBytesIgnored(t *testing.T) {
	t.Run("chunks", func(t *testing.T) {
		for _, tc := range []struct {
			name      string
			dec       chunkDecoder
			in, canon []byte
		}{
			{"SHUTDOWN", new(Shutdown), []byte{7, 0, 0, 12, 0, 0, 0, 9, 1, 2, 3, 4}, []byte{7, 0, 0, 8, 0, 0, 0, 9}},
			{"SHUTDOWN one byte more", new(Shutdown), []byte{7, 0, 0, 9, 0, 0, 0, 9, 1, 0, 0, 0}, []byte{7, 0, 0, 8, 0, 0, 0, 9}},
			{"SHUTDOWN ACK", new(ShutdownAck), []byte{8, 0, 0, 8, 1, 2, 3, 4}, []byte{8, 0, 0, 4}},
			{"SHUTDOWN COMPLETE", new(ShutdownComplete), []byte{14, 1, 0, 5, 1, 0, 0, 0}, []byte{14, 1, 0, 4}},
			{"COOKIE ACK", new(CookieAck), []byte{11, 0, 0, 8, 0, 0, 0, 0}, []byte{11, 0, 0, 4}},
			// No blocks or duplicates announced, four bytes present.
			{"SACK", new(Sack), []byte{3, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1},
				[]byte{3, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0}},
			// One gap block and one duplicate TSN, then two bytes more.
			{"SACK with entries", new(Sack), []byte{3, 0, 0, 26, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 2, 0, 3, 0, 0, 0, 7, 9, 9, 0, 0},
				[]byte{3, 0, 0, 24, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 2, 0, 3, 0, 0, 0, 7}},
		} {
			if err := tc.dec.Decode(inPacket(t, tc.in)); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got := tc.dec.Append(nil); !bytes.Equal(got, tc.canon) {
				t.Fatalf("%s: re-encoded %x, want %x", tc.name, got, tc.canon)
			}
		}
		var s Sack
		_ = s.Decode(inPacket(t, []byte{3, 0, 0, 26, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 2, 0, 3, 0, 0, 0, 7, 9, 9, 0, 0}))
		if s.GapBlocks.Len() != 1 || s.GapBlocks.At(0) != (GapBlock{2, 3}) || s.DupTSNs.Len() != 1 || s.DupTSNs.At(0) != 7 {
			t.Fatalf("SACK lists: %+v", s)
		}
	})
	t.Run("parameters", func(t *testing.T) {
		for _, tc := range []struct {
			name      string
			dec       paramDecoder
			in, canon []byte
		}{
			{"Cookie Preservative", new(CookiePreservativeParam), []byte{0, 9, 0, 12, 0, 0, 1, 0, 1, 2, 3, 4}, []byte{0, 9, 0, 8, 0, 0, 1, 0}},
			{"Forward-TSN-Supported", new(ForwardTSNSupportedParam), []byte{0xc0, 0, 0, 8, 0, 0, 0, 0}, []byte{0xc0, 0, 0, 4}},
			{"Adaptation Layer Indication", new(AdaptationLayerIndicationParam), []byte{0xc0, 6, 0, 9, 0, 0, 0, 5, 1, 0, 0, 0},
				[]byte{0xc0, 6, 0, 8, 0, 0, 0, 5}},
			{"Success Indication", new(SuccessIndicationParam), []byte{0xc0, 5, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0}, []byte{0xc0, 5, 0, 8, 0, 0, 0, 1}},
		} {
			if err := tc.dec.Decode(mustParam(t, tc.in)); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got := tc.dec.Append(nil); !bytes.Equal(got, tc.canon) {
				t.Fatalf("%s: re-encoded %x, want %x", tc.name, got, tc.canon)
			}
		}
	})
	t.Run("causes", func(t *testing.T) {
		for _, tc := range []struct {
			name      string
			dec       causeDecoder
			in, canon []byte
		}{
			{"Invalid Stream Identifier", new(InvalidStreamIdentifierCause), []byte{0, 1, 0, 12, 0, 3, 0, 0, 1, 2, 3, 4}, []byte{0, 1, 0, 8, 0, 3, 0, 0}},
			{"Missing Mandatory Parameter", new(MissingMandatoryParameterCause), []byte{0, 2, 0, 12, 0, 0, 0, 1, 0, 7, 0, 9},
				[]byte{0, 2, 0, 10, 0, 0, 0, 1, 0, 7, 0, 0}},
			{"Stale Cookie", new(StaleCookieCause), []byte{0, 3, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0}, []byte{0, 3, 0, 8, 0, 0, 0, 1}},
			{"Out of Resource", new(OutOfResourceCause), []byte{0, 4, 0, 8, 0, 0, 0, 0}, []byte{0, 4, 0, 4}},
			{"Invalid Mandatory Parameter", new(InvalidMandatoryParameterCause), []byte{0, 7, 0, 5, 0, 0, 0, 0}, []byte{0, 7, 0, 4}},
			{"No User Data", new(NoUserDataCause), []byte{0, 9, 0, 9, 0, 0, 0, 4, 1, 0, 0, 0}, []byte{0, 9, 0, 8, 0, 0, 0, 4}},
			{"Cookie While Shutting Down", new(CookieWhileShuttingDownCause), []byte{0, 10, 0, 8, 0, 0, 0, 0}, []byte{0, 10, 0, 4}},
			// The length counting the two padding bytes.
			{"Unsupported HMAC Identifier", new(UnsupportedHMACIdentifierCause), []byte{1, 5, 0, 8, 0, 1, 0, 0}, []byte{1, 5, 0, 6, 0, 1, 0, 0}},
			{"Illegal ASCONF-ACK", new(IllegalASCONFAckCause), []byte{0, 0xa3, 0, 8, 0, 0, 0, 0}, []byte{0, 0xa3, 0, 4}},
		} {
			if err := tc.dec.Decode(parseCauseT(t, tc.in)); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got := tc.dec.Append(nil); !bytes.Equal(got, tc.canon) {
				t.Fatalf("%s: re-encoded %x, want %x", tc.name, got, tc.canon)
			}
		}
	})
}

// TestExactLengthsStay checks the lengths the package documentation keeps
// exact: a longer item is refused there, since its value is ambiguous or
// the RFC has it refused.
func TestExactLengthsStay(t *testing.T) {
	for _, tc := range []struct {
		name string
		dec  paramDecoder
		b    []byte
		rule string
	}{
		{"IPv4 Address", new(IPv4AddressParam), []byte{0, 5, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8}, "parameter length not 8"},
		{"IPv6 Address", new(IPv6AddressParam), append([]byte{0, 6, 0, 24}, make([]byte, 20)...), "parameter length not 20"},
		{"RANDOM", new(RandomParam), append([]byte{0x80, 2, 0, 40}, make([]byte, 36)...), "random number not 32 bytes"},
		{"SSN/TSN Reset Request", new(SSNTSNResetRequestParam), []byte{0, 15, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0}, "parameter length not 8"},
		{"Re-configuration Response", new(ReconfigResponseParam), []byte{0, 16, 0, 16, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0}, "parameter length neither 12 nor 20"},
	} {
		wantParseError(t, tc.dec.Decode(mustParam(t, tc.b)), 2, tc.rule)
	}
}
