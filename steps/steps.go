package steps

import (
	"context"
	"errors"
	"reflect"
	"slices"

	"github.com/cucumber/godog"
)

// ErrUsage wraps a step error that is the feature's own mistake, such as a
// write from a scenario not tagged @mutating: the run reports it as a usage
// failure (exit 2), never as the target's, and never retries it.
var ErrUsage = errors.New("usage")

// Def is one step definition: its pattern, the Go function behind it, and
// the words the README's step vocabulary prints for it.
type Def struct {
	// Group is the vocabulary section: "Profiles and applications", "HTTP", ...
	Group   string
	Pattern string
	// Doc says what the step does, in one sentence.
	Doc string
	// Example is the step as a feature writes it.
	Example string
	Func    any
}

const (
	method = `(GET|POST|PUT|PATCH|DELETE)`
	quoted = `"([^"]*)"`
	// jsonPath is a quoted gjson path in which \" stands for a quote:
	// "results.#(id==\"{{profile_id}}\").id".
	jsonPath   = `"((?:[^"\\]|\\.)*)"`
	kinds      = `(INDIVIDUAL|COMPANY|INDIVIDUAL_CUSTOMER|COMPANY_CUSTOMER|INDIVIDUAL_ASSOCIATED|COMPANY_ASSOCIATED)`
	statuses   = `(APPLIED|APPROVED|IN_REVIEW|REJECTED|CANCELLED)`
	flags      = `([A-Z_]+)`
	assocRoles = `(AUTHORIZED_PERSON|UNAUTHORIZED_PERSON|DIRECTOR|COMPANY_SECRETARY|SHAREHOLDER|PARTNER|TRUSTEE|BENEFICIAL_OWNER|RESIGNED_OFFICER|OTHER)`
)

