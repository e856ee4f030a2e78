package enrp

import (
	"encoding/hex"
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/asap/handlespace"
	"github.com/rserpool/rserpool/asap/msg"
)

// Dump is a registrar's handlespace at one time, with its counters: what
// rspregistrar serves as JSON and hsdump prints.
type Dump struct {
	ServerID msg.ServerID `json:"server_id"`
	Time     time.Time    `json:"time"`
	Pools    []PoolInfo   `json:"pools"`
	Stats    Stats        `json:"stats"`
	Peers    []PeerInfo   `json:"peers,omitempty"` // the ENRP peer list (RFC 5353 §3.4)
}

// PoolInfo is one pool of a snapshot.
type PoolInfo struct {
	// Handle is the pool handle, any bytes (RFC 5354 §3.9); JSON shows
	// it as text, where bytes that are not UTF-8 do not survive, so
	// HandleHex carries it exactly.
	Handle    string `json:"handle"`
	HandleHex string `json:"handle_hex"`

	Policy       string `json:"policy"`        // the overall policy (RFC 5352 §3.1 rule 1)
	Transport    string `json:"transport"`     // the overall transport type
	TransportUse string `json:"transport_use"` // the overall transport use

	Elements []ElementInfo `json:"elements"`
}

// ElementInfo is one pool element of a snapshot.
type ElementInfo struct {
	ID               msg.PEID       `json:"id"`
	Home             msg.ServerID   `json:"home"`              // its home registrar
	RegistrationLife int32          `json:"registration_life"` // as kept, in Config.RegistrationLifeUnit
	Expires          time.Time      `json:"expires,omitzero"`  // zero: never
	Policy           PolicyInfo     `json:"policy"`
	UserTransport    TransportInfo  `json:"user_transport"`
	ASAPTransport    *TransportInfo `json:"asap_transport,omitempty"`

	// Owned says this registrar is the element's home; the fields below
	// are about the elements it owns.
	Owned              bool `json:"owned"`
	Connected          bool `json:"connected"`    // the association it registered over lasts
	AwaitingAck        bool `json:"awaiting_ack"` // a keep-alive is out
	UnreachableReports int  `json:"unreachable_reports"`
}

// PolicyInfo is a pool element's policy and its parameters (RFC 5356).
type PolicyInfo struct {
	Name            string `json:"name"`
	Type            uint32 `json:"type"`
	Weight          uint32 `json:"weight,omitempty"`
	Priority        uint32 `json:"priority,omitempty"`
	Load            uint32 `json:"load,omitempty"`
	LoadDegradation uint32 `json:"load_degradation,omitempty"`
}

// TransportInfo is a transport parameter (RFC 5354 §3.3-§3.7, §3.16).
type TransportInfo struct {
	Kind   string       `json:"kind"`
	Port   uint16       `json:"port,omitempty"`
	Use    string       `json:"use,omitempty"`
	Addrs  []netip.Addr `json:"addrs,omitempty"`
	Opaque []byte       `json:"opaque,omitempty"`
}

// Snapshot returns the handlespace: the pools in handle order, each with
// its elements in identifier order. It is safe to call at any time,
// from any goroutine; it copies everything, so it costs in proportion to
// the handlespace.
func (r *Registrar) Snapshot() []PoolInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.snapshot()
}

// Dump returns the snapshot with the registrar's identifier, the time
// and the counters.
func (r *Registrar) Dump() Dump {
	d := Dump{ServerID: r.id, Time: time.Now()}
	d.Pools = r.Snapshot()
	d.Stats = r.Stats()
	d.Peers = r.Peers()
	return d
}

func (r *Registrar) snapshot() []PoolInfo {
	pools := make([]PoolInfo, 0, r.hs.PoolCount())
	for p := range r.hs.Pools() {
		kind, use := p.Transport()
		pi := PoolInfo{
			Handle:       p.Handle(),
			HandleHex:    hex.EncodeToString([]byte(p.Handle())),
			Policy:       p.PolicyType().String(),
			Transport:    kind.String(),
			TransportUse: use.String(),
			Elements:     make([]ElementInfo, 0, p.Len()),
		}
		for e := range p.Elements() {
			pi.Elements = append(pi.Elements, r.elementInfo(e))
		}
		pools = append(pools, pi)
	}
	return pools
}

func (r *Registrar) elementInfo(e *handlespace.Element) ElementInfo {
	pe := e.Param()
	ei := ElementInfo{
		ID:               e.ID(),
		Home:             e.Home(),
		RegistrationLife: pe.RegistrationLife,
		Expires:          e.Expires(),
		Policy: PolicyInfo{
			Name: pe.Policy.Type.String(), Type: uint32(pe.Policy.Type),
			Weight: pe.Policy.Weight, Priority: pe.Policy.Priority,
			Load: pe.Policy.Load, LoadDegradation: pe.Policy.LoadDegradation,
		},
		UserTransport: transportInfo(&pe.UserTransport),
	}
	if !pe.ASAPTransport.IsZero() {
		t := transportInfo(&pe.ASAPTransport)
		ei.ASAPTransport = &t
	}
	if s := r.owned[e]; s != nil {
		ei.Owned = true
		ei.Connected = s.c != nil
		ei.AwaitingAck = s.waiting
		ei.UnreachableReports = s.reports
	}
	return ei
}

func transportInfo(t *msg.Transport) TransportInfo {
	ti := TransportInfo{Kind: t.Kind.String(), Port: t.Port, Addrs: t.Addrs.AppendTo(nil)}
	switch t.Kind {
	case msg.ParamSCTPTransport:
		ti.Use = t.Use.String()
	case msg.ParamOpaqueTransport:
		ti.Opaque = append([]byte(nil), t.Opaque...)
	}
	return ti
}
