package suite

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"
	"strings"
)

// Shard is one of Total parts of the suite, for running it on several
// machines at once. A scenario belongs to exactly one shard, decided by a
// stable hash of its feature URI and line: neither the seed, nor the tags,
// nor the other scenarios change which shard runs it. The zero Shard is the
// whole suite.
type Shard struct {
	// Index is 1 to Total.
	Index, Total int
}

// ParseShard reads "i/n" (e.g. "2/3"); "" is the whole suite.
func ParseShard(s string) (Shard, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Shard{}, nil
	}
	is, ns, ok := strings.Cut(s, "/")
	i, ierr := strconv.Atoi(is)
	n, nerr := strconv.Atoi(ns)
	if !ok || ierr != nil || nerr != nil || n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("shard: got %q, want i/n with 1 ≤ i ≤ n, e.g. 2/3", s)
	}
	return Shard{Index: i, Total: n}, nil
}

// String renders the shard as ParseShard reads it; "" for the whole suite.
func (s Shard) String() string {
	if s.Total <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Total)
}

// Has reports whether the scenario at line of the feature uri is in the shard.
func (s Shard) Has(uri string, line int) bool {
	if s.Total <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(uri + ":" + strconv.Itoa(line)))
	return int(h.Sum64()%uint64(s.Total)) == s.Index-1
}

// selectScenarios keeps the pickles keep accepts, dropping the files left
// with none. A file that loses some of its scenarios is handed to godog with
// the others' lines blanked, so every line number stays as written.
func selectScenarios(files []featureFile, keep func(uri string, p pickle) bool) ([]featureFile, error) {
	out := make([]featureFile, 0, len(files))
	for _, f := range files {
		kept := make([]bool, len(f.Pickles))
		n := 0
		for i, p := range f.Pickles {
			if keep(f.URI, p) {
				kept[i], n = true, n+1
			}
		}
		switch n {
		case 0:
			continue
		case len(f.Pickles):
			out = append(out, f)
			continue
		}
		ff, err := filterFeature(f, kept, n)
		if err != nil {
			return nil, err
		}
		out = append(out, ff)
	}
	return out, nil
}

// filterFeature blanks the lines of the pickles not kept: a whole scenario
// when none of its pickles is kept, else the example rows not kept. The
// result is parsed again, so the recorder knows exactly what godog runs.
func filterFeature(f featureFile, kept []bool, want int) (featureFile, error) {
	keptStart := map[int]bool{} // scenarios (by first line) with a pickle kept
	for i, p := range f.Pickles {
		if kept[i] {
			keptStart[p.Start] = true
		}
	}
	lines := strings.Split(string(f.Contents), "\n")
	blank := func(from, to int) {
		for l := from; l <= to && l <= len(lines); l++ {
			if l >= 1 {
				lines[l-1] = ""
			}
		}
	}
	for i, p := range f.Pickles {
		switch {
		case kept[i]:
		case !keptStart[p.Start]:
			blank(p.Start, p.End)
		case p.Row > 0:
			blank(p.Row, p.Row)
		}
	}
	ff, err := parseFeature(f.URI, []byte(strings.Join(lines, "\n")))
	if err != nil {
		return featureFile{}, fmt.Errorf("select scenarios: %w", err)
	}
	if len(ff.Pickles) != want {
		return featureFile{}, fmt.Errorf("select scenarios in %s: got %d scenarios after filtering, want %d", f.URI, len(ff.Pickles), want)
	}
	return ff, nil
}

// selection is which scenarios a run takes: by name and shard.
type selection struct {
	name  *regexp.Regexp
	shard Shard
}

func (s selection) keep(uri string, p pickle) bool {
	return (s.name == nil || s.name.MatchString(p.Name)) && s.shard.Has(uri, p.Line)
}
