package storage

import (
	"fmt"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// UntrustedDirError is the refusal of a configuration directory that
// another user owns: whoever owns it could read the profiles or plant one
// that sends a client secret elsewhere.
type UntrustedDirError struct {
	Dir   string
	Owner int // the directory's owner
	User  int // this process's user
}

func (e *UntrustedDirError) Error() string { return e.Message("en") }

// Message returns the refusal in lang ("zh" or "en").
func (e *UntrustedDirError) Message(lang string) string {
	if auth.IsChinese(lang) {
		return fmt.Sprintf("配置目录 %s 属于另一个用户（uid %d，当前用户 uid %d），为安全起见不使用它。请换一个自己的目录（%s），或修正它的所有者", e.Dir, e.Owner, e.User, ConfigDirEnv)
	}
	return fmt.Sprintf("the configuration directory %s belongs to another user (uid %d; you are uid %d), so it is not used. Choose a directory of your own (%s) or fix its owner", e.Dir, e.Owner, e.User, ConfigDirEnv)
}
