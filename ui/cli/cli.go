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
		return topUsageError("no command given", "没有给出命令")
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
		return unknownCommand(name)
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
		return unknownCommand(args[0])
	}
	return c.run(ctx, e, c, []string{"--help"})
}

// profile runs the profile subcommands.
func (e *env) profile(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return profileUsageError("profile needs a subcommand: add, list or remove", "profile 需要子命令：add、list 或 remove")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stdout, profileHelp)
		return nil
	}
	c, ok := commands["profile "+args[0]]
	if !ok {
		return profileUsageError(fmt.Sprintf("unknown profile subcommand %q", args[0]), fmt.Sprintf("没有 profile 子命令 %q", args[0]))
	}
	return c.run(ctx, e, c, args[1:])
}

// topUsageError is a usage error of the command line as a whole.
func topUsageError(en, zh string) error {
	return &usageError{msg: en, msgZH: zh, usage: topUsage, usageZH: topUsageZH}
}

// unknownCommand is the usage error for a command name that names none.
func unknownCommand(name string) error {
	return topUsageError(fmt.Sprintf("unknown command %q", name), fmt.Sprintf("没有命令 %q", name))
}

// profileUsageError is a usage error of the profile command.
func profileUsageError(en, zh string) error {
	return &usageError{msg: en, msgZH: zh, usage: profileUsage, usageZH: profileUsageZH}
}
