package auth

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// PlatformError is an error answered by the platform: a non-zero
// data.error_code or err_no, whatever the HTTP status.
type PlatformError struct {
	Endpoint       string // request path, e.g. "/oauth/access_token/"
	HTTPStatus     int
	Code           int
	Description    string // the platform's own text
	LogID          string
	SubCode        int
	SubDescription string
}

func (e *PlatformError) Error() string { return e.Message("en") }

// Message returns the error with its explanation in lang ("zh" or "en").
// The Chinese text takes full-width punctuation.
func (e *PlatformError) Message(lang string) string {
	ex, known := ExplainAt(e.Endpoint, e.Code)
	p := platformPunct[1]
	if IsChinese(lang) {
		p = platformPunct[0]
	}
	var b strings.Builder
	fmt.Fprintf(&b, p.code, e.Code)
	if known {
		b.WriteString(p.colon + ex.Meaning(lang))
	}
	if e.Description != "" {
		fmt.Fprintf(&b, p.says, e.Description)
	}
	if e.SubCode != 0 || e.SubDescription != "" {
		fmt.Fprintf(&b, p.sub, e.SubCode, e.SubDescription)
	}
	if known && ex.Action(lang) != "" {
		b.WriteString(p.action + ex.Action(lang))
	}
	if e.LogID != "" {
		fmt.Fprintf(&b, p.logID, e.LogID)
	}
	return b.String()
}

// platformPunct holds the pieces of a PlatformError's message in Chinese
// and English, each language with its own punctuation.
var platformPunct = [2]struct{ code, colon, says, sub, action, logID string }{
	{"平台错误 %d", "：", "（平台说明：%q）", "（子错误 %d %s）", "。处理：", "（log_id %s）"},
	{"platform error %d", ": ", " (platform says %q)", " [sub %d %s]", ". What to do: ", " (log_id %s)"},
}

// Explanation is what a platform error code means and what to do about it.
type Explanation struct {
	MeaningZH, MeaningEN string
	ActionZH, ActionEN   string
}

// Meaning returns the meaning in lang.
func (x Explanation) Meaning(lang string) string {
	if IsChinese(lang) {
		return x.MeaningZH
	}
	return x.MeaningEN
}

// Action returns what the user should do, in lang; it may be empty.
func (x Explanation) Action(lang string) string {
	if IsChinese(lang) {
		return x.ActionZH
	}
	return x.ActionEN
}

// Explain returns the explanation for a platform error code.
func Explain(code int) (Explanation, bool) {
	x, ok := explanations[code]
	return x, ok
}

// ExplainAt returns the explanation for a platform error code answered by
// endpoint: that of the code, with the action for that endpoint where the
// call that failed changes what to do.
func ExplainAt(endpoint string, code int) (Explanation, bool) {
	x, ok := explanations[code]
	if a, found := endpointActions[endpointCode{endpoint, code}]; found {
		x.ActionZH, x.ActionEN = a[0], a[1]
	}
	return x, ok
}

// endpointCode is a platform error code as answered by one endpoint.
type endpointCode struct {
	endpoint string
	code     int
}

const (
	slowDownZH = "client_token 请求过于频繁：放慢请求，几分钟后再获取；已有的 client_token 在有效期内仍可使用"
	slowDownEN = "too many client_token calls: slow down and fetch again in a few minutes; the client token you hold works until it expires"
)

// endpointActions are the actions, in Chinese and English, that replace a
// code's own where the endpoint tells which of its causes it is.
var endpointActions = map[endpointCode][2]string{
	{PathRenewRefresh, 10020}: {fmt.Sprintf("refresh_token 的续期次数已用完（每次授权最多 %d 次）：重新授权以获得新的 refresh_token", MaxRenewals),
		fmt.Sprintf("the refresh token was renewed as often as the platform allows (%d times an authorization): authorize again for a new one", MaxRenewals)},
	{PathRefreshToken, 10020}: {"这个 refresh_token 已达平台的次数上限：重新授权",
		"this refresh token reached the platform's limit: authorize again"},
	{PathClientToken, 10020}:       {slowDownZH, slowDownEN},
	{PathStableClientToken, 10020}: {slowDownZH, slowDownEN},
	{PathRenewRefresh, 10004}: {"在开放平台控制台为应用申请 renew_refresh_token 能力，或不续期、到期后重新授权",
		"request the renew_refresh_token capability for this app in the developer console, or authorize again when the refresh token ends"},
}

