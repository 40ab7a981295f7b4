package sandbox

import (
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// A page in the developer's browser reaches loopback servers too: with a
// simple cross-site form POST, or by rebinding a name of its own to
// 127.0.0.1. The guards below let through only requests sent from this
// machine to this server by its loopback address, by a program or by a page
// of the server's own origin.

// origin is the scheme, host and port a request addresses.
type origin struct{ scheme, host, port string }

func (o origin) String() string { return o.scheme + "://" + net.JoinHostPort(o.host, o.port) }

// localOnly answers 403 with the reason when checkLocal refuses r.
func localOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkLocal(r); err != nil {
			http.Error(w, "403 forbidden: "+err.Error(), http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// GuardControl wraps the handler of a loopback control API. It answers 403
// unless the peer is a loopback address, the Host header is a loopback IP
// literal or localhost with the port the server listens on, an Origin
// header, if any, is that same origin, and Sec-Fetch-Site, if sent, is
// same-origin or none. It answers 415 to a request other than GET, HEAD or
// OPTIONS without Content-Type application/json, which a web page of
// another origin cannot send without a CORS preflight.
func GuardControl(h http.Handler) http.Handler {
	return localOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkJSON(r); err != nil {
			http.Error(w, "415 unsupported media type: "+err.Error(), http.StatusUnsupportedMediaType)
			return
		}
		h.ServeHTTP(w, r)
	}))
}

// checkLocal reports why r may come from another machine, through a name
// rebound to loopback, or from a web page of another origin.
func checkLocal(r *http.Request) error {
	if err := checkPeer(r); err != nil {
		return err
	}
	own, err := ownOrigin(r)
	if err != nil {
		return err
	}
	if err := checkOrigin(r, own); err != nil {
		return err
	}
	return checkFetchSite(r)
}

func checkPeer(r *http.Request) error {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return errors.New("this endpoint answers loopback clients only")
	}
	return nil
}

// ownOrigin returns the origin r addresses, after checking that its Host
// header names the loopback interface and the port the server listens on,
// so that a name rebound to 127.0.0.1 is refused.
func ownOrigin(r *http.Request) (origin, error) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	port, err := listenPort(r)
	if err != nil {
		return origin{}, err
	}
	host, hostPort, err := splitAuthority(r.Host, scheme)
	if err != nil || strings.Contains(host, "%") || !isLoopbackHost(host) {
		return origin{}, fmt.Errorf("the Host header %q is not a loopback address or localhost", r.Host)
	}
	if hostPort != port {
		return origin{}, fmt.Errorf("the Host header %q names port %s, but this server listens on port %s", r.Host, hostPort, port)
	}
	return origin{scheme: scheme, host: host, port: port}, nil
}

// listenPort returns the port of the local address r arrived on.
func listenPort(r *http.Request) (string, error) {
	addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return "", errors.New("the server's own address is unknown")
	}
	_, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "", fmt.Errorf("the server's own address %q has no port", addr)
	}
	return port, nil
}

// splitAuthority splits host[:port] as a Host header or URL carries it; a
// missing port is the scheme's default.
func splitAuthority(a, scheme string) (host, port string, err error) {
	host, port, err = net.SplitHostPort(a)
	if err != nil {
		def := "80"
		if scheme == "https" {
			def = "443"
		}
		host, port, err = net.SplitHostPort(a + ":" + def)
	}
	if err == nil && host == "" {
		err = errors.New("empty host")
	}
	return host, port, err
}

// checkOrigin refuses an Origin header other than own: a cross-origin
// request, or "null" from a sandboxed frame, a file or a redirect.
func checkOrigin(r *http.Request, own origin) error {
	values := r.Header.Values("Origin")
	switch {
	case len(values) == 0:
		return nil
	case len(values) > 1:
		return errors.New("the request carries more than one Origin header")
	}
	if !sameOrigin(values[0], own) {
		return fmt.Errorf("the Origin %q is not this server's origin %s", values[0], own)
	}
	return nil
}

func sameOrigin(header string, own origin) bool {
	u, err := url.Parse(header)
	if err != nil || u.Scheme != own.scheme || u.Opaque != "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	host, port, err := splitAuthority(u.Host, u.Scheme)
	return err == nil && strings.EqualFold(host, own.host) && port == own.port
}

// checkFetchSite refuses a request a browser marks as coming from another
// origin.
func checkFetchSite(r *http.Request) error {
	for _, v := range r.Header.Values("Sec-Fetch-Site") {
		if v != "same-origin" && v != "none" {
			return fmt.Errorf("the Sec-Fetch-Site header %q marks a request from a web page of another origin", v)
		}
	}
	return nil
}

// checkJSON refuses a request that may change state unless it declares a
// JSON body.
func checkJSON(r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	values := r.Header.Values("Content-Type")
	if len(values) == 1 {
		if mt, _, err := mime.ParseMediaType(values[0]); err == nil && mt == "application/json" {
			return nil
		}
	}
	return fmt.Errorf("control requests carry a JSON body with Content-Type: application/json, not %q",
		strings.Join(values, ", "))
}
