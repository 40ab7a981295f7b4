package auth

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxCallbackQuery bounds the query string a callback may carry.
const maxCallbackQuery = 4096

// CallbackOptions adjust a CallbackServer.
type CallbackOptions struct {
	// Lang is the language of the pages shown in the browser ("zh" or
	// "en"); empty follows the browser's Accept-Language.
	Lang string
	// TLS serves https; required when the redirect URI is https.
	TLS *tls.Config
	// Claim, when set, is asked before a matching callback is accepted; a
	// false answer (the code already arrived another way) refuses it.
	Claim func() bool
	// AwaitOutcome: the server's owner exchanges the code and reports how
	// that ended with Finish, and the page shows that outcome rather than
	// the code's arrival (see outcome.go). Without it the server's part
	// ends with the code, and its page says only that.
	AwaitOutcome bool
	// pageWait overrides outcomeWait, for tests.
	pageWait time.Duration
}

// CallbackServer receives the platform's redirect on the loopback interface.
// It answers any number of stray requests but accepts exactly one callback
// whose state matches, then closes once its page has shown the browser how
// that callback ended (outcome.go).
type CallbackServer struct {
	redirect string
	path     string
	port     string
	state    string
	lang     string
	claim    func() bool
	// implicitPort: the redirect URI names no port, so browsers send a
	// Host without one.
	implicitPort bool

	srv      *http.Server
	result   chan Callback
	accepted atomic.Bool
	closing  sync.Once
	stopping chan struct{} // closed when Close begins
	done     chan struct{} // closed when Close has ended
	outcome
}

// ListenError is a failure to listen on the redirect URI's port.
type ListenError struct {
	Port string
	// Addr is the address that could not be bound, such as "[::1]:8790".
	Addr string
	// Localhost: the redirect URI names localhost and Addr is its IPv6
	// twin, which a browser may try first; a literal 127.0.0.1 redirect URI
	// needs no twin.
	Localhost bool
	Err       error
}

func (e *ListenError) Unwrap() error { return e.Err }

func (e *ListenError) Error() string { return e.Message("en") }

// InUse reports whether another program holds the port.
func (e *ListenError) InUse() bool { return AddrInUse(e.Err) }

// Message returns the error in lang.
func (e *ListenError) Message(lang string) string {
	inUse := e.InUse()
	switch {
	case e.Localhost:
		return e.localhostMessage(lang)
	case inUse && IsChinese(lang):
		return fmt.Sprintf("端口 %s 已被占用，无法接收回调。关闭占用它的程序，或把回调地址改成其他端口（端口写 0 则自动选择空闲端口）", e.Port)
	case inUse:
		return fmt.Sprintf("port %s is already in use, so the callback cannot be received. Close the program using it, or change the redirect URI's port (0 picks a free one)", e.Port)
	case IsChinese(lang):
		return fmt.Sprintf("无法在本机端口 %s 上监听回调：%v", e.Port, e.Err)
	default:
		return fmt.Sprintf("cannot listen for the callback on loopback port %s: %v", e.Port, e.Err)
	}
}

// localhostMessage explains why the IPv4 half alone is not served.
func (e *ListenError) localhostMessage(lang string) string {
	inUse := e.InUse()
	switch {
	case IsChinese(lang) && inUse:
		return fmt.Sprintf("无法监听 %s：它已被其他程序占用。回调地址写的是 localhost，浏览器可能先连 IPv6 的 [::1]，授权码就会交给那个程序，所以不能只监听 127.0.0.1。请把回调地址中的 localhost 改成 127.0.0.1（开放平台控制台登记的地址也要一致），或关闭占用它的程序", e.Addr)
	case IsChinese(lang):
		return fmt.Sprintf("无法监听 %s：%v。回调地址写的是 localhost，浏览器可能先连 IPv6 的 [::1]，所以不能只监听 127.0.0.1。请把回调地址中的 localhost 改成 127.0.0.1（开放平台控制台登记的地址也要一致）", e.Addr, e.Err)
	case inUse:
		return fmt.Sprintf("cannot listen on %s: another program is using it. The redirect URI names localhost, which a browser may reach over IPv6 at [::1] first, handing the code to that program, so 127.0.0.1 alone is not served. Use 127.0.0.1 instead of localhost in the redirect URI (and register the same in the app's console), or close the program using the port", e.Addr)
	default:
		return fmt.Sprintf("cannot listen on %s: %v. The redirect URI names localhost, which a browser may reach over IPv6 at [::1] first, so 127.0.0.1 alone is not served. Use 127.0.0.1 instead of localhost in the redirect URI (and register the same in the app's console)", e.Addr, e.Err)
	}
}

