package main

import (
	"github.com/rserpool/rserpool/sctp/wire"
)

// paramItems decodes a chunk's parameter list (INIT, INIT ACK, ASCONF,
// ASCONF-ACK, RE-CONFIG), one item per parameter. A list that stops
// being well-formed ends with the problem.
func paramItems(ps wire.Params) []item {
	var out []item
	it := ps.Iter()
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		out = append(out, paramItem(p))
	}
	if err := it.Err(); err != nil {
		out = append(out, problemItem(err))
	}
	return out
}

// paramItem decodes one SCTP parameter.
func paramItem(p wire.Param) item {
	it := item{name: p.Type().String()}
	dp, err := wire.DecodeParam(p)
	if err != nil {
		it.add("len", p.Len())
		it.add("error", problemItem(err))
		return it
	}
	switch v := dp.(type) {
	case *wire.HeartbeatInfoParam:
		it.add("len", len(v.Info))
	case *wire.IPv4AddressParam:
		it.addBare("addr", v.Addr.String())
	case *wire.IPv6AddressParam:
		it.addBare("addr", v.Addr.String())
	case *wire.StateCookieParam:
		it.add("len", len(v.Cookie))
	case *wire.UnrecognizedParameterParam:
		it.add("param", v.UnrecognizedType().String())
	case *wire.CookiePreservativeParam:
		it.add("increment_ms", v.Increment)
	case *wire.HostNameAddressParam:
		it.addBare("name", quoted(v.HostName))
	case *wire.SupportedAddressTypesParam:
		types := make(list, v.Types.Len())
		for i := range types {
			types[i] = addrTypeName(v.Types.At(i))
		}
		it.addBare("types", types)
	case *wire.OutgoingSSNResetRequestParam:
		it.add("req_seq", v.ReqSeq)
		it.add("resp_seq", v.RespSeq)
		it.add("last_tsn", uint32(v.SendersLastTSN))
		it.add("streams", streamIDs(v.Streams))
	case *wire.IncomingSSNResetRequestParam:
		it.add("req_seq", v.ReqSeq)
		it.add("streams", streamIDs(v.Streams))
	case *wire.SSNTSNResetRequestParam:
		it.add("req_seq", v.ReqSeq)
	case *wire.ReconfigResponseParam:
		it.add("resp_seq", v.RespSeq)
		it.add("result", v.Result.String())
		if v.HasNextTSNs {
			it.add("sender_next_tsn", uint32(v.SendersNextTSN))
			it.add("receiver_next_tsn", uint32(v.ReceiversNextTSN))
		}
	case *wire.AddOutgoingStreamsParam:
		it.add("req_seq", v.ReqSeq)
		it.add("new_streams", v.NumNewStreams)
	case *wire.AddIncomingStreamsParam:
		it.add("req_seq", v.ReqSeq)
		it.add("new_streams", v.NumNewStreams)
	case *wire.RandomParam:
		it.add("len", len(v.Random))
	case *wire.ChunkListParam:
		it.addBare("chunks", chunkTypes(v.Chunks))
	case *wire.RequestedHMACAlgorithmParam:
		ids := make(list, v.IDs.Len())
		for i := range ids {
			ids[i] = v.IDs.At(i).String()
		}
		it.addBare("hmac_ids", ids)
	case *wire.PaddingParam:
		it.add("size", v.Size)
	case *wire.SupportedExtensionsParam:
		it.addBare("chunks", chunkTypes(v.Chunks))
	case *wire.ForwardTSNSupportedParam:
	case *wire.AddIPAddressParam:
		it.add("corr", v.CorrelationID)
		it.add("addr", v.Addr.String())
	case *wire.DeleteIPAddressParam:
		it.add("corr", v.CorrelationID)
		it.add("addr", v.Addr.String())
	case *wire.SetPrimaryAddressParam:
		it.add("corr", v.CorrelationID)
		it.add("addr", v.Addr.String())
	case *wire.ErrorCauseIndicationParam:
		it.add("corr", v.CorrelationID)
		it.add("causes", causeItems(v.Causes))
	case *wire.SuccessIndicationParam:
		it.add("corr", v.CorrelationID)
	case *wire.AdaptationLayerIndicationParam:
		it.add("indication", hex32(v.Indication))
	case *wire.RawParam:
		// No codec: ECN Capable (reserved by RFC 9260) or an unknown
		// type, whose upper two bits say what a receiver does with it.
		if len(v.Value) > 0 {
			it.add("value_len", len(v.Value))
		}
		if v.Type != wire.ParamECNCapable {
			it.add("action", sctpAction(v.Type.UnknownAction()))
		}
	}
	return it
}

