package ui

import (
	"embed"
	"os"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// translations holds en.json and zh.json. Message IDs are the English text.
//
//go:embed translations
var translations embed.FS

// fyneStrings holds copies of Fyne's own English and Simplified Chinese
// strings (fyne.io/fyne/v2/lang/translations, BSD licence in the folder),
// for the choice of a language the system does not use on Windows and
// macOS; TestFyneStringsMatchFyne keeps them equal to the Fyne in go.mod.
//
//go:embed fynestrings/en.json fynestrings/zh.json
var fyneStrings embed.FS

// Language choices of the settings screen.
const (
	languageSystem  = ""
	languageChinese = "zh"
	languageEnglish = "en"
)

var (
	loadOnce sync.Once
	langMu   sync.Mutex
)

// loadTranslations adds the embedded translations to fyne's lang package.
func loadTranslations() {
	loadOnce.Do(func() {
		if err := lang.AddTranslationsFS(translations, "translations"); err != nil {
			fyne.LogError("loading translations", err)
		}
		// fyne's own Chinese strings are tagged zh-Hans and a Chinese
		// system locale resolves to that tag, so the Chinese strings are
		// registered under it as well.
		data, err := translations.ReadFile("translations/zh.json")
		if err == nil {
			err = lang.AddTranslationsForLocale(data, "zh-Hans")
		}
		if err != nil {
			fyne.LogError("loading translations", err)
		}
	})
}

// localeVars are the variables the system locale is read from, in order.
var localeVars = []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"}

// applyLanguage makes lang.L answer in choice: languageChinese,
// languageEnglish or languageSystem to follow the system locale.
//
// fyne answers in the translation closest to the system locale. On Linux
// and the BSDs it reads that locale from the environment, so the variables
// are set for the moment fyne reads them again, and fyne's own strings
// follow too. On Windows and macOS it asks the OS, so when that left the
// wrong language, the chosen strings are registered under the system
// locale's own tag, which fyne then prefers.
func applyLanguage(choice string) {
	loadTranslations()
	langMu.Lock()
	defer langMu.Unlock()
	withLocaleEnv(choice, func() {
		// Adding a translation makes fyne choose its language again.
		data, err := translations.ReadFile("translations/en.json")
		if err == nil {
			err = lang.AddTranslationsForLocale(data, "en")
		}
		if err != nil {
			fyne.LogError("switching language", err)
		}
	})
	tag := lang.SystemLocale()
	want := choice
	if want == languageSystem {
		want = languageEnglish
		if auth.IsChinese(string(tag)) {
			want = languageChinese
		}
	}
	if currentLang() == want {
		return
	}
	// Fyne's own strings first, so that its dialogs and the tray menu speak
	// the same language.
	for _, f := range []struct {
		fs   embed.FS
		name string
	}{{fyneStrings, "fynestrings/" + want + ".json"}, {translations, "translations/" + want + ".json"}} {
		data, err := f.fs.ReadFile(f.name)
		if err == nil {
			err = lang.AddTranslationsForLocale(data, tag)
		}
		if err != nil {
			fyne.LogError("switching language", err)
		}
	}
}

// withLocaleEnv runs f with every locale variable set to choice's locale,
// then restores them; for languageSystem it just runs f.
func withLocaleEnv(choice string, f func()) {
	var locale string
	switch choice {
	case languageChinese:
		locale = "zh_CN.UTF-8"
	case languageEnglish:
		locale = "en_US.UTF-8"
	default:
		f()
		return
	}
	saved := map[string]*string{}
	for _, k := range localeVars {
		if v, ok := os.LookupEnv(k); ok {
			saved[k] = &v
		} else {
			saved[k] = nil
		}
		os.Setenv(k, locale)
	}
	defer func() {
		for k, v := range saved {
			if v == nil {
				os.Unsetenv(k)
			} else {
				os.Setenv(k, *v)
			}
		}
	}()
	f()
}

// currentLang reports the language lang.L answers in, "zh" or "en", as
// auth.Message expects it.
func currentLang() string {
	if auth.IsChinese(lang.X("meta.lang", "en")) {
		return "zh"
	}
	return "en"
}
