package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// command is one subcommand of the command line.
type command struct {
	name    string // as typed: "login", "profile add"
	usage   string // the synopsis after the program name
	summary string // one line
	details string // paragraphs after the summary, may be empty
	example string // one or more example lines
	run     func(ctx context.Context, e *env, c *command, args []string) error

	// summaryZH and detailsZH are summary and details in Chinese; a
	// command without them shows its help in English in every language.
	summaryZH, detailsZH string
}

// commands holds every subcommand by name; "profile add" and the like are
// reached through "profile".
var commands = map[string]*command{}

func register(c *command) *command {
	commands[c.name] = c
	return c
}

// usageLine is the short usage printed after a usage error, in lang.
func (c *command) usageLine(lang string) string {
	if lang == "zh" {
		return fmt.Sprintf("用法：%s %s\n运行 '%s %s --help' 查看详细说明。\n", progName, c.usage, progName, c.name)
	}
	return fmt.Sprintf("Usage: %s %s\nRun '%s %s --help' for details.\n", progName, c.usage, progName, c.name)
}

// flags returns an empty flag set for c that reports nothing itself.
func (c *command) flags() *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// rest, as the last of parse's names, takes any further positional
// arguments, none included.
const rest = "..."

// parse parses args with fs, allowing flags before, between and after the
// positional arguments, and checks that there is one of those for each of
// names (which name them for messages), or, when the last name is rest, at
// least one for each name before it. After "--" everything is positional.
// On -h or --help it prints c's help and returns errHelpShown.
func (c *command) parse(e *env, fs *flag.FlagSet, args []string, names ...string) ([]string, error) {
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.printHelp(e, fs)
			return nil, errHelpShown
		}
		if err != nil {
			return nil, c.flagError(err)
		}
		left := fs.Args()
		consumed := len(args) - len(left)
		if consumed > 0 && args[consumed-1] == "--" {
			pos = append(pos, left...)
			break
		}
		if len(left) == 0 {
			break
		}
		pos = append(pos, left[0])
		args = left[1:]
	}
	variadic := len(names) > 0 && names[len(names)-1] == rest
	if variadic {
		names = names[:len(names)-1]
	}
	switch {
	case len(pos) < len(names):
		return nil, c.usageText("missing "+names[len(pos)], "缺少 "+names[len(pos)])
	case len(pos) > len(names) && !variadic:
		return nil, c.usageText(fmt.Sprintf("unexpected argument %q", pos[len(names)]), fmt.Sprintf("多余的参数 %q", pos[len(names)]))
	}
	return pos, nil
}

// Errors of package flag, to say them in Chinese too.
var (
	flagUndefined  = regexp.MustCompile(`^flag provided but not defined: -(.*)$`)
	flagNeedsValue = regexp.MustCompile(`^flag needs an argument: -(.*)$`)
	flagBadValue   = regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:flag )?-(\S+): (.*)$`)
	flagBadBool    = regexp.MustCompile(`^invalid boolean flag (\S+): (.*)$`)
	flagBadSyntax  = regexp.MustCompile(`^bad flag syntax: (.*)$`)
)

// flagError returns the usage error of an error of fs.Parse, which names a
// flag with one dash: the message names it as typed, with two.
func (c *command) flagError(err error) error {
	msg := err.Error()
	en := strings.Replace(msg, " -", " --", 1)
	zh := en
	if m := flagUndefined.FindStringSubmatch(msg); m != nil {
		zh = "没有参数 --" + m[1]
	} else if m := flagNeedsValue.FindStringSubmatch(msg); m != nil {
		zh = "参数 --" + m[1] + " 需要一个值"
	} else if m := flagBadValue.FindStringSubmatch(msg); m != nil {
		zh = fmt.Sprintf("参数 --%s 的值 %s 无效（%s）", m[2], m[1], flagCauseZH(m[3]))
	} else if m := flagBadBool.FindStringSubmatch(msg); m != nil {
		zh = fmt.Sprintf("参数 --%s 是开关，不能带值（%s）", m[1], flagCauseZH(m[2]))
	} else if m := flagBadSyntax.FindStringSubmatch(msg); m != nil {
		zh = "参数格式错误：" + m[1]
	}
	return c.usageText(en, zh)
}

// flagCauseZH says in Chinese why package flag refused a value.
func flagCauseZH(cause string) string {
	switch cause {
	case "parse error":
		return "格式不对"
	case "value out of range":
		return "超出范围"
	}
	return cause
}

// parseProfile adds the required --profile flag to fs, parses args with it
// and the flags c added before, and returns the profile's name.
func (c *command) parseProfile(e *env, fs *flag.FlagSet, args []string) (string, error) {
	name := fs.String("profile", "", "the profile `NAME` (required)")
	if _, err := c.parse(e, fs, args); err != nil {
		return "", err
	}
	if *name == "" {
		return "", c.usageText("--profile is required", "必须提供 --profile")
	}
	return *name, nil
}
