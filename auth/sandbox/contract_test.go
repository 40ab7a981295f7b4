package sandbox

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// shapeOf returns every key path of the JSON document b with the kind of
// its value: object, string, number, bool, null or array.
func shapeOf(t *testing.T, b []byte) map[string]string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	out := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			out[prefix] = "object"
			for k, e := range x {
				walk(prefix+"."+k, e)
			}
		case string:
			out[prefix] = "string"
		case json.Number:
			out[prefix] = "number"
		case bool:
			out[prefix] = "bool"
		case nil:
			out[prefix] = "null"
		default:
			out[prefix] = "array"
		}
	}
	walk("", v)
	return out
}

func diffShapes(t *testing.T, name string, want, got map[string]string) {
	t.Helper()
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if want[k] != got[k] {
			t.Errorf("%s: key %q: fixture has %q, sandbox sends %q", name, k, want[k], got[k])
		}
	}
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "contract", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestResponsesMatchContractFixtures checks that the sandbox's answers have
// exactly the keys, and the kinds of values, of the contract's examples.
func TestResponsesMatchContractFixtures(t *testing.T) {
	for _, strs := range []bool{false, true} {
		suffix := ".json"
		if strs {
			suffix = "_strings.json"
		}
		e := newEnv(t, func(o *Options) { o.StringNumbers = strs })
		code := e.authorize(testKey, testRedirect, "user_info", nil)
		success := e.postForm(PathAccessToken, tokenForm(code))
		failure := e.postForm(PathAccessToken, tokenForm(code))
		client := e.postJSON(PathClientToken, clientBody(testKey, testSecret))
		d := success.json(t)["data"].(map[string]any)
		info := e.postForm(PathUserInfo, url.Values{"access_token": {str(t, d["access_token"])},
			"open_id": {str(t, d["open_id"])}})
		for name, body := range map[string][]byte{
			"access_token_success": success.body,
			"access_token_error":   failure.body,
			"client_token_success": client.body,
			"userinfo_success":     info.body,
		} {
			diffShapes(t, name+suffix, shapeOf(t, fixture(t, name+suffix)), shapeOf(t, body))
		}
	}
}

// TestContractFixturesAreLiteral guards the fixtures themselves: the plain
// and string variants differ only in how numbers are sent, and userinfo's
// err_no is a number in both.
func TestContractFixturesAreLiteral(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "contract", "*_strings.json"))
	if err != nil || len(names) != 4 {
		t.Fatalf("string fixtures: %v %v", names, err)
	}
	for _, p := range names {
		plainName := strings.TrimSuffix(filepath.Base(p), "_strings.json") + ".json"
		plain := shapeOf(t, fixture(t, plainName))
		strs := shapeOf(t, fixture(t, filepath.Base(p)))
		if len(plain) != len(strs) {
			t.Errorf("%s and %s have different keys", plainName, filepath.Base(p))
		}
		for k, kind := range plain {
			want := kind
			if kind == "number" && k != ".err_no" {
				want = "string"
			}
			if strs[k] != want {
				t.Errorf("%s: key %q is %q, want %q", filepath.Base(p), k, strs[k], want)
			}
		}
	}
	var ex struct {
		Data struct {
			Description string `json:"description"`
			ErrorCode   int    `json:"error_code"`
		} `json:"data"`
		Extra struct {
			Now int64 `json:"now"`
		} `json:"extra"`
	}
	if err := json.Unmarshal(fixture(t, "access_token_error.json"), &ex); err != nil ||
		ex.Data.ErrorCode != 10002 || ex.Data.Description != "Parameter error" || ex.Extra.Now != 1594015876138 {
		t.Errorf("access_token_error.json is not the contract's example: %+v %v", ex, err)
	}
}
