package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/parse"
	"github.com/ftktui/ftktui/sim"
)

// complete runs the binary the way the shell does for completion.
func completeLine(t *testing.T, line string) []string {
	t.Helper()
	t.Setenv("COMP_LINE", line)
	code, out, stderr := runCLI(t)
	t.Setenv("COMP_LINE", "")
	if code != 0 {
		t.Fatalf("completion of %q: code %d %s", line, code, stderr)
	}
	return strings.Fields(out)
}

// Issue 14 §4: completion of commands, device names and, after a scan, the
// token serials of the device; the man page comes from the same model.
func TestCompletionDevicesAndTokens(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	f, inv := simFleet(t, sim.Healthy, sim.PendingActivation)
	if got := completeLine(t, "ftktui act"); strings.Join(got, " ") != "activate" {
		t.Errorf("command completion: %v", got)
	}
	got := completeLine(t, "ftktui activate -i "+inv+" --device ")
	for _, d := range f.Devices() {
		if !strings.Contains(strings.Join(got, " "), d.Name()) {
			t.Errorf("device %s not offered: %v", d.Name(), got)
		}
	}
	if code, _, stderr := runCLI(t, "scan", "-i", inv, "--json", "--audit-log", filepath.Join(t.TempDir(), "a.jsonl")); code > 1 {
		t.Fatalf("scan: %d %s", code, stderr)
	}
	dev := f.Devices()[1]
	got = completeLine(t, "ftktui activate -i "+inv+" --device "+dev.Name()+" --token ")
	want := dev.State().Tokens
	if len(got) != len(want) {
		t.Errorf("tokens offered %v, device has %d", got, len(want))
	}
	for _, sn := range got {
		if !parse.ValidSerial(sn) {
			t.Errorf("offered %q", sn)
		}
	}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		if code, out, _ := runCLI(t, "completion", sh); code != 0 || !strings.Contains(out, "ftktui") {
			t.Errorf("completion %s: %d %q", sh, code, out)
		}
	}
	code, out, _ := runCLI(t, "man")
	if code != 0 || !strings.HasPrefix(out, ".TH FTKTUI 1") || !strings.Contains(out, `\-\-debug\-log`) || !strings.Contains(out, "Exit codes") {
		t.Errorf("man: %d\n%s", code, out)
	}
}
