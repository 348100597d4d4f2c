package specdiff

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/load"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/boundedfile"
)

const (
	sideBase     = "base"
	sideRevision = "revision"
)

// loaded is one spec, parsed, with the path its servers share.
type loaded struct {
	info *load.SpecInfo
	// serverPath is the URL path all of the spec's servers share ("/4.0" for
	// both "https://api.passfort.com/4.0" and "/4.0"); serverPathKnown is false
	// when the servers disagree or use variables.
	serverPath      string
	serverPathKnown bool
}

// specdiff parses its two specs with kin-openapi here, not through
// internal/apispec, the owner of the run's contract: it compares two
// versions of a spec rather than checking a run against one, oasdiff wants
// a fresh loader per side wrapped in its own load.SpecInfo, and a spec on
// disk may $ref other local files, which apispec refuses.

// loadFile parses the spec at path with a fresh loader (oasdiff's advice: a
// shared loader caches documents by name and can mix the two sides up).
//
// kin-openapi's loader only parses and resolves $refs: it does not validate,
// so vendor quirks (lookahead regexps, "x-" keys with trailing spaces, anyOf
// without a discriminator) load as they are, and reference cycles (PassFort's
// ApprovalBlocker subtypes allOf their parent, which oneOfs them) resolve to
// shared pointers rather than looping. oasdiff's diff walks such cycles with
// a visited set.
func loadFile(side, path string) (loaded, error) {
	root, err := specFolder(path)
	if err != nil {
		return loaded{}, &LoadError{Side: side, Name: path, Err: err}
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	loader.ReadFromURIFunc = readConfined(root)
	spec, err := loader.LoadFromFile(path)
	if err != nil {
		return loaded{}, &LoadError{Side: side, Name: path, Err: err}
	}
	return newLoaded(side, path, spec)
}

// loadData parses a spec held in memory; $refs to other documents are refused.
func loadData(side, name string, data []byte) (loaded, error) {
	if err := apispec.CheckShape(data); err != nil {
		return loaded{}, &LoadError{Side: side, Name: name, Err: err}
	}
	loader := openapi3.NewLoader()
	spec, err := loader.LoadFromDataWithPath(data, &url.URL{Path: name})
	if err != nil {
		return loaded{}, &LoadError{Side: side, Name: name, Err: err}
	}
	return newLoaded(side, name, spec)
}

// newLoaded checks that spec is OpenAPI 3 (kin-openapi happily parses any YAML
// map, a Swagger 2.0 file or an empty file into an empty document, which would
// diff as "every operation removed") and wraps it for oasdiff.
func newLoaded(side, name string, spec *openapi3.T) (loaded, error) {
	if !strings.HasPrefix(spec.OpenAPI, "3.") {
		cause := fmt.Errorf("%w: openapi field: got %q, want 3.x", ErrNotOpenAPI3, spec.OpenAPI)
		return loaded{}, &LoadError{Side: side, Name: name, Err: cause}
	}
	if spec.Paths == nil {
		spec.Paths = openapi3.NewPaths()
	}
	info := &load.SpecInfo{Url: name, Spec: spec}
	if spec.Info != nil {
		info.Version = spec.Info.Version
	}
	serverPath, known := serverBasePath(spec.Servers)
	return loaded{info: info, serverPath: serverPath, serverPathKnown: known}, nil
}

// specFolder is the folder a spec's local $refs are confined to: the one
// that holds it, symbolic links resolved.
func specFolder(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	return filepath.Dir(abs), nil
}

// readConfined reads local files only, below root, regular files of at
// most boundedfile.SpecLimit bytes: a diff run in CI on a spec from
// elsewhere must not fetch URLs its $refs name, nor read /etc/passwd into
// an error message or /dev/zero into memory (decision D71,
// docs/decisions.md).
func readConfined(root string) openapi3.ReadFromURIFunc {
	return func(_ *openapi3.Loader, location *url.URL) ([]byte, error) {
		if (location.Scheme != "" && location.Scheme != "file") || location.Host != "" {
			return nil, fmt.Errorf("$ref %s: remote references are not followed, only local files", location.Redacted())
		}
		p, err := filepath.Abs(filepath.FromSlash(location.Path))
		if err != nil {
			return nil, err
		}
		real := p
		if r, err := filepath.EvalSymlinks(p); err == nil {
			real = r
		}
		if rel, err := filepath.Rel(root, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("$ref %s: outside the spec's folder %s, not followed", location.Path, root)
		}
		data, err := boundedfile.Read(real, boundedfile.SpecLimit)
		if err != nil {
			return nil, err
		}
		if err := apispec.CheckShape(data); err != nil {
			return nil, fmt.Errorf("%s: %w", location.Path, err)
		}
		return data, nil
	}
}

// serverBasePath returns the URL path shared by every server, without a
// trailing slash ("" for a spec without servers, which OpenAPI defines as
// "/"), and false when servers differ in path or use {variables}.
func serverBasePath(servers openapi3.Servers) (string, bool) {
	common := ""
	for i, s := range servers {
		if s == nil || strings.Contains(s.URL, "{") {
			return "", false
		}
		u, err := url.Parse(s.URL)
		if err != nil {
			return "", false
		}
		p := strings.TrimSuffix(u.Path, "/")
		if i > 0 && p != common {
			return "", false
		}
		common = p
	}
	return common, true
}
