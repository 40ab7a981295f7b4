package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

var _ = register(&command{
	name:    "sandbox-revoke",
	usage:   "sandbox-revoke --profile NAME [--account OPEN_ID]",
	summary: "Cancel an account's authorization in the local sandbox, as a user can in the Douyin app (设置 › 账号与安全 › 授权管理): the sandbox ends its tokens at once.",
	details: `--account may be left out when the profile has exactly one account; it may
also name a user this profile stores no tokens for, such as one your own
backend authorized in the sandbox.

Only for a profile of the local sandbox (a loopback --base-url): it posts
{"client_key":…,"open_id":…} to the profile's base URL /_sandbox/revoke.
The stored tokens stay, and later calls get the platform's answer: verify
fails with 28001003 (exit status 1), refresh with 10010 (exit status 3).
Standard output shows open_id and "revoked: yes". Exit status 1 when the
sandbox has no live authorization of the account to revoke or cannot be
reached; 2 for a profile that is not a sandbox profile.`,
	example: `  douyin-auth-desk sandbox-revoke --profile demo
  douyin-auth-desk verify --profile demo      # exit 1: platform error 28001003`,
	run: runSandboxRevoke,
})

func runSandboxRevoke(ctx context.Context, e *env, c *command, args []string) error {
	name, given, err := e.parseAccount(c, c.flags(), args)
	if err != nil {
		return err
	}
	_, p, err := e.loadProfile(name)
	if err != nil {
		return err
	}
	if p.Environment != storage.EnvSandbox {
		return &hintError{code: exitUsage,
			msg: e.text(fmt.Sprintf("profile %q is not a sandbox profile (environment %s); sandbox-revoke acts on the local sandbox only", p.Name, p.Environment),
				fmt.Sprintf("配置 %q 不是沙盒配置（环境 %s）；sandbox-revoke 只作用于本机沙盒", p.Name, p.Environment)),
			hint: e.text("On the platform, the user cancels the authorization in the Douyin app: 设置 › 账号与安全 › 授权管理.",
				"在平台上，由用户在抖音 App 中取消授权：设置 › 账号与安全 › 授权管理。")}
	}
	openID := given
	if openID == "" {
		if openID, err = c.account(p, ""); err != nil {
			return err
		}
	}
	if err := e.postRevoke(ctx, p.Endpoint(), p.ClientKey, openID); err != nil {
		return err
	}
	printField(e.stdout, "open_id", openID)
	fmt.Fprintln(e.stdout, "revoked: yes")
	fmt.Fprintln(e.stderr, e.text(
		fmt.Sprintf("Later calls get the platform's answer: verify fails with 28001003, refresh with 10010. Authorize again with: %s login --profile %s", progName, p.Name),
		fmt.Sprintf("之后的调用将得到平台的答复：verify 返回 28001003，refresh 返回 10010。重新授权：%s login --profile %s", progName, p.Name)))
	return nil
}

// postRevoke asks the sandbox at base to revoke the grant openID gave
// clientKey, and explains in one sentence why it did not.
func (e *env) postRevoke(ctx context.Context, base, clientKey, openID string) error {
	err := sandbox.RevokeAt(ctx, base, clientKey, openID)
	switch {
	case err == nil, errors.Is(err, context.Canceled):
		return err
	case errors.Is(err, sandbox.ErrNothingToRevoke):
		return errors.New(e.text(fmt.Sprintf("the sandbox at %s has no live authorization of %s for %s to revoke", base, openID, clientKey),
			fmt.Sprintf("%s 上的沙盒中没有 %s 对 %s 仍然有效的授权可撤销", base, openID, clientKey)))
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return errors.New(e.text(fmt.Sprintf("cannot reach the sandbox at %s: %v", base, rootCause(err)),
			fmt.Sprintf("无法连接 %s 上的沙盒：%v", base, rootCause(err))))
	}
	return errors.New(e.text(fmt.Sprintf("the sandbox at %s did not revoke the authorization: %v", base, err),
		fmt.Sprintf("%s 上的沙盒没有撤销授权：%v", base, err)))
}

// rootCause returns the innermost error of err's chain, such as
// "connection refused", without the request that led to it.
func rootCause(err error) error {
	for {
		inner := errors.Unwrap(err)
		if inner == nil {
			return err
		}
		err = inner
	}
}