// Definitions returns every step of the suite, in vocabulary order.
func Definitions() []Def {
	const domain, life, httpGroup, jsonGroup, checks = "Profiles and applications", "Lifecycle", "HTTP requests", "Response JSON", "Findings"
	return slices.Concat([]Def{
		{domain, `^an? ` + kinds + ` profile$`, "Creates a profile with the role (INDIVIDUAL and COMPANY mean the *_CUSTOMER roles) and the least collected data; saves its id as {{profile_id}}.", `Given an INDIVIDUAL profile`, aProfile},
		{domain, `^an? ` + kinds + ` profile without the automatically applied products$`, "Creates a profile with an empty applications list, so it is not applied for the products with automatically_apply: it starts with no application and counts can be exact; saves its id as {{profile_id}}.", `Given an INDIVIDUAL profile without the automatically applied products`, aProfileWithoutAutomaticProducts},
		{domain, `^an? ` + kinds + ` profile named ` + quoted + `$`, "Creates a profile with a name (demo accounts simulate check results from keywords in names).", `Given an INDIVIDUAL profile named "Jane FAIL Doe"`, aProfileNamed},
		{domain, `^I add the product ` + quoted + ` to the profile$`, "Adds a product application by alias; saves its id as {{application_id}}. The alias is the mock catalogue's, sent as the target's product of the same role (PASSFORT_CATALOG), or a {{product.ROLE.alias}} variable.", `When I add the product "forexo_basic" to the profile`, addProductByAlias},
		{domain, `^I add the product ` + quoted + ` to the profile by id$`, "Adds a product application by the product's id instead of its alias.", `When I add the product "forexo_basic" to the profile by id`, addProductByID},
		{domain, `^I add the product ` + quoted + ` to the profile as ` + assocRoles + `$`, "Adds a product application for a company associate, with its associated_role.", `When I add the product "forexo_business" to the profile as DIRECTOR`, addProductAsAssociate},
		{domain, `^I create an? ` + kinds + ` profile with the product ` + quoted + `$`, "Creates a profile and its application in one call.", `When I create an INDIVIDUAL profile with the product "forexo_basic"`, createProfileWithProduct},
		{domain, `^I fetch the application$`, "GETs the scenario's application.", `When I fetch the application`, fetchApplication},
		{domain, `^I list the profile's applications$`, "GETs the profile's applications.", `When I list the profile's applications`, listApplications},
		{domain, `^I fetch the profile$`, "GETs the scenario's profile.", `When I fetch the profile`, fetchProfile},
		{domain, `^the application is listed exactly once$`, "The last response (a list, or a profile) holds the scenario's application exactly once.", `Then the application is listed exactly once`, applicationListedOnce},
		{domain, `^the application is ` + statuses + ` with flag ` + flags + `$`, "The last response is an application with that status and flag.", `Then the application is APPLIED with flag AUTOMATING`, applicationStatusAndFlag},
	}, profileReadDefinitions(domain), []Def{

		{life, `^I (approve|reject|cancel) the application$`, "Sends a manual decision: approve, reject or cancel (POST .../applications/{id} with the status APPROVED, REJECTED or CANCELLED); asserts nothing, so the scenario can expect the change or its refusal.", `When I reject the application`, decide},
		{life, `^I (approve|reject|cancel) the application with the comment ` + quoted + `$`, "Sends a manual decision with a comment, which the application's new history entry carries; {{variables}} expand.", `When I cancel the application with the comment "customer withdrew"`, decideWithComment},
		{life, `^I set the application's status to ` + statuses + ` by hand$`, "Sends any status as a manual change, for the transitions the API must refuse.", `When I set the application's status to IN_REVIEW by hand`, setStatus},
		{life, `^I revert the decision$`, "POSTs revert_decision; when the target answers a new application (new_application mode), the scenario follows it.", `When I revert the decision`, revertDecision},
		{life, `^I complete the task ` + quoted + ` with (COMPLETED_PASS|COMPLETED_FAIL|INCOMPLETE)$`, "Sets the state of the profile's task of this type.", `When I complete the task "INDIVIDUAL_VERIFY_IDENTITY" with COMPLETED_PASS`, completeTask},
		{life, `^I mark the task ` + quoted + ` as complete$`, "Sends the older {\"is_complete\": true} form.", `When I mark the task "INDIVIDUAL_VERIFY_IDENTITY" as complete`, markTaskComplete},
		{life, `^I complete every task with (COMPLETED_PASS|COMPLETED_FAIL)$`, "Sets the state of every task the application requires.", `When I complete every task with COMPLETED_PASS`, completeEveryTask},
		{life, `^I reopen the task ` + quoted + `$`, "Sets the task back to INCOMPLETE (as a monitoring hit would).", `When I reopen the task "INDIVIDUAL_VERIFY_IDENTITY"`, reopenTask},
		{life, `^I (suspend|ban|restore) the profile$`, "Sets the profile status to SUSPENDED, BANNED or NORMAL.", `When I suspend the profile`, changeProfileStatus},
		{life, `^an unresolved ` + quoted + ` event is raised on the profile$`, "POSTs a profile event (a monitoring hit); saves its id as {{event_id}}.", `When an unresolved "PEP_FLAG" event is raised on the profile`, raiseEvent},
		{life, `^I resolve the event as (MISMATCH|MATCH|IGNORE|CREATED_TASK)$`, "Sets the event's resolution.", `When I resolve the event as MISMATCH`, resolveEvent},
		{life, `^an INDIVIDUAL profile without risk data$`, "Creates an INDIVIDUAL profile with a name but no date of birth or nationality.", `Given an INDIVIDUAL profile without risk data`, individualWithoutRiskData},
		{life, `^the application's (status|flag) is ([A-Z_]+)$`, "Fetches the application and checks its status or flag now.", `Then the application's flag is READY_FOR_DECISION`, applicationFieldIs},
		{life, `^within (\d+) seconds? the application's (status|flag) becomes ([A-Z_]+)$`, "Polls the application until its status or flag is the value, failing after the bound with every value seen.", `Then within 5 seconds the application's flag becomes READY_FOR_DECISION`, applicationFieldBecomes},
		{life, `^within (\d+) seconds? the application settles$`, "Polls the application until its flag is neither AUTOMATING nor WAITING_ON_CHECKS, whatever flag comes next; saves that flag as {{flag}}.", `Then within 5 seconds the application settles`, applicationSettles},
		{life, `^the application's flag history includes ([A-Z_]+)$`, "Fetches the application: flag_history has an entry with this flag (short-lived flags are recorded even when no read caught them).", `Then the application's flag history includes WAITING_ON_CHECKS`, flagHistoryIncludes},
		{life, `^the application has no approval blockers$`, "Fetches the application: approval_blockers is empty.", `Then the application has no approval blockers`, noBlockers},
		{life, `^the application has an? ` + quoted + ` approval blocker$`, "Fetches the application: it has a blocker of this type.", `Then the application has a "SUSPENDED_PROFILE" approval blocker`, hasBlocker},
		{life, `^the application has an? ` + quoted + ` approval blocker for ` + quoted + `$`, "Fetches the application: it has an INCOMPLETE_TASK blocker for this task type.", `Then the application has an "INCOMPLETE_TASK" approval blocker for "INDIVIDUAL_VERIFY_IDENTITY"`, hasBlockerFor},
		{life, `^the application has (\d+) approval blockers?$`, "Fetches the application: it has this many blockers.", `Then the application has 3 approval blockers`, blockerCount},
		{life, `^the application's history is ` + quoted + `$`, "Fetches the application: its history statuses, oldest first, are these.", `Then the application's history is "APPLIED, REJECTED, APPLIED"`, historyIs},
		{life, `^the application's history after the revert is ` + quoted + `$`, "The history after a revert, written as revert_mode same_id shows it (the reverted decision and the restored status last); under revert_mode new_application the new application's history is checked: the same without those two.", `Then the application's history after the revert is "APPLIED, REJECTED, APPLIED"`, revertHistoryIs},
	}, apiDefinitions(), []Def{

		{httpGroup, `^I send a ` + method + ` request to ` + quoted + `$`, "Sends a request; {{variables}} in the path are expanded.", `When I send a GET request to "/profiles/{{profile_id}}"`, sendRequest},
		{httpGroup, `^I send a ` + method + ` request to ` + quoted + ` with body:$`, "Sends a request with the doc string as its JSON body.", "When I send a POST request to \"/profiles/{{profile_id}}/applications\" with body:\n  \"\"\"\n  {\"product\": {\"alias\": \"{{product.basic_individual.alias}}\"}}\n  \"\"\"", sendRequestWithBody},
		{httpGroup, `^I send a ` + method + ` request to ` + quoted + ` with content type ` + quoted + ` and body:$`, "Sends a body with another Content-Type (never retried).", "When I send a POST request to \"/profiles\" with content type \"text/plain\" and body:", sendRequestWithContentType},
		{httpGroup, `^I send a ` + method + ` request to ` + quoted + ` without an API key$`, "Sends a request with no apikey header (never retried).", `When I send a GET request to "/whoami" without an API key`, sendRequestWithoutKey},
		{httpGroup, `^I send a ` + method + ` request to ` + quoted + ` with the API key ` + quoted + `$`, "Sends a request with another apikey (redacted like the real one; never retried).", `When I send a GET request to "/whoami" with the API key "wrong-key"`, sendRequestWithKey},
		{httpGroup, `^I send a ` + method + ` request to ` + quoted + ` without an API key with body:$`, "Sends a JSON body with no apikey header (never retried).", "When I send a POST request to \"/profiles\" without an API key with body:", sendRequestWithoutKeyWithBody},
		{httpGroup, `^I send a ` + method + ` request to ` + quoted + ` with the API key ` + quoted + ` and body:$`, "Sends a JSON body with another apikey (redacted like the real one; never retried).", "When I send a POST request to \"/profiles\" with the API key \"wrong-key\" and body:", sendRequestWithKeyAndBody},
		{httpGroup, `^I send a ` + method + ` request to ` + quoted + ` that may fail$`, "Sends a request whose transport failure (timeout, refused, cut-short body, retries exhausted) is expected: recorded as an expected finding instead of failing the step.", `When I send a GET request to "/profiles/{{profile_id}}" that may fail`, sendMayFail},
		{httpGroup, `^the request failed as ` + quoted + ` within (\d+) seconds?$`, "The last request ended with this infrastructure failure kind, within the bound (time the harness's own rate limiter held it does not count).", `Then the request failed as "timeout" within 5 seconds`, requestFailedAs},
		{httpGroup, `^the status is (\d+)$`, "The last response has this HTTP status.", `Then the status is 200`, statusIs},
		{httpGroup, `^the header ` + quoted + ` is ` + quoted + `$`, "The last response has this header value.", `Then the header "Content-Type" is "application/json"`, headerEquals},
		{httpGroup, `^the response is an error with code (\d+)$`, "The last response is a 4xx with the error envelope {\"errors\":[{\"code\":N,\"message\":\"...\"}]} and this first code.", `Then the response is an error with code 203`, errorWithCode},

		{jsonGroup, `^the JSON at ` + jsonPath + ` equals (.+)$`, "The value at a gjson path equals a JSON literal (strings in quotes); {{variables}} expand.", `Then the JSON at "product.alias" equals "{{product.basic_individual.alias}}"`, jsonEquals},
		{jsonGroup, `^the JSON at ` + jsonPath + ` does not equal (.+)$`, "The path has a value, and it differs from the JSON literal.", `Then the JSON at "flag" does not equal "AUTOMATING"`, jsonNotEquals},
		{jsonGroup, `^the JSON at ` + jsonPath + ` contains (.+)$`, "The value is a string holding the literal's text, or an array with an element equal to the JSON literal.", `Then the JSON at "history.#.status" contains "REJECTED"`, jsonContains},
		{jsonGroup, `^the JSON at ` + jsonPath + ` does not contain (.+)$`, "The value is a string without the literal's text, or an array with no element equal to the JSON literal.", `Then the JSON at "history.#.status" does not contain "APPROVED"`, jsonDoesNotContain},
		{jsonGroup, `^the JSON has:$`, "Every | path | value | row of the table holds, as with \"equals\"; all differences are listed.", "Then the JSON has:\n  | path   | value     |\n  | status | \"APPLIED\" |", jsonTable},
		{jsonGroup, `^the JSON at ` + jsonPath + ` exists$`, "The path has a value (null counts).", `Then the JSON at "id" exists`, jsonExists},
		{jsonGroup, `^the JSON at ` + jsonPath + ` does not exist$`, "The path has no value.", `Then the JSON at "associated_role" does not exist`, jsonAbsent},
		{jsonGroup, `^the JSON at ` + jsonPath + ` matches ` + quoted + `$`, "The value, as a string, matches a Go regular expression.", `Then the JSON at "history.0.date" matches "^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"`, jsonMatches},
		{jsonGroup, `^the JSON at ` + jsonPath + ` has (\d+) items?$`, "The value is an array of this length.", `Then the JSON at "required_tasks" has 1 item`, jsonHasItems},
		{jsonGroup, `^I save the JSON at ` + jsonPath + ` as ` + quoted + `$`, "Saves a value as a variable for later paths and bodies: {{name}}.", `When I save the JSON at "required_tasks.0.id" as "task_id"`, saveJSON},

		{checks, `^every (valid|invalid) variant of ` + quoted + ` is (?:accepted|rejected)$`, "Generates every valid or invalid request variant of the operation from the spec (missing required field, wrong type, value outside the enum, bad format, missing or wrong apikey, wrong content type, malformed JSON, ...), sends each with path ids from the scenario's variables, and checks the documented answer; a failure lists each variant.", `Then every invalid variant of "add a product application" is rejected`, everyVariant},
		{checks, `^there are no (contract|lifecycle|drift|infrastructure) findings$`, "No check found anything of this class in the scenario so far (contract and lifecycle findings fail the step that saw them anyway).", `Then there are no drift findings`, noFindings},
		{checks, `^a (contract|lifecycle|drift|infrastructure) finding ` + `"([a-z-]+)" at ` + quoted + ` was seen$`, "A check reported this finding in the scenario (for scenarios that provoke findings on purpose).", `Then a drift finding "undocumented-field" at "/extra" was seen`, findingSeen},
	}, faultDefinitions(), webhookDefinitions(), journeyDefinitions())
}

