package storage

import (
	"fmt"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// NoticeKind names something the user must be told about the store.
type NoticeKind string

// Kinds of Notice.
const (
	// NoticeCorrupt: profiles.json could not be read; it was renamed to
	// Notice.Path and the store started with no profiles.
	NoticeCorrupt NoticeKind = "corrupt"
	// NoticeFutureVersion: profiles.json has a format version newer than
	// this program understands (Notice.Version); it was renamed to
	// Notice.Path and the store started with no profiles.
	NoticeFutureVersion NoticeKind = "future-version"
	// NoticeSessionOnly: the system keyring cannot be used, so secrets are
	// kept in memory and forgotten when the program exits.
	NoticeSessionOnly NoticeKind = "session-only"
	// NoticeDirRepaired: the configuration directory (Notice.Path) could be
	// written by other users (its mode was Notice.Detail); it was made
	// private.
	NoticeDirRepaired NoticeKind = "dir-repaired"
	// NoticeSymlink: profiles.json was a symbolic link, which the store does
	// not follow; it was renamed to Notice.Path and the store started with
	// no profiles.
	NoticeSymlink NoticeKind = "symlink"
)

// Notice is something the store had to do that the user must be told about.
// Message renders it; a user interface may instead build its own text from
// Kind and the other fields.
type Notice struct {
	Kind    NoticeKind
	Path    string // where the unreadable file was kept, for NoticeCorrupt and NoticeFutureVersion
	Version int    // the format version found, for NoticeFutureVersion
	Detail  string // the underlying error, in English; may be empty
}

// String returns n's message in English.
func (n Notice) String() string { return n.Message("en") }

// Message returns n as a sentence in the given language ("zh" or "en").
func (n Notice) Message(lang string) string {
	zh := auth.IsChinese(lang)
	detail := ""
	if n.Detail != "" {
		if zh {
			detail = "（" + n.Detail + "）"
		} else {
			detail = " (" + n.Detail + ")"
		}
	}
	switch n.Kind {
	case NoticeCorrupt:
		if zh {
			return fmt.Sprintf("无法读取配置文件 %s%s，已将其另存为 %s，并以空的配置重新开始。", fileName, detail, n.Path)
		}
		return fmt.Sprintf("The settings file %s could not be read%s. It was kept aside as %s and a new, empty one was started.", fileName, detail, n.Path)
	case NoticeFutureVersion:
		if zh {
			return fmt.Sprintf("配置文件 %s 由更新版本的 Douyin Auth Desk 写入（格式版本 %d），已将其另存为 %s，并以空的配置重新开始。", fileName, n.Version, n.Path)
		}
		return fmt.Sprintf("The settings file %s was written by a newer version of Douyin Auth Desk (format version %d). It was kept aside as %s and a new, empty one was started.", fileName, n.Version, n.Path)
	case NoticeDirRepaired:
		if zh {
			return fmt.Sprintf("配置目录 %s 原来其他用户也可写入（权限 %s），已改为仅自己可用（0700）。如果不是你设置的，请检查其中的文件。", n.Path, n.Detail)
		}
		return fmt.Sprintf("The configuration directory %s could be written by other users (mode %s); it was made private (0700). If you did not set it so, check the files in it.", n.Path, n.Detail)
	case NoticeSymlink:
		if zh {
			return fmt.Sprintf("配置文件 %s 是一个符号链接，为安全起见不跟随它：已将其另存为 %s，并以空的配置重新开始。", fileName, n.Path)
		}
		return fmt.Sprintf("The settings file %s was a symbolic link, which is not followed for safety. It was kept aside as %s and a new, empty one was started.", fileName, n.Path)
	case NoticeSessionOnly:
		if zh {
			return "系统钥匙串不可用" + detail + "：应用密钥（client_secret）和调用凭证只保存在内存中，退出程序后即丢失。"
		}
		return "The system keyring is not available" + detail + ": client secrets and tokens are kept in memory only and will be lost when the program exits."
	}
	if zh {
		return string(n.Kind) + detail
	}
	return string(n.Kind) + detail
}
