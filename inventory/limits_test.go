package inventory

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// loadBounded loads body as an inventory and reports the error, the time
// and the bytes allocated.
func loadBounded(t *testing.T, name, body string) (time.Duration, uint64, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	start := time.Now()
	_, err := Load(path, LoadOptions{})
	took := time.Since(start)
	runtime.ReadMemStats(&m1)
	return took, m1.TotalAlloc - m0.TotalAlloc, err
}

// Hostile inventories (issue 15 §5) are refused fast, cheaply, with
// FILE:LINE: the nesting and size are measured before goccy/go-yaml parses.
func TestHostileInventoryRefusedCheaply(t *testing.T) {
	nestedBlock := func(n int) string {
		var b strings.Builder
		b.WriteString("devices:\n")
		for i := range n {
			b.WriteString(strings.Repeat(" ", i) + "-\n")
		}
		return b.String()
	}
	flat := "devices: [" + strings.Repeat("a,", 600_000) + "a]\n"
	cases := []struct {
		name, body string
		line       bool // the problem names a line
	}{
		{"flow-80k", "devices: " + strings.Repeat("[", 40_000) + strings.Repeat("]", 40_000) + "\n", true},
		{"flow-200k", "devices: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n", true},
		{"flow-map", "devices: " + strings.Repeat("{a: ", 20_000) + "b" + strings.Repeat("}", 20_000) + "\n", true},
		{"dashes-80k", "devices:\n" + strings.Repeat("- ", 40_000) + "a\n", true},
		{"indent", nestedBlock(400), true},
		{"mixed", "devices:\n  - name: a\n    tags: " + strings.Repeat("[- ", 10_000) + "\n", true},
		{"flat-nodes", flat, true},
		{"too-big", "devices:\n#" + strings.Repeat("x", MaxInventoryBytes) + "\n", false},
		{"ssh-too-big", "Host a\n  HostName 192.0.2.1\n" + strings.Repeat("# c\n", MaxInventoryBytes/4+1), false},
		{"ssh-lines", "Host a\n  HostName 192.0.2.1\n" + strings.Repeat("\n", MaxInventoryNodes+1), true},
	}
	for _, c := range cases {
		took, alloc, err := loadBounded(t, c.name+".yaml", c.body)
		var ie *InventoryError
		if !errors.As(err, &ie) || len(ie.Problems) == 0 {
			t.Errorf("%s: not refused as an inventory error: %v", c.name, err)
			continue
		}
		p := ie.Problems[0]
		if c.line && p.Line == 0 {
			t.Errorf("%s: problem has no line: %s", c.name, p)
		}
		if took > time.Second || alloc > 100<<20 {
			t.Errorf("%s: refused in %s with %d MiB allocated (want < 1 s, < 100 MiB)", c.name, took, alloc>>20)
		}
		if len(err.Error()) > 1024 {
			t.Errorf("%s: %d-byte error", c.name, len(err.Error()))
		}
		t.Logf("%s (%d KiB): %s in %s, %d MiB", c.name, len(c.body)>>10, p, took.Round(time.Millisecond), alloc>>20)
	}
}

// A real large fleet is within every limit, and what the scan skips
// (block scalars, quoted brackets, comments) does not count as nesting.
func TestLargeInventoryWithinLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("defaults:\n  user: admin\n  password_command: |\n    [ -f ~/.pw ] && cat ~/.pw  # \"unbalanced [[[[ {{{{\n        ]]]] ' \"\n  password_env: \"\"\n")
	b.WriteString("groups:\n  emea: {user: netops, vdom: root}  # [[[[\n")
	b.WriteString("devices:\n")
	for i := range 10_000 {
		fmt.Fprintf(&b, "  - name: fw%d\n    host: 10.%d.%d.1\n    tags: [emea, \"x[y\", 'it''s']\n    groups: [emea]\n", i, i/250, i%250)
	}
	if p := yamlShape("inv.yaml", []byte(b.String())); p != nil {
		t.Fatalf("a 10,000-device inventory (%d KiB) is refused: %s", b.Len()>>10, p)
	}
	if b.Len() > MaxInventoryBytes {
		t.Fatalf("10,000 devices take %d bytes, over the byte limit", b.Len())
	}
}

// A megabyte device name is quoted as a bounded prefix in the error, not
// echoed whole (a 50 MB name once produced 50 MB on stderr).
func TestHugeBadValueQuotedBounded(t *testing.T) {
	name := "x;" + strings.Repeat("é", 300_000)
	body := "devices:\n  - name: \"" + name + "\"\n    host: \"" + name + "\"\n    vdom: \"a;b\"\n"
	took, _, err := loadBounded(t, "inv.yaml", body)
	if err == nil {
		t.Fatal("accepted")
	}
	if len(err.Error()) > 2048 || !strings.Contains(err.Error(), fmt.Sprintf("(%d bytes)", len(name))) {
		t.Errorf("error of %d bytes (took %s): %.300s", len(err.Error()), took, err.Error())
	}
}

func TestOpensBlockScalar(t *testing.T) {
	for s, want := range map[string]bool{
		"password_command: |": true, "key: >-": true, "|": true, "|2": true, "- x: |+ # note": true,
		"a: x >": false, "a: cat | tr": false, "a: b": false, `a: "|"`: false, "": false,
	} {
		if got := opensBlockScalar([]byte(s)); got != want {
			t.Errorf("opensBlockScalar(%q) = %v", s, got)
		}
	}
}

// Thousands of bad entries give a bounded report, not one line each.
func TestManyProblemsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("devices:\n")
	for i := range 20_000 {
		fmt.Fprintf(&b, "  - name: \"bad name %d\"\n", i)
	}
	took, _, err := loadBounded(t, "inv.yaml", b.String())
	var ie *InventoryError
	if !errors.As(err, &ie) {
		t.Fatalf("not refused: %v", err)
	}
	if len(ie.Problems) != MaxProblems+1 || !strings.Contains(err.Error(), "more problems") || len(err.Error()) > 200*MaxProblems {
		t.Errorf("%d problems, %d bytes (took %s); last: %s", len(ie.Problems), len(err.Error()), took, ie.Problems[len(ie.Problems)-1])
	}
	if last := ie.Problems[len(ie.Problems)-1]; !strings.HasPrefix(last.Message, "… and ") {
		t.Errorf("the summary is not last: %s", last)
	}
}

// Include directives are checked before the ssh_config library reads them
// whole: a device file or an oversized file is refused at the Include line.
func TestSSHConfigIncludeBounded(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, []byte("Host b\n  HostName 192.0.2.2\n"+strings.Repeat("# pad\n", MaxInventoryBytes/6+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("Host inc\n  HostName 192.0.2.3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		include string
		ok      bool
	}{{"/dev/zero", false}, {big, false}, {small, true}} {
		body := "Host a\n  HostName 192.0.2.1\n\nInclude " + c.include + "\n"
		took, alloc, err := loadBounded(t, "config", body)
		if took > time.Second || alloc > 100<<20 {
			t.Errorf("Include %s: %s, %d MiB", c.include, took, alloc>>20)
		}
		var ie *InventoryError
		switch {
		case c.ok && err != nil:
			t.Errorf("Include %s refused: %v", c.include, err)
		case !c.ok && (!errors.As(err, &ie) || ie.Problems[0].Line != 4):
			t.Errorf("Include %s: %v, want a problem at line 4", c.include, err)
		}
	}
}
