// Package ui is the desktop window of Douyin Auth Desk: credentials,
// authorization and token inspection for Douyin Open Platform apps.
//
// The Window holds one struct per screen (credentialsView, authorizeView,
// tokensView, profilesView, logView, settingsView), each built in one place
// and owning its widgets and nothing else's. What the screens share is the
// session: the active profile, its secret, its flow, the tokens read last
// and the login in progress. A screen changes the session through its
// methods and is told of every change as an observer, so that no screen
// calls another. The window builds the screens, opens profiles and moves
// between them (show a tab, fill the credentials form, re-authorize). What a
// screen shows beyond the session, such as a form as typed, the window
// keeps, so that the screen rebuilt in another language shows it again.
//
// Nothing here blocks the UI goroutine on the keyring, the disk or the
// network: that work goes through Window.background, whose results come
// back on the UI goroutine. The clock, the timers and the browser opener
// are fields, so that tests replace them.
package ui
