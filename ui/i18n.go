package ui

import (
	"embed"
	"os"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// translations holds en.json and zh.json. Message IDs are the English text.
//
//go:embed translations
var translations embed.FS

// Language choices of the settings screen.
const (
	LanguageSystem  = ""
	LanguageChinese = "zh"
	LanguageEnglish = "en"
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

// applyLanguage makes lang.L answer in choice: LanguageChinese,
// LanguageEnglish or LanguageSystem to follow the system locale. fyne reads
// the locale from the environment when translations are added, so the
// variables are set for that moment only and then restored.
func applyLanguage(choice string) {
	loadTranslations()
	langMu.Lock()
	defer langMu.Unlock()
	var locale string
	switch choice {
	case LanguageChinese:
		locale = "zh_CN.UTF-8"
	case LanguageEnglish:
		locale = "en_US.UTF-8"
	}
	saved := map[string]*string{}
	if locale != "" {
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
	}
	// Adding a translation makes fyne choose its language again.
	data, err := translations.ReadFile("translations/en.json")
	if err == nil {
		err = lang.AddTranslationsForLocale(data, "en")
	}
	if err != nil {
		fyne.LogError("switching language", err)
	}
}

// currentLang reports the language lang.L answers in, "zh" or "en", as
// auth.Message expects it.
func currentLang() string {
	if strings.HasPrefix(lang.X("meta.lang", "en"), "zh") {
		return "zh"
	}
	return "en"
}
