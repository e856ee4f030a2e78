package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rserpool/rserpool/enrp"
)

// writeTable prints the dump: a line about the registrar, then one row
// per pool element, pools in handle order and elements in identifier
// order, as the registrar lists them.
func writeTable(w io.Writer, d enrp.Dump) error {
	s := d.Stats
	fmt.Fprintf(w, "registrar %s at %s: %d pools, %d pool elements (%d owned), %d associations\n",
		d.ServerID, d.Time.UTC().Format(time.RFC3339), s.Pools, s.PoolElements, s.Owned, s.Associations)
	if len(d.Pools) == 0 {
		_, err := fmt.Fprintln(w, "no pools")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "\nPOOL\tPE\tHOME\tTRANSPORT\tADDRESSES\tPOLICY\tEXPIRES\tSTATE")
	for _, p := range d.Pools {
		name := handleName(p)
		for _, e := range p.Elements {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
				name, e.ID, e.Home, transport(e.UserTransport), addrs(e.UserTransport), policy(e.Policy),
				expires(e.Expires, d.Time), state(e))
		}
	}
	return tw.Flush()
}

// handleName shows a pool handle from its exact bytes: printable ASCII
// as it is, other bytes in hex.
func handleName(p enrp.PoolInfo) string {
	b, err := hex.DecodeString(p.HandleHex)
	if err != nil {
		b = []byte(p.Handle)
	}
	var sb strings.Builder
	for _, c := range b {
		if c > 0x20 && c < 0x7f && c != '\\' {
			sb.WriteByte(c)
		} else {
			fmt.Fprintf(&sb, "\\x%02x", c)
		}
	}
	if sb.Len() == 0 {
		return `""`
	}
	return sb.String()
}

func transport(t enrp.TransportInfo) string {
	s := strings.TrimSuffix(t.Kind, " Transport")
	if t.Port != 0 {
		s += " port " + strconv.Itoa(int(t.Port))
	}
	if t.Use == "data plus control" {
		s += " +control"
	}
	return s
}

func addrs(t enrp.TransportInfo) string {
	if len(t.Addrs) == 0 {
		if len(t.Opaque) > 0 {
			return hex.EncodeToString(t.Opaque)
		}
		return "-"
	}
	parts := make([]string, len(t.Addrs))
	for i, a := range t.Addrs {
		parts[i] = a.String()
	}
	return strings.Join(parts, ",")
}

// policy shows the policy with the parameters its type uses.
func policy(p enrp.PolicyInfo) string {
	var params []string
	add := func(name string, v uint32) {
		if v != 0 {
			params = append(params, name+" "+strconv.FormatUint(uint64(v), 10))
		}
	}
	add("weight", p.Weight)
	add("priority", p.Priority)
	add("load", p.Load)
	add("degradation", p.LoadDegradation)
	if len(params) == 0 {
		return p.Name
	}
	return p.Name + " (" + strings.Join(params, ", ") + ")"
}

func expires(at, now time.Time) string {
	if at.IsZero() {
		return "never"
	}
	return at.Sub(now).Round(time.Second).String()
}

func state(e enrp.ElementInfo) string {
	if !e.Owned {
		return "peer's"
	}
	s := []string{"owned"}
	if !e.Connected {
		s = append(s, "no association")
	}
	if e.AwaitingAck {
		s = append(s, "keep-alive out")
	}
	if e.UnreachableReports > 0 {
		s = append(s, strconv.Itoa(e.UnreachableReports)+" unreachable reports")
	}
	return strings.Join(s, ", ")
}
