package ui

import (
	"bytes"
	"image"
	_ "image/png"
	"testing"
)

func TestTrayMenuListsAccountsWithNextExpiry(t *testing.T) {
	u, _, _ := newTestApp(t)
	if m := u.trayMenu(); len(m.Items) != 2 {
		t.Fatalf("tray menu without a profile has %d items", len(m.Items))
	}
	_, base := startSandbox(t)
	authorize(t, u, base)
	g := u.tokens.cards[0].grant
	m := u.trayMenu()
	if len(m.Items) != 4 || !m.Items[2].IsSeparator {
		t.Fatalf("tray menu has %d items", len(m.Items))
	}
	want := accountName(g.Account) + ": Access token until " + g.AccessExpiry.Local().Format(timeLayout)
	if got := m.Items[3].Label; got != want {
		t.Fatalf("tray item %q, want %q", got, want)
	}
	m.Items[3].Action()
	if u.tabs.SelectedIndex() != tabTokens {
		t.Fatal("the account item does not show the tokens")
	}
}

// TestAppIconIsThePNG checks that the window has the app's PNG icon without
// fyne package's metadata: without it the tray falls back to an SVG that
// Windows cannot convert ("Failed to convert systray icon").
func TestAppIconIsThePNG(t *testing.T) {
	u, _, _ := newTestApp(t)
	icon := u.fyne.Icon()
	if icon == nil {
		t.Fatal("the app has no icon")
	}
	if _, format, err := image.DecodeConfig(bytes.NewReader(icon.Content())); err != nil || format != "png" {
		t.Fatalf("the app icon is not a PNG: %q %v", format, err)
	}
}
