package contract

import (
	"fmt"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// xWebhookEvent marks the component schema of a webhook's body with the
// event it carries ("PRODUCT_STATUS_CHANGED"). OpenAPI 3.0 has no webhooks
// of its own; 3.1's top-level webhooks are not needed for a body check.
const xWebhookEvent = "x-webhook-event"

// webhookSchemas indexes the component schemas that declare a webhook event.
func webhookSchemas(doc *openapi3.T) (map[string]*openapi3.SchemaRef, error) {
	out := map[string]*openapi3.SchemaRef{}
	if doc.Components == nil {
		return out, nil
	}
	for _, name := range sortedKeys(doc.Components.Schemas) {
		s := doc.Components.Schemas[name]
		if s == nil || s.Value == nil {
			continue
		}
		raw, ok := s.Value.Extensions[xWebhookEvent]
		if !ok {
			continue
		}
		event, ok := raw.(string)
		if !ok || event == "" {
			return nil, fmt.Errorf("schema %q: %s: got %v, want an event name such as PRODUCT_STATUS_CHANGED", name, xWebhookEvent, raw)
		}
		if _, dup := out[event]; dup {
			return nil, fmt.Errorf("schema %q: %s %s: got a second schema for the event, want one", name, xWebhookEvent, event)
		}
		out[event] = &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: s.Value}
	}
	return out, nil
}

// WebhookEvents lists the webhook events the contract documents, sorted.
func (v *Validator) WebhookEvents() []string { return sortedKeys(v.webhooks) }

// CheckWebhook checks the body of a webhook the target sent, as CheckResponse
// checks a response body: against the schema that declares its event, then
// for undocumented fields. Findings name the operation "WEBHOOK <event>"; an
// event no schema declares gives one finding.UndocumentedOperation.
func (v *Validator) CheckWebhook(event string, body []byte) []finding.Finding {
	base := finding.Finding{Class: finding.Contract, Operation: "WEBHOOK " + printable(event)}
	one := func(kind, rule, msg string) []finding.Finding {
		f := base
		f.Kind, f.Rule, f.Message = kind, rule, msg
		return []finding.Finding{f}
	}
	ref := v.webhooks[event]
	if ref == nil {
		return one(finding.UndocumentedOperation, "operation",
			fmt.Sprintf("no schema declares the event, want one of %v", v.WebhookEvents()))
	}
	value, err := decodeJSONErr(body)
	if err != nil {
		return one(finding.SchemaViolation, "json", "body is not valid JSON: "+oneline.First(err.Error()))
	}
	var out []finding.Finding
	if v.fastOpts == nil || ref.Value.VisitJSON(value, v.fastOpts...) != nil {
		out = v.schemaFindings(ref.Value.VisitJSON(value, v.respOpts...), base, "")
	}
	return slices.Concat(out, v.drift(value, ref, base))
}