// ErrNotLoopback is returned when a redirect URI does not point at this machine.
var ErrNotLoopback = errors.New("the redirect URI is not a loopback address (127.0.0.1, [::1] or localhost)")

// ListenCallback starts a server for redirectURI, which must be an http(s)
// URL on 127.0.0.1, [::1] or localhost. It listens on the loopback
// interface only, never on all interfaces: on the address the URI names, or
// for localhost on both 127.0.0.1 and [::1] at the same port, failing when
// [::1] cannot be had. A machine without ::1 (IPv6 off) gets 127.0.0.1
// alone, as no browser can reach [::1] there. Port 0 picks a free port;
// RedirectURI reports the result.
func ListenCallback(redirectURI, state string, opts CallbackOptions) (*CallbackServer, error) {
	if err := ValidateRedirectURI(redirectURI); err != nil {
		return nil, err
	}
	u, _ := url.Parse(redirectURI)
	if !IsLoopbackRedirect(redirectURI) {
		return nil, ErrNotLoopback
	}
	if u.Scheme == "https" && opts.TLS == nil {
		return nil, errors.New("an https loopback redirect URI needs a certificate")
	}
	port := u.Port()
	implicitPort := port == ""
	if implicitPort {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	listeners, err := bindLoopback(loopbackHosts(u.Hostname()), port, net.Listen)
	if err != nil {
		return nil, err
	}
	port = strconv.Itoa(listeners[0].Addr().(*net.TCPAddr).Port)
	path := u.Path
	if path == "" {
		path = "/"
	}
	if u.Port() == "0" {
		u.Host = net.JoinHostPort(u.Hostname(), port)
	}
	s := &CallbackServer{
		redirect:     u.String(),
		implicitPort: implicitPort,
		path:         path,
		port:         port,
		state:        state,
		lang:         opts.Lang,
		claim:        opts.Claim,
		result:       make(chan Callback, 1),
		stopping:     make(chan struct{}),
		done:         make(chan struct{}),
		outcome:      newOutcome(opts.AwaitOutcome, opts.pageWait),
	}
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      outcomeWait + 10*time.Second, // the page may wait for the exchange
		IdleTimeout:       10 * time.Second,
		MaxHeaderBytes:    16 << 10,
		TLSConfig:         opts.TLS,
		ErrorLog:          discardLog,
	}
	for _, l := range listeners {
		if opts.TLS != nil {
			l = tls.NewListener(l, opts.TLS)
		}
		go s.srv.Serve(l)
	}
	return s, nil
}

// listenFunc binds a TCP address; net.Listen, or a stand-in in tests.
type listenFunc func(network, address string) (net.Listener, error)

// portAttempts bounds the free ports tried for port 0 when the IPv6 twin
// of the chosen one is taken.
const portAttempts = 16

// loopbackHosts returns the addresses a redirect URI's host must be served
// on: a literal address alone, and for localhost, which a browser may
// resolve to either, 127.0.0.1 and ::1.
func loopbackHosts(host string) []string {
	if host == "localhost" {
		return []string{"127.0.0.1", "::1"}
	}
	return []string{host}
}

// bindLoopback listens on every host at one port, or fails with a
// *ListenError naming the address that could not be bound. Port 0 takes a
// free port of the first host, and another one when its twin is taken.
func bindLoopback(hosts []string, port string, listen listenFunc) ([]net.Listener, error) {
	for attempt := 1; ; attempt++ {
		listeners, err := bindHosts(hosts, port, listen)
		var le *ListenError
		if err == nil || port != "0" || attempt == portAttempts || !errors.As(err, &le) || !le.Localhost {
			return listeners, err
		}
	}
}

