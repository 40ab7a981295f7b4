//go:build linux

// Command startup times a window's start from X events rather than by
// polling: it runs a program and prints, in microseconds from the moment
// before exec, when the program's window titled -title was mapped and when
// its first frame reached the screen, then exits and leaves the program
// running.
//
//	startup -title "Baseline" -- build/bench/baseline
//	→ pid mapped_us frame_us
//
// The program shares its standard error; with -epoch a fourth figure, the
// Unix time of the exec in microseconds, lines up the time stamps it may
// write there. It needs X with the DAMAGE extension, as Xvfb has: Linux
// only, like the benchmark.
//
// Mapped is the MapNotify of the window, seen on the root window. The first
// frame is the first DAMAGE report on that window after which its pixels
// are not all one colour: the server clears a mapped window to one colour,
// while a frame drawn by the program has text and borders.
package main

/*
#cgo LDFLAGS: -lX11 -lXdamage
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/Xdamage.h>

enum { evNone, evCreate, evMap, evDamage };

static int damageBase;

// ignore keeps a window that went away, or an input-only one, from ending
// the program: such windows are not the one timed.
static int ignore(Display *d, XErrorEvent *e) { return 0; }

static Display *open_display(void) {
	XSetErrorHandler(ignore);
	Display *d = XOpenDisplay(NULL);
	int err;
	if (d == NULL || !XDamageQueryExtension(d, &damageBase, &err)) return NULL;
	XSelectInput(d, DefaultRootWindow(d), SubstructureNotifyMask);
	XSync(d, False);
	return d;
}

// next_event waits up to timeout_ms for a create, map or damage event and
// returns its kind and window; evNone on timeout.
static int next_event(Display *d, int timeout_ms, Window *w) {
	struct pollfd p = { ConnectionNumber(d), POLLIN, 0 };
	for (;;) {
		if (XPending(d) == 0) {
			if (poll(&p, 1, timeout_ms) <= 0) return evNone;
			if (XPending(d) == 0) continue;
		}
		XEvent e;
		XNextEvent(d, &e);
		if (e.type == CreateNotify) { *w = e.xcreatewindow.window; return evCreate; }
		if (e.type == MapNotify) { *w = e.xmap.window; return evMap; }
		if (e.type == damageBase + XDamageNotify) {
			XDamageNotifyEvent *de = (XDamageNotifyEvent *)&e;
			XDamageSubtract(d, de->damage, None, None);
			*w = de->drawable;
			return evDamage;
		}
	}
}

// track asks for damage reports on w when it can be drawn on.
static void track(Display *d, Window w) {
	XWindowAttributes a;
	if (!XGetWindowAttributes(d, w, &a) || a.class != InputOutput) return;
	XDamageCreate(d, w, XDamageReportNonEmpty);
	XSync(d, False);
}

// has_title reports whether w is named title (UTF-8): its _NET_WM_NAME, or
// else its WM_NAME.
static int has_title(Display *d, Window w, const char *title) {
	Atom type;
	int format, ok = 0;
	unsigned long n, after;
	unsigned char *name = NULL;
	Atom net = XInternAtom(d, "_NET_WM_NAME", False), utf8 = XInternAtom(d, "UTF8_STRING", False);
	if (XGetWindowProperty(d, w, net, 0, 1024, False, utf8, &type, &format, &n, &after, &name) == Success && name != NULL) {
		ok = type == utf8 && format == 8 && strlen(title) == n && memcmp(name, title, n) == 0;
		XFree(name);
		if (ok) return 1;
	}
	char *old = NULL;
	ok = XFetchName(d, w, &old) && old != NULL && strcmp(old, title) == 0;
	if (old) XFree(old);
	return ok;
}

// uniform reports whether every pixel of w has one colour; -1 on error.
static int uniform(Display *d, Window w) {
	XWindowAttributes a;
	if (!XGetWindowAttributes(d, w, &a)) return -1;
	XImage *img = XGetImage(d, w, 0, 0, a.width, a.height, AllPlanes, ZPixmap);
	if (img == NULL) return -1;
	unsigned long first = XGetPixel(img, 0, 0);
	int same = 1;
	for (int y = 0; y < a.height && same; y += 2)
		for (int x = 0; x < a.width; x += 2)
			if (XGetPixel(img, x, y) != first) { same = 0; break; }
	XDestroyImage(img);
	return same;
}
*/
import "C"

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"time"
	"unsafe"
)

func main() {
	title := flag.String("title", "", "title of the window to wait for")
	timeout := flag.Duration("timeout", 30*time.Second, "how long to wait for the first frame")
	epoch := flag.Bool("epoch", false, "also print the Unix time of the exec in microseconds, to line up the program's own time stamps")
	flag.Parse()
	if *title == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: startup -title TITLE -- PROGRAM [ARG…]")
		os.Exit(2)
	}
	t0, pid, mapped, frame, err := run(*title, *timeout, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "startup:", err)
		os.Exit(1)
	}
	if *epoch {
		fmt.Println(pid, mapped.Microseconds(), frame.Microseconds(), t0.UnixMicro())
		return
	}
	fmt.Println(pid, mapped.Microseconds(), frame.Microseconds())
}

// run starts args and waits for the window titled title to be mapped and
// drawn, returning the moment of the exec and the times from it.
func run(title string, timeout time.Duration, args []string) (t0 time.Time, pid int, mapped, frame time.Duration, err error) {
	d := C.open_display()
	if d == nil {
		return t0, 0, 0, 0, fmt.Errorf("no X display with the DAMAGE extension")
	}
	defer C.XCloseDisplay(d)
	ctitle := C.CString(title)
	defer C.free(unsafe.Pointer(ctitle))

	// The program's standard error is ours, for its own time stamps; its
	// standard output must not hold the pipe of a caller reading ours.
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stderr = os.Stderr
	t0 = time.Now()
	if err := cmd.Start(); err != nil {
		return t0, 0, 0, 0, err
	}
	pid = cmd.Process.Pid
	deadline := t0.Add(timeout)
	var target C.Window
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return t0, pid, 0, 0, fmt.Errorf("no frame of %q within %s", title, timeout)
		}
		var w C.Window
		kind := C.next_event(d, C.int(left.Milliseconds()+1), &w)
		at := time.Since(t0)
		switch kind {
		case C.evCreate:
			// Damage is tracked from creation on, so that no frame drawn
			// before the map is missed.
			C.track(d, w)
		case C.evMap:
			if target == 0 && C.has_title(d, w, ctitle) != 0 {
				target, mapped = w, at
			}
		case C.evDamage:
			if target != 0 && w == target && C.uniform(d, w) == 0 {
				return t0, pid, mapped, at, nil
			}
		}
	}
}