// Codes lists every platform error code with an explanation, in ascending order.
func Codes() []int { return slices.Sorted(maps.Keys(explanations)) }

const (
	retryZH   = "稍后重试"
	retryEN   = "retry later"
	refreshZH = "用 refresh_token 换一个新的 access_token（刷新）"
	refreshEN = "refresh the access token"
	reauthZH  = "重新授权"
	reauthEN  = "authorize again"
	consoleZH = "在开放平台控制台为应用申请该能力"
	consoleEN = "request the capability for this app in the developer console"
	// The contract lists some codes only as "see the status-code page":
	// their explanation says no more than is known, and points at the
	// platform's own text, which the message quotes beside it.
	statusPageZH       = "平台状态码页列出的错误，本工具没有更具体的说明；平台说明文字指出了问题所在"
	statusPageEN       = "an error the platform lists on its status-code page, with no more specific explanation here; the platform's text says what is wrong"
	statusPageActionZH = "按平台说明处理；不清楚时带上 log_id 到开放平台的状态码页查询"
	statusPageActionEN = "follow the platform's text; if it is unclear, look the code up on the platform's status-code page, with the log_id"
)

var statusPage = Explanation{statusPageZH, statusPageEN, statusPageActionZH, statusPageActionEN}

var explanations = map[int]Explanation{
	10001:    {"系统错误", "system error", retryZH, retryEN},
	10002:    {"参数错误", "parameter error", "检查发送的参数值", "check the values sent"},
	10003:    {"client_key 不存在或无效", "client_key does not exist or is invalid", "检查 client_key 是否与控制台一致", "check the client_key against the console"},
	10004:    {"应用未获得这个授权作用域（scope）", "scope not permitted for this app", consoleZH, consoleEN},
	10005:    {"缺少参数", "missing parameter", "检查必填参数", "check the required parameters"},
	10006:    {"非法的回调地址（redirect_uri）", "illegal redirect URI", "redirect_uri 必须与控制台登记的回调地址完全一致", "redirect_uri must match the one registered in the console"},
	10007:    {"授权码已过期或已使用", "authorization code expired or already used", "重新授权（授权码有效期 10 分钟，只能使用一次）", "authorize again (codes live 10 minutes and work once)"},
	10008:    {"access_token 无效或已过期", "access_token invalid or expired", refreshZH, refreshEN},
	10010:    {"refresh_token 已过期（或用户已取消授权）", "refresh_token expired (or the user revoked the authorization)", reauthZH, reauthEN},
	10011:    {"应用包名不匹配", "app package name mismatch", "检查控制台登记的包名", "check the package name registered in the console"},
	10012:    {"应用审核中", "app under review", "等待审核通过", "wait until the review is done"},
	10013:    {"client_key 或 client_secret 错误", "wrong client_key or client_secret", "检查 client_secret 是否与控制台一致", "check the client_secret against the console"},
	10014:    {"授权码属于另一个 client_key", "code was issued to another client_key", "用发出授权的同一应用换取调用凭证", "exchange the code with the app that requested it"},
	10015:    {"应用类型错误（移动应用的 key 用于网站）", "wrong app type (mobile key used for web)", "使用网站应用的 client_key", "use a web app's client_key"},
	10020:    {"已达调用上限（续期次数用完，或 client_token 请求过于频繁）", "limit reached (renewals used up, or too many client_token calls)", "续期时：重新授权；获取 client_token 时：放慢请求", "on renewal: authorize again; on client_token: slow down"},
	2100004:  {"系统繁忙", "system busy", retryZH, retryEN},
	2100005:  {"参数不合法", "invalid parameter", "检查发送的参数值", "check the values sent"},
	2100007:  {"无权限", "no permission", consoleZH, consoleEN},
	2100009:  statusPage,
	2190001:  statusPage,
	2190002:  {"access_token 无效", "access_token invalid", refreshZH, refreshEN},
	2190003:  {"用户没有授权这个 OpenAPI（授权不含它所需的授权作用域）", "the user did not grant this OpenAPI (the authorization lacks the scope it needs)", "请求该授权作用域（scope）并重新授权", "authorize again, asking for the scope"},
	2190004:  {"应用未获得该能力", "the app lacks this capability", consoleZH, consoleEN},
	2190008:  {"access_token 已过期", "access_token expired", refreshZH, refreshEN},
	2190015:  {"access_token 与 open_id 不匹配", "access_token and open_id do not match", "使用该用户自己的 access_token", "use the token issued to this open_id"},
	28001003: {"access_token 无效（用户取消授权后也是如此）", "access_token invalid (also after the user revoked the authorization)", "用 refresh_token 换一个新的 access_token（刷新）；刷新也失败时重新授权", "refresh the access token; if refreshing fails too, authorize again"},
	28001005: {"系统繁忙", "system busy", retryZH, retryEN},
	28001006: {"网络错误", "network error", retryZH, retryEN},
	28001007: {"参数不合法", "parameter invalid", "检查发送的参数值", "check the values sent"},
	28001008: {"access_token 已过期", "access_token expired", refreshZH, refreshEN},
	28001012: {"用户没有授权这个 OpenAPI（例如授权不含 user_info 授权作用域）", "the user did not grant this OpenAPI (e.g. the authorization lacks the user_info scope)", "请求该授权作用域（scope）并重新授权", "authorize again, asking for the scope"},
	28001014: {"应用没有任何能力", "the app holds no capability", "在开放平台控制台为应用申请能力", "apply for capabilities for this app in the developer console"},
	28001015: {"access_token 与 open_id 不匹配", "access_token and open_id do not match", "使用该用户自己的 access_token", "use the token issued to this open_id"},
	28001016: {"应用已被封禁或下线", "app banned or offline", "在控制台查看应用状态", "check the app's status in the console"},
	28001018: {"用户或应用无此能力", "user or app lacks this capability", consoleZH, consoleEN},
	28001019: statusPage,
	28001020: {"用户没有绑定到这个测试应用", "the user is not bound to this test app", "在控制台把该用户绑定为测试用户（trial.whitelist）", "bind the user as a test user of the app in the console (trial.whitelist)"},
	28001021: {"测试应用已过期", "the test app has expired", "在控制台续期测试应用", "renew the test app in the console"},
	28001045: statusPage,
	28001046: statusPage,
	28001047: statusPage,
	28003017: {"配额已用完", "quota used up", "等待配额恢复", "wait for the quota to reset"},
	28003018: {"请求频率过高", "rate too high", "放慢请求后重试", "slow down and retry"},
	28004020: statusPage,
}

