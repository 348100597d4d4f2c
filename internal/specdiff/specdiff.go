// Package specdiff compares two OpenAPI descriptions of the same API and lists
// the changes that can break a client, per operation, with oasdiff's checks.
//
// It answers "is the revision still compatible with clients written against the
// base?" for two specs (for example PassFort's published spec against a newer
// edition, or our spec/passfort-4.0.yaml against either), where internal/contract
// answers "does this response match the spec?" for live traffic.
//
// Levels follow oasdiff: "error" is a change that breaks clients (an operation
// removed, a request field made required, a value added to a response enum),
// "warning" one that may break them, "info" one that does not.
package specdiff

import (
	"context"
	"errors"
	"fmt"

	"github.com/passfort-conformance/harness/internal/oneline"
)

// Level is the severity oasdiff gives a change: LevelError, LevelWarning or
// LevelInfo.
type Level string

// The levels, most severe first.
const (
	// LevelError marks a change that breaks clients of the base spec.
	LevelError Level = "error"
	// LevelWarning marks a change that may break clients (oasdiff cannot tell).
	LevelWarning Level = "warning"
	// LevelInfo marks a change that does not break clients.
	LevelInfo Level = "info"
)

// ParseLevel returns the Level named s ("error", "warning" or "info").
func ParseLevel(s string) (Level, error) {
	switch l := Level(s); l {
	case LevelError, LevelWarning, LevelInfo:
		return l, nil
	default:
		return "", fmt.Errorf("level: got %q, want error, warning or info", s)
	}
}

// rank orders levels: a higher rank is more severe; an unknown level ranks 0.
func (l Level) rank() int {
	switch l {
	case LevelError:
		return 3
	case LevelWarning:
		return 2
	case LevelInfo:
		return 1
	default:
		return 0
	}
}

// Options tunes a comparison. The zero value fails on errors and leaves out
// info-level changes.
type Options struct {
	// FailOn is the least severe level that makes Result.Failed report true:
	// LevelError (the default when empty) or LevelWarning.
	FailOn Level
	// IncludeInfo also lists info-level (non-breaking) changes. They are never
	// counted as failures.
	IncludeInfo bool
}

// failOn returns the effective FailOn level, or an error for a level a
// comparison cannot fail on.
func (o Options) failOn() (Level, error) {
	switch o.FailOn {
	case "":
		return LevelError, nil
	case LevelError, LevelWarning:
		return o.FailOn, nil
	default:
		return "", fmt.Errorf("fail-on level: got %q, want error or warning", o.FailOn)
	}
}

// Change is one change oasdiff found between the base and the revision.
type Change struct {
	// Level is the change's severity.
	Level Level `json:"level"`
	// ID is oasdiff's check id, such as "response-property-enum-value-added".
	ID string `json:"id"`
	// Operation is the method and path, such as "GET /profiles/{profile_id}";
	// empty for a change outside any operation.
	Operation string `json:"operation,omitempty"`
	// Path is the operation's path, such as "/profiles/{profile_id}".
	Path string `json:"path,omitempty"`
	// Message is oasdiff's description of the change: one line, uncolored.
	Message string `json:"message"`
}

