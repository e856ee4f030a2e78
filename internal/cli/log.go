package cli

import (
	"fmt"
	"io"
	"sync"

	"github.com/rserpool/rserpool/sctp"
)

// Logger writes whole lines, each starting with the command's name, from
// several goroutines.
type Logger struct {
	mu   sync.Mutex
	w    io.Writer
	name string
}

// NewLogger returns a Logger writing to w as the command name.
func NewLogger(w io.Writer, name string) *Logger { return &Logger{w: w, name: name} }

// Printf writes one line.
func (l *Logger) Printf(format string, a ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, l.name+": "+format+"\n", a...)
}

// Watch takes the association's events until it ends, as the loop that
// runs it does not wait for a reader, and when verbose reports each on
// log, prefixed, then the state and traffic of every path. The channel
// it returns is closed when it is done.
func Watch(a *sctp.Association, log *Logger, verbose bool, prefix string) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range a.Events() {
			switch {
			case !verbose:
			case ev.Kind == sctp.EventUp:
				log.Printf("%s%s", prefix, UpLine(a))
			default:
				log.Printf("%s%s", prefix, EventLine(ev))
			}
		}
		if verbose {
			for _, l := range PathLines(a.Stats()) {
				log.Printf("%s%s", prefix, l)
			}
		}
	}()
	return done
}
