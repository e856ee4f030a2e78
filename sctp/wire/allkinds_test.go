package wire_test

import (
	"net/netip"

	"github.com/rserpool/rserpool/sctp/wire"
)

// kindsPacket is one packet of the catalogue below, with what a decoder
// should name in it.
type kindsPacket struct {
	chunks []wire.Chunker
	params []wire.ParamType // every parameter type inside, in order
	causes []wire.CauseCode // every error cause inside, in order
}

// allKinds returns packets that together hold at least one of every chunk
// type, parameter type and error cause this package encodes. Each chunk
// type that can be bundled is alone in its packet, so the packet's
// position says which chunk it is meant to hold.
func allKinds() []kindsPacket {
	v4 := netip.MustParseAddr("127.0.0.1")
	v6 := netip.MustParseAddr("::1")
	random := make([]byte, 32)
	for i := range random {
		random[i] = byte(i)
	}
	params := func(ps ...wire.Parameter) wire.Params { return wire.MakeParams(wire.AppendParams(nil, ps...)) }
	causes := func(cs ...wire.ErrorCause) wire.Causes { return wire.MakeCauses(wire.AppendCauses(nil, cs...)) }
	unknownParam := (&wire.RawParam{Type: 0xc00f, Value: []byte{1, 2, 3, 4}}).Append(nil)

	initParams := []wire.Parameter{
		&wire.IPv4AddressParam{Addr: v4},
		&wire.IPv6AddressParam{Addr: v6},
		&wire.CookiePreservativeParam{Increment: 1000},
		&wire.HostNameAddressParam{HostName: []byte("localhost")},
		&wire.SupportedAddressTypesParam{Types: wire.MakeParamTypes(wire.ParamIPv4Address, wire.ParamIPv6Address)},
		&wire.ForwardTSNSupportedParam{},
		&wire.SupportedExtensionsParam{Chunks: wire.MakeChunkTypes(wire.ChunkForwardTSN, wire.ChunkAuth, wire.ChunkASCONF, wire.ChunkASCONFAck, wire.ChunkReconfig, wire.ChunkIData, wire.ChunkIForwardTSN)},
		&wire.RandomParam{Random: random},
		&wire.ChunkListParam{Chunks: wire.MakeChunkTypes(wire.ChunkASCONF, wire.ChunkASCONFAck)},
		&wire.RequestedHMACAlgorithmParam{IDs: wire.MakeHMACIDs(wire.HMACSHA256, wire.HMACSHA1)},
		&wire.AdaptationLayerIndicationParam{Indication: 0x01020304},
		&wire.PaddingParam{Size: 8},
	}
	initAckParams := []wire.Parameter{
		&wire.StateCookieParam{Cookie: []byte("a state cookie of some length")},
		&wire.IPv4AddressParam{Addr: v4},
		&wire.UnrecognizedParameterParam{Param: unknownParam},
	}
	typesOf := func(ps []wire.Parameter) []wire.ParamType {
		var ts []wire.ParamType
		for _, p := range ps {
			ts = append(ts, p.ParamType())
		}
		return ts
	}
	causeList := []wire.ErrorCause{
		&wire.InvalidStreamIdentifierCause{Stream: 7},
		&wire.MissingMandatoryParameterCause{Missing: wire.MakeParamTypes(wire.ParamStateCookie)},
		&wire.StaleCookieCause{Staleness: 1500},
		&wire.OutOfResourceCause{},
		&wire.UnresolvableAddressCause{Address: (&wire.HostNameAddressParam{HostName: []byte("nowhere")}).Append(nil)},
		&wire.UnrecognizedChunkTypeCause{Chunk: []byte{0xff, 0, 0, 4}},
		&wire.InvalidMandatoryParameterCause{},
		&wire.UnrecognizedParametersCause{Params: wire.MakeParams(unknownParam)},
		&wire.NoUserDataCause{TSN: 99},
		&wire.CookieWhileShuttingDownCause{},
		&wire.RestartWithNewAddressesCause{Addresses: params(&wire.IPv4AddressParam{Addr: v4})},
		&wire.UserInitiatedAbortCause{Reason: []byte("bye")},
		&wire.ProtocolViolationCause{Info: []byte("bad")},
		&wire.UnsupportedHMACIdentifierCause{HMACID: 2},
		&wire.DeleteLastRemainingAddressCause{Param: (&wire.DeleteIPAddressParam{CorrelationID: 1, Addr: v4}).Append(nil)},
		&wire.ResourceShortageCause{Param: (&wire.AddIPAddressParam{CorrelationID: 2, Addr: v4}).Append(nil)},
		&wire.DeleteSourceAddressCause{Param: (&wire.DeleteIPAddressParam{CorrelationID: 3, Addr: v4}).Append(nil)},
		&wire.IllegalASCONFAckCause{},
		&wire.NoAuthorizationCause{Param: (&wire.SetPrimaryAddressParam{CorrelationID: 4, Addr: v4}).Append(nil)},
	}
	codesOf := func(cs []wire.ErrorCause) []wire.CauseCode {
		var out []wire.CauseCode
		for _, c := range cs {
			out = append(out, c.CauseCode())
		}
		return out
	}
	asconfParams := []wire.Parameter{
		&wire.AddIPAddressParam{CorrelationID: 1, Addr: v4},
		&wire.DeleteIPAddressParam{CorrelationID: 2, Addr: v6},
		&wire.SetPrimaryAddressParam{CorrelationID: 3, Addr: v4},
	}
	asconfAckParams := []wire.Parameter{
		&wire.SuccessIndicationParam{CorrelationID: 1},
		&wire.ErrorCauseIndicationParam{CorrelationID: 2, Causes: causes(&wire.DeleteLastRemainingAddressCause{Param: (&wire.DeleteIPAddressParam{CorrelationID: 2, Addr: v6}).Append(nil)})},
	}
	streams := wire.StreamIDListOf([]wire.StreamID{1, 2})
	reconfigs := [][]wire.Parameter{
		{&wire.OutgoingSSNResetRequestParam{ReqSeq: 1, RespSeq: 0, SendersLastTSN: 9, Streams: streams},
			&wire.IncomingSSNResetRequestParam{ReqSeq: 2, Streams: streams}},
		{&wire.SSNTSNResetRequestParam{ReqSeq: 3}},
		{&wire.ReconfigResponseParam{RespSeq: 1, Result: 1}},
		{&wire.ReconfigResponseParam{RespSeq: 3, Result: 1, HasNextTSNs: true, SendersNextTSN: 100, ReceiversNextTSN: 200}},
		{&wire.AddOutgoingStreamsParam{ReqSeq: 4, NumNewStreams: 2}, &wire.AddIncomingStreamsParam{ReqSeq: 5, NumNewStreams: 3}},
	}

	pkts := []kindsPacket{
		{chunks: []wire.Chunker{&wire.Init{InitiateTag: 1, ARwnd: 65536, OutStreams: 10, InStreams: 10, InitialTSN: 1, Params: params(initParams...)}}, params: typesOf(initParams)},
		{chunks: []wire.Chunker{&wire.InitAck{InitiateTag: 2, ARwnd: 65536, OutStreams: 10, InStreams: 10, InitialTSN: 1, Params: params(initAckParams...)}}, params: typesOf(initAckParams)},
		{chunks: []wire.Chunker{&wire.CookieEcho{Cookie: []byte("a state cookie of some length")}}},
		{chunks: []wire.Chunker{&wire.CookieAck{}}},
		{chunks: []wire.Chunker{&wire.Data{DataFlags: wire.DataFlags{Beginning: true, Ending: true, Immediate: true}, TSN: 1, Stream: 1, SSN: 0, PPID: 0, UserData: []byte("hello")}}},
		{chunks: []wire.Chunker{&wire.IData{DataFlags: wire.DataFlags{Beginning: true}, TSN: 2, Stream: 1, MID: 0, PPID: 0, UserData: []byte("first part")}}},
		{chunks: []wire.Chunker{&wire.Sack{CumTSNAck: 1, ARwnd: 65536,
			GapBlocks: wire.GapBlockListOf([]wire.GapBlock{{Start: 2, End: 3}, {Start: 5, End: 5}}),
			DupTSNs:   wire.TSNListOf([]wire.TSN{1})}}},
		{chunks: []wire.Chunker{&wire.Heartbeat{Info: []byte("heartbeat info")}}, params: []wire.ParamType{wire.ParamHeartbeatInfo}},
		{chunks: []wire.Chunker{&wire.HeartbeatAck{Info: []byte("heartbeat info")}}, params: []wire.ParamType{wire.ParamHeartbeatInfo}},
		{chunks: []wire.Chunker{&wire.Abort{TBit: true, Causes: causes(&wire.UserInitiatedAbortCause{Reason: []byte("going away")})}}, causes: []wire.CauseCode{wire.CauseUserInitiatedAbort}},
		{chunks: []wire.Chunker{&wire.ErrorChunk{Causes: causes(causeList...)}}, causes: codesOf(causeList)},
		{chunks: []wire.Chunker{&wire.Shutdown{CumTSNAck: 5}}},
		{chunks: []wire.Chunker{&wire.ShutdownAck{}}},
		{chunks: []wire.Chunker{&wire.ShutdownComplete{TBit: true}}},
		{chunks: []wire.Chunker{&wire.ForwardTSN{NewCumulativeTSN: 10, Streams: wire.ForwardTSNStreamListOf([]wire.ForwardTSNStream{{Stream: 1, SSN: 4}})}}},
		{chunks: []wire.Chunker{&wire.IForwardTSN{NewCumulativeTSN: 11, Streams: wire.IForwardTSNStreamListOf([]wire.IForwardTSNStream{{Stream: 1, Unordered: true, MID: 3}})}}},
		{chunks: []wire.Chunker{&wire.ASCONF{Seq: 1, Addr: v4, Params: params(asconfParams...)}},
			params: append([]wire.ParamType{wire.ParamIPv4Address}, typesOf(asconfParams)...)},
		{chunks: []wire.Chunker{&wire.ASCONFAck{Seq: 1, Params: params(asconfAckParams...)}}, params: typesOf(asconfAckParams), causes: []wire.CauseCode{wire.CauseDeleteLastRemainingAddress}},
		{chunks: []wire.Chunker{&wire.Auth{SharedKeyID: 0, HMACID: wire.HMACSHA256, HMAC: make([]byte, 32)},
			&wire.Data{DataFlags: wire.DataFlags{Beginning: true, Ending: true}, TSN: 3, Stream: 0, PPID: 0, UserData: []byte("authenticated")}}},
		{chunks: []wire.Chunker{&wire.Pad{Size: 40}}},
	}
	for _, rc := range reconfigs {
		pkts = append(pkts, kindsPacket{chunks: []wire.Chunker{&wire.Reconfig{Params: params(rc...)}}, params: typesOf(rc)})
	}
	return pkts
}
