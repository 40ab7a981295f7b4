package main

import (
	"encoding/binary"
	"errors"
)

// PE subsystems (IMAGE_SUBSYSTEM_*).
const (
	SubsystemGUI     = 2
	SubsystemConsole = 3
)

// subsystemOffset is where the subsystem field sits in the optional header,
// the same in PE32 and PE32+.
const subsystemOffset = 68

// SetSubsystem sets the subsystem in the PE image b in place. The image's
// checksum is zero in Go's output and stays so; Windows checks it only for
// drivers.
func SetSubsystem(b []byte, subsystem uint16) error {
	off, err := optionalHeader(b)
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint16(b[off+subsystemOffset:], subsystem)
	return nil
}

// Subsystem returns the subsystem of the PE image b.
func Subsystem(b []byte) (uint16, error) {
	off, err := optionalHeader(b)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint16(b[off+subsystemOffset:]), nil
}

// optionalHeader returns the offset of the optional header of the PE image b.
func optionalHeader(b []byte) (int, error) {
	if len(b) < 0x40 || string(b[:2]) != "MZ" {
		return 0, errors.New("not a Windows executable (no MZ header)")
	}
	pe := int(binary.LittleEndian.Uint32(b[0x3c:]))
	const coffSize = 20
	if pe < 0 || pe+4+coffSize+subsystemOffset+2 > len(b) || string(b[pe:pe+4]) != "PE\x00\x00" {
		return 0, errors.New("not a Windows executable (no PE header)")
	}
	sizeOfOptional := int(binary.LittleEndian.Uint16(b[pe+4+16:]))
	if sizeOfOptional < subsystemOffset+2 {
		return 0, errors.New("the PE optional header is too short to hold a subsystem")
	}
	off := pe + 4 + coffSize
	if magic := binary.LittleEndian.Uint16(b[off:]); magic != 0x10b && magic != 0x20b {
		return 0, errors.New("unknown PE optional header")
	}
	return off, nil
}
