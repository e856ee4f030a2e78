package cli

import (
	"errors"
	"flag"
	"testing"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"0", 0}, {"1000", 1000}, {"64K", 65536}, {"64k", 65536}, {"64KiB", 65536},
		{"1M", 1 << 20}, {"2MiB", 2 << 20}, {"1G", 1 << 30}, {"3kb", 3072},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in, 1<<31-1)
		if err != nil || got != tt.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseSizeErrors(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		off  int
		rule string
	}{
		{"", 100, 0, "must start with a decimal number"},
		{"K", 100, 0, "must start with a decimal number"},
		{"12x", 100, 2, `unknown unit "x" (use K, M or G)`},
		{"1KK", 1 << 20, 1, `unknown unit "KK" (use K, M or G)`},
		{"-1", 100, 0, "must start with a decimal number"},
		{"101", 100, 0, "larger than 100"},
		{"2K", 2047, 0, "larger than 2047"},
		{"99999999999999999999", 100, 0, "larger than 100"},
	}
	for _, tt := range tests {
		_, err := ParseSize(tt.in, tt.max)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Offset != tt.off || pe.Rule != tt.rule {
			t.Errorf("ParseSize(%q, %d) error = %v, want offset %d rule %q", tt.in, tt.max, err, tt.off, tt.rule)
		}
	}
}

func TestSizeFlag(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	z := Size{N: 1000, Max: 1 << 20}
	fs.Var(&z, "size", "")
	if err := fs.Parse([]string{"-size", "64K"}); err != nil || z.N != 65536 {
		t.Fatalf("-size 64K: %d, %v", z.N, err)
	}
	if z.String() != "65536" {
		t.Errorf("String() = %q", z.String())
	}
	fs.SetOutput(discard{})
	if err := fs.Parse([]string{"-size", "2M"}); err == nil {
		t.Error("-size above Max accepted")
	}
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }
