package wire

import (
	"bytes"
	"testing"
)

func TestReconfigParamsWire(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   paramDecoder
		out  paramDecoder
		want []byte
	}{
		// RFC 6525 §4.1: length 16 + 2N; three streams leave two bytes
		// of padding.
		{"outgoing reset", &OutgoingSSNResetRequestParam{ReqSeq: 1, RespSeq: 2, SendersLastTSN: 3, Streams: StreamIDListOf([]StreamID{4, 5, 6})},
			new(OutgoingSSNResetRequestParam),
			[]byte{0, 13, 0, 22, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 4, 0, 5, 0, 6, 0, 0}},
		{"outgoing reset, all streams", &OutgoingSSNResetRequestParam{ReqSeq: 0xffffffff, RespSeq: 0xfffffffe, SendersLastTSN: 0x01020304},
			new(OutgoingSSNResetRequestParam),
			[]byte{0, 13, 0, 16, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 1, 2, 3, 4}},
		// §4.2: length 8 + 2N.
		{"incoming reset", &IncomingSSNResetRequestParam{ReqSeq: 7, Streams: StreamIDListOf([]StreamID{0xabcd})},
			new(IncomingSSNResetRequestParam),
			[]byte{0, 14, 0, 10, 0, 0, 0, 7, 0xab, 0xcd, 0, 0}},
		// §4.3.
		{"SSN/TSN reset", &SSNTSNResetRequestParam{ReqSeq: 8}, new(SSNTSNResetRequestParam),
			[]byte{0, 15, 0, 8, 0, 0, 0, 8}},
		// §4.4: 12 without the optional TSNs, 20 with them.
		{"response", &ReconfigResponseParam{RespSeq: 9, Result: ReconfigSuccessPerformed}, new(ReconfigResponseParam),
			[]byte{0, 16, 0, 12, 0, 0, 0, 9, 0, 0, 0, 1}},
		{"response with TSNs", &ReconfigResponseParam{RespSeq: 9, Result: ReconfigInProgress, HasNextTSNs: true, SendersNextTSN: 100, ReceiversNextTSN: 200},
			new(ReconfigResponseParam),
			[]byte{0, 16, 0, 20, 0, 0, 0, 9, 0, 0, 0, 6, 0, 0, 0, 100, 0, 0, 0, 200}},
		// §4.5, §4.6.
		{"add outgoing", &AddOutgoingStreamsParam{ReqSeq: 10, NumNewStreams: 3}, new(AddOutgoingStreamsParam),
			[]byte{0, 17, 0, 12, 0, 0, 0, 10, 0, 3, 0, 0}},
		{"add incoming", &AddIncomingStreamsParam{ReqSeq: 11, NumNewStreams: 0xffff}, new(AddIncomingStreamsParam),
			[]byte{0, 18, 0, 12, 0, 0, 0, 11, 0xff, 0xff, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			enc := roundTripParam(t, tc.in, tc.out)
			if !bytes.Equal(enc, tc.want) {
				t.Fatalf("got  %x\nwant %x", enc, tc.want)
			}
		})
	}
}

func TestReconfigParamsDecodedFields(t *testing.T) {
	var o OutgoingSSNResetRequestParam
	if err := o.Decode(parseParamT(t, []byte{0, 13, 0, 20, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 4, 0xff, 0xff})); err != nil {
		t.Fatal(err)
	}
	if o.ReqSeq != 1 || o.RespSeq != 2 || o.SendersLastTSN != 3 || o.Streams.Len() != 2 || o.Streams.At(0) != 4 || o.Streams.At(1) != 0xffff {
		t.Fatalf("decoded %+v", o)
	}
	var r ReconfigResponseParam
	// Decoding a short response clears the TSNs a long one left behind.
	if err := r.Decode(parseParamT(t, []byte{0, 16, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 6})); err != nil ||
		!r.HasNextTSNs || r.SendersNextTSN != 5 || r.ReceiversNextTSN != 6 {
		t.Fatalf("long response: %v %+v", err, r)
	}
	if err := r.Decode(parseParamT(t, []byte{0, 16, 0, 12, 0, 0, 0, 1, 0, 0, 0, 2})); err != nil ||
		r.HasNextTSNs || r.SendersNextTSN != 0 || r.ReceiversNextTSN != 0 || r.Result != ReconfigDenied {
		t.Fatalf("short response: %v %+v", err, r)
	}
	// TSNs without HasNextTSNs are not sent.
	if n := len((&ReconfigResponseParam{SendersNextTSN: 1, ReceiversNextTSN: 2}).Append(nil)); n != 12 {
		t.Fatalf("response without HasNextTSNs: %d bytes", n)
	}
	// The reserved field of the add-streams requests is ignored.
	var a AddIncomingStreamsParam
	if err := a.Decode(parseParamT(t, []byte{0, 18, 0, 12, 0, 0, 0, 1, 0, 2, 0xff, 0xff})); err != nil || a.NumNewStreams != 2 {
		t.Fatalf("add incoming: %v %+v", err, a)
	}
	if got := a.Append(nil); got[10] != 0 || got[11] != 0 {
		t.Fatalf("reserved sent as %x", got[10:])
	}
}

