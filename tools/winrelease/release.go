package main

import (
	"archive/zip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Names in the release folder.
const (
	windowName  = "douyin-auth-desk.exe"
	consoleName = "douyin-auth-desk.com"
	readmeName  = "README.txt"
	zipName     = "douyin-auth-desk-windows-amd64.zip"
)

// release writes the window build, its console twin and the zip into dir.
func release(windowExe, readme, dir string) error {
	exe, err := os.ReadFile(windowExe)
	if err != nil {
		return err
	}
	if s, err := Subsystem(exe); err != nil {
		return fmt.Errorf("%s: %w", windowExe, err)
	} else if s != SubsystemGUI {
		return fmt.Errorf("%s is not a window (GUI-subsystem) build: subsystem %d", windowExe, s)
	}
	console := append([]byte(nil), exe...)
	if err := SetSubsystem(console, SubsystemConsole); err != nil {
		return err
	}
	text, err := os.ReadFile(readme)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := []struct {
		name string
		data []byte
		mode os.FileMode
	}{{windowName, exe, 0o755}, {consoleName, console, 0o755}, {readmeName, text, 0o644}}
	for _, f := range files {
		if filepath.Join(dir, f.name) == filepath.Clean(windowExe) {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, f.mode); err != nil {
			return err
		}
	}
	out, err := os.Create(filepath.Join(dir, zipName))
	if err != nil {
		return err
	}
	zw := zip.NewWriter(out)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: time.Now()}
		h.SetMode(f.mode)
		w, err := zw.CreateHeader(h)
		if err == nil {
			_, err = w.Write(f.data)
		}
		if err != nil {
			out.Close()
			return err
		}
	}
	return errors.Join(zw.Close(), out.Close())
}
