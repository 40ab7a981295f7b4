package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

var _ = register(&command{
	name:    "apis",
	usage:   "apis [--json]",
	summary: "List the OpenAPIs that call can try: their names, the token each takes, the scope it needs, method, path and parameters.",
	details: `TOKEN is access_token for an API the user authorizes (call picks the
account with --account) and client_token for one the app calls alone (call
uses the stored client token: fetch one with client-token). SCOPE is what the
user must have granted, or for a client_token API what the app must hold.
In PARAMETERS, name=value gives the value sent when the call leaves it out,
* marks a required one and (a|b) lists the accepted values. open_id and the
token are filled in by call.

--json prints:
  {"apis": [{"name", "title", "title_zh", "method", "path", "token",
    "token_in", "open_id_in", "body", "scope", "pages", "doc",
    "params": [{"name", "in", "type", "required", "default", "values",
      "description"}]}]}`,
	example: `  douyin-auth-desk apis
  douyin-auth-desk apis --json | jq -r '.apis[] | select(.pages) | .name'`,
	run:       runAPIs,
	summaryZH: "列出 call 可以调用的 OpenAPI：名称、使用的调用凭证、所需的授权作用域（scope）、请求方法、路径和参数。",
	detailsZH: `TOKEN 为 access_token（用户授权调用凭证）的 API 代表用户调用（call 用
--account 选择账号）；为 client_token（应用级调用凭证）的 API 由应用单独调用
（call 使用保存的 client_token：先用 client-token 获取）。SCOPE 是用户必须授权
的授权作用域（scope）；对 client_token 的 API，是应用必须具备的能力。
PARAMETERS 中，name=value 给出不填时发送的默认值，* 表示必填，(a|b) 列出可用的
取值。open_id 和调用凭证由 call 自动填写。

--json 输出：
  {"apis": [{"name", "title", "title_zh", "method", "path", "token",
    "token_in", "open_id_in", "body", "scope", "pages", "doc",
    "params": [{"name", "in", "type", "required", "default", "values",
      "description"}]}]}`,
})

// apiList is the JSON printed by apis --json. Its shape is stable: fields
// are only ever added.
type apiList struct {
	APIs []apiEntry `json:"apis"`
}

// apiEntry is one API of apiList.
type apiEntry struct {
	Name     string       `json:"name"`
	Title    string       `json:"title"`
	TitleZH  string       `json:"title_zh"`
	Method   string       `json:"method"`
	Path     string       `json:"path"`
	Token    string       `json:"token"`      // access_token or client_token
	TokenIn  string       `json:"token_in"`   // header, query or body
	OpenIDIn string       `json:"open_id_in"` // query or body; "" when it takes none
	Body     string       `json:"body"`       // form or json; "" without a body
	Scope    string       `json:"scope"`
	Pages    bool         `json:"pages"`
	Doc      string       `json:"doc"`
	Params   []paramEntry `json:"params"`
}

// paramEntry is one parameter of apiEntry.
type paramEntry struct {
	Name        string   `json:"name"`
	In          string   `json:"in"`
	Type        string   `json:"type"`
	Required    bool     `json:"required"`
	Default     string   `json:"default"`
	Values      []string `json:"values"`
	Description string   `json:"description"`
}

func runAPIs(ctx context.Context, e *env, c *command, args []string) error {
	fs := c.flags()
	asJSON := fs.Bool("json", false, e.text("print JSON", "输出 JSON"))
	if _, err := c.parse(e, fs, args); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, buildAPIList(e.lang))
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTOKEN\tSCOPE\tMETHOD\tPATH\tPARAMETERS\tTITLE")
	for _, a := range auth.Catalog() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Name, a.Auth, a.Scope, a.Method, a.Path,
			paramSummary(a), a.Title(e.lang))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, e.text("Call one with: "+progName+" call --profile NAME API [KEY=VALUE ...]; details: "+progName+" apis --json",
		"调用："+progName+" call --profile NAME API [KEY=VALUE ...]；详情：“"+progName+" apis --json”"))
	return nil
}

// buildAPIList returns the catalogue as apis --json prints it, the
// descriptions in lang.
func buildAPIList(lang string) apiList {
	out := apiList{APIs: []apiEntry{}}
	for _, a := range auth.Catalog() {
		entry := apiEntry{Name: a.Name, Title: a.TitleEN, TitleZH: a.TitleZH, Method: a.Method, Path: a.Path,
			Token: string(a.Auth), TokenIn: string(a.TokenIn), OpenIDIn: string(a.OpenIDIn), Body: string(a.Body),
			Scope: a.Scope, Pages: a.Pages, Doc: a.Doc, Params: []paramEntry{}}
		for _, p := range a.Params {
			values := p.Values
			if values == nil {
				values = []string{}
			}
			entry.Params = append(entry.Params, paramEntry{Name: p.Name, In: string(p.In), Type: string(p.Type),
				Required: p.Required, Default: p.Default, Values: values, Description: p.Description(lang)})
		}
		out.APIs = append(out.APIs, entry)
	}
	return out
}

// paramSummary lists a's parameters as the apis table shows them, "-" for
// none.
func paramSummary(a auth.API) string {
	if len(a.Params) == 0 {
		return "-"
	}
	parts := make([]string, len(a.Params))
	for i, p := range a.Params {
		s := p.Name
		if p.Default != "" {
			s += "=" + p.Default
		}
		if p.Required {
			s += "*"
		}
		if len(p.Values) > 0 {
			s += "(" + strings.Join(p.Values, "|") + ")"
		}
		parts[i] = s
	}
	return strings.Join(parts, " ")
}

// describeParams lists a's parameters, one a line, in lang, for a usage
// error.
func describeParams(a auth.API, lang string) string {
	var b strings.Builder
	for _, p := range a.Params {
		fmt.Fprintf(&b, "  %-10s %s\n", p.Name, p.Description(lang))
	}
	return b.String()
}