func TestReconfigResultString(t *testing.T) {
	for r, want := range map[ReconfigResult]string{
		ReconfigSuccessNothingToDo:     "Success - Nothing to do",
		ReconfigSuccessPerformed:       "Success - Performed",
		ReconfigDenied:                 "Denied",
		ReconfigErrorWrongSSN:          "Error - Wrong SSN",
		ReconfigErrorRequestInProgress: "Error - Request already in progress",
		ReconfigErrorBadSequenceNumber: "Error - Bad Sequence Number",
		ReconfigInProgress:             "In progress",
		7:                              "result 7",
		0xffffffff:                     "result 4294967295",
	} {
		if got := r.String(); got != want {
			t.Fatalf("%d: %q, want %q", uint32(r), got, want)
		}
	}
}

func TestReconfigParamsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		dec  paramDecoder
		b    []byte
		off  int
		rule string
	}{
		{"wrong type", new(IncomingSSNResetRequestParam), []byte{0, 13, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, "parameter is a Outgoing SSN Reset Request"},
		{"outgoing short", new(OutgoingSSNResetRequestParam), []byte{0, 13, 0, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 2, "parameter length below 16"},
		{"outgoing odd", new(OutgoingSSNResetRequestParam), []byte{0, 13, 0, 17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 2, "stream number list of odd length"},
		{"incoming short", new(IncomingSSNResetRequestParam), []byte{0, 14, 0, 6, 0, 0}, 2, "parameter length below 8"},
		{"incoming odd", new(IncomingSSNResetRequestParam), []byte{0, 14, 0, 11, 0, 0, 0, 1, 0, 1, 2}, 2, "stream number list of odd length"},
		{"SSN/TSN long", new(SSNTSNResetRequestParam), []byte{0, 15, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0}, 2, "parameter length not 8"},
		{"response 16", new(ReconfigResponseParam), []byte{0, 16, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, 2, "parameter length neither 12 nor 20"},
		{"response 8", new(ReconfigResponseParam), []byte{0, 16, 0, 8, 0, 0, 0, 1}, 2, "parameter length neither 12 nor 20"},
		{"add outgoing short", new(AddOutgoingStreamsParam), []byte{0, 17, 0, 8, 0, 0, 0, 1}, 2, "parameter length not 12"},
		{"add incoming long", new(AddIncomingStreamsParam), []byte{0, 18, 0, 16, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0}, 2, "parameter length not 12"},
		{"add incoming is outgoing", new(AddIncomingStreamsParam), []byte{0, 17, 0, 12, 0, 0, 0, 1, 0, 1, 0, 0}, 0, "parameter is a Add Outgoing Streams Request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantParseError(t, tc.dec.Decode(parseParamT(t, tc.b)), tc.off, tc.rule)
		})
	}
}

func TestReconfigChunk(t *testing.T) {
	// RFC 6525 §3.1 with combination 3: an Outgoing SSN Reset Request
	// (22 bytes, padded) and an Incoming SSN Reset Request (10 bytes, its
	// padding left to the chunk).
	out := &OutgoingSSNResetRequestParam{ReqSeq: 1, RespSeq: 2, SendersLastTSN: 3, Streams: StreamIDListOf([]StreamID{4, 5, 6})}
	in := &IncomingSSNResetRequestParam{ReqSeq: 2, Streams: StreamIDListOf([]StreamID{1})}
	r := Reconfig{Params: MakeParams(AppendParams(nil, out, in))}
	want := append([]byte{130, 0, 0, 38}, out.Append(nil)...)
	want = append(want, in.Append(nil)...)
	enc := roundTripChunk(t, &r, new(Reconfig))
	if !bytes.Equal(enc, want) || len(enc) != 40 {
		t.Fatalf("got  %x\nwant %x", enc, want)
	}
	var dec Reconfig
	if err := dec.Decode(inPacket(t, enc)); err != nil {
		t.Fatal(err)
	}
	it := dec.Params.Iter()
	_, _ = it.Next()
	p, ok := it.Next()
	var got IncomingSSNResetRequestParam
	if !ok || p.Offset() != 12+4+24 || got.Decode(p) != nil || got.ReqSeq != 2 || got.Streams.Len() != 1 || got.Streams.At(0) != 1 {
		t.Fatalf("second parameter at %d: %+v", p.Offset(), got)
	}
}

func TestReconfigChunkErrors(t *testing.T) {
	var r Reconfig
	wantParseError(t, r.Decode(mustChunk(t, []byte{132, 0, 0, 4})), 0, "chunk is a PAD")
	wantParseError(t, r.Decode(inPacket(t, []byte{130, 0, 0, 8, 0, 15, 0, 2})), 18, "length below 4")
	wantParseError(t, r.Decode(inPacket(t, []byte{130, 0, 0, 6, 0, 15, 0, 0})), 16, "fewer than 4 bytes left for a header")
}

func TestReconfigAllowedCombination(t *testing.T) {
	p := map[ParamType][]byte{
		ParamOutgoingSSNResetRequest: (&OutgoingSSNResetRequestParam{}).Append(nil),
		ParamIncomingSSNResetRequest: (&IncomingSSNResetRequestParam{}).Append(nil),
		ParamSSNTSNResetRequest:      (&SSNTSNResetRequestParam{}).Append(nil),
		ParamReconfigResponse:        (&ReconfigResponseParam{}).Append(nil),
		ParamAddOutgoingStreams:      (&AddOutgoingStreamsParam{}).Append(nil),
		ParamAddIncomingStreams:      (&AddIncomingStreamsParam{}).Append(nil),
		ParamHeartbeatInfo:           (&RawParam{Type: ParamHeartbeatInfo}).Append(nil),
	}
	const (
		out  = ParamOutgoingSSNResetRequest
		in   = ParamIncomingSSNResetRequest
		tsn  = ParamSSNTSNResetRequest
		resp = ParamReconfigResponse
		aout = ParamAddOutgoingStreams
		ain  = ParamAddIncomingStreams
	)
	for _, tc := range []struct {
		types []ParamType
		ok    bool
	}{
		// The ten combinations of §3.1.
		{[]ParamType{out}, true},
		{[]ParamType{in}, true},
		{[]ParamType{out, in}, true},
		{[]ParamType{tsn}, true},
		{[]ParamType{aout}, true},
		{[]ParamType{ain}, true},
		{[]ParamType{aout, ain}, true},
		{[]ParamType{resp}, true},
		{[]ParamType{resp, out}, true},
		{[]ParamType{resp, resp}, true},
		// The pairs in the other order.
		{[]ParamType{in, out}, true},
		{[]ParamType{ain, aout}, true},
		{[]ParamType{out, resp}, true},
		// Anything else.
		{nil, false},
		{[]ParamType{in, in}, false},
		{[]ParamType{out, out}, false},
		{[]ParamType{resp, in}, false},
		{[]ParamType{tsn, resp}, false},
		{[]ParamType{tsn, tsn}, false},
		{[]ParamType{aout, aout}, false},
		{[]ParamType{out, aout}, false},
		{[]ParamType{resp, resp, resp}, false},
		{[]ParamType{ParamHeartbeatInfo}, false},
		{[]ParamType{resp, ParamHeartbeatInfo}, false},
	} {
		var list []byte
		for _, typ := range tc.types {
			list = append(list, p[typ]...)
		}
		r := Reconfig{Params: MakeParams(list)}
		if got := r.AllowedCombination(); got != tc.ok {
			t.Fatalf("%v: AllowedCombination %v, want %v", tc.types, got, tc.ok)
		}
	}
	// A malformed list is no allowed combination.
	r := Reconfig{Params: MakeParams([]byte{0, 13, 0, 2})}
	if r.AllowedCombination() {
		t.Fatal("malformed list allowed")
	}
}

func TestReconfigStreamsNoAlloc(t *testing.T) {
	ids := make([]StreamID, 100)
	for i := range ids {
		ids[i] = StreamID(i)
	}
	in := OutgoingSSNResetRequestParam{ReqSeq: 1, Streams: StreamIDListOf(ids)}
	buf := make([]byte, 0, 512)
	var out OutgoingSSNResetRequestParam
	if n := testing.AllocsPerRun(50, func() {
		p, _ := ParseParam(in.Append(buf[:0]))
		if out.Decode(p) != nil || out.Streams.Len() != 100 || out.Streams.At(99) != 99 {
			panic("decode")
		}
	}); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
