// Package assets holds the files the program embeds. It imports nothing, so
// every part of the program may use it.
package assets

import _ "embed"

// IconPNG is the app's icon, a 512×512 PNG: the window, the tray and the
// packages (FyneApp.toml) show it.
//
//go:embed icon.png
var IconPNG []byte
