package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
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
}

// commands holds every subcommand by name; "profile add" and the like are
// reached through "profile".
var commands = map[string]*command{}

func register(c *command) *command {
	commands[c.name] = c
	return c
}

// usageLine is the short usage printed after a usage error.
func (c *command) usageLine() string {
	return fmt.Sprintf("Usage: %s %s\nRun '%s %s --help' for details.\n", progName, c.usage, progName, c.name)
}

// flags returns an empty flag set for c that reports nothing itself.
func (c *command) flags() *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses args with fs, allowing flags before, between and after the
// positional arguments, and checks that there are between min and max of
// those (names lists them for messages). After "--" everything is
// positional. On -h or --help it prints c's help and returns errHelpShown.
func (c *command) parse(e *env, fs *flag.FlagSet, args []string, names ...string) ([]string, error) {
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.printHelp(e.stdout, fs)
			return nil, errHelpShown
		}
		if err != nil {
			return nil, c.usagef("%v", strings.Replace(err.Error(), " -", " --", 1))
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	switch {
	case len(pos) < len(names):
		return nil, c.usagef("missing %s", names[len(pos)])
	case len(pos) > len(names):
		return nil, c.usagef("unexpected argument %q", pos[len(names)])
	}
	return pos, nil
}

// parseProfile adds the required --profile flag to fs, parses args with it
// and the flags c added before, and returns the profile's name.
func (c *command) parseProfile(e *env, fs *flag.FlagSet, args []string) (string, error) {
	name := fs.String("profile", "", "the profile `NAME` (required)")
	if _, err := c.parse(e, fs, args); err != nil {
		return "", err
	}
	if *name == "" {
		return "", c.usagef("--profile is required")
	}
	return *name, nil
}
