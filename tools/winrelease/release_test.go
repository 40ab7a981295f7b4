package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestRelease(t *testing.T) {
	dir := t.TempDir()
	gui := filepath.Join(dir, "in.exe")
	os.WriteFile(gui, image(t, SubsystemGUI), 0o644)
	readme := filepath.Join(dir, "README.txt")
	os.WriteFile(readme, []byte("read me\r\n"), 0o644)
	out := filepath.Join(dir, "out")
	if err := release(gui, readme, out); err != nil {
		t.Fatal(err)
	}
	want := map[string]uint16{windowName: SubsystemGUI, consoleName: SubsystemConsole}
	for name, sub := range want {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if s, err := Subsystem(b); err != nil || s != sub {
			t.Errorf("%s: subsystem %d, %v; want %d", name, s, err, sub)
		}
	}
	zr, err := zip.OpenReader(filepath.Join(out, zipName))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	got := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		got[f.Name] = b.Bytes()
	}
	if len(got) != 3 || string(got[readmeName]) != "read me\r\n" {
		t.Fatalf("zip holds %d files, README %q", len(got), got[readmeName])
	}
	for name, sub := range want {
		if s, _ := Subsystem(got[name]); s != sub {
			t.Errorf("zip's %s: subsystem %d, want %d", name, s, sub)
		}
	}
}

func TestReleaseRefusesAConsoleBuild(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.exe")
	os.WriteFile(in, image(t, SubsystemConsole), 0o644)
	if err := release(in, in, filepath.Join(dir, "out")); err == nil {
		t.Fatal("a console build was taken for the window build")
	}
}
