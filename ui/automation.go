//go:build automation

package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox/sandboxtest"
)

// automationEnv names the variable holding the control API's address.
const automationEnv = "DOUYIN_AUTH_DESK_AUTOMATION"

func init() { startAutomation = serveAutomation }

// serveAutomation lets a test drive the real window. It is compiled only
// with the build tag "automation" (go build -tags automation) and acts only
// when the environment variable DOUYIN_AUTH_DESK_AUTOMATION (automationEnv)
// holds a loopback address with a port, such as 127.0.0.1:8799 (any other
// address, including host names such as localhost, is refused). The window
// then serves the control API of automationHandler on that address.
//
// In automation mode the browser opener acts as the browser against the
// sandbox: it consents with sandboxtest.Agree (agree, then follow the
// redirect to the loopback callback) in a goroutine.
func serveAutomation(u *Window) {
	addr := os.Getenv(automationEnv)
	if addr == "" {
		return
	}
	l, err := listenLoopback(addr)
	if err != nil {
		fyne.LogError("automation", err)
		return
	}
	u.openURL = automationBrowser
	srv := &http.Server{Handler: u.automationHandler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fyne.LogError("automation", err)
		}
	}()
	go func() {
		<-u.ctx.Done()
		srv.Close()
	}()
	fmt.Fprintf(os.Stderr, "douyin-auth-desk: automation API on http://%s\n", l.Addr())
}

// listenLoopback listens on addr, which must be a loopback IP with a port.
func listenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("%s=%q: not a loopback address", automationEnv, addr)
	}
	return net.Listen("tcp", addr)
}

// automationBrowser consents on the sandbox's page and follows the
// redirect, as the user's browser would.
func automationBrowser(target string) error {
	go func() {
		if status, body, err := sandboxtest.Agree(target); err != nil {
			fyne.LogError("automation browser", err)
		} else if status != http.StatusOK {
			fyne.LogError("automation browser", fmt.Errorf("callback: HTTP %d: %.200s", status, body))
		}
	}()
	return nil
}

// automationHandler serves the control API behind sandbox.GuardControl;
// every request does its UI work on the UI goroutine (fyne.DoAndWait):
//
//	POST /tap  {"label":TEXT}  tap the first visible, enabled widget.Button
//	                           whose Text equals TEXT: 200; 404 if no visible
//	                           button has that text; 409 if every such button
//	                           is disabled. While a dialog is open, only its
//	                           buttons count.
//	POST /tab  {"index":N}     select tab N (0 Credentials, 1 Authorize,
//	                           2 Tokens, 3 Profiles, 4 HTTP log, 5 Settings):
//	                           200; 400 if out of range or missing.
//	POST /lang {"lang":L}      switch the language like the Settings control
//	                           (L is "zh", "en" or "" to follow the system) and
//	                           save it: 200; 400 otherwise.
//	GET  /text                 text/plain: the text of every visible
//	                           widget.Label, widget.Entry (password entries
//	                           masked), widget.Button and canvas.Text, plus
//	                           tab, card, form, select, radio, check and
//	                           profile-list texts, one per line, in tree order
//	                           (the open dialog first).
//	GET  /state                application/json: {"tab": N, "profile": name of
//	                           the active profile or "", "accounts": accounts of
//	                           the active profile, "waiting": a login waits for
//	                           its callback, "busy": any background job runs (a
//	                           waiting login counts)}.
//
// A POST carries its arguments as a JSON object with Content-Type:
// application/json; a malformed body or an unknown field answers 400. Other
// methods answer 405. Like the sandbox's control endpoints, the hook answers
// 403 unless the request comes from loopback, its Host is a loopback IP
// literal or localhost with the hook's port, and no Origin or Sec-Fetch-Site
// names another origin, and 415 to a POST that is not application/json
// (sandbox.GuardControl): a web page in the user's browser can neither send
// it a simple cross-site POST nor read it through a rebound name.
//
// The tree walked is the window content — through containers, scrolls,
// cards, forms and the selected tab of AppTabs — or the topmost overlay
// when a dialog is open.
//
// The sandbox flow, by button label (English):
//
//	POST /tap {"label":"Sandbox (offline)"}    start the sandbox, open the
//	                                           demo app's own profile
//	POST /tap {"label":"Save and authorize"}   save the profile and begin the
//	                                           login; the opener consents
//	                                           ({"label":"Start authorization"}
//	                                           on step 2 begins another)
//	GET  /state                                until "waiting": false,
//	                                           "accounts": 1
//	POST /tap {"label":"Refresh"}              refresh the access token on
//	                                           step 3
//
// For instance:
//
//	curl -H 'Content-Type: application/json' -d '{"label":"Refresh"}' http://127.0.0.1:8799/tap
func (u *Window) automationHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /tap", u.serveTap)
	mux.HandleFunc("POST /tab", u.serveTab)
	mux.HandleFunc("POST /select", u.serveSelect)
	mux.HandleFunc("POST /lang", u.serveLang)
	mux.HandleFunc("GET /text", u.serveText)
	mux.HandleFunc("GET /state", u.serveState)
	return sandbox.GuardControl(mux)
}

