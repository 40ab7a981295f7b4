package auth

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

const pasteState = "st1-Abc_DEF"

func TestParsePasted(t *testing.T) {
	st := pasteState
	checked := func(c Callback) Pasted { return Pasted{Callback: c, StateChecked: true} }
	tests := []struct {
		in      string
		want    Pasted
		wantErr error
	}{
		{"https://example.com/cb?code=abc123XYZ_&state=" + st, checked(Callback{Code: "abc123XYZ_", State: st}), nil},
		{"  https://example.com/cb?code=abc123XYZ_&state=" + st + "&scopes=user_info,video.list  \n", checked(Callback{Code: "abc123XYZ_", State: st, Scopes: "user_info,video.list"}), nil},
		{"https://example.com/cb?code=abc123XYZ_&state=" + st + "#/home", checked(Callback{Code: "abc123XYZ_", State: st}), nil},
		{"https://example.com/cb?scopes=a#code=fragcode99&state=" + st, checked(Callback{Code: "fragcode99", State: st}), nil},
		{"https://example.com/cb#code=fragcode99&state=" + st, checked(Callback{Code: "fragcode99", State: st}), nil},
		{"?code=abc123XYZ_&state=" + st, checked(Callback{Code: "abc123XYZ_", State: st}), nil},
		{"#code=abc123XYZ_&state=" + st, checked(Callback{Code: "abc123XYZ_", State: st}), nil},
		{"code=abc123XYZ_&state=" + st, checked(Callback{Code: "abc123XYZ_", State: st}), nil},
		{"%63ode=abc123XYZ_&%73tate=" + st, checked(Callback{Code: "abc123XYZ_", State: st}), nil},
		{"abcDEF123456", Pasted{Callback: Callback{Code: "abcDEF123456"}}, nil},
		{"  abcDEF123456\n", Pasted{Callback: Callback{Code: "abcDEF123456"}}, nil},
		{"https://example.com/cb?error=access_denied&error_code=10007&error_description=no&state=" + st,
			checked(Callback{Error: "access_denied", ErrorCode: 10007, ErrorDescription: "no", State: st}), nil},
		{"#error=access_denied&state=" + st, checked(Callback{Error: "access_denied", State: st}), nil},

		{"", Pasted{}, ErrPasteEmpty},
		{"   ", Pasted{}, ErrPasteEmpty},
		{"hello world", Pasted{}, ErrPasteGarbage},
		{"https://example.com/cb", Pasted{}, ErrPasteGarbage},
		{"https://example.com/cb?foo=bar", Pasted{}, ErrPasteGarbage},
		{"https://example.com/cb?code=&state=" + st, Pasted{}, ErrPasteGarbage},
		{"short", Pasted{}, ErrPasteGarbage},
		{"<script>alert(1)</script>", Pasted{}, ErrPasteGarbage},
		{"%zz", Pasted{}, ErrPasteGarbage},
		{"code=abc123XYZ_&state=" + st + "&x=%zz", Pasted{}, ErrPasteGarbage},
		{"code=abc123XYZ_&state=" + st + ";x=1", Pasted{}, ErrPasteGarbage},

		// No state, or an empty one: refused, however the code is dressed.
		{"https://example.com/cb?code=abc123XYZ_", Pasted{}, ErrPasteNoState},
		{"https://example.com/cb?code=abc123XYZ_&state=", Pasted{}, ErrPasteNoState},
		{"https://example.com/cb?code=abc123XYZ_&state", Pasted{}, ErrPasteNoState},
		{"https://example.com/cb#code=abc123XYZ_", Pasted{}, ErrPasteNoState},
		{"https://example.com/cb?x=1#code=abc123XYZ_", Pasted{}, ErrPasteNoState},
		{"code=abc123XYZ_", Pasted{}, ErrPasteNoState},
		{"code=abcDEF123456", Pasted{}, ErrPasteNoState},
		{"?code=abc123XYZ_&STATE=" + st, Pasted{}, ErrPasteNoState},
		{"code=abc123XYZ_%26state%3D" + st, Pasted{}, ErrPasteNoState},
		{"code=abc123XYZ_%23state=" + st, Pasted{}, ErrPasteNoState},
		{"https://example.com/cb?error=access_denied", Pasted{}, ErrPasteNoState},
		{"error=access_denied&state=", Pasted{}, ErrPasteNoState},

		// Code and state in different parts.
		{"https://example.com/cb?state=" + st + "#code=abc123XYZ_", Pasted{}, ErrPasteSplit},
		{"https://example.com/cb?code=abc123XYZ_#state=" + st, Pasted{}, ErrPasteSplit},
		{"?%73tate=" + st + "#%63ode=abc123XYZ_", Pasted{}, ErrPasteSplit},
		{"?state=" + st + "#error=access_denied", Pasted{}, ErrPasteSplit},
		{"?code=abc123XYZ_&state=" + st + "#error=access_denied", Pasted{}, ErrPasteSplit},

		// Repeats, also across parts and through percent-encoding.
		{"code=abc123XYZ_&state=" + st + "&state=" + st, Pasted{}, ErrPasteRepeated},
		{"code=abc123XYZ_&state=forged&state=" + st, Pasted{}, ErrPasteRepeated},
		{"code=abc123XYZ_&state=" + st + "&state=", Pasted{}, ErrPasteRepeated},
		{"code=forged1234&code=abc123XYZ_&state=" + st, Pasted{}, ErrPasteRepeated},
		{"code=abc123XYZ_&%73tate=" + st + "&state=" + st, Pasted{}, ErrPasteRepeated},
		{"code=abc123XYZ_&state=" + st + "#code=forged1234", Pasted{}, ErrPasteRepeated},
		{"code=forged1234#code=abc123XYZ_&state=" + st, Pasted{}, ErrPasteRepeated},
		{"?code=abc123XYZ_&state=" + st + "#%73tate=" + st, Pasted{}, ErrPasteRepeated},

		// A state that is not exactly the login's.
		{"code=abc123XYZ_&state=forged", Pasted{}, ErrStateMismatch},
		{"code=abc123XYZ_&state=" + st[:len(st)-1], Pasted{}, ErrStateMismatch},
		{"code=abc123XYZ_&state=" + st[:1], Pasted{}, ErrStateMismatch},
		{"code=abc123XYZ_&state=" + st + "x", Pasted{}, ErrStateMismatch},
		{"code=abc123XYZ_&state=" + st + "%00", Pasted{}, ErrStateMismatch},
		{"code=abc123XYZ_&state=" + st + "+", Pasted{}, ErrStateMismatch},
		{"code=abc123XYZ_&state=%20" + st, Pasted{}, ErrStateMismatch},
		{"code=abc123XYZ_&state=" + strings.ToUpper(st), Pasted{}, ErrStateMismatch},
		{"code=abc123XYZ_&state=" + url.QueryEscape(st+"&code=x"), Pasted{}, ErrStateMismatch},
		{"error=access_denied&state=forged", Pasted{}, ErrStateMismatch},
	}
	for _, tt := range tests {
		got, err := ParsePasted(tt.in, st)
		if !errors.Is(err, tt.wantErr) || got != tt.want {
			t.Errorf("ParsePasted(%q) = %+v, %v; want %+v, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestParsePastedNeedsALoginState: with no state to compare, only a bare
// code gets through.
func TestParsePastedNeedsALoginState(t *testing.T) {
	if _, err := ParsePasted("code=abc123XYZ_&state=", ""); err == nil {
		t.Error("an empty state matched an empty login state")
	}
	if p, err := ParsePasted("abcDEF123456", ""); err != nil || p.StateChecked {
		t.Errorf("bare code: %+v %v", p, err)
	}
}

func TestPasteErrorsAreLocalized(t *testing.T) {
	for _, err := range []error{ErrPasteEmpty, ErrPasteGarbage, ErrPasteNoState, ErrPasteSplit, ErrPasteRepeated, ErrStateMismatch} {
		en, zh := Message(err, "en"), Message(err, "zh")
		if en != err.Error() || zh == en || !strings.ContainsFunc(zh, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			t.Errorf("%v: zh %q", err, zh)
		}
	}
	for err, cause := range map[error]string{ErrPasteNoState: "no state", ErrPasteSplit: "different parts", ErrPasteRepeated: "more than once"} {
		if !strings.Contains(err.Error(), cause) {
			t.Errorf("%q does not name its cause %q", err, cause)
		}
	}
}

func FuzzParsePasted(f *testing.F) {
	for _, s := range []string{"https://example.com/cb?code=abc&state=" + pasteState, "abcDEF123456", "?error=x", "#code=a",
		"code=%", "https://a/b?c#d", "?state=" + pasteState + "#code=abcdefgh", "code=a&code=b&state=" + pasteState} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePasted(s, pasteState)
		switch {
		case err != nil:
			if p != (Pasted{}) {
				t.Fatalf("error with a callback: %+v", p)
			}
		case !p.StateChecked:
			if p.Callback != (Callback{Code: strings.TrimSpace(s)}) || !isBareCode(p.Code) {
				t.Fatalf("%q taken unchecked as %+v", s, p)
			}
		case p.State != pasteState:
			t.Fatalf("%q taken with state %q", s, p.State)
		case p.Code == "" && p.Error == "" && p.ErrorCode == 0:
			t.Fatalf("accepted %q without code or error", s)
		}
	})
}