// bindHosts binds hosts[0] at port, then the others at the port it got. A
// twin whose address this machine does not have is skipped: no program can
// hold it and no browser reach it.
func bindHosts(hosts []string, port string, listen listenFunc) ([]net.Listener, error) {
	addr := net.JoinHostPort(hosts[0], port)
	first, err := listen("tcp", addr)
	if err != nil {
		return nil, &ListenError{Port: port, Addr: addr, Err: err}
	}
	port = strconv.Itoa(first.Addr().(*net.TCPAddr).Port)
	listeners := []net.Listener{first}
	for _, host := range hosts[1:] {
		addr := net.JoinHostPort(host, port)
		ln, err := listen("tcp", addr)
		if err == nil {
			listeners = append(listeners, ln)
			continue
		}
		if addressMissing(host, err, listen) {
			continue
		}
		for _, l := range listeners {
			l.Close()
		}
		return nil, &ListenError{Port: port, Addr: addr, Localhost: true, Err: err}
	}
	return listeners, nil
}

// addressMissing reports whether host, which failed to bind with err, is an
// address this machine lacks, as ::1 is with IPv6 turned off. A port in use,
// or any port of host that binds, shows the address is there.
func addressMissing(host string, err error, listen listenFunc) bool {
	if AddrInUse(err) {
		return false
	}
	probe, perr := listen("tcp", net.JoinHostPort(host, "0"))
	if perr == nil {
		probe.Close()
		return false
	}
	return !AddrInUse(perr)
}

// RedirectURI is the redirect URI with the port actually listened on.
func (s *CallbackServer) RedirectURI() string { return s.redirect }

// Port reports the port listened on.
func (s *CallbackServer) Port() string { return s.port }

// Result delivers the one accepted callback.
func (s *CallbackServer) Result() <-chan Callback { return s.result }

// Close stops the server, letting a response in flight finish: a page
// still waiting for the outcome says it is unknown.
func (s *CallbackServer) Close() error {
	s.closing.Do(func() {
		close(s.stopping)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		s.srv.Shutdown(ctx)
		close(s.done)
	})
	return nil
}

// hostAllowed reports whether the Host header names this server, which
// defeats DNS rebinding.
func (s *CallbackServer) hostAllowed(host string) bool {
	for _, h := range []string{"127.0.0.1", "localhost", "[::1]"} {
		if strings.EqualFold(host, h+":"+s.port) || (s.implicitPort && strings.EqualFold(host, h)) {
			return true
		}
	}
	return false
}

// ServeHTTP answers the browser: the callback at the redirect URI's path,
// and beside it the status of the exchange that follows (statusPath). Both
// need this server's Host and the login's state.
func (s *CallbackServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	lang := s.pageLang(r)
	switch {
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		w.Header().Set("Allow", "GET, HEAD")
		s.page(w, r, lang, http.StatusMethodNotAllowed, pageMethod, "")
		return
	case !s.hostAllowed(r.Host):
		s.page(w, r, lang, http.StatusMisdirectedRequest, pageHost, "")
		return
	case r.URL.Path != s.path && r.URL.Path != s.statusPath():
		s.page(w, r, lang, http.StatusNotFound, pageNotFound, "")
		return
	case len(r.URL.RawQuery) > maxCallbackQuery:
		s.page(w, r, lang, http.StatusRequestURITooLong, pageTooLarge, "")
		return
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil || !stateMatches(q.Get("state"), s.state) {
		s.page(w, r, lang, http.StatusBadRequest, pageState, "")
		return
	}
	if r.URL.Path == s.statusPath() {
		s.serveStatus(w, r, lang)
		return
	}
	s.serveCallback(w, r, lang, callbackFromQuery(q))
}

// pageLang is the language of the pages: the server's, or else the
// browser's Accept-Language.
func (s *CallbackServer) pageLang(r *http.Request) string {
	if s.lang != "" {
		return s.lang
	}
	if IsChinese(strings.TrimSpace(r.Header.Get("Accept-Language"))) {
		return "zh"
	}
	return "en"
}

// serveCallback accepts the one callback whose state matched, hands it
// over, and shows what became of it.
func (s *CallbackServer) serveCallback(w http.ResponseWriter, r *http.Request, lang string, cb Callback) {
	if r.Method == http.MethodHead {
		s.page(w, r, lang, http.StatusOK, pageReceived, "")
		return
	}
	if !s.accepted.CompareAndSwap(false, true) || (s.claim != nil && !s.claim()) {
		s.page(w, r, lang, http.StatusGone, pageUsed, "")
		return
	}
	s.deliver(cb)
	s.showOutcome(w, r, lang, s.pageWait)
}
