package main

import (
	"bufio"
	"errors"
	"io"
)

// lineReader cuts stdin into lines, each with its newline, and a line
// longer than max into pieces of max bytes, so that no message outgrows
// what a peer reassembles.
type lineReader struct {
	br *bufio.Reader
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, max)}
}

// next returns the next line or piece, valid until the following call,
// and io.EOF with the last one (possibly empty).
func (l *lineReader) next() ([]byte, error) {
	line, err := l.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return line, nil
	}
	return line, err
}
