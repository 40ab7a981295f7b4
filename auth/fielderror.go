package auth

import (
	"fmt"
	"strings"
)

// Field names a value the user supplies, as the platform or profiles.json
// names it.
type Field string

// The fields of the credentials, of a profile and of the settings.
const (
	FieldClientKey     Field = "client_key"
	FieldClientSecret  Field = "client_secret"
	FieldScope         Field = "scope"
	FieldOptionalScope Field = "optionalScope"
	FieldRedirectURI   Field = "redirect_uri"
	FieldName          Field = "name"
	FieldBaseURL       Field = "base_url"
	FieldEnvironment   Field = "environment"
	FieldCallbackMode  Field = "callback_mode"
	FieldRelayTarget   Field = "relay_target"
	FieldLanguage      Field = "language"
	FieldOpenID        Field = "open_id"
	FieldSandboxPort   Field = "sandbox_port"
)

// Reason says what is wrong with a value.
type Reason string

// Reasons a FieldError can carry.
const (
	ReasonEmpty     Reason = "empty"     // the value is required
	ReasonMalformed Reason = "malformed" // cannot be parsed or used as it is
	ReasonUntrimmed Reason = "untrimmed" // leading or trailing white space
	ReasonTooLong   Reason = "too-long"  // longer than FieldError.Limit characters
	ReasonControl   Reason = "control"   // contains a control character
	ReasonSlash     Reason = "slash"     // contains "/"
	ReasonUnknown   Reason = "unknown"   // not one of the accepted values
	ReasonNegative  Reason = "negative"  // a duration below zero
	// ReasonNotLoopback: loopback mode with a redirect URI off this machine.
	ReasonNotLoopback Reason = "not-loopback"
)

// FieldError reports a value the user supplied that cannot be used: the
// one type for bad input, from the flow, the store and the forms.
type FieldError struct {
	Field  Field
	Reason Reason
	Value  string // the offending value, never a secret
	Limit  int    // the largest length, for ReasonTooLong
}

func (e *FieldError) Error() string { return e.Message("en") }

// Message returns the error in the given language ("zh" or "en").
func (e *FieldError) Message(lang string) string {
	i := 1
	if IsChinese(lang) {
		i = 0
	}
	name := string(e.Field)
	if n, ok := fieldNames[e.Field]; ok {
		name = n[i]
	}
	return name + " " + e.reason()[i]
}

// reason returns what is wrong, in Chinese and English.
func (e *FieldError) reason() [2]string {
	switch e.Reason {
	case ReasonEmpty:
		return [2]string{"不能为空", "must not be empty"}
	case ReasonUntrimmed:
		return [2]string{"首尾不能有空白字符", "must not start or end with white space"}
	case ReasonTooLong:
		return [2]string{fmt.Sprintf("最多 %d 个字符", e.Limit), fmt.Sprintf("must be at most %d characters", e.Limit)}
	case ReasonControl:
		return [2]string{"不能含控制字符", "must not contain control characters"}
	case ReasonSlash:
		return [2]string{"不能含“/”", `must not contain "/"`}
	case ReasonUnknown:
		return [2]string{fmt.Sprintf("取值 %q 无效", e.Value), fmt.Sprintf("has an unknown value %q", e.Value)}
	case ReasonNegative:
		return [2]string{"不能为负数", "must not be negative"}
	case ReasonNotLoopback:
		return [2]string{fmt.Sprintf("“%s”不是本机地址：本机回调（loopback）方式只能在 127.0.0.1、[::1] 或 localhost 接收回调；回调地址在别处时，请选择粘贴或中转页方式", e.Value),
			fmt.Sprintf("%q is not on this machine: loopback mode receives the callback only at 127.0.0.1, [::1] or localhost; choose paste or relay for a redirect URI elsewhere", e.Value)}
	}
	if h, ok := malformedHints[e.Field]; ok {
		return [2]string{"格式不正确：" + h[0], "is malformed: " + h[1]}
	}
	return [2]string{fmt.Sprintf("格式不正确：%q", e.Value), fmt.Sprintf("is malformed: %q", e.Value)}
}

// fieldNames holds the names a user knows fields by, in Chinese and
// English, where they differ from the field's own name.
var fieldNames = map[Field][2]string{FieldName: {"配置名称", "profile name"}}

// malformedHints says how a well-formed value of a field looks.
var malformedHints = map[Field][2]string{
	FieldClientKey:     {"不能含空格或 & = ? # / 字符", "it must not contain spaces or & = ? # /"},
	FieldClientSecret:  {"不能含空白字符", "it must not contain whitespace"},
	FieldScope:         {"用逗号分隔的授权作用域（scope）名，如 user_info,trial.whitelist", "use comma-separated scope names such as user_info,trial.whitelist"},
	FieldOptionalScope: {"应为“授权作用域,默认值”成对出现，默认值为 0 或 1，如 friend_relation,1", `use "scope,default" pairs with default 0 or 1, e.g. friend_relation,1`},
	FieldRedirectURI:   {"须为完整的 http(s) 地址，不含 ? 查询参数", "use an absolute http(s) URL without a ?query"},
	FieldSandboxPort:   {"须为 1 到 65535 之间的端口", "use a port from 1 to 65535"},
}

// IsChinese reports whether lang, a language or locale name ("zh",
// "zh_CN.UTF-8", "zh-Hans"), asks for Chinese.
func IsChinese(lang string) bool { return strings.HasPrefix(strings.ToLower(lang), "zh") }
