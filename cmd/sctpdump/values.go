package main

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp/wire"
)

// Composite values: compact in text, objects in JSON.

// gapBlock is a SACK Gap Ack Block: start-end in text, offsets from the
// Cumulative TSN Ack as RFC 9260 §3.3.4 has them.
type gapBlock wire.GapBlock

func (g gapBlock) text() string { return fmt.Sprintf("%d-%d", g.Start, g.End) }

func (g gapBlock) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Start uint16 `json:"start"`
		End   uint16 `json:"end"`
	}{g.Start, g.End})
}

// fwdStream is an entry of FORWARD-TSN: sid:ssn in text.
type fwdStream wire.ForwardTSNStream

func (f fwdStream) text() string { return fmt.Sprintf("%d:%d", f.Stream, f.SSN) }

func (f fwdStream) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		SID uint16 `json:"sid"`
		SSN uint16 `json:"ssn"`
	}{uint16(f.Stream), uint16(f.SSN)})
}

// iFwdStream is an entry of I-FORWARD-TSN: sid:mid in text, with a U
// for the unordered messages.
type iFwdStream wire.IForwardTSNStream

func (f iFwdStream) text() string {
	s := fmt.Sprintf("%d:%d", f.Stream, f.MID)
	if f.Unordered {
		s += "U"
	}
	return s
}

func (f iFwdStream) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		SID       uint16 `json:"sid"`
		MID       uint32 `json:"mid"`
		Unordered bool   `json:"unordered"`
	}{uint16(f.Stream), uint32(f.MID), f.Unordered})
}

// transport is an RSerPool transport parameter (RFC 5354 §3.3-§3.7,
// §3.16). Text: kind:address:port, with the addresses of a multihomed
// SCTP endpoint in braces and "+control" when the transport also carries
// the ASAP control channel, e.g. sctp:{10.0.0.1,10.0.1.1}:4711+control.
type transport struct {
	Kind        string   `json:"kind"`
	Addrs       []string `json:"addrs,omitempty"`
	Port        uint16   `json:"port"`
	Use         string   `json:"use,omitempty"`
	ServiceCode *uint32  `json:"service_code,omitempty"`
	OpaqueLen   *int     `json:"opaque_len,omitempty"`
	use         msg.TransportUse
}

func newTransport(t *msg.Transport) transport {
	out := transport{Kind: transportKind(t.Kind), Port: t.Port, use: t.Use}
	if t.Kind == msg.ParamOpaqueTransport {
		n := len(t.Opaque)
		out.OpaqueLen = &n
		return out
	}
	for _, a := range t.Addrs.AppendTo(nil) {
		out.Addrs = append(out.Addrs, a.String())
	}
	// The field is the Transport Use only for SCTP; rsplib also writes it
	// into the reserved field of the others, so show it there when set.
	if t.Kind == msg.ParamSCTPTransport || t.Use != 0 {
		out.Use = t.Use.String()
	}
	if t.Kind == msg.ParamDCCPTransport {
		sc := t.ServiceCode
		out.ServiceCode = &sc
	}
	return out
}

func (t transport) text() string {
	var b strings.Builder
	b.WriteString(t.Kind)
	b.WriteByte(':')
	switch {
	case t.OpaqueLen != nil:
		fmt.Fprintf(&b, "%d-bytes", *t.OpaqueLen)
		return b.String()
	case len(t.Addrs) == 1:
		b.WriteString(bracketV6(t.Addrs[0]))
	default:
		b.WriteString("{" + strings.Join(t.Addrs, ",") + "}")
	}
	b.WriteString(":" + strconv.Itoa(int(t.Port)))
	switch t.use {
	case msg.DataOnly:
	case msg.DataPlusControl:
		b.WriteString("+control")
	default:
		fmt.Fprintf(&b, "+use%d", uint16(t.use))
	}
	if t.ServiceCode != nil {
		fmt.Fprintf(&b, "/service=%d", *t.ServiceCode)
	}
	return b.String()
}

