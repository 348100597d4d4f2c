package mock

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
)

// Document images and files: stored with their content, within
// maxContentBytes each and maxImages / maxFiles a profile, and read back as
// data: URIs in decrypted_data (decisions D41, D52, D113 and D114,
// docs/decisions.md).

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

// decodeContent decodes padded standard base64, the contract's Base64:
// line breaks, which the decoder would skip, are refused as the pattern
// refuses them. what names the upload in the errors.
func decodeContent(what, b64 string) ([]byte, *apiError) {
	if n := base64Size(b64); n > maxContentBytes {
		return nil, contentTooLarge(what, n)
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || strings.ContainsAny(b64, "\r\n") {
		return nil, invalid("data: got content that is not padded base64, want base64 (A-Z, a-z, 0-9, + and /, padded with =) or a data: URI")
	}
	return b, nil
}

// asDataURI is content read back as a data: URI, its media type sniffed
// from the bytes (decision D113): the parameters DetectContentType adds
// (a charset) are dropped, and what it cannot name is
// application/octet-stream.
func asDataURI(content []byte, b64 string) string {
	media, _, _ := strings.Cut(http.DetectContentType(content), ";")
	return "data:" + media + ";base64," + b64
}

// imageData is an image upload's data as the data: URI it is read back as:
// a data: URI as sent, plain base64 with the media type its content shows
// (decision D113).
func imageData(data string) (string, *apiError) {
	if strings.HasPrefix(data, "data:") {
		_, b64, ok := strings.Cut(data, ";base64,")
		if !ok {
			return "", invalid("data: got a data: URI without ;base64, want data:<media type>;base64,<base64>")
		}
		if _, e := decodeContent("image", b64); e != nil {
			return "", e
		}
		return data, nil
	}
	content, e := decodeContent("image", data)
	if e != nil {
		return "", e
	}
	return asDataURI(content, data), nil
}

// uploadImage serves POST /profiles/{profile_id}/document_images.
func (s *Server) uploadImage(c *call) (any, *apiError) {
	o, data, e := readUpload(c)
	if e != nil {
		return nil, e
	}
	uri, e := imageData(data)
	if e != nil {
		return nil, e
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
		if e := s.store.grow(len(uri)); e != nil {
			return nil, e // decision D82: image content counts with the collected data
		}
		im := image{id: s.ids.next(), at: t, data: uri}
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
	content, e := decodeContent("file", data)
	if e != nil {
		return nil, e
	}
	uri := asDataURI(content, data)
	name, hasName, e := o.str("", "name")
	if e != nil {
		return nil, e
	}
	return s.change(c, func(p *profile, t stamp) (any, *apiError) {
		if len(p.files) >= maxFiles {
			return nil, invalid("The profile has %d files, the most the mock keeps", maxFiles)
		}
		if e := s.store.grow(len(uri)); e != nil {
			return nil, e // decision D114: file content counts as image content does
		}
		f := file{id: s.ids.next(), name: name, data: uri}
		if !hasName || name == "" {
			f.name = "file-" + f.id.String()[:8]
		}
		p.files = append(p.files, f)
		p.record(t, "added-a-file", "Added the file", f.name, "file_id", f.id)
		return &fileJSON{ID: f.id.String(), Name: f.name}, nil
	})
}

// getFile serves GET /profiles/{profile_id}/files/{file_id}: the file with
// its content in decrypted_data (decision D41).
func (s *Server) getFile(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		if f := p.file(c.m.sub); f != nil {
			return &fileJSON{ID: f.id.String(), Name: f.name, DecryptedData: f.data}, nil
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
