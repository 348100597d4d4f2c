package mock

import "testing"

// Adding an application to an unknown profile is 404 whatever the body
// names: the profile is resolved before the product (decision D88,
// docs/decisions.md). A body that is not a JSON object stays 400.
func TestAddApplicationUnknownProfileWins(t *testing.T) {
	e := newEnv(t, Options{})
	const unknown = "/profiles/00000000-0000-0000-0000-000000000000/applications"
	e.Post(unknown, `{"product":{"alias":"no_such_product"}}`).Want(404, 201)
	e.Post(unknown, `{"product":{"id":"00000000-0000-0000-0000-00000000abcd"}}`).Want(404, 201)
	e.Post(unknown, `{"product":{"alias":"forexo_basic"}}`).Want(404, 201)
	e.Post(unknown, `[1]`).Want(400, 201)
	// A known profile still answers 400 for the unknown product.
	pid := e.NewProfile()
	e.Post("/profiles/"+pid+"/applications", `{"product":{"alias":"no_such_product"}}`).Want(400, 201)
}