func (t transport) MarshalJSON() ([]byte, error) {
	type plain transport
	return json.Marshal(plain(t))
}

// bracketV6 writes an IPv6 address in brackets, as before a port.
func bracketV6(s string) string {
	if a, err := netip.ParseAddr(s); err == nil && a.Is6() && !a.Is4In6() {
		return "[" + s + "]"
	}
	return s
}

func transportKind(k msg.ParamType) string {
	switch k {
	case msg.ParamSCTPTransport:
		return "sctp"
	case msg.ParamTCPTransport:
		return "tcp"
	case msg.ParamUDPTransport:
		return "udp"
	case msg.ParamUDPLiteTransport:
		return "udplite"
	case msg.ParamDCCPTransport:
		return "dccp"
	case msg.ParamOpaqueTransport:
		return "opaque"
	}
	return k.String()
}

// policy is a Pool Member Selection Policy (RFC 5356). Text: the policy
// in lower case with its parameters, e.g. weighted-round-robin(weight=3)
// or least-used(load=25.0%).
type policy struct {
	Type            string  `json:"type"`
	Code            uint32  `json:"code"`
	Weight          *uint32 `json:"weight,omitempty"`
	Priority        *uint32 `json:"priority,omitempty"`
	Load            *uint32 `json:"load,omitempty"`
	LoadDegradation *uint32 `json:"load_degradation,omitempty"`
	DataLen         *int    `json:"data_len,omitempty"`
}

func newPolicy(p *msg.Policy) policy {
	out := policy{Type: p.Type.String(), Code: uint32(p.Type)}
	u := func(v uint32) *uint32 { return &v }
	switch p.Type {
	case msg.PolicyWeightedRoundRobin, msg.PolicyWeightedRandom:
		out.Weight = u(p.Weight)
	case msg.PolicyPriority:
		out.Priority = u(p.Priority)
	case msg.PolicyLeastUsed, msg.PolicyRandomizedLeastUsed:
		out.Load = u(p.Load)
	case msg.PolicyLeastUsedDegradation:
		out.Load, out.LoadDegradation = u(p.Load), u(p.LoadDegradation)
	case msg.PolicyPriorityLeastUsed:
		out.Load = u(p.Load)
		if !p.NoDegradation {
			out.LoadDegradation = u(p.LoadDegradation)
		}
	case msg.PolicyRoundRobin, msg.PolicyRandom:
	default:
		n := len(p.Data)
		out.DataLen = &n
	}
	return out
}

func (p policy) text() string {
	name := strings.ToLower(strings.ReplaceAll(p.Type, " ", "-"))
	if strings.HasPrefix(p.Type, "policy type") {
		name = fmt.Sprintf("0x%08x", p.Code)
	}
	var args []string
	if p.Weight != nil {
		args = append(args, fmt.Sprintf("weight=%d", *p.Weight))
	}
	if p.Priority != nil {
		args = append(args, fmt.Sprintf("priority=%d", *p.Priority))
	}
	if p.Load != nil {
		args = append(args, "load="+loadPercent(*p.Load))
	}
	if p.LoadDegradation != nil {
		args = append(args, "degradation="+loadPercent(*p.LoadDegradation))
	}
	if p.DataLen != nil {
		args = append(args, fmt.Sprintf("data=%d-bytes", *p.DataLen))
	}
	if len(args) == 0 {
		return name
	}
	return name + "(" + strings.Join(args, ",") + ")"
}

func (p policy) MarshalJSON() ([]byte, error) {
	type plain policy
	return json.Marshal(plain(p))
}

// loadPercent writes a load or load degradation, a fraction of
// 0xffffffff (RFC 5356 §3.1), as a percentage.
func loadPercent(v uint32) string {
	return strconv.FormatFloat(float64(v)/float64(0xffffffff)*100, 'f', 1, 64) + "%"
}
