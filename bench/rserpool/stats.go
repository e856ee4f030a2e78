package rserpool

import "slices"

// summary is the median of samples with their range.
type summary struct {
	Median, Min, Max float64
	Samples          []float64
}

func summarize(samples []float64) summary {
	if len(samples) == 0 {
		return summary{}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return summary{Median: med, Min: s[0], Max: s[len(s)-1], Samples: samples}
}