func (u *Window) serveTap(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Label string `json:"label"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	status := http.StatusOK
	u.do(func() { status = u.tapButton(req.Label) })
	http.Error(w, http.StatusText(status), status)
}

// tapButton taps the first visible, enabled button labelled label and
// returns the status of /tap.
func (u *Window) tapButton(label string) int {
	var found, disabled *widget.Button
	walkVisible(u.automationRoot(), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == label && found == nil {
			if b.Disabled() {
				if disabled == nil {
					disabled = b
				}
			} else {
				found = b
			}
		}
		return found == nil
	})
	switch {
	case found != nil:
		found.Tapped(&fyne.PointEvent{})
		return http.StatusOK
	case disabled != nil:
		return http.StatusConflict
	default:
		return http.StatusNotFound
	}
}

// serveSelect chooses, in the first visible, enabled drop-down offering it,
// the first option that begins with the request's option.
func (u *Window) serveSelect(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Option string `json:"option"`
	}
	if !readJSON(w, r, &req) || req.Option == "" {
		return
	}
	status := http.StatusNotFound
	u.do(func() {
		walkVisible(u.automationRoot(), func(o fyne.CanvasObject) bool {
			s, ok := o.(*widget.Select)
			if !ok || s.Disabled() {
				return true
			}
			for _, opt := range s.Options {
				if strings.HasPrefix(opt, req.Option) {
					s.SetSelected(opt)
					status = http.StatusOK
					return false
				}
			}
			return true
		})
	})
	http.Error(w, http.StatusText(status), status)
}

func (u *Window) serveTab(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Index *int `json:"index"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	status := http.StatusOK
	u.do(func() {
		if req.Index == nil || *req.Index < 0 || *req.Index >= len(u.tabs.Items) {
			status = http.StatusBadRequest
			return
		}
		u.show(*req.Index)
	})
	http.Error(w, http.StatusText(status), status)
}

func (u *Window) serveLang(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Lang *string `json:"lang"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	if req.Lang == nil || !slices.Contains(languageChoices, *req.Lang) {
		http.Error(w, `lang must be "zh", "en" or ""`, http.StatusBadRequest)
		return
	}
	u.do(func() {
		u.setLanguage(*req.Lang)
		u.saveSettings()
	})
	http.Error(w, http.StatusText(http.StatusOK), http.StatusOK)
}

func (u *Window) serveText(w http.ResponseWriter, r *http.Request) {
	var lines []string
	u.do(func() { lines = u.visibleText() })
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
}

func (u *Window) serveState(w http.ResponseWriter, r *http.Request) {
	var s automationState
	u.do(func() { s = u.automationState() })
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(s)
}

// readJSON decodes the JSON object of r's body into v, refusing unknown
// fields; it answers 400 and reports false when it cannot.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		http.Error(w, "bad JSON body: "+err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}

// automationState is the answer of GET /state.
type automationState struct {
	Tab      int    `json:"tab"`
	Profile  string `json:"profile"`
	Accounts int    `json:"accounts"`
	Waiting  bool   `json:"waiting"`
	Busy     bool   `json:"busy"`
}

func (u *Window) automationState() automationState {
	s := automationState{Tab: u.tabs.SelectedIndex(), Waiting: u.session.waiting(), Busy: u.running.Load() > 0}
	if u.session.active {
		s.Profile, s.Accounts = u.session.profile.Name, len(u.session.profile.Accounts)
	}
	return s
}

// automationRoot is what a user can interact with: the topmost dialog, or
// else the window content.
func (u *Window) automationRoot() fyne.CanvasObject {
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		return top
	}
	return u.win.Content()
}

// walkVisible calls visit for o and, while visit returns true, for its
// visible descendants, depth first.
func walkVisible(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) bool {
	if o == nil || !o.Visible() {
		return true
	}
	if !visit(o) {
		return false
	}
	for _, c := range children(o) {
		if !walkVisible(c, visit) {
			return false
		}
	}
	return true
}

// children returns the objects inside o that a user sees: the objects of a
// container, the content of a scroll, card or pop-up, the widgets of a
// form, and the content of the selected tab.
func children(o fyne.CanvasObject) []fyne.CanvasObject {
	switch x := o.(type) {
	case *fyne.Container:
		return x.Objects
	case *container.Scroll:
		return []fyne.CanvasObject{x.Content}
	case *container.AppTabs:
		if sel := x.Selected(); sel != nil {
			return []fyne.CanvasObject{sel.Content}
		}
	case *container.DocTabs:
		if sel := x.Selected(); sel != nil {
			return []fyne.CanvasObject{sel.Content}
		}
	case *container.Split:
		return []fyne.CanvasObject{x.Leading, x.Trailing}
	case *widget.Card:
		if x.Image != nil {
			return []fyne.CanvasObject{x.Image, x.Content}
		}
		return []fyne.CanvasObject{x.Content}
	case *widget.PopUp:
		return []fyne.CanvasObject{x.Content}
	case *widget.Form:
		var out []fyne.CanvasObject
		for _, it := range x.Items {
			out = append(out, it.Widget)
		}
		return out
	}
	return nil
}

// visibleText lists the texts a user sees, one per line.
func (u *Window) visibleText() []string {
	var lines []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			lines = append(lines, strings.ReplaceAll(s, "\n", " "))
		}
	}
	visit := func(o fyne.CanvasObject) bool {
		switch x := o.(type) {
		case *widget.Label:
			add(x.Text)
		case *widget.Entry:
			if x.Password && x.Text != "" {
				add("********")
			} else {
				add(x.Text)
			}
		case *widget.Button:
			add(x.Text)
		case *canvas.Text:
			add(x.Text)
		case *widget.Check:
			add(x.Text)
		case *widget.Select:
			add(x.Selected)
		case *widget.RadioGroup:
			for _, opt := range x.Options {
				add(opt)
			}
		case *widget.Card:
			add(x.Title)
			add(x.Subtitle)
		case *container.AppTabs:
			for _, it := range x.Items {
				add(it.Text)
			}
		case *widget.Form:
			for _, it := range x.Items {
				add(it.Text)
			}
		case *widget.List:
			if u.profiles != nil && x == u.profiles.list {
				for _, p := range u.kept.profiles {
					add(p.Name)
				}
			}
		}
		return true
	}
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		walkVisible(top, visit)
	}
	walkVisible(u.win.Content(), visit)
	return lines
}
