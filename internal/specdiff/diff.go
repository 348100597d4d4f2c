package specdiff

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"

	"github.com/passfort-conformance/harness/internal/oneline"
)

// diffSpecs runs oasdiff's diff and backward-compatibility checks and turns
// its changes into Changes, grouped and counted.
func diffSpecs(base, revision loaded, includeInfo bool) (*Result, error) {
	config := diff.NewConfig()
	// oasdiff matches operations by path and ignores servers. When the two
	// specs put the API's base path in different places (one in servers:
	// "https://api.passfort.com/4.0" + "/profiles", the other in paths:
	// "/4.0/profiles"), prefix each side's paths with its servers' path so the
	// full request paths are compared. When both servers share the same path
	// (PassFort: "/4.0" relative in ours, absolute upstream) nothing changes and
	// operations keep their short paths.
	if base.serverPathKnown && revision.serverPathKnown && base.serverPath != revision.serverPath {
		config.PathPrefixBase = base.serverPath
		config.PathPrefixRevision = revision.serverPath
	}
	d, sources, err := diff.GetWithOperationsSourcesMap(config, base.info, revision.info)
	if err != nil {
		return nil, fmt.Errorf("oasdiff: %w", err)
	}
	until := checker.WARN
	if includeInfo {
		until = checker.INFO
	}
	found := checker.CheckBackwardCompatibilityUntilLevel(checker.NewConfig(checker.GetAllChecks()), d, sources, until)

	localizer := checker.NewDefaultLocalizer()
	result := &Result{Changes: make([]Change, 0, len(found))}
	for _, c := range found {
		level, ok := levelOf(c.GetLevel())
		if !ok {
			continue
		}
		change := Change{
			Level:   level,
			ID:      c.GetId(),
			Path:    c.GetPath(),
			Message: oneline.Fold(c.GetUncolorizedText(localizer)),
		}
		if method := c.GetOperation(); method != "" {
			change.Operation = method + " " + change.Path
		}
		result.Changes = append(result.Changes, change)
		switch level {
		case LevelError:
			result.Errors++
		case LevelWarning:
			result.Warnings++
		case LevelInfo:
			result.Infos++
		}
	}
	sortChanges(result.Changes)
	return result, nil
}

// levelOf maps oasdiff's level; NONE and INVALID have no Level.
func levelOf(l checker.Level) (Level, bool) {
	switch l {
	case checker.ERR:
		return LevelError, true
	case checker.WARN:
		return LevelWarning, true
	case checker.INFO:
		return LevelInfo, true
	default:
		return "", false
	}
}

// methodRank orders methods as API references list them, unknown ones last.
func methodRank(method string) int {
	switch method {
	case "GET":
		return 0
	case "HEAD":
		return 1
	case "POST":
		return 2
	case "PUT":
		return 3
	case "PATCH":
		return 4
	case "DELETE":
		return 5
	case "OPTIONS":
		return 6
	case "TRACE":
		return 7
	default:
		return 8
	}
}

// sortChanges groups changes by operation (path, then method; changes outside
// any operation last), then orders each group by level, most severe first,
// then check id and message.
func sortChanges(changes []Change) {
	slices.SortStableFunc(changes, func(a, b Change) int {
		if c := cmp.Compare(specWide(a), specWide(b)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if c := cmp.Compare(methodRank(methodOf(a)), methodRank(methodOf(b))); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Operation, b.Operation); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Level.rank(), a.Level.rank()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return cmp.Compare(a.Message, b.Message)
	})
}

// specWide is 1 for a change outside any operation, so those sort last.
func specWide(c Change) int {
	if c.Operation == "" {
		return 1
	}
	return 0
}

// methodOf returns the method part of c.Operation.
func methodOf(c Change) string {
	if len(c.Operation) > len(c.Path) {
		return c.Operation[:len(c.Operation)-len(c.Path)-1]
	}
	return ""
}
