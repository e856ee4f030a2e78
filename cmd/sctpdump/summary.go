package main

import (
	"maps"
	"slices"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp/wire"
)

// stats counts what the tool saw, over all the files of a run.
type stats struct {
	files       int
	packets     int // SCTP packets
	datagrams   int // ASAP/ENRP datagrams over plain UDP
	badFrames   int // frames the reader could not take apart
	badPackets  int // SCTP packets whose chunk framing is broken
	badChecksum int // SCTP packets whose CRC32c does not verify
	badChunks   int // chunks that do not decode
	badMessages int // ASAP/ENRP messages that do not decode
	reassembled int // messages put together from fragments
	incomplete  int // messages left incomplete at the end of a file
	chunks      map[wire.ChunkType]int
	messages    map[msg.MessageType]*msgCount
}

type msgCount struct {
	total int
	udp   int // of which over plain UDP
}

func newStats() *stats {
	return &stats{chunks: map[wire.ChunkType]int{}, messages: map[msg.MessageType]*msgCount{}}
}

func (s *stats) message(t msg.MessageType, overUDP bool) {
	c := s.messages[t]
	if c == nil {
		c = new(msgCount)
		s.messages[t] = c
	}
	c.total++
	if overUDP {
		c.udp++
	}
}

// chunkCount and messageCount are the summary's rows, in the order of
// the type codes (ASAP's messages before ENRP's).
type chunkCount struct {
	Type  string `json:"type"`
	Code  uint8  `json:"code"`
	Count int    `json:"count"`
}

type messageCount struct {
	Type  string `json:"type"`
	Count int    `json:"count"`
	UDP   int    `json:"udp"` // of which over plain UDP
}

func (s *stats) chunkRows() []chunkCount {
	var rows []chunkCount
	for _, t := range slices.Sorted(maps.Keys(s.chunks)) {
		rows = append(rows, chunkCount{Type: t.String(), Code: uint8(t), Count: s.chunks[t]})
	}
	return rows
}

func (s *stats) messageRows() []messageCount {
	var rows []messageCount
	for _, t := range slices.Sorted(maps.Keys(s.messages)) {
		c := s.messages[t]
		rows = append(rows, messageCount{Type: t.String(), Count: c.total, UDP: c.udp})
	}
	return rows
}
