package main

import (
	"github.com/rserpool/rserpool/asap/msg"
)

// messageItem decodes one ASAP or ENRP message, carried in SCTP user
// data or a UDP datagram. A message that does not decode is shown by the
// type its header names, with the problem under it.
func (d *decoder) messageItem(proto msg.Protocol, b []byte, overUDP bool) item {
	m, err := msg.DecodeMessage(proto, b)
	if err != nil {
		d.stats.badMessages++
		name := proto.String() + " message"
		if len(b) > 0 {
			name = msg.MessageType(uint16(proto)<<8 | uint16(b[0])).String()
		}
		it := item{name: name}
		it.add("len", len(b))
		it.add("error", problemItem(err))
		return it
	}
	d.stats.message(m.MessageType(), overUDP)
	return describeMessage(m)
}

// describeMessage lists a decoded message's main fields: the pool
// handle, the identifiers of PEs and servers, the flags, and the pool
// elements and servers it carries, one nested item each.
func describeMessage(m msg.Message) item {
	it := item{name: m.MessageType().String()}
	var unrec msg.Unrecognized
	switch v := m.(type) {
	case *msg.Registration:
		it.add("handle", quoted(v.PoolHandle))
		it.add("pe", peItem(&v.PoolElement))
		unrec = v.Unrecognized
	case *msg.Deregistration:
		it.add("handle", quoted(v.PoolHandle))
		it.add("pe_id", hex32(v.ID))
		unrec = v.Unrecognized
	case *msg.RegistrationResponse:
		it.add("reject", v.Reject)
		it.add("handle", quoted(v.PoolHandle))
		it.add("pe_id", hex32(v.ID))
		addOpError(&it, &v.Error)
		unrec = v.Unrecognized
	case *msg.DeregistrationResponse:
		it.add("handle", quoted(v.PoolHandle))
		it.add("pe_id", hex32(v.ID))
		addOpError(&it, &v.Error)
		unrec = v.Unrecognized
	case *msg.HandleResolution:
		it.add("subscribe", v.Subscribe)
		it.add("handle", quoted(v.PoolHandle))
		if v.HasItems {
			it.add("items", v.Items)
		}
		unrec = v.Unrecognized
	case *msg.HandleResolutionResponse:
		it.add("accept", v.Accept)
		it.add("handle", quoted(v.PoolHandle))
		if !v.Policy.IsZero() {
			it.add("policy", newPolicy(&v.Policy))
		}
		it.add("pe_count", v.PoolElements.Count())
		it.add("pes", peItems(v.PoolElements))
		addOpError(&it, &v.Error)
		unrec = v.Unrecognized
	case *msg.EndpointKeepAlive:
		it.add("home", v.Home)
		it.add("server_id", hex32(v.ServerID))
		it.add("handle", quoted(v.PoolHandle))
		if v.HasID {
			it.add("pe_id", hex32(v.ID))
		}
		unrec = v.Unrecognized
	case *msg.EndpointKeepAliveAck:
		it.add("handle", quoted(v.PoolHandle))
		it.add("pe_id", hex32(v.ID))
		unrec = v.Unrecognized
	case *msg.EndpointUnreachable:
		it.add("handle", quoted(v.PoolHandle))
		it.add("pe_id", hex32(v.ID))
		unrec = v.Unrecognized
	case *msg.ServerAnnounce:
		it.add("server_id", hex32(v.ServerID))
		var ts list
		var t msg.Transport
		iter := v.Transports.Iter()
		for iter.Next(&t) {
			ts = append(ts, newTransport(&t))
		}
		it.add("transports", ts)
		if err := iter.Err(); err != nil {
			it.add("error", problemItem(err))
		}
		unrec = v.Unrecognized
	case *msg.Cookie:
		it.add("cookie_len", len(v.Cookie))
		unrec = v.Unrecognized
	case *msg.CookieEcho:
		it.add("cookie_len", len(v.Cookie))
		unrec = v.Unrecognized
	case *msg.BusinessCard:
		it.add("handle", quoted(v.PoolHandle))
		it.add("pe_count", v.PoolElements.Count())
		it.add("pes", peItems(v.PoolElements))
		unrec = v.Unrecognized
	case *msg.ASAPError:
		addOpError(&it, &v.Error)
		unrec = v.Unrecognized
	case *msg.Presence:
		it.add("reply_required", v.ReplyRequired)
		addServers(&it, v.Servers)
		if !v.NoChecksum {
			it.add("checksum", hex16(v.Checksum))
		}
		if !v.ServerInfo.IsZero() {
			it.add("server_info", serverInfoItem(&v.ServerInfo))
		}
		unrec = v.Unrecognized
	case *msg.HandleTableRequest:
		it.add("own_children_only", v.OwnChildrenOnly)
		addServers(&it, v.Servers)
		unrec = v.Unrecognized
	case *msg.HandleTableResponse:
		it.add("more_to_send", v.MoreToSend)
		it.add("reject", v.Reject)
		addServers(&it, v.Servers)
		it.add("pool_count", v.Entries.Count())
		var pools []item
		var e msg.PoolEntry
		iter := v.Entries.Iter()
		for iter.Next(&e) {
			pool := item{name: "pool"}
			pool.add("handle", quoted(e.PoolHandle))
			pool.add("pe_count", e.PoolElements.Count())
			pool.add("pes", peItems(e.PoolElements))
			pools = append(pools, pool)
		}
		if err := iter.Err(); err != nil {
			pools = append(pools, problemItem(err))
		}
		it.add("pools", pools)
		unrec = v.Unrecognized
	case *msg.HandleUpdate:
		it.add("takeover_suggested", v.TakeoverSuggested)
		addServers(&it, v.Servers)
		it.add("action", v.Action.String())
		it.add("handle", quoted(v.PoolHandle))
		it.add("pe", peItem(&v.PoolElement))
		unrec = v.Unrecognized
	case *msg.ListRequest:
		addServers(&it, v.Servers)
		unrec = v.Unrecognized
	case *msg.ListResponse:
		it.add("reject", v.Reject)
		addServers(&it, v.Servers)
		var peers []item
		var s msg.ServerInformation
		iter := v.Peers.Iter()
		for iter.Next(&s) {
			peers = append(peers, serverInfoItem(&s))
		}
		if err := iter.Err(); err != nil {
			peers = append(peers, problemItem(err))
		}
		it.add("peer_count", v.Peers.Count())
		it.add("peers", peers)
		unrec = v.Unrecognized
	case *msg.InitTakeover:
		addServers(&it, v.Servers)
		it.add("target", hex32(v.Target))
		unrec = v.Unrecognized
	case *msg.InitTakeoverAck:
		addServers(&it, v.Servers)
		it.add("target", hex32(v.Target))
		unrec = v.Unrecognized
	case *msg.TakeoverServer:
		addServers(&it, v.Servers)
		it.add("target", hex32(v.Target))
		unrec = v.Unrecognized
	case *msg.ENRPError:
		addServers(&it, v.Servers)
		addOpError(&it, &v.Error)
		unrec = v.Unrecognized
	}
	addUnrecognized(&it, unrec)
	return it
}

