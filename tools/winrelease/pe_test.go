package main

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"testing"
)

// image returns a minimal PE32+ image with the given subsystem.
func image(t *testing.T, subsystem uint16) []byte {
	t.Helper()
	var b bytes.Buffer
	dos := make([]byte, 0x80)
	copy(dos, "MZ")
	binary.LittleEndian.PutUint32(dos[0x3c:], 0x80)
	b.Write(dos)
	b.WriteString("PE\x00\x00")
	opt := pe.OptionalHeader64{Magic: 0x20b, Subsystem: subsystem, NumberOfRvaAndSizes: 16}
	fh := pe.FileHeader{Machine: pe.IMAGE_FILE_MACHINE_AMD64, SizeOfOptionalHeader: uint16(binary.Size(opt))}
	if err := binary.Write(&b, binary.LittleEndian, fh); err != nil {
		t.Fatal(err)
	}
	if err := binary.Write(&b, binary.LittleEndian, opt); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSetSubsystem(t *testing.T) {
	b := image(t, SubsystemGUI)
	if s, err := Subsystem(b); err != nil || s != SubsystemGUI {
		t.Fatalf("Subsystem = %d, %v", s, err)
	}
	if err := SetSubsystem(b, SubsystemConsole); err != nil {
		t.Fatal(err)
	}
	f, err := pe.NewFile(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.OptionalHeader.(*pe.OptionalHeader64).Subsystem; got != SubsystemConsole {
		t.Fatalf("debug/pe reads subsystem %d after SetSubsystem, want %d", got, SubsystemConsole)
	}
	if s, _ := Subsystem(b); s != SubsystemConsole {
		t.Fatalf("Subsystem = %d", s)
	}
}

func TestSetSubsystemRejectsOtherFiles(t *testing.T) {
	pe32 := image(t, SubsystemGUI)
	cases := map[string][]byte{
		"empty":        nil,
		"ELF":          append([]byte("\x7fELF"), make([]byte, 200)...),
		"no PE header": append([]byte("MZ"), make([]byte, 200)...),
		"truncated":    pe32[:0x80+4+20+10],
	}
	for name, b := range cases {
		if err := SetSubsystem(b, SubsystemConsole); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
