//go:build race

package mockstack

// raceDetector is true when the tests run under -race, whose sync.Pool drops
// pooled objects at random: allocation counts then vary from run to run.
const raceDetector = true
