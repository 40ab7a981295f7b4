package auth

import (
	"errors"
	"testing"
)

func TestParsePasted(t *testing.T) {
	tests := []struct {
		in      string
		want    Callback
		wantErr error
	}{
		{"https://example.com/cb?code=abc123XYZ_&state=st1", Callback{Code: "abc123XYZ_", State: "st1"}, nil},
		{"  https://example.com/cb?code=abc123XYZ_&state=st1&scopes=user_info,video.list  \n", Callback{Code: "abc123XYZ_", State: "st1", Scopes: "user_info,video.list"}, nil},
		{"https://example.com/cb?code=abc123XYZ_&state=st1#/home", Callback{Code: "abc123XYZ_", State: "st1"}, nil},
		{"https://example.com/cb#code=fragcode99&state=st2", Callback{Code: "fragcode99", State: "st2"}, nil},
		{"?code=abc123XYZ_&state=s", Callback{Code: "abc123XYZ_", State: "s"}, nil},
		{"code=abc123XYZ_&state=s", Callback{Code: "abc123XYZ_", State: "s"}, nil},
		{"abcDEF123456", Callback{Code: "abcDEF123456"}, nil},
		{"https://example.com/cb?error=access_denied&error_code=10007&error_description=no&state=s", Callback{Error: "access_denied", ErrorCode: 10007, ErrorDescription: "no", State: "s"}, nil},
		{"", Callback{}, ErrPasteEmpty},
		{"   ", Callback{}, ErrPasteEmpty},
		{"hello world", Callback{}, ErrPasteGarbage},
		{"https://example.com/cb", Callback{}, ErrPasteGarbage},
		{"https://example.com/cb?foo=bar", Callback{}, ErrPasteGarbage},
		{"short", Callback{}, ErrPasteGarbage},
		{"<script>alert(1)</script>", Callback{}, ErrPasteGarbage},
		{"%zz", Callback{}, ErrPasteGarbage},
	}
	for _, tt := range tests {
		got, err := ParsePasted(tt.in)
		if !errors.Is(err, tt.wantErr) || got != tt.want {
			t.Errorf("ParsePasted(%q) = %+v, %v; want %+v, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func FuzzParsePasted(f *testing.F) {
	for _, s := range []string{"https://example.com/cb?code=abc&state=x", "abcDEF123456", "?error=x", "#code=a", "code=%", "https://a/b?c#d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cb, err := ParsePasted(s)
		if err != nil {
			if cb != (Callback{}) {
				t.Fatalf("error with a callback: %+v", cb)
			}
			return
		}
		if cb.Code == "" && cb.Error == "" && cb.ErrorCode == 0 {
			t.Fatalf("accepted %q without code or error", s)
		}
	})
}
