package main

import (
	"fmt"
	"io"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/enrp"
)

// metric is one line of the exposition.
type metric struct {
	name, kind, help string
	value            func(s *enrp.Stats) float64
}

var metrics = []metric{
	{"pools", "gauge", "Pools in the handlespace.", func(s *enrp.Stats) float64 { return float64(s.Pools) }},
	{"pool_elements", "gauge", "Pool elements in the handlespace.", func(s *enrp.Stats) float64 { return float64(s.PoolElements) }},
	{"owned_pool_elements", "gauge", "Pool elements this registrar is home for.", func(s *enrp.Stats) float64 { return float64(s.Owned) }},
	{"associations", "gauge", "ASAP associations served.", func(s *enrp.Stats) float64 { return float64(s.Associations) }},
	{"registrations_total", "counter", "Registrations of new pool elements.", func(s *enrp.Stats) float64 { return float64(s.Registrations) }},
	{"reregistrations_total", "counter", "Registrations of pool elements already registered.", func(s *enrp.Stats) float64 { return float64(s.Reregistrations) }},
	{"registrations_rejected_total", "counter", "Registrations refused.", func(s *enrp.Stats) float64 { return float64(s.RegistrationsRejected) }},
	{"deregistrations_total", "counter", "De-registrations granted.", func(s *enrp.Stats) float64 { return float64(s.Deregistrations) }},
	{"deregistrations_rejected_total", "counter", "De-registrations refused.", func(s *enrp.Stats) float64 { return float64(s.DeregistrationsRejected) }},
	{"resolutions_total", "counter", "Handle resolutions answered.", func(s *enrp.Stats) float64 { return float64(s.Resolutions) }},
	{"resolutions_failed_total", "counter", "Handle resolutions answered with an error.", func(s *enrp.Stats) float64 { return float64(s.ResolutionsFailed) }},
	{"keep_alives_sent_total", "counter", "ASAP_ENDPOINT_KEEP_ALIVE messages sent.", func(s *enrp.Stats) float64 { return float64(s.KeepAlivesSent) }},
	{"keep_alive_failures_total", "counter", "Pool elements removed for a keep-alive unanswered or not sent.", func(s *enrp.Stats) float64 { return float64(s.KeepAliveFailures) }},
	{"unreachable_reports_total", "counter", "ASAP_ENDPOINT_UNREACHABLE reports taken.", func(s *enrp.Stats) float64 { return float64(s.UnreachableReports) }},
	{"unreachable_dropped_total", "counter", "ASAP_ENDPOINT_UNREACHABLE reports over the rate limit.", func(s *enrp.Stats) float64 { return float64(s.UnreachableDropped) }},
	{"unreachable_removals_total", "counter", "Pool elements removed after MAX-BAD-PE-REPORT reports.", func(s *enrp.Stats) float64 { return float64(s.UnreachableRemovals) }},
	{"expirations_total", "counter", "Registrations whose lifetime ran out.", func(s *enrp.Stats) float64 { return float64(s.Expirations) }},
	{"removals_total", "counter", "Pool elements removed without their asking.", func(s *enrp.Stats) float64 { return float64(s.Removals) }},
	{"malformed_messages_total", "counter", "Messages that did not parse.", func(s *enrp.Stats) float64 { return float64(s.Malformed) }},
	{"unrecognized_messages_total", "counter", "Messages of an unknown type or with an unknown parameter that stops them.", func(s *enrp.Stats) float64 { return float64(s.Unrecognized) }},
	{"discarded_messages_total", "counter", "Messages not for a registrar, not awaited, or not ASAP.", func(s *enrp.Stats) float64 { return float64(s.Discarded) }},
	{"errors_sent_total", "counter", "ASAP_ERROR messages sent.", func(s *enrp.Stats) float64 { return float64(s.ErrorsSent) }},
	{"errors_received_total", "counter", "ASAP_ERROR messages received.", func(s *enrp.Stats) float64 { return float64(s.ErrorsReceived) }},
	{"peers", "gauge", "Registrars in the ENRP peer list.", func(s *enrp.Stats) float64 { return float64(s.Peers) }},
	{"takeovers_total", "counter", "Dead peers taken over (RFC 5353 §3.5).", func(s *enrp.Stats) float64 { return float64(s.Takeovers) }},
	{"takeovers_started_total", "counter", "Takeover arbitrations started (RFC 5353 §3.5.1).", func(s *enrp.Stats) float64 { return float64(s.TakeoversStarted) }},
	{"takeovers_aborted_total", "counter", "Takeovers stopped because the target spoke again.", func(s *enrp.Stats) float64 { return float64(s.TakeoversAborted) }},
	{"takeovers_refused_total", "counter", "Peers' takeovers of a registrar heard lately, not acknowledged.", func(s *enrp.Stats) float64 { return float64(s.TakeoversRefused) }},
	{"peer_associations_aborted_total", "counter", "ENRP associations aborted for carrying no answer to a request.", func(s *enrp.Stats) float64 { return float64(s.PeerAssociationsAborted) }},
	{"resyncs_total", "counter", "Re-synchronizations of a peer's pool elements (RFC 5353 §3.6.3).", func(s *enrp.Stats) float64 { return float64(s.Resyncs) }},
	{"audit_mismatches_total", "counter", "Peer PE checksums that differed from ours (RFC 5353 §3.6).", func(s *enrp.Stats) float64 { return float64(s.AuditMismatches) }},
	{"handle_updates_sent_total", "counter", "ENRP_HANDLE_UPDATE announcements sent.", func(s *enrp.Stats) float64 { return float64(s.UpdatesSent) }},
	{"handle_updates_received_total", "counter", "ENRP_HANDLE_UPDATE received.", func(s *enrp.Stats) float64 { return float64(s.UpdatesReceived) }},
	{"announcements_total", "counter", "ASAP_SERVER_ANNOUNCE messages sent.", func(s *enrp.Stats) float64 { return float64(s.Announcements) }},
}

// writeMetrics writes the Prometheus text exposition (format 0.0.4) of
// the registrar's counters, each named rserpool_registrar_*, and an info
// metric carrying the server identifier.
func writeMetrics(w io.Writer, id msg.ServerID, s enrp.Stats) {
	fmt.Fprintf(w, "# HELP rserpool_registrar_info The registrar's server identifier.\n")
	fmt.Fprintf(w, "# TYPE rserpool_registrar_info gauge\n")
	fmt.Fprintf(w, "rserpool_registrar_info{server_id=%q} 1\n", id.String())
	for _, m := range metrics {
		name := "rserpool_registrar_" + m.name
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n%s %g\n", name, m.help, name, m.kind, name, m.value(&s))
	}
}
