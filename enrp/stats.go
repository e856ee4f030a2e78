package enrp

// Stats are the registrar's gauges and counters. The counters run from
// New; Serve does not reset them.
type Stats struct {
	Pools        int `json:"pools"`         // pools in the handlespace
	PoolElements int `json:"pool_elements"` // pool elements in all pools
	Owned        int `json:"owned"`         // pool elements this registrar is home for
	Associations int `json:"associations"`  // associations being served

	Registrations           uint64 `json:"registrations"`            // new pool elements
	Reregistrations         uint64 `json:"reregistrations"`          // registrations of a pool element already there
	RegistrationsRejected   uint64 `json:"registrations_rejected"`   // registrations refused
	Deregistrations         uint64 `json:"deregistrations"`          // de-registrations granted
	DeregistrationsRejected uint64 `json:"deregistrations_rejected"` // de-registrations refused
	Resolutions             uint64 `json:"resolutions"`              // handle resolutions answered, positively or not
	ResolutionsFailed       uint64 `json:"resolutions_failed"`       // handle resolutions answered with an error

	KeepAlivesSent      uint64 `json:"keep_alives_sent"`     // ASAP_ENDPOINT_KEEP_ALIVE sent
	KeepAliveFailures   uint64 `json:"keep_alive_failures"`  // pool elements removed: no acknowledgement, or no association to send on
	UnreachableReports  uint64 `json:"unreachable_reports"`  // ASAP_ENDPOINT_UNREACHABLE taken
	UnreachableDropped  uint64 `json:"unreachable_dropped"`  // ASAP_ENDPOINT_UNREACHABLE over the rate limit
	UnreachableRemovals uint64 `json:"unreachable_removals"` // pool elements removed after MaxBadPEReports reports
	Expirations         uint64 `json:"expirations"`          // registrations whose life ran out
	Removals            uint64 `json:"removals"`             // pool elements removed without their asking: keep-alive failures, reports, expiry

	Malformed      uint64 `json:"malformed"`       // messages that did not parse
	Unrecognized   uint64 `json:"unrecognized"`    // messages stopped by an unknown message or parameter type
	Discarded      uint64 `json:"discarded"`       // messages not for a registrar, or not awaited, or not ASAP
	ErrorsSent     uint64 `json:"errors_sent"`     // ASAP_ERROR sent
	ErrorsReceived uint64 `json:"errors_received"` // ASAP_ERROR received
	Announcements  uint64 `json:"announcements"`   // ASAP_SERVER_ANNOUNCE sent

	// ENRP (RFC 5353).
	Peers            int    `json:"peers"`             // registrars in the peer list
	InitCompleted    bool   `json:"init_completed"`    // the server initialization (§3.2) is over
	UpdatesSent      uint64 `json:"updates_sent"`      // ENRP_HANDLE_UPDATE announced (each to every peer)
	UpdatesReceived  uint64 `json:"updates_received"`  // ENRP_HANDLE_UPDATE received
	TablePiecesSent  uint64 `json:"table_pieces_sent"` // ENRP_HANDLE_TABLE_RESPONSE sent
	AuditMismatches  uint64 `json:"audit_mismatches"`  // PE checksums of a peer that differed from ours (§3.6.1)
	Resyncs          uint64 `json:"resyncs"`           // re-synchronizations started (§3.6.3)
	ImportsRefused   uint64 `json:"imports_refused"`   // PEs from a peer the handlespace refused
	TakeoversStarted uint64 `json:"takeovers_started"` // takeover arbitrations started (§3.5.1)
	Takeovers        uint64 `json:"takeovers"`         // takeovers won and completed (§3.5.2)
	TakeoversRefused uint64 `json:"takeovers_refused"` // ENRP_INIT_TAKEOVER not acknowledged: the target was heard lately
	TakeoversAborted uint64 `json:"takeovers_aborted"` // takeovers stopped: the target spoke again (§3.5.1)

	PeerAssociationsAborted uint64 `json:"peer_associations_aborted"` // ENRP associations that carried no answer to a request

	// ENRP_PRESENCE over the multicast group (Config.ENRPMulticastAddr).
	MulticastSent      uint64 `json:"multicast_sent"`      // presences sent to the group
	MulticastReceived  uint64 `json:"multicast_received"`  // presences of other registrars taken from the group
	MulticastOwn       uint64 `json:"multicast_own"`       // this registrar's own presences heard back, ignored
	MulticastMalformed uint64 `json:"multicast_malformed"` // datagrams that were not a well-formed ENRP_PRESENCE, dropped
}

// Stats returns the registrar's gauges and counters.
func (r *Registrar) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stats
	s.Pools = r.hs.PoolCount()
	s.PoolElements = r.hs.Len()
	s.Owned = r.hs.OwnedCount(r.id)
	s.Associations = len(r.conns)
	s.Peers = len(r.enrp.peers)
	return s
}
