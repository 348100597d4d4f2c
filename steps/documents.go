package steps

import (
	"context"
	"encoding/base64"
	"net/http"

	"github.com/cucumber/godog"

	"github.com/passfort-conformance/harness/internal/target"
)

// Collected data and what is collected with it: replacing the data with
// optimistic concurrency (decision D40), document images, documents and
// files (decision D41), and the collection steps still outstanding
// (decision D44), all in docs/decisions.md.

func dataDefinitions() []Def {
	const g = "Collected data and documents"
	return []Def{
		{g, `^I fetch the profile's collected data$`, "GETs the profile's collected data; its ETag, when the target sends one, is saved as {{etag}}.", `When I fetch the profile's collected data`, fetchCollectedData},
		{g, `^I replace the profile's collected data with:$`, "Replaces the collected data with the doc string (no merge), without If-Match: the last write wins. The new ETag is saved as {{etag}}.", "When I replace the profile's collected data with:\n  \"\"\"\n  {\"entity_type\": \"INDIVIDUAL\", \"personal_details\": {\"name\": {\"given_names\": [\"Ada\"], \"family_name\": \"Lovelace\"}}}\n  \"\"\"", replaceCollectedData},
		{g, `^I replace the profile's collected data as of ETag ` + quoted + ` with:$`, "Replaces the collected data only if it is still the version the ETag names (If-Match); {{variables}} expand.", "When I replace the profile's collected data as of ETag \"{{read_etag}}\" with:\n  \"\"\"\n  {\"entity_type\": \"INDIVIDUAL\"}\n  \"\"\"", replaceCollectedDataIfMatch},
		{g, `^I save the header ` + quoted + ` as ` + quoted + `$`, "Saves a header of the last response as a variable; fails when the response has none.", `When I save the header "ETag" as "read_etag"`, saveHeader},
		{g, `^I upload an? (passport|driving licence|face) image( as plain base64)?$`, "Uploads a small PNG as a document image (the front of a passport or driving licence, or a face), as a data URI or, with \"as plain base64\", as base64 alone; saves its id as {{document_image_id}} and the data sent as {{document_image_data}}.", `When I upload a passport image as plain base64`, uploadImage},
		{g, `^I add the (passport|driving licence) to the profile's collected data$`, "Adds a PROOF_OF_IDENTITY document of this type made of the image uploaded last; saves its id as {{document_id}}.", `When I add the passport to the profile's collected data`, addDocument},
		{g, `^I list the profile's document images$`, "GETs the profile's document images (metadata only).", `When I list the profile's document images`, listImages},
		{g, `^I fetch the document image$`, "GETs the scenario's document image, without its content.", `When I fetch the document image`, fetchImage},
		{g, `^I fetch the document image with its content$`, "GETs the scenario's document image with full=true: its content comes as a data URI in decrypted_data.", `When I fetch the document image with its content`, fetchImageFull},
		{g, `^I upload the file ` + quoted + `$`, "Uploads a small PDF file with this name (base64 in data); saves its id as {{file_id}} and the base64 sent as {{file_data}}.", `When I upload the file "utility-bill.pdf"`, uploadFile},
		{g, `^I fetch the file$`, "GETs the scenario's file: its content comes as a data URI in decrypted_data.", `When I fetch the file`, fetchFile},
		{g, `^I replace the profile's collection steps with:$`, "Replaces the list of data the profile still has to supply with the doc string (a JSON array).", "When I replace the profile's collection steps with:\n  \"\"\"\n  [{\"collection_type\": \"DOB\"}]\n  \"\"\"", replaceCollectionSteps},
		{g, `^I clear the profile's collection steps$`, "Replaces the collection steps with [].", `When I clear the profile's collection steps`, clearCollectionSteps},
		{g, `^I list the profile's collection steps$`, "GETs the profile's collection steps.", `When I list the profile's collection steps`, listCollectionSteps},
	}
}

// keepETag saves the ETag of a collected-data answer as {{etag}}. The
// header is documented but not required (decision D40), so its absence is
// not this step's failure: a scenario that needs it says so.
func keepETag(ctx context.Context) {
	if w := WorldFrom(ctx); w != nil {
		if ex := w.Last(); ex != nil && ex.Status == 200 {
			if tag := ex.ResponseHeader.Get("ETag"); tag != "" {
				w.setVar("etag", tag)
			}
		}
	}
}

