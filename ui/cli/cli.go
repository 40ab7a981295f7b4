package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// progName is the command's name in messages and help.
const progName = "douyin-auth-desk"

// Main runs the command line args (without the program name) on the
// process's standard streams and returns the exit status. On Windows the
// window build first attaches to the console of the shell it was started
// from. SIGINT and SIGTERM end a waiting login or a running sandbox.
func Main(args []string) int {
	attachConsole()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, args, os.Stdin, os.Stdout, os.Stderr)
}

// run runs the command line args and returns the exit status. It reads
// pasted input and secrets from stdin, writes results to stdout and
// everything else to stderr; ctx ends long-running commands.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{
		stdin:  stdin,
		stdout: &syncWriter{w: stdout},
		stderr: &syncWriter{w: stderr},
		lang:   language(),
	}
	err := e.dispatch(ctx, args)
	return e.finish(err)
}

// dispatch finds the command named by the first arguments and runs it.
func (e *env) dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return &usageError{msg: "no command given", usage: topUsage}
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		if name == "help" && len(args) > 1 {
			return e.helpFor(ctx, args[1:])
		}
		fmt.Fprint(e.stdout, topHelp)
		return nil
	case "profile":
		return e.profile(ctx, args[1:])
	}
	c, ok := commands[name]
	if !ok {
		return &usageError{msg: fmt.Sprintf("unknown command %q", name), usage: topUsage}
	}
	return c.run(ctx, e, c, args[1:])
}

// helpFor answers "help COMMAND [SUBCOMMAND]".
func (e *env) helpFor(ctx context.Context, args []string) error {
	if args[0] == "profile" {
		if len(args) == 1 {
			fmt.Fprint(e.stdout, profileHelp)
			return nil
		}
		return e.profile(ctx, []string{args[1], "--help"})
	}
	c, ok := commands[args[0]]
	if !ok {
		return &usageError{msg: fmt.Sprintf("unknown command %q", args[0]), usage: topUsage}
	}
	return c.run(ctx, e, c, []string{"--help"})
}

// profile runs the profile subcommands.
func (e *env) profile(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return &usageError{msg: "profile needs a subcommand: add, list or remove", usage: profileUsage}
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stdout, profileHelp)
		return nil
	}
	c, ok := commands["profile "+args[0]]
	if !ok {
		return &usageError{msg: fmt.Sprintf("unknown profile subcommand %q", args[0]), usage: profileUsage}
	}
	return c.run(ctx, e, c, args[1:])
}
