package mock

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		err := json.Unmarshal([]byte(s), &want)
		require.NoError(t, err, "%s", s)
		assert.False(t, ok && !reflect.DeepEqual(lookUpAll(got, want), want), "splitObject(%s): got %q, want %q", s, got, want)
		assert.False(t, ok && len(got) < len(want), "splitObject(%s): %d members, want at least %d", s, len(got), len(want))
		assert.False(t, !ok && s != `{"k\u00e9y":1}`, "splitObject(%s): got no answer, want one", s)
	}
	o, _ := splitObject([]byte(`{"dup":1,"dup":2}`))
	assert.Equal(t, "2", string(o.value("dup")), `{"dup":1,"dup":2}: want the last dup`)
	arrays := []string{`[]`, ` [ ] `, `[1]`, `[ "a" , {"b":[1,"]"]}, null, true ]`}
	for _, s := range arrays {
		got, ok := splitArray([]byte(s))
		var want []json.RawMessage
		err := json.Unmarshal([]byte(s), &want)
		require.NoError(t, err, "%s", s)
		assert.False(t, !ok || !reflect.DeepEqual(got, want), "splitArray(%s): got %q %v, want %q", s, got, ok, want)
	}
	for _, bad := range []string{``, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":1}x`, `{"a":"x`, `[1,]`, `[`, `{"a":[}`, `nope`} {
		_, ok := splitObject([]byte(bad))
		assert.False(t, ok, "splitObject(%q): got an answer, want none", bad)
		_, ok = splitArray([]byte(bad))
		assert.False(t, ok, "splitArray(%q): got an answer, want none", bad)
	}
	strs := []string{`""`, `"plain"`, `"é日本"`, `"esc\"aped"`, `"\u0041"`, "\"bad \xff\""}
	for _, s := range strs {
		var want string
		err := json.Unmarshal([]byte(s), &want)
		require.NoError(t, err, "%s", s)
		got, ok := plainString([]byte(s))
		assert.False(t, ok && got != want, "plainString(%s): got %q, want %q", s, got, want)
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