func fetchCollectedData(ctx context.Context) error {
	if err := profileGet(ctx, "/collected_data"); err != nil {
		return err
	}
	keepETag(ctx)
	return nil
}

// sendCollectedData POSTs a replacement of the collected data, with
// If-Match when ifMatch is not empty.
func sendCollectedData(ctx context.Context, body *godog.DocString, ifMatch string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	var h http.Header
	if ifMatch != "" {
		if ifMatch, err = w.expand(ifMatch); err != nil {
			return err
		}
		h = http.Header{"If-Match": {ifMatch}}
	}
	err = profileSend(ctx, func(p string) (target.Request, error) {
		return target.Request{Method: "POST", Path: p + "/collected_data", Body: []byte(body.Content), Header: h}, nil
	}, nil)
	if err != nil {
		return err
	}
	keepETag(ctx)
	return nil
}

func replaceCollectedData(ctx context.Context, body *godog.DocString) error {
	return sendCollectedData(ctx, body, "")
}

func replaceCollectedDataIfMatch(ctx context.Context, etag string, body *godog.DocString) error {
	return sendCollectedData(ctx, body, etag)
}

// onePixelPNG is the smallest image, in base64, that a real provider would
// read as an image; pngURI is it as a data URI.
const (
	onePixelPNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
	pngURI      = "data:image/png;base64," + onePixelPNG
)

// What a step that needs an upload tells the scenario to do first.
const (
	howUploadImage = `upload one first: "When I upload a passport image"`
	howUploadFile  = `upload one first: "When I upload the file \"utility-bill.pdf\""`
)

var imageTypes = map[string]string{"passport": "FRONT", "driving licence": "FRONT", "face": "FACE"}

func uploadImage(ctx context.Context, kind, plain string) error {
	data := pngURI
	if plain != "" {
		data = onePixelPNG
	}
	body := map[string]any{"data": data, "image_type": imageTypes[kind]}
	return upload(ctx, "/document_images", body, "document_image_id", "document_image_data")
}

// upload POSTs an image or a file and, when it is accepted, saves its id as
// {{idVar}} and the data it sent as {{sentVar}}, for the scenario to compare
// with what it reads back.
func upload(ctx context.Context, suffix string, body map[string]any, idVar, sentVar string) error {
	if err := profilePost(ctx, suffix, body, saves{idVar: "id"}); err != nil {
		return err
	}
	if w := WorldFrom(ctx); w != nil {
		if ex := w.Last(); ex != nil && ex.Status == 200 {
			w.setVar(sentVar, body["data"].(string))
		}
	}
	return nil
}

var documentTypes = map[string]string{"passport": "PASSPORT", "driving licence": "DRIVING_LICENCE"}

func addDocument(ctx context.Context, kind string) error {
	_, img, err := worldNeed(ctx, "document_image_id", howUploadImage)
	if err != nil {
		return err
	}
	body := map[string]any{"category": "PROOF_OF_IDENTITY", "document_type": documentTypes[kind], "images": []map[string]string{{"id": img}}}
	return profilePost(ctx, "/collected_data/documents", body, saves{"document_id": "id"})
}

func listImages(ctx context.Context) error { return profileGet(ctx, "/document_images") }

func fetchImageWith(ctx context.Context, q string) error {
	_, img, err := worldNeed(ctx, "document_image_id", howUploadImage)
	if err != nil {
		return err
	}
	return profileGet(ctx, "/document_images/"+img+q)
}

func fetchImage(ctx context.Context) error { return fetchImageWith(ctx, "") }

func fetchImageFull(ctx context.Context) error { return fetchImageWith(ctx, "?full=true") }

func uploadFile(ctx context.Context, name string) error {
	data := base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n% a file uploaded by the conformance suite\n"))
	return upload(ctx, "/files", map[string]any{"name": name, "data": data}, "file_id", "file_data")
}

func fetchFile(ctx context.Context) error {
	_, id, err := worldNeed(ctx, "file_id", howUploadFile)
	if err != nil {
		return err
	}
	return profileGet(ctx, "/files/"+id)
}

func replaceCollectionSteps(ctx context.Context, body *godog.DocString) error {
	return profilePost(ctx, "/collection_steps", []byte(body.Content), nil)
}

func clearCollectionSteps(ctx context.Context) error {
	return profilePost(ctx, "/collection_steps", []byte("[]"), nil)
}

func listCollectionSteps(ctx context.Context) error { return profileGet(ctx, "/collection_steps") }
