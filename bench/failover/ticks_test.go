package failover

import (
	"strconv"
	"strings"
	"testing"
)

// Every label reads as the value it marks, ticks are evenly spaced and
// lie within the range.
func TestTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		n      int
		step   float64
	}{
		{4.905, 5.205, 6, 0.05},
		{0, 90.002, 5, 20},
		{0, 20, 5, 5},
		{-0.001, 0.3, 4, 0.1},
		{100, 517, 5, 100},
		{4.84, 5.325, 5, 0.1},
	}
	for _, c := range cases {
		got := ticks{}.Ticks(c.lo, c.hi)
		if len(got) != c.n {
			t.Fatalf("[%v, %v]: %d ticks %v, want %d", c.lo, c.hi, len(got), got, c.n)
		}
		for i, tk := range got {
			if strings.HasPrefix(tk.Label, "-0") && tk.Value == 0 {
				t.Fatalf("[%v, %v]: label %q for zero", c.lo, c.hi, tk.Label)
			}
			v, err := strconv.ParseFloat(tk.Label, 64)
			if err != nil || abs(v-tk.Value) > 1e-9 {
				t.Fatalf("[%v, %v]: label %q at %v", c.lo, c.hi, tk.Label, tk.Value)
			}
			if tk.Value < c.lo-1e-9 || tk.Value > c.hi+1e-9 {
				t.Fatalf("[%v, %v]: tick %v out of range", c.lo, c.hi, tk.Value)
			}
			if i > 0 && abs(tk.Value-got[i-1].Value-c.step) > 1e-9 {
				t.Fatalf("[%v, %v]: step %v, want %v", c.lo, c.hi, tk.Value-got[i-1].Value, c.step)
			}
		}
	}
	if got := (ticks{}).Ticks(1, 1); got != nil {
		t.Fatalf("empty range: %v", got)
	}
}