// causeItems decodes the error causes of ABORT, ERROR and the Error
// Cause Indication parameter.
func causeItems(cs wire.Causes) []item {
	var out []item
	it := cs.Iter()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		out = append(out, causeItem(c))
	}
	if err := it.Err(); err != nil {
		out = append(out, problemItem(err))
	}
	return out
}

// causeItem decodes one SCTP error cause.
func causeItem(c wire.Cause) item {
	it := item{name: c.Code().String()}
	dc, err := wire.DecodeCause(c)
	if err != nil {
		it.add("len", c.Len())
		it.add("error", problemItem(err))
		return it
	}
	switch v := dc.(type) {
	case *wire.InvalidStreamIdentifierCause:
		it.add("sid", uint16(v.Stream))
	case *wire.MissingMandatoryParameterCause:
		missing := make(list, v.Missing.Len())
		for i := range missing {
			missing[i] = v.Missing.At(i).String()
		}
		it.add("missing", missing)
	case *wire.StaleCookieCause:
		it.add("staleness_us", v.Staleness)
	case *wire.UnresolvableAddressCause:
		it.add("address", nestedParam(v.Address))
	case *wire.UnrecognizedChunkTypeCause:
		it.add("chunk", v.UnrecognizedType().String())
	case *wire.UnrecognizedParametersCause:
		it.add("params", paramItems(v.Params))
	case *wire.NoUserDataCause:
		it.add("tsn", uint32(v.TSN))
	case *wire.RestartWithNewAddressesCause:
		it.add("addresses", paramItems(v.Addresses))
	case *wire.UserInitiatedAbortCause:
		it.add("reason", quoted(v.Reason))
	case *wire.ProtocolViolationCause:
		it.add("info", quoted(v.Info))
	case *wire.UnsupportedHMACIdentifierCause:
		it.add("hmac_id", v.HMACID.String())
	case *wire.DeleteLastRemainingAddressCause:
		it.add("request", nestedParam(v.Param))
	case *wire.ResourceShortageCause:
		it.add("request", nestedParam(v.Param))
	case *wire.DeleteSourceAddressCause:
		it.add("request", nestedParam(v.Param))
	case *wire.NoAuthorizationCause:
		it.add("request", nestedParam(v.Param))
	case *wire.RawCause:
		it.add("len", c.Len())
	}
	return it
}

// nestedParam decodes the parameter an error cause quotes. Its offsets
// count from the start of the quoted copy.
func nestedParam(b []byte) item {
	p, err := wire.ParseParam(b)
	if err != nil {
		return problemItem(err)
	}
	return paramItem(p)
}

// addrTypeName is the short name of an address type of the Supported
// Address Types parameter (RFC 9260 §3.3.2.1.5).
func addrTypeName(t wire.ParamType) string {
	switch t {
	case wire.ParamIPv4Address:
		return "IPv4"
	case wire.ParamIPv6Address:
		return "IPv6"
	case wire.ParamHostNameAddress:
		return "HostName"
	}
	return t.String()
}

func chunkTypes(ts wire.ChunkTypes) list {
	out := make(list, ts.Len())
	for i := range out {
		out[i] = ts.At(i).String()
	}
	return out
}

func streamIDs(ids wire.StreamIDList) list {
	out := make(list, ids.Len())
	for i := range out {
		out[i] = uint16(ids.At(i))
	}
	return out
}
