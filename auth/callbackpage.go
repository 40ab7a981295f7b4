package auth

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

type pageKind int

const (
	pageReceived pageKind = iota
	pageExchanging
	pageSuccess
	pageExchangeFailed
	pageUnsaved
	pageUnknown
	pageFailure
	pageState
	pageUsed
	pageNoCode
	pageNotFound
	pageMethod
	pageHost
	pageTooLarge
)

// final reports whether a page shows how the callback ended, so that the
// browser need not ask again.
func (k pageKind) final() bool {
	switch k {
	case pageReceived, pageSuccess, pageExchangeFailed, pageUnsaved, pageUnknown, pageFailure:
		return true
	}
	return false
}

var pageText = map[pageKind][2][2]string{ // kind → {zh, en} × {title, body}
	pageReceived:       {{"授权完成", "已收到授权码。请回到 Douyin Auth Desk，可以关闭此页面。"}, {"Authorization complete", "The authorization code was received. Return to Douyin Auth Desk; you can close this page."}},
	pageExchanging:     {{"已收到授权码", "正在用授权码换取调用凭证（access_token）…… 结果出来后，此页面会自动更新。"}, {"Authorization code received", "Exchanging it for tokens… This page updates by itself when the result is known."}},
	pageSuccess:        {{"授权完成", "授权码已换取调用凭证，并已保存在 Douyin Auth Desk 中。可以关闭此页面。"}, {"Authorization complete", "The code was exchanged for tokens, which Douyin Auth Desk has saved. You can close this page."}},
	pageExchangeFailed: {{"授权未完成", "已收到授权码，但换取调用凭证失败："}, {"Authorization not completed", "The authorization code was received, but exchanging it for tokens failed:"}},
	pageUnsaved:        {{"已授权，但未能保存", "平台已发放调用凭证，但未能完整保存："}, {"Authorized, but not saved", "The platform issued the tokens, but they could not be saved in full:"}},
	pageUnknown:        {{"结果未知", "Douyin Auth Desk 没有及时告知换取调用凭证的结果。请回到 Douyin Auth Desk 查看。"}, {"Outcome unknown", "Douyin Auth Desk did not tell in time how exchanging the code for tokens ended. Return to Douyin Auth Desk to see the result."}},
	pageFailure:        {{"授权未完成", "平台没有发放授权码："}, {"Authorization not completed", "The platform sent no authorization code:"}},
	pageState:          {{"请求无效", "state 参数缺失或不匹配，此请求不属于正在进行的授权，已忽略。授权仍在等待。"}, {"Invalid request", "The state parameter is missing or does not match the authorization in progress, so this request was ignored. The authorization is still waiting."}},
	pageUsed:           {{"已经完成", "这次授权已经收到回调。"}, {"Already done", "This authorization has already received its callback."}},
	pageNoCode:         {{"尚未收到回调", "这次授权还没有收到授权码。"}, {"Nothing received yet", "This authorization has not received its code yet."}},
	pageNotFound:       {{"未找到", "这个地址不是回调地址。"}, {"Not found", "This address is not the callback address."}},
	pageMethod:         {{"方法不允许", "回调只接受 GET 请求。"}, {"Method not allowed", "The callback accepts GET requests only."}},
	pageHost:           {{"主机名不符", "请求的 Host 不是本机回调地址。"}, {"Wrong host", "The request's Host is not the loopback callback address."}},
	pageTooLarge:       {{"请求过大", "回调参数过长。"}, {"Request too large", "The callback's parameters are too long."}},
}

// pollDelay is the seconds a waiting page shows before asking again; each
// question itself waits up to pollWait for the answer.
const pollDelay = "1"

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
{{if .Refresh}}<meta http-equiv="refresh" content="{{.Refresh}}">
{{end}}<title>{{.Title}} · Douyin Auth Desk</title>
<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}
h1{font-size:1.4em}.detail{background:#f6f6f6;padding:.8em;border-radius:6px;white-space:pre-wrap}</style>
</head><body><h1 id="title">{{.Title}}</h1><p id="message">{{.Body}}</p>{{if .Detail}}<p class="detail" id="detail">{{.Detail}}</p>{{end}}</body></html>
`))

// page writes a self-contained, script-free page with strict headers. The
// detail is escaped by html/template; the code is never echoed. A page
// still waiting for the exchange refreshes itself to the status address,
// which carries the state and nothing else.
func (s *CallbackServer) page(w http.ResponseWriter, r *http.Request, lang string, status int, kind pageKind, detail string) {
	i := 1
	if IsChinese(lang) {
		i = 0
	}
	text := pageText[kind][i]
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	refresh := ""
	if kind == pageExchanging {
		refresh = pollDelay + "; url=" + s.statusPath() + "?state=" + url.QueryEscape(s.state)
	}
	pageTemplate.Execute(w, struct{ Lang, Title, Body, Detail, Refresh string }{
		map[bool]string{true: "zh-CN", false: "en"}[i == 0], text[0], text[1], detail, refresh})
}

// statusPath is where the browser asks how the exchange ended: beside the
// callback's path, and never equal to it.
func (s *CallbackServer) statusPath() string {
	return strings.TrimSuffix(s.path, "/") + "/status"
}
