package ui

import (
	"context"
	"net/url"
	"path"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// newRelayBox holds, in relay mode, where to upload the relay page and the
// buttons that hand it over.
func (v *authorizeView) newRelayBox() *fyne.Container {
	v.relayInfo = wrapped("")
	v.relayStatus = hiddenNote("", widget.MediumImportance)
	v.copyPageBtn = widget.NewButtonWithIcon(lang.L("Copy page"), theme.ContentCopyIcon(), v.copyRelayPage)
	v.savePageBtn = widget.NewButtonWithIcon(lang.L("Save page…"), theme.DocumentSaveIcon(), v.saveRelayPage)
	box := container.NewVBox(
		heading(lang.L("Relay page")),
		v.relayInfo,
		container.NewHBox(v.copyPageBtn, v.savePageBtn),
		v.relayStatus,
		widget.NewSeparator(),
	)
	box.Hide()
	return box
}

// relayPage returns the relay page of the active profile.
func (v *authorizeView) relayPage() ([]byte, error) {
	return auth.RelayPage(v.u.session.profile.RelayTarget)
}

// copyRelayPage puts the relay page on the clipboard.
func (v *authorizeView) copyRelayPage() {
	page, err := v.relayPage()
	if err != nil {
		setError(v.relayStatus, message(err))
		return
	}
	v.u.fyne.Clipboard().SetContent(string(page))
	note(v.relayStatus, lang.L("The relay page was copied."), widget.SuccessImportance)
}

// saveRelayPage asks where to save the relay page and writes it there.
func (v *authorizeView) saveRelayPage() {
	page, err := v.relayPage()
	if err != nil {
		setError(v.relayStatus, message(err))
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			setError(v.relayStatus, message(err))
			return
		}
		if w == nil {
			return // cancelled
		}
		v.writeRelayPage(w, page)
	}, v.u.win)
	d.SetFileName(relayFileName(v.u.session.profile.RedirectURI))
	d.Show()
}

// writeRelayPage writes page to w in the background.
func (v *authorizeView) writeRelayPage(w fyne.URIWriteCloser, page []byte) {
	v.u.background(nil, func(context.Context) func() {
		_, err := w.Write(page)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		where := w.URI().String()
		return func() {
			if err != nil {
				setError(v.relayStatus, message(err))
				return
			}
			note(v.relayStatus, lang.L("The relay page was saved to {{.Path}}.", map[string]any{"Path": where}),
				widget.SuccessImportance)
		}
	})
}

// relayFileName suggests a file name for the relay page: the last part of
// the redirect URI's path when it names an HTML page, else index.html.
func relayFileName(redirect string) string {
	if u, err := url.Parse(redirect); err == nil {
		if base := path.Base(u.Path); strings.HasSuffix(base, ".html") || strings.HasSuffix(base, ".htm") {
			return base
		}
	}
	return "index.html"
}
