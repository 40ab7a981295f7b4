package auth

import (
	"errors"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"time"
)

// WithPageWait returns opts whose callback page waits only d for the
// exchange before it polls.
func WithPageWait(opts LoginOptions, d time.Duration) LoginOptions {
	opts.pageWait = d
	return opts
}

// Visit is one page a browser was shown.
type Visit struct {
	URL    string
	Status int
	Body   string
}

// Title and Detail return the page's heading and explanation, unescaped.
func (v Visit) Title() string  { return element(v.Body, "title") }
func (v Visit) Detail() string { return element(v.Body, "detail") }

var (
	metaRefresh = regexp.MustCompile(`<meta http-equiv="refresh" content="\d+; url=([^"]*)">`)
	elementText = map[string]*regexp.Regexp{
		"title":  regexp.MustCompile(`<h1 id="title">([^<]*)</h1>`),
		"detail": regexp.MustCompile(`<p class="detail" id="detail">([^<]*)</p>`),
	}
)

func element(body, id string) string {
	m := elementText[id].FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// Browse opens rawURL as a browser would, asking for pages in acceptLang,
// and follows the pages' refreshes to the page that stays, at most 50. It
// returns every page it was shown, the one that stays last.
func Browse(rawURL, acceptLang string) ([]Visit, error) {
	var visits []Visit
	for range 50 {
		req, err := http.NewRequest(http.MethodGet, rawURL, nil)
		if err != nil {
			return visits, err
		}
		req.Header.Set("Accept-Language", acceptLang)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return visits, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return visits, err
		}
		visits = append(visits, Visit{URL: rawURL, Status: resp.StatusCode, Body: string(b)})
		m := metaRefresh.FindStringSubmatch(string(b))
		if m == nil {
			return visits, nil
		}
		next, err := resp.Request.URL.Parse(html.UnescapeString(m[1]))
		if err != nil {
			return visits, err
		}
		rawURL = next.String()
	}
	return visits, errors.New("the page kept refreshing: " + url.PathEscape(rawURL))
}
