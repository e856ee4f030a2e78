package failover

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// ticks marks an axis every 1, 2 or 5 times a power of ten, three to
// six times across, each label printed with as many decimals as its step
// needs. gonum's default ticker may round its labels to fewer decimals
// than its ticks have, which puts "4.9" where 4.95 is.
type ticks struct{}

func (ticks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return nil
	}
	step := niceStep((hi - lo) / 6)
	prec := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	var out []plot.Tick
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+step*1e-9; k++ {
		v := k * step
		if v == 0 {
			v = 0 // not -0, which would print as "-0"
		}
		out = append(out, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', prec, 64)})
	}
	return out
}

// niceStep returns the smallest of 1, 2 and 5 times a power of ten that
// is at least d.
func niceStep(d float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(d)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= d*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}