// Register adds every step definition to a scenario.
func Register(sc *godog.ScenarioContext) {
	for _, d := range Definitions() {
		sc.Step(d.Pattern, redacting(d.Func))
	}
}

// redacting wraps a step function so that its error never carries a
// secret: a feature may spell a key out ("with the API key ..."), a step
// error may quote it back, and godog prints step errors through testing.T
// and its formatters, outside the harness's redacted writers.
func redacting(fn any) any {
	v := reflect.ValueOf(fn)
	t := v.Type()
	if t.NumIn() == 0 || t.In(0) != reflect.TypeOf((*context.Context)(nil)).Elem() || t.NumOut() == 0 || t.Out(t.NumOut()-1) != reflect.TypeOf((*error)(nil)).Elem() {
		return fn
	}
	return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		out := v.Call(args)
		last := out[len(out)-1]
		if last.IsNil() {
			return out
		}
		w := WorldFrom(args[0].Interface().(context.Context))
		if w == nil || w.client == nil {
			return out
		}
		err := last.Interface().(error)
		if red := w.client.Redactor().String(err.Error()); red != err.Error() {
			out[len(out)-1] = reflect.ValueOf(redactedError{msg: red, err: err}).Convert(t.Out(t.NumOut() - 1))
		}
		return out
	}).Interface()
}

// redactedError is a step error whose text had a secret in it; Unwrap keeps
// errors.Is working (godog.ErrSkip).
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }
