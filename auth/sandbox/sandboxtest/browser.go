// Package sandboxtest acts as the user's browser on the sandbox's consent
// page, for tests that drive the whole flow without a real browser.
package sandboxtest

import (
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

var (
	formTag  = regexp.MustCompile(`(?is)<form[^>]*action="([^"]*)"`)
	inputTag = regexp.MustCompile(`(?is)<input\b[^>]*>`)
	attr     = regexp.MustCompile(`(?is)\b(type|name|value|checked)\b(?:="([^"]*)")?`)
)

// Consent opens authorizeURL, submits the consent form with action
// ("agree" or "deny") as a browser would — hidden fields, ticked boxes and
// the checked radio button, with the page's Origin and Sec-Fetch-Site
// headers — and returns where the platform redirected to, without following
// it.
func Consent(authorizeURL, action string) (*url.URL, error) {
	return ConsentWith(authorizeURL, action, nil)
}

// ConsentWith is Consent with some form fields replaced, such as open_id to
// sign in as another user.
func ConsentWith(authorizeURL, action string, set url.Values) (*url.URL, error) {
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(authorizeURL)
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("consent page: HTTP %d: %.200s", resp.StatusCode, body)
	}
	page := string(body)
	m := formTag.FindStringSubmatch(page)
	if m == nil {
		return nil, errors.New("consent page has no form")
	}
	base, _ := url.Parse(authorizeURL)
	target, err := base.Parse(html.UnescapeString(m[1]))
	if err != nil {
		return nil, err
	}
	form := formValues(page)
	for k, v := range set {
		form[k] = v
	}
	form.Set("action", action)
	req, err := http.NewRequest(http.MethodPost, target.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	setFetchHeaders(req.Header, base, target)
	resp, err = noFollow.Do(req)
	if err != nil {
		return nil, err
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("consent answer: HTTP %d: %.200s", resp.StatusCode, body)
	}
	return resp.Location()
}

// formValues returns what a browser submits from the inputs of page:
// every named input except unticked boxes and unchecked radio buttons.
func formValues(page string) url.Values {
	form := url.Values{}
	for _, tag := range inputTag.FindAllString(page, -1) {
		fields := map[string]string{}
		checked := false
		for _, a := range attr.FindAllStringSubmatch(tag, -1) {
			if strings.EqualFold(a[1], "checked") {
				checked = true
				continue
			}
			fields[strings.ToLower(a[1])] = html.UnescapeString(a[2])
		}
		switch strings.ToLower(fields["type"]) {
		case "checkbox", "radio":
			if !checked {
				continue
			}
		}
		if fields["name"] != "" {
			form.Add(fields["name"], fields["value"])
		}
	}
	return form
}

// setFetchHeaders adds what a browser sends with a form posted from page to
// target: the page's Origin, and Sec-Fetch-Site same-origin, or cross-site
// for a target of another origin.
func setFetchHeaders(h http.Header, page, target *url.URL) {
	origin := page.Scheme + "://" + page.Host
	h.Set("Origin", origin)
	site := "cross-site"
	if target.Scheme+"://"+target.Host == origin {
		site = "same-origin"
	}
	h.Set("Sec-Fetch-Site", site)
}

// Agree consents on authorizeURL and then follows the redirect to the
// callback, as the browser would, returning the callback page's status and
// body.
func Agree(authorizeURL string) (status int, body string, err error) {
	return consentAndFollow(authorizeURL, "agree")
}

// Deny refuses on authorizeURL and follows the redirect to the callback.
func Deny(authorizeURL string) (status int, body string, err error) {
	return consentAndFollow(authorizeURL, "deny")
}

func consentAndFollow(authorizeURL, action string) (int, string, error) {
	loc, err := Consent(authorizeURL, action)
	if err != nil {
		return 0, "", err
	}
	resp, err := http.Get(loc.String())
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}
