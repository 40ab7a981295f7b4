package cli

import (
	"context"
	"fmt"
	"io"
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
	run: runAPIs,
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
	asJSON := fs.Bool("json", false, "print JSON")
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

// describeParams writes a's parameters, one a line, for a usage error.
func describeParams(w io.Writer, e *env, a auth.API) {
	for _, p := range a.Params {
		fmt.Fprintf(w, "  %-10s %s\n", p.Name, p.Description(e.lang))
	}
}
