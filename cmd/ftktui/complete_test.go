package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/sim"
)

func newTestCLI(t *testing.T) *CLI {
	t.Helper()
	return &CLI{}
}

func completions(t *testing.T, words ...string) []string {
	t.Helper()
	p, err := newParser(newTestCLI(t))
	if err != nil {
		t.Fatal(err)
	}
	return complete(p.Model, words)
}

const testInventoryYAML = `defaults:
  password_env: FTKTUI_PASSWORD
devices:
  - name: paris-fw1
    host: 192.0.2.10
    tags: [branch, emea]
  - name: pune-fw2
    host: 192.0.2.11
    tags: [apac]
`

func TestCompleteCommandsFlagsAndValues(t *testing.T) {
	dir := t.TempDir()
	inv := filepath.Join(dir, "inv.yaml")
	if err := os.WriteFile(inv, []byte(testInventoryYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("FTKTUI_INVENTORY", "")
	// The token cache, as a scan leaves it; a hostile serial is never cached.
	saveTokenCache(inv, []fleet.DeviceResult{
		{Name: "paris-fw1", Reachable: true, Tokens: []fleet.TokenResult{{Serial: "FTK2000000000001"}, {Serial: "FTKMOB0000000002"},
			{Serial: "FTK2000000000009;touch${IFS}/tmp/x;#"}}},
		{Name: "pune-fw2", Reachable: true, Tokens: []fleet.TokenResult{{Serial: "FTK2000000000003"}}},
	})
	cases := []struct {
		words []string
		want  []string
		not   []string
	}{
		{[]string{"sc"}, []string{"scan"}, []string{"sim", "__complete"}},
		{[]string{""}, []string{"demo", "scan", "activate", "completion", "man"}, []string{"__complete", "console"}},
		{[]string{"scan", "--con"}, []string{"--concurrency"}, nil},
		{[]string{"activate", "--"}, []string{"--device", "--token", "--yes", "--inventory"}, nil},
		{[]string{"scan", "-i", inv, "--device", ""}, []string{"paris-fw1", "pune-fw2"}, nil},
		{[]string{"scan", "-i", inv, "--device", "pa"}, []string{"paris-fw1"}, []string{"pune-fw2"}},
		{[]string{"scan", "--inventory=" + inv, "--tag", ""}, []string{"apac", "branch", "emea"}, nil},
		{[]string{"activate", "-i", inv, "--device", "paris-fw1", "--token", ""}, []string{"FTK2000000000001", "FTKMOB0000000002"},
			[]string{"FTK2000000000003", "FTK2000000000009;touch${IFS}/tmp/x;#"}},
		{[]string{"resend", "-i", inv, "--token", "FTKMOB"}, []string{"FTKMOB0000000002"}, []string{"FTK2000000000001"}},
		{[]string{"sim", "--scenario", "mi"}, []string{"migrated-seed"}, nil},
		{[]string{"completion", ""}, []string{"bash", "fish", "zsh"}, nil},
		{[]string{"scan", "-i", ""}, []string{filesMarker}, nil},
		{[]string{"scan", "--audit-log", ""}, []string{filesMarker}, nil},
	}
	for _, c := range cases {
		got := completions(t, c.words...)
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: %q missing from %q", c.words, w, got)
			}
		}
		for _, w := range c.not {
			if slices.Contains(got, w) {
				t.Errorf("%q: %q offered in %q", c.words, w, got)
			}
		}
	}
}

// buildBinary builds ftktui into a temp dir on PATH, for the shell tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "ftktui"), ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return dir
}

// Each script, sourced in its real shell, completes through the binary.
// CI installs zsh and fish (.ci/run); a machine without them runs bash only.
func TestCompletionScriptsInRealShells(t *testing.T) {
	bin := buildBinary(t)
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	run := func(shell string, args ...string) string {
		t.Helper()
		out, err := exec.Command(shell, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", shell, err, out)
		}
		return string(out)
	}
	out := run("bash", "-c", `source <(ftktui completion bash); COMP_WORDS=(ftktui scan --conc); COMP_CWORD=2; _ftktui; printf '%s\n' "${COMPREPLY[@]}"`)
	if strings.TrimSpace(out) != "--concurrency" {
		t.Errorf("bash: %q", out)
	}
	for _, sh := range []string{"zsh", "fish"} {
		if _, err := exec.LookPath(sh); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed; .ci/run installs it", sh)
			}
			t.Logf("%s not installed here: its script is tested in CI", sh)
			continue
		}
		switch sh {
		case "zsh":
			// compadd stands in for the completion system's builtin.
			out = run("zsh", "-c", `compadd() { shift; print -l -- "$@" }; source <(ftktui completion zsh); words=(ftktui sim --scenario mig); CURRENT=4; _ftktui`)
			if strings.TrimSpace(out) != "migrated-seed" {
				t.Errorf("zsh: %q", out)
			}
		case "fish":
			out = run("fish", "-c", `ftktui completion fish | source; complete -C 'ftktui sca'`)
			if !strings.HasPrefix(strings.TrimSpace(out), "scan") {
				t.Errorf("fish: %q", out)
			}
		}
	}
}

// The man page comes from the same model: every command and flag is in it,
// and groff reads it without a warning.
func TestManPage(t *testing.T) {
	bin := buildBinary(t)
	out, err := exec.Command(filepath.Join(bin, "ftktui"), "man").Output()
	if err != nil {
		t.Fatal(err)
	}
	page := string(out)
	p, err := newParser(newTestCLI(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range p.Model.Leaves(true) {
		if !strings.Contains(page, ".SS "+n.Path()) {
			t.Errorf("command %q missing", n.Path())
		}
		for _, f := range n.Flags {
			if !f.Hidden && !strings.Contains(page, `\-\-`+strings.ReplaceAll(f.Name, "-", `\-`)) {
				t.Errorf("flag --%s of %s missing", f.Name, n.Path())
			}
		}
	}
	for _, want := range []string{".SH EXIT STATUS", ".SH SYNOPSIS", "FTKTUI_INVENTORY"} {
		if !strings.Contains(page, want) {
			t.Errorf("%s missing", want)
		}
	}
	if strings.Contains(page, "__complete") {
		t.Errorf("hidden command in the man page")
	}
	if _, err := exec.LookPath("groff"); err == nil {
		cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-z")
		cmd.Stdin = strings.NewReader(page)
		if msg, err := cmd.CombinedOutput(); err != nil || len(msg) > 0 {
			t.Errorf("groff: %v %s", err, msg)
		}
	}
}

// After a real scan, --token completes the serials the device holds.
func TestCompleteTokensAfterScan(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	f, inv := simFleet(t, sim.Healthy, sim.PendingActivation)
	if code, _, stderr := runCLI(t, "scan", "-i", inv, "--json", "--audit-log", filepath.Join(t.TempDir(), "a.jsonl")); code > 1 {
		t.Fatalf("scan: %d %s", code, stderr)
	}
	dev := f.Devices()[1]
	code, out, _ := runCLI(t, "__complete", "--", "activate", "-i", inv, "--device", dev.Name(), "--token", "")
	got := strings.Fields(out)
	if code != 0 || len(got) != len(dev.State().Tokens) {
		t.Fatalf("tokens offered %v (code %d), device has %d", got, code, len(dev.State().Tokens))
	}
	for _, sn := range got {
		if _, ok := dev.State().Token(sn); !ok {
			t.Errorf("offered %q, not on the device", sn)
		}
	}
}