// Kind classifies a failure that is not a platform error code.
type Kind int

// Kinds of TransportError.
const (
	KindNetwork     Kind = iota + 1 // connection refused, DNS, reset
	KindTimeout                     // no answer in time
	KindHTTPStatus                  // 4xx or 5xx without a platform error body
	KindNotJSON                     // an HTML gateway page or other non-JSON body
	KindTruncated                   // JSON cut short
	KindBadResponse                 // JSON without the fields a success must carry
)

// TransportError is a failure to get a usable answer from the platform.
type TransportError struct {
	Kind     Kind
	Endpoint string
	Status   int    // HTTP status, 0 when none arrived
	Snippet  string // first bytes of the body, redacted
	Err      error
}

func (e *TransportError) Unwrap() error { return e.Err }

func (e *TransportError) Error() string { return e.Message("en") }

// Message returns the error in lang ("zh" or "en").
func (e *TransportError) Message(lang string) string {
	t, ok := transportTexts[e.Kind]
	if !ok {
		t = transportTexts[KindBadResponse]
	}
	i, quote := 1, "; body starts %q"
	if IsChinese(lang) {
		i, quote = 0, "；响应体开头：%q"
	}
	s := fmt.Sprintf(t[i], e.Endpoint, e.Status, e.Err)
	if e.Snippet != "" {
		s += fmt.Sprintf(quote, e.Snippet)
	}
	return s
}

