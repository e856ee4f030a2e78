package failover

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"
)

// WriteCSV writes the timeline, one message a row: seq, sent_s,
// delivered_s (empty when lost) and path (primary, alternate, or empty
// when no arrival was seen), times in seconds from the first message.
func WriteCSV(w io.Writer, t *Timeline) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"seq", "sent_s", "delivered_s", "path"}); err != nil {
		return err
	}
	for _, r := range t.Records {
		delivered := ""
		if r.Copies > 0 {
			delivered = seconds(r.Delivered)
		}
		if err := cw.Write([]string{strconv.FormatUint(r.Seq, 10), seconds(r.Sent), delivered, r.Path}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// seconds prints d in seconds to the microsecond.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 6, 64)
}