// addServers adds the sender and receiver server identifiers every ENRP
// message starts with (RFC 5353 §2); a receiver of 0 means the message is
// not addressed to one server.
func addServers(it *item, s msg.Servers) {
	it.add("sender", hex32(s.Sender))
	it.add("receiver", hex32(s.Receiver))
}

// peItem describes a Pool Element parameter (RFC 5354 §3.10).
func peItem(pe *msg.PoolElement) item {
	it := item{name: "PE"}
	it.add("pe_id", hex32(pe.ID))
	it.add("home", hex32(pe.HomeServer))
	// rsplib counts the lifetime in milliseconds, RFC 5354 in seconds;
	// the number is shown as it is on the wire.
	it.add("life", pe.RegistrationLife)
	it.add("transport", newTransport(&pe.UserTransport))
	it.add("policy", newPolicy(&pe.Policy))
	if !pe.ASAPTransport.IsZero() {
		it.add("asap_transport", newTransport(&pe.ASAPTransport))
	}
	addUnrecognized(&it, pe.Unrecognized)
	return it
}

func peItems(pes msg.PoolElements) []item {
	var out []item
	var pe msg.PoolElement
	iter := pes.Iter()
	for iter.Next(&pe) {
		out = append(out, peItem(&pe))
	}
	if err := iter.Err(); err != nil {
		out = append(out, problemItem(err))
	}
	return out
}

// serverInfoItem describes a Server Information parameter (RFC 5354
// §3.11): an ENRP server and where its peers reach it.
func serverInfoItem(s *msg.ServerInformation) item {
	it := item{name: "server"}
	it.add("server_id", hex32(s.ServerID))
	it.add("transport", newTransport(&s.Transport))
	addUnrecognized(&it, s.Unrecognized)
	return it
}

// addOpError adds the causes of an Operation Error parameter, when the
// message carries one.
func addOpError(it *item, e *msg.OperationError) {
	if e.IsZero() {
		return
	}
	var causes []item
	iter := e.Causes.Iter()
	for c, ok := iter.Next(); ok; c, ok = iter.Next() {
		causes = append(causes, opCauseItem(c))
	}
	if err := iter.Err(); err != nil {
		causes = append(causes, problemItem(err))
	}
	it.add("causes", causes)
}

// opCauseItem describes an RSerPool error cause (RFC 5354 §3.12) and
// what its information names, where the cause code gives it a meaning.
func opCauseItem(c msg.Cause) item {
	it := item{name: c.Code.String()}
	switch c.Code {
	case msg.CauseUnrecognizedParameter, msg.CauseInvalidValues:
		if p, err := c.Param(); err == nil {
			it.add("param", p.Type().String())
		}
	case msg.CauseUnrecognizedMessage:
		if len(c.Info) > 0 {
			it.add("message_type", int(c.Info[0]))
		}
	case msg.CauseInconsistentPoolingPolicy:
		if p, err := c.Policy(); err == nil {
			it.add("policy", newPolicy(&p))
		}
	case msg.CauseInconsistentTransportType:
		if t, err := c.Transport(); err == nil {
			it.add("transport", newTransport(&t))
		}
	}
	if len(c.Info) > 0 {
		it.add("info_len", len(c.Info))
	}
	return it
}

// addUnrecognized names the parameters of unknown types that the
// message or parameter carried and that their type bits said to skip
// (RFC 5354 §3).
func addUnrecognized(it *item, u msg.Unrecognized) {
	if u.Empty() {
		return
	}
	var names list
	iter := u.Iter()
	for p, ok := iter.Next(); ok; p, ok = iter.Next() {
		names = append(names, p.Type().String())
	}
	it.add("unrecognized", names)
}
