// Package services holds the example services of RSerPool sessions: a
// ping-pong service whose per-session counter goes on across failovers,
// and a calculation service whose long jobs resume on a new pool element
// from the last checkpoint. Both keep their state in the cookie of RFC
// 5352 §3.8, which the pool user echoes to the pool element that takes
// over; each has the pool element's side (for rspserver) and the pool
// user's (for the clients and the benchmark).
package services
