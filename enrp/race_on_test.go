//go:build race

package enrp

// raceEnabled: the race detector slows the tests down about tenfold;
// the randomized test runs fewer seeds under it.
const raceEnabled = true
