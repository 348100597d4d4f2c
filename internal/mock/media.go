package mock

import (
	"fmt"
	"net/http"
	"strings"
)

// Document images and files: stored with their content, within
// maxContentBytes each and maxImages / maxFiles a profile (decisions D41
// and D52, docs/decisions.md).

// contentTooLarge refuses an image or file over maxContentBytes.
func contentTooLarge(what string, n int) *apiError {
	return &apiError{status: http.StatusRequestEntityTooLarge, code: codeInvalidInputData,
		message: fmt.Sprintf("The %s is %d bytes, over the mock's limit of %d bytes", what, n, maxContentBytes)}
}

// base64Size is the decoded size of base64 text.
func base64Size(b64 string) int {
	n := len(b64) / 4 * 3
	return n - strings.Count(b64[max(0, len(b64)-2):], "=")
}

// readUpload reads an upload's body and its required data.
func readUpload(c *call) (object, string, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, "", e
	}
	data, e := o.required("", "data")
	return o, data, e
}

// uploadImage serves POST /profiles/{profile_id}/document_images.
func (s *Server) uploadImage(c *call) (any, *apiError) {
	o, data, e := readUpload(c)
	if e != nil {
		return nil, e
	}
	_, b64, ok := strings.Cut(data, ";base64,")
	if !ok || !strings.HasPrefix(data, "data:") {
		return nil, invalid("data: want a data: URI with base64 content, such as data:image/png;base64,...")
	}
	if n := base64Size(b64); n > maxContentBytes {
		return nil, contentTooLarge("image", n)
	}
	imageType, _, e := o.enum("", "image_type", []string{"FRONT", "BACK", "FACE"})
	if e != nil {
		return nil, e
	}
	ref, hasRef, e := o.str("", "provider_reference")
	if e != nil {
		return nil, e
	}
	return s.change(c, func(p *profile, t stamp) (any, *apiError) {
		if len(p.images) >= maxImages {
			return nil, invalid("The profile has %d document images, the most the mock keeps", maxImages)
		}
		if e := s.store.grow(len(data)); e != nil {
			return nil, e // decision D82: image content counts with the collected data
		}
		im := image{id: s.ids.next(), at: t, data: data}
		if o.has("image_type") {
			im.imageType = []string{"FRONT", "BACK", "FACE"}[imageType]
		}
		if hasRef {
			im.provRef = &ref
		}
		p.images = append(p.images, im)
		p.record(t, "uploaded-a-document", "Uploaded a document image", "", "document_image_id", im.id)
		out := renderImage(&p.images[len(p.images)-1], false)
		return &out, nil
	})
}

// listImages serves GET /profiles/{profile_id}/document_images: metadata only.
func (s *Server) listImages(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		out := make([]imageJSON, len(p.images))
		for i := range p.images {
			out[i] = renderImage(&p.images[i], false)
		}
		return out, nil
	})
}

// getImage serves GET /profiles/{profile_id}/document_images/{id}[?full=true].
func (s *Server) getImage(c *call) (any, *apiError) {
	full := false
	if c.r.URL.RawQuery != "" {
		switch v := c.r.URL.Query().Get("full"); v {
		case "true":
			full = true
		case "false", "":
		default:
			return nil, invalid("full: got %q, want true or false", v)
		}
	}
	return s.view(c, func(p *profile) (any, *apiError) {
		if x, ok := parseID(c.m.sub); ok {
			for i := range p.images {
				if p.images[i].id == x {
					out := renderImage(&p.images[i], full)
					return &out, nil
				}
			}
		}
		return nil, notFound("Document image not found: %s", c.m.sub)
	})
}

// uploadFile serves POST /profiles/{profile_id}/files.
func (s *Server) uploadFile(c *call) (any, *apiError) {
	o, data, e := readUpload(c)
	if e != nil {
		return nil, e
	}
	if len(data)%4 != 0 {
		return nil, invalid("data: want base64 content")
	}
	if n := base64Size(data); n > maxContentBytes {
		return nil, contentTooLarge("file", n)
	}
	name, hasName, e := o.str("", "name")
	if e != nil {
		return nil, e
	}
	return s.change(c, func(p *profile, t stamp) (any, *apiError) {
		if len(p.files) >= maxFiles {
			return nil, invalid("The profile has %d files, the most the mock keeps", maxFiles)
		}
		f := file{id: s.ids.next(), name: name, size: base64Size(data)}
		if !hasName || name == "" {
			f.name = "file-" + f.id.String()[:8]
		}
		p.files = append(p.files, f)
		p.record(t, "added-a-file", "Added the file", f.name, "file_id", f.id)
		return &fileJSON{ID: f.id.String(), Name: f.name}, nil
	})
}

// getFile serves GET /profiles/{profile_id}/files/{file_id}: {id, name}.
func (s *Server) getFile(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		if f := p.file(c.m.sub); f != nil {
			return &fileJSON{ID: f.id.String(), Name: f.name}, nil
		}
		return nil, notFound("File not found: %s", c.m.sub)
	})
}

func (p *profile) file(s string) *file {
	if x, ok := parseID(s); ok {
		for i := range p.files {
			if p.files[i].id == x {
				return &p.files[i]
			}
		}
	}
	return nil
}
