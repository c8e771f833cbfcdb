package device

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/parse"
	"github.com/ftktui/ftktui/sim"
)

func TestRunBatchMatchesSequential(t *testing.T) {
	_, d, tg := one(t, sim.Healthy)
	_, s := open(t, tg)
	cmds := []string{"get system status", "show system central-management", "diagnose fortitoken info",
		"diagnse typo", "show user fortitoken", "execute ping fds1.fortinet.com", "get system email-server"}
	outs, errs := s.RunBatch(bg, cmds)
	for i, c := range cmds {
		want, werr := s.Run(bg, c)
		if (errs[i] == nil) != (werr == nil) {
			t.Fatalf("%q: batch err %v, sequential err %v", c, errs[i], werr)
		}
		if c == "show user fortitoken" {
			// ENC values are re-salted on every show; compare structure.
			a, _ := parse.ParseTokenConfig(outs[i])
			b, _ := parse.ParseTokenConfig(want)
			if len(a) != len(b) || len(a) == 0 {
				t.Fatalf("%q: batch %d tokens, sequential %d", c, len(a), len(b))
			}
			continue
		}
		if c == "execute ping fds1.fortinet.com" {
			if p, err := parse.ParsePing(outs[i]); err != nil || !p.Reachable() {
				t.Fatalf("batched ping: %+v %v", p, err)
			}
			continue
		}
		if werr == nil && dropClock(outs[i]) != dropClock(want) {
			t.Fatalf("%q: batch output\n%q\nsequential\n%q", c, outs[i], want)
		}
	}
	var ce *parse.CLIError
	if !errors.As(errs[3], &ce) {
		t.Fatalf("typo in batch: %v", errs[3])
	}
	if got := d.State().Commands; len(got) < 2*len(cmds) || slices.ContainsFunc(got, func(c string) bool { return strings.Contains(c, "|") }) {
		t.Fatalf("commands received %q: want each of ours once per run, unmodified", got)
	}
}

// A VDOM-only administrator cannot `config global`; the sim refuses that
// command on a single-VDOM unit, which stands in for the refusal here.
func TestGlobalRefusedIsPermissionError(t *testing.T) {
	_, _, tg := one(t, sim.Healthy)
	_, s := open(t, tg)
	st := s.Status()
	st.VDOMMode = "multiple"
	s.setStatus(st)
	_, err := s.EmailServer(bg)
	if !errors.Is(err, ErrPermission) || !strings.Contains(err.Error(), "config global") || !strings.Contains(err.Error(), "VDOM-only") {
		t.Fatalf("EmailServer = %v, want ErrPermission naming config global", err)
	}
	var ce *parse.CLIError
	if !errors.As(err, &ce) {
		t.Fatalf("the CLI error is not reachable: %v", err)
	}
	if _, err := s.Run(bg, "get system status"); err != nil {
		t.Fatalf("session unusable after a refused context: %v", err)
	}
}

func TestRunBatchInScopes(t *testing.T) {
	_, d, tg := one(t, sim.MultiVDOM)
	_, s := open(t, tg)
	global := []string{CmdCentralManagement, CmdEmailServer, CmdDebugInfo, CmdAdmins, CmdCloudStatus}
	w := s.ch.Writes()
	outs, errs := s.RunBatchIn(bg, ScopeGlobal, global)
	if n := s.ch.Writes() - w; n != int64(len(global))+1 {
		t.Fatalf("context + %d reads took %d writes, want %d (one line per write, never typed ahead)", len(global), n, len(global)+1)
	}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("%s: %v", global[i], err)
		}
	}
	if es, err := parse.ParseEmailServer(outs[1]); err != nil || !es.Usable() {
		t.Fatalf("email in batch: %+v %v", es, err)
	}
	if adm, err := parse.ParseAccounts(outs[3], parse.AccountAdmin); err != nil || len(adm) == 0 {
		t.Fatalf("admins in batch: %v %v", adm, err)
	}
	vd := []string{CmdTokenInfo, CmdTokenConfig, CmdUsers}
	outs, errs = s.RunBatchIn(bg, ScopeVDOM, vd)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("%s: %v", vd[i], err)
		}
	}
	ti, err := parse.ParseTokenInfo(outs[0])
	tc, err2 := parse.ParseTokenConfig(outs[1])
	if err != nil || err2 != nil || len(ti.Tokens) == 0 || len(ti.Tokens) != len(tc) {
		t.Fatalf("vdom batch: %d/%d tokens, %v %v", len(ti.Tokens), len(tc), err, err2)
	}
	cmds := d.State().Commands
	if !slices.Contains(cmds, "config global") || !slices.Contains(cmds, "edit root") {
		t.Fatalf("no context lines: %q", cmds)
	}
	if out, err := s.Run(bg, "get system status"); err != nil || !strings.Contains(out, "Hostname") {
		t.Fatalf("Run after batches: %v", err)
	}
	if s.ch.PromptScope() != "" {
		t.Fatalf("left in scope %q", s.ch.PromptScope())
	}
}

// dropClock removes the clock line, the one part of status output that
// legitimately differs between two runs.
func dropClock(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "System time:") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
