package recv

import "testing"

func TestManySeeds(t *testing.T) {
	randomSeeds = 1000
	for _, g := range []int{1, 2, 128} {
		randomGaps = g
		TestRandomDeliveryExactlyOnce(t)
	}
}
