package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// note shows text in l with the importance imp.
func note(l *widget.Label, text string, imp widget.Importance) {
	l.SetText(text)
	l.Importance = imp
	l.Show()
	l.Refresh()
}

// setError shows msg in l as an error.
func setError(l *widget.Label, msg string) { note(l, msg, widget.DangerImportance) }

// enable enables buttons when on holds and disables them otherwise.
func enable(on bool, buttons ...*widget.Button) {
	for _, b := range buttons {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// wrapped returns a label of text that wraps at words.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// hiddenNote returns a hidden label that wraps at words and shows text
// with the importance imp: a note for when there is something to say.
func hiddenNote(text string, imp widget.Importance) *widget.Label {
	l := wrapped(text)
	l.Importance = imp
	l.Hide()
	return l
}

// heading returns a bold label of text.
func heading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// confirm asks on win before an action the user cannot take back: do runs
// when the user presses confirmText, and cancel, when given, otherwise.
// dismissText, when not empty, replaces the dialog's "No". Every such
// question goes through here, so destructive ones share one look: imp is
// widget.DangerImportance for them. It returns the dialog, shown.
func confirm(win fyne.Window, title, text, confirmText, dismissText string, imp widget.Importance, do func(), cancel ...func()) *dialog.ConfirmDialog {
	d := dialog.NewConfirm(title, text, func(ok bool) {
		switch {
		case ok:
			do()
		case len(cancel) > 0:
			cancel[0]()
		}
	}, win)
	d.SetConfirmText(confirmText)
	if dismissText != "" {
		d.SetDismissText(dismissText)
	}
	d.SetConfirmImportance(imp)
	d.Show()
	return d
}

// labelled returns field below its label, which wraps at words.
func labelled(label string, field fyne.CanvasObject) fyne.CanvasObject {
	l := wrapped(label)
	l.TextStyle.Bold = true
	return container.NewVBox(l, field)
}
