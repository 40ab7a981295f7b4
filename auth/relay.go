package auth

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
)

// relayFields are the callback parameters a relay page forwards.
var relayFields = []string{"code", "state", "scopes", "error", "error_code", "error_description"}

var relayTemplate = template.Must(template.New("relay").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width">
<title>Douyin Auth Desk relay</title>
<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em}</style>
</head><body>
<h1>Douyin Auth Desk</h1>
<p id="msg">正在把授权结果转交给本机的 Douyin Auth Desk… / Handing the authorization result to Douyin Auth Desk on this computer…</p>
<script>
(function () {
  // The target is fixed when the page is generated: loopback only.
  var target = {{.Target}};
  var fields = {{.Fields}};
  var src = new URLSearchParams(window.location.search);
  var msg = document.getElementById("msg");
  if (!src.get("state")) {
    msg.textContent = "缺少 state 参数，未转交任何内容。 / No state parameter: nothing was forwarded.";
    return;
  }
  var out = new URLSearchParams();
  for (var i = 0; i < fields.length; i++) {
    var v = src.get(fields[i]);
    if (v !== null) { out.set(fields[i], v); }
  }
  window.location.replace(target + "?" + out.toString());
}());
</script>
<noscript><p>需要启用 JavaScript，或把地址栏中的完整网址粘贴回应用。 / Enable JavaScript, or paste the full address from the address bar back into the app.</p></noscript>
</body></html>
`))

// RelayPage returns a static HTML page to upload to the app's registered
// https redirect path. In the browser it forwards code, state and any error
// fields to loopbackURI, the app's loopback callback, which is fixed in the
// page: the page is no open redirector. It forwards nothing when state is
// absent. loopbackURI must be an http(s) loopback URL with a non-zero port.
// DefaultRelayTarget is the loopback address a relay page forwards to,
// unless the profile names another.
const DefaultRelayTarget = "http://127.0.0.1:8792/relay"

func RelayPage(loopbackURI string) ([]byte, error) {
	if err := ValidateRedirectURI(loopbackURI); err != nil {
		return nil, err
	}
	if !IsLoopbackRedirect(loopbackURI) {
		return nil, ErrNotLoopback
	}
	u, _ := url.Parse(loopbackURI)
	if p, err := strconv.Atoi(u.Port()); err != nil || p <= 0 || p > 65535 {
		return nil, fmt.Errorf("the relay target %q needs a fixed port", loopbackURI)
	}
	var b bytes.Buffer
	err := relayTemplate.Execute(&b, struct {
		Target string
		Fields []string
	}{u.Scheme + "://" + u.Host + u.EscapedPath(), relayFields})
	return b.Bytes(), err
}
