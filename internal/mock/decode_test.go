package mock

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestSplitters holds the reflection-free splitters to encoding/json: where
// they answer, they must answer what json.Unmarshal does.
func TestSplitters(t *testing.T) {
	objects := []string{
		`{}`, ` { } `, `{"a":1}`, "{\n\t\"a\" : \"x\" ,\r\n \"b\":[1, {\"c\":\"]}\"}], \"d\":null}",
		`{"a":"\"quoted\" \\ \u00e9","b":{"c":{"d":[[],{}]}},"e":true,"f":-1.5e3}`,
		`{"dup":1,"dup":2}`, `{"k\u00e9y":1}`, `{"a":"x"} `, `{"a":[1,2,3],"b":"}"}`,
	}
	for _, s := range objects {
		got, ok := splitObject([]byte(s))
		var want map[string]json.RawMessage
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if ok && !reflect.DeepEqual(lookUpAll(got, want), want) {
			t.Errorf("splitObject(%s): got %q, want %q", s, got, want)
		}
		if ok && len(got) < len(want) {
			t.Errorf("splitObject(%s): %d members, want at least %d", s, len(got), len(want))
		}
		if !ok && s != `{"k\u00e9y":1}` {
			t.Errorf("splitObject(%s): got no answer, want one", s)
		}
	}
	if o, _ := splitObject([]byte(`{"dup":1,"dup":2}`)); string(o.value("dup")) != "2" {
		t.Errorf(`{"dup":1,"dup":2}: dup is %s, want the last, 2`, o.value("dup"))
	}
	arrays := []string{`[]`, ` [ ] `, `[1]`, `[ "a" , {"b":[1,"]"]}, null, true ]`}
	for _, s := range arrays {
		got, ok := splitArray([]byte(s))
		var want []json.RawMessage
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("splitArray(%s): got %q %v, want %q", s, got, ok, want)
		}
	}
	for _, bad := range []string{``, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":1}x`, `{"a":"x`, `[1,]`, `[`, `{"a":[}`, `nope`} {
		if _, ok := splitObject([]byte(bad)); ok {
			t.Errorf("splitObject(%q): got an answer, want none", bad)
		}
		if _, ok := splitArray([]byte(bad)); ok {
			t.Errorf("splitArray(%q): got an answer, want none", bad)
		}
	}
	strs := []string{`""`, `"plain"`, `"é日本"`, `"esc\"aped"`, `"\u0041"`, "\"bad \xff\""}
	for _, s := range strs {
		var want string
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if got, ok := plainString([]byte(s)); ok && got != want {
			t.Errorf("plainString(%s): got %q, want %q", s, got, want)
		}
	}
}

// lookUpAll looks up every key of want in o, and every key o holds.
func lookUpAll(o object, want map[string]json.RawMessage) map[string]json.RawMessage {
	got := map[string]json.RawMessage{}
	for k := range want {
		if v, ok := o.get(k); ok {
			got[k] = v
		}
	}
	for _, f := range o {
		got[string(f.key)] = o.value(string(f.key))
	}
	return got
}
