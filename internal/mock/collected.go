package mock

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// Collected data: read, replace with optimistic concurrency, and add a
// document (decisions D40 and D41, docs/decisions.md).

// collectedBody is a stored JSON value sent back as it is.
type collectedBody []byte

func (b collectedBody) appendJSON(dst []byte) []byte { return append(dst, b...) }

// getCollectedData serves GET /profiles/{profile_id}/collected_data.
func (s *Server) getCollectedData(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		return &versioned{collectedBody(p.collected), p.etag()}, nil
	})
}

// versioned is collected data with the ETag naming its version (decision D40).
type versioned struct {
	collectedBody
	etag string
}

// replaceCollectedData serves POST /profiles/{profile_id}/collected_data:
// the body replaces the data, nothing is merged.
func (s *Server) replaceCollectedData(c *call) (any, *apiError) {
	cd, e := c.object()
	if e != nil {
		return nil, e
	}
	return s.change(c, func(p *profile, t stamp) (any, *apiError) {
		if e := s.store.historyRoom(p); e != nil {
			return nil, e
		}
		if m := c.r.Header.Get("If-Match"); m != "" && !etagMatches(m, p.etag()) {
			return nil, &apiError{status: http.StatusPreconditionFailed, code: codeConstraints, etag: p.etag(),
				message: "The collected data changed: If-Match " + m + " is not the current version " + p.etag()}
		}
		name, riskData, e := readCollectedData(cd, p.role)
		if e != nil {
			return nil, e
		}
		collected := compact(c.body)
		if e := s.store.grow(len(collected) - len(p.collected)); e != nil {
			return nil, e
		}
		p.collected = collected
		p.displayName, p.lowerName, p.riskData = name, strings.ToLower(name), riskData
		p.hasAddress = addressGiven(p.collected)
		if riskData && s.riskRated(p) {
			p.riskUntil = t + max(int64(s.delay), 1)
		}
		p.cdVersion++
		p.record(t, "replace-collected-data", "Replaced the collected data", "", "", id{})
		p.last = t
		s.settleAll(p, t, causeTasks)
		p.touched()
		return &versioned{collectedBody(p.collected), p.etag()}, nil
	})
}

// etagMatches compares an If-Match list with the current tag, weakly.
func etagMatches(ifMatch, current string) bool {
	cur := strings.TrimPrefix(current, "W/")
	for _, m := range strings.Split(ifMatch, ",") {
		m = strings.TrimSpace(m)
		if m == "*" || strings.TrimPrefix(m, "W/") == cur {
			return true
		}
	}
	return false
}

// addDocument serves POST /profiles/{profile_id}/collected_data/documents.
func (s *Server) addDocument(c *call) (any, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, e
	}
	if e := o.missingKeys("", "category", "document_type", "images"); e != nil {
		return nil, e
	}
	category, _, e := o.str("", "category")
	if e != nil {
		return nil, e
	}
	docType, _, e := o.str("", "document_type")
	if e != nil {
		return nil, e
	}
	refs, e := idRefs(o, "images")
	if e != nil {
		return nil, e
	}
	if len(refs) == 0 {
		return nil, invalid("images: got an empty array, want at least one image")
	}
	if _, _, e := o.obj("", "extracted_data"); e != nil {
		return nil, e
	}
	hasExtracted := o.has("extracted_data")
	return s.change(c, func(p *profile, t stamp) (any, *apiError) {
		cd, e := asObject(p.collected, collectedData)
		if e != nil {
			return nil, e
		}
		docs, _, e := cd.arr(collectedData, "documents")
		if e != nil {
			return nil, e
		}
		if len(docs) >= maxDocuments {
			return nil, invalid("The profile has %d documents, the most the mock keeps", maxDocuments)
		}
		imgs := make([]*image, len(refs))
		for i, x := range refs {
			for j := range p.images {
				if p.images[j].id == x {
					imgs[i] = &p.images[j]
				}
			}
			if imgs[i] == nil {
				return nil, invalid("images[%d].id: %s is no document image of the profile", i, x)
			}
		}
		doc := documentJSON{ID: s.ids.next().String(), Category: category, DocumentType: docType,
			Images: make([]imageJSON, len(imgs))}
		for i, im := range imgs {
			im.docType, im.docCat = docType, category
			doc.Images[i] = renderImage(im, false)
		}
		if hasExtracted {
			doc.ExtractedData = compact(o.value("extracted_data"))
		}
		raw := appendMarshal(nil, &doc)
		b := []byte{'{'}
		first := true
		for _, f := range cd {
			if string(f.key) == "documents" {
				continue
			}
			b = appendRaw(appendKey(b, string(f.key), first), f.val)
			first = false
		}
		b = append(appendKey(b, "documents", first), '[')
		for _, d := range docs {
			b = append(append(b, d...), ',')
		}
		b = append(append(b, raw...), ']', '}')
		collected := compact(b)
		if e := s.store.grow(len(collected) - len(p.collected)); e != nil {
			return nil, e
		}
		p.collected = collected
		p.cdVersion++
		p.record(t, "uploaded-a-document", "Added a", docType, "document_id", parseIDOrZero(doc.ID))
		p.last = t
		return &doc, nil
	})
}

func parseIDOrZero(s string) id { x, _ := parseID(s); return x }

// idRefs reads an optional array of {id} objects.
func idRefs(o object, key string) ([]id, *apiError) {
	items, _, e := o.arr("", key)
	if e != nil {
		return nil, e
	}
	out := make([]id, len(items))
	for i, raw := range items {
		where := key + "[" + strconv.Itoa(i) + "]"
		item, e := asObject(raw, where)
		if e != nil {
			return nil, e
		}
		if !item.has("id") {
			return nil, missing(where + ".id")
		}
		v, _, e := item.str(where, "id")
		if e != nil {
			return nil, e
		}
		x, ok := parseID(v)
		if !ok {
			return nil, invalid("%s.id: got %q, want an 8-4-4-4-12 hex id", where, v)
		}
		out[i] = x
	}
	return out, nil
}

type documentJSON struct {
	ID            string          `json:"id"`
	Category      string          `json:"category"`
	DocumentType  string          `json:"document_type"`
	Images        []imageJSON     `json:"images"`
	ExtractedData json.RawMessage `json:"extracted_data,omitempty"`
}