// Result is the outcome of a comparison. Changes are grouped by operation
// (sorted by path, then method; changes outside any operation come last),
// then sorted by level, most severe first.
type Result struct {
	// Base and Revision name the compared specs (file paths or given names).
	Base     string `json:"base"`
	Revision string `json:"revision"`
	// FailOn is the level Failed judges by.
	FailOn Level `json:"fail_on"`
	// Changes lists the changes found.
	Changes []Change `json:"changes"`
	// Errors, Warnings and Infos count Changes by level.
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// Breaking reports whether any change is an error.
func (r *Result) Breaking() bool {
	return r.Errors > 0
}

// Failed reports whether any change is at least as severe as r.FailOn
// (LevelError when unset), which is what a CI gate should exit non-zero on.
func (r *Result) Failed() bool {
	failOn := r.FailOn
	if failOn == "" {
		failOn = LevelError
	}
	for _, c := range r.Changes {
		if c.Level.rank() >= failOn.rank() {
			return true
		}
	}
	return false
}

// Operations returns how many distinct operations the changes concern.
func (r *Result) Operations() int {
	seen := make(map[string]struct{})
	for _, c := range r.Changes {
		if c.Operation != "" {
			seen[c.Operation] = struct{}{}
		}
	}
	return len(seen)
}

// Document is a spec held in memory, for CompareDocuments.
type Document struct {
	// Name identifies the spec in results and errors, such as a file name.
	Name string
	// Data is the spec's JSON or YAML text.
	Data []byte
}

// Compare loads the specs at basePath and revisionPath and returns the changes
// from base to revision that oasdiff's checks report. Relative file $refs are
// followed; remote (http) $refs are refused, so a diff never reaches the
// network. A spec that cannot be loaded gives a *LoadError naming the file.
//
// oasdiff does not take a context: when ctx ends first, Compare returns
// ctx.Err() at once and the abandoned work runs to completion in the
// background.
func Compare(ctx context.Context, basePath, revisionPath string, opts Options) (*Result, error) {
	return compare(ctx, opts, basePath, revisionPath, func() (loaded, loaded, error) {
		base, err := loadFile(sideBase, basePath)
		if err != nil {
			return loaded{}, loaded{}, err
		}
		revision, err := loadFile(sideRevision, revisionPath)
		if err != nil {
			return loaded{}, loaded{}, err
		}
		return base, revision, nil
	})
}

// CompareDocuments is Compare for specs held in memory. A $ref to another
// document is refused, since there is no directory to resolve it against.
func CompareDocuments(ctx context.Context, base, revision Document, opts Options) (*Result, error) {
	return compare(ctx, opts, base.Name, revision.Name, func() (loaded, loaded, error) {
		b, err := loadData(sideBase, base.Name, base.Data)
		if err != nil {
			return loaded{}, loaded{}, err
		}
		r, err := loadData(sideRevision, revision.Name, revision.Data)
		if err != nil {
			return loaded{}, loaded{}, err
		}
		return b, r, nil
	})
}

// compare validates opts, then loads and diffs in a goroutine so that ctx can
// end the wait even though oasdiff cannot be interrupted.
func compare(ctx context.Context, opts Options, baseName, revisionName string, load func() (loaded, loaded, error)) (*Result, error) {
	failOn, err := opts.failOn()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("compare %s with %s: %w", baseName, revisionName, err)
	}
	type outcome struct {
		result *Result
		err    error
	}
	done := make(chan outcome, 1) // buffered: the goroutine never blocks if nobody waits
	go func() {
		base, revision, err := load()
		if err != nil {
			done <- outcome{err: err}
			return
		}
		result, err := diffSpecs(base, revision, opts.IncludeInfo)
		if err != nil {
			done <- outcome{err: fmt.Errorf("compare %s with %s: %w", baseName, revisionName, err)}
			return
		}
		result.Base, result.Revision, result.FailOn = baseName, revisionName, failOn
		done <- outcome{result: result}
	}()
	select {
	case o := <-done:
		return o.result, o.err
	case <-ctx.Done():
		return nil, fmt.Errorf("compare %s with %s: %w", baseName, revisionName, ctx.Err())
	}
}

// LoadError reports a spec that could not be read or parsed as OpenAPI 3.
type LoadError struct {
	// Side is "base" or "revision".
	Side string
	// Name is the spec's file path or given name.
	Name string
	// Err is the cause.
	Err error
}

// Error returns one line: which spec, which file, why.
func (e *LoadError) Error() string {
	return fmt.Sprintf("load %s spec %s: %s", e.Side, e.Name, oneline.Fold(e.Err.Error()))
}

// Unwrap returns the cause.
func (e *LoadError) Unwrap() error { return e.Err }

// ErrNotOpenAPI3 is the cause of a LoadError for a document without an
// "openapi: 3.x" field (an empty file, a Swagger 2.0 file, any other YAML).
var ErrNotOpenAPI3 = errors.New("not an OpenAPI 3 document")