// transportTexts are the messages of each Kind in Chinese and English, with
// the endpoint, the HTTP status and the cause as arguments 1, 2 and 3.
var transportTexts = map[Kind][2]string{
	KindNetwork: {"无法连接 %[1]s：%[3]v。检查网络和平台地址",
		"cannot reach %[1]s: %[3]v. Check the network and the base URL"},
	KindTimeout: {"%[1]s 请求超时，平台没有及时响应。稍后重试",
		"%[1]s timed out: the platform did not answer in time. Retry later"},
	KindHTTPStatus: {"%[1]s 返回 HTTP %[2]d",
		"%[1]s answered HTTP %[2]d"},
	KindNotJSON: {"%[1]s 返回的不是 JSON（HTTP %[2]d，可能是网关错误页）",
		"%[1]s answered with something that is not JSON (HTTP %[2]d, likely a gateway page)"},
	KindTruncated: {"%[1]s 返回的 JSON 不完整（HTTP %[2]d）",
		"%[1]s answered with truncated JSON (HTTP %[2]d)"},
	KindBadResponse: {"%[1]s 的响应缺少必需字段（HTTP %[2]d）：%[3]v",
		"%[1]s answered without the fields a success needs (HTTP %[2]d): %[3]v"},
}

// Message returns err in lang ("zh" or "en"), with the explanation of any
// platform error it wraps.
func Message(err error, lang string) string {
	if err == nil {
		return ""
	}
	var m interface{ Message(string) string }
	if errors.As(err, &m) {
		return m.Message(lang)
	}
	for _, t := range sentinelTexts {
		switch {
		case !errors.Is(err, t.err):
		case IsChinese(lang):
			return t.zh
		case t.en != "":
			return t.en
		}
	}
	return err.Error()
}

// sentinelTexts are the messages of this package's sentinel errors in
// Chinese and, where the error's own text is not one, English.
var sentinelTexts = []struct {
	err    error
	zh, en string
}{
	{ErrNoAccount, "没有这个账号，请先授权", "no such account: authorize it first"},
	{ErrNoClientToken, "还没有保存 client_token（应用级调用凭证）", "no client token is stored"},
	{ErrCancelled, "授权已取消", ""},
	{ErrLoginTimeout, "等待回调超时（授权码有效期 10 分钟），请重新授权", ""},
	{ErrCodeUsed, "这次授权的授权码已经换取过调用凭证", ""},
}

// NeedsReauthorization reports whether err means the user must authorize
// again: no account, an expired or used code, an expired refresh token, or
// the renew limit.
func NeedsReauthorization(err error) bool {
	if errors.Is(err, ErrNoAccount) {
		return true
	}
	var pe *PlatformError
	if errors.As(err, &pe) {
		switch pe.Code {
		case 10007, 10010, 10020:
			return pe.Endpoint != PathClientToken && pe.Endpoint != PathStableClientToken
		}
	}
	return false
}

// GrantToken names one of the two tokens of a user's grant.
type GrantToken int

// The tokens of a grant; TokenNone when an error is about neither.
const (
	TokenNone GrantToken = iota
	TokenAccess
	TokenRefresh
)

// InvalidToken reports which token of a grant err shows the platform no
// longer accepts, and the code that says so: the access token when a call
// made with it (not an OAuth token endpoint) answered that it is invalid or
// expired, the refresh token when refresh or renew answered 10010.
func InvalidToken(err error) (GrantToken, int) {
	var pe *PlatformError
	if !errors.As(err, &pe) {
		return TokenNone, 0
	}
	switch pe.Endpoint {
	case PathRefreshToken, PathRenewRefresh:
		if pe.Code == 10010 {
			return TokenRefresh, pe.Code
		}
	case PathAccessToken, PathClientToken, PathStableClientToken:
	default:
		switch pe.Code {
		case 10008, 2190002, 2190008, 28001003, 28001008:
			return TokenAccess, pe.Code
		}
	}
	return TokenNone, 0
}
