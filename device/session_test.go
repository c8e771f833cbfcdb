package device

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ftktui/ftktui/parse"
	"github.com/ftktui/ftktui/sim"
)

var bg = context.Background()

func TestHealthyReads(t *testing.T) {
	_, d, tg := one(t, sim.Healthy)
	_, s := open(t, tg)
	if s.Hostname() != "FGT-T1" || s.ReadOnly() || s.Status().Hostname != "FGT-T1" || s.Status().MultiVDOM() {
		t.Fatalf("session: host=%q ro=%v status=%+v", s.Hostname(), s.ReadOnly(), s.Status())
	}
	cm, err := s.CentralManagement(bg)
	if err != nil || cm.Type == parse.CentralMgmtFortiManager {
		t.Fatalf("CentralManagement = %+v %v", cm, err)
	}
	ping, err := s.Ping(bg, "fds1.fortinet.com")
	if err != nil || !ping.Reachable() {
		t.Fatalf("Ping = %+v %v", ping, err)
	}
	ti, err := s.TokenInfo(bg, "")
	if err != nil || ti.ServerStatus != parse.ServerReachable {
		t.Fatalf("TokenInfo = %+v %v", ti, err)
	}
	st := d.State()
	if len(ti.Tokens) != len(st.Tokens) {
		t.Fatalf("TokenInfo has %d tokens, device %d", len(ti.Tokens), len(st.Tokens))
	}
	one, err := s.TokenInfo(bg, st.Tokens[0].Serial)
	if err != nil || len(one.Tokens) != 1 || one.Tokens[0].Status != st.Tokens[0].Status {
		t.Fatalf("TokenInfo(%s) = %+v %v", st.Tokens[0].Serial, one, err)
	}
	tc, err := s.TokenConfig(bg)
	if err != nil || len(tc) != len(st.Tokens) {
		t.Fatalf("TokenConfig = %d %v", len(tc), err)
	}
	acc, err := s.Accounts(bg)
	if err != nil || len(acc) != len(st.Accounts) {
		t.Fatalf("Accounts = %+v %v (device has %d)", acc, err, len(st.Accounts))
	}
	es, err := s.EmailServer(bg)
	if err != nil || !es.Usable() {
		t.Fatalf("EmailServer = %+v %v", es, err)
	}
	di, err := s.DebugInfo(bg)
	if err != nil || di.Active() {
		t.Fatalf("DebugInfo = %+v %v", di, err)
	}
	if _, err := s.CloudStatus(bg); err != nil {
		t.Fatalf("CloudStatus: %v", err)
	}
	if _, err := s.Ping(bg, "x; execute reboot"); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("bad ping host accepted: %v", err)
	}
	if _, err := s.TokenInfo(bg, "FTK'; x"); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("bad serial accepted: %v", err)
	}
	for _, c := range d.State().Commands {
		if strings.HasPrefix(c, "config global") || strings.HasPrefix(c, "config vdom") {
			t.Fatalf("single-VDOM unit got a context command: %q", c)
		}
		if strings.Contains(c, "reboot") {
			t.Fatalf("invalid input reached the device: %q", c)
		}
	}
}

func TestBannerAndReadOnlyPrompts(t *testing.T) {
	_, d, tg := one(t, sim.Banner)
	_, s := open(t, tg)
	if s.Hostname() != "FGT-T1" {
		t.Fatalf("banner: hostname %q", s.Hostname())
	}
	if _, err := s.TokenConfig(bg); err != nil {
		t.Fatal(err)
	}
	_ = d

	_, ro, rtg := one(t, sim.ReadonlyAdmin)
	_, rs := open(t, rtg)
	if !rs.ReadOnly() {
		t.Fatal("`$` prompt not recognised as read-only")
	}
	if _, err := rs.TokenInfo(bg, ""); err != nil {
		t.Fatalf("read-only admin cannot read: %v", err)
	}
	sn := ro.State().Tokens[0].Serial
	sc, _ := Activate(sn)
	_, err := rs.Exec(bg, sc)
	if !errors.Is(err, ErrPermission) || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("Exec as read-only = %v, want ErrPermission naming read-only", err)
	}
	if slices.ContainsFunc(ro.State().Commands, func(c string) bool { return strings.Contains(c, "activate") }) {
		t.Fatal("a refused script reached the device")
	}
}

func TestPagerAnswered(t *testing.T) {
	_, d, tg := one(t, sim.Paged)
	tg.ptyRows = 24
	_, s := open(t, tg)
	tc, err := s.TokenConfig(bg)
	if err != nil {
		t.Fatal(err)
	}
	if s.ch.Pages() == 0 {
		t.Fatal("the pager never appeared: the test proves nothing")
	}
	st := d.State()
	if len(tc) != len(st.Tokens) || len(tc) < 60 {
		t.Fatalf("TokenConfig returned %d tokens, device has %d", len(tc), len(st.Tokens))
	}
	ti, err := s.TokenInfo(bg, "")
	if err != nil || len(ti.Tokens) != len(st.Tokens) {
		t.Fatalf("TokenInfo = %d %v", len(ti.Tokens), err)
	}
	if st.ConsoleOutput != "more" || slices.ContainsFunc(st.Commands, func(c string) bool { return strings.Contains(c, "console") }) {
		t.Fatalf("console setting touched: %q %v", st.ConsoleOutput, st.Commands)
	}
	out, err := s.Run(bg, "show user fortitoken")
	if err != nil || strings.Contains(out, "--More--") || strings.Contains(out, "\r") {
		t.Fatalf("pager residue in output (%v)", err)
	}
}

func TestMultiVDOMContexts(t *testing.T) {
	_, d, tg := one(t, sim.MultiVDOM)
	var mu sync.Mutex
	var tr []TranscriptEntry
	_, s := open(t, tg)
	s.SetTranscript(func(e TranscriptEntry) { mu.Lock(); tr = append(tr, e); mu.Unlock() })
	if !s.Status().MultiVDOM() {
		t.Fatalf("multi-VDOM not detected: %+v", s.Status())
	}
	st := d.State()
	if _, err := s.EmailServer(bg); err != nil {
		t.Fatal(err)
	}
	tc, err := s.TokenConfig(bg)
	if err != nil || len(tc) == 0 {
		t.Fatalf("TokenConfig = %d %v", len(tc), err)
	}
	acc, err := s.Accounts(bg)
	if err != nil || len(acc) != len(st.Accounts) {
		t.Fatalf("Accounts = %d %v, device %d", len(acc), err, len(st.Accounts))
	}
	if _, err := s.CentralManagement(bg); err != nil {
		t.Fatal(err)
	}
	// A raw Run goes back to the top level first.
	out, err := s.Run(bg, "get system status")
	if err != nil || !strings.Contains(out, "Virtual domain configuration") {
		t.Fatalf("Run after context reads: %v", err)
	}
	cmds := d.State().Commands
	for _, want := range []string{"config global", "config vdom", "edit root", "end"} {
		if !slices.Contains(cmds, want) {
			t.Fatalf("commands %q lack %q", cmds, want)
		}
	}
	mu.Lock()
	var vdoms []string
	for _, e := range tr {
		if e.Line == CmdTokenConfig {
			vdoms = append(vdoms, e.VDOM)
		}
		if e.Line == CmdEmailServer && e.VDOM != "global" {
			t.Errorf("email-server recorded in VDOM %q", e.VDOM)
		}
	}
	mu.Unlock()
	if len(vdoms) != 1 || vdoms[0] != "root" {
		t.Errorf("token config transcript VDOMs = %q", vdoms)
	}

	// Bind in VDOM, admin in global: the exact lines are sent and land.
	var user, admin parse.Account
	for _, a := range acc {
		if a.Kind == parse.AccountUser && user.Name == "" {
			user = a
		}
		if a.Kind == parse.AccountAdmin && admin.Name == "" {
			admin = a
		}
	}
	sn := tc[0].Serial
	sc, err := Bind(user, sn)
	if err != nil {
		t.Fatal(err)
	}
	lines := s.Lines(sc)
	before := len(d.State().Commands)
	if _, err := s.Exec(bg, sc); err != nil {
		t.Fatalf("Exec bind: %v", err)
	}
	sent := d.State().Commands[before:]
	if strings.Join(sent, "|") != strings.Join(lines, "|") {
		t.Fatalf("sent %q, Lines said %q", sent, lines)
	}
	if got := findAccount(d.State().Accounts, user.Name, parse.AccountUser); got.FortiToken != sn || got.TwoFactor != "fortitoken" {
		t.Fatalf("user after bind: %+v", got)
	}
	if admin.Name != "" {
		un, _ := Unbind(admin)
		if l := s.Lines(un); l[0] != "config global" {
			t.Fatalf("admin unbind lines %q", l)
		}
		if _, err := s.Exec(bg, un); err != nil {
			t.Fatalf("Exec unbind admin: %v", err)
		}
		if got := findAccount(d.State().Accounts, admin.Name, parse.AccountAdmin); got.TwoFactor == "fortitoken" {
			t.Fatalf("admin still bound: %+v", got)
		}
	}
}

func findAccount(as []parse.Account, name, kind string) parse.Account {
	for _, a := range as {
		if a.Name == name && a.Kind == kind {
			return a
		}
	}
	return parse.Account{}
}

func TestCLIErrorsTyped(t *testing.T) {
	_, d, tg := one(t, sim.Healthy)
	_, s := open(t, tg)
	cases := []struct {
		cmd  string
		kind parse.CLIErrorKind
	}{
		{"diagnse fortitoken info", parse.ErrUnknownAction},
		{"show system consolex", parse.ErrCommandParse},
	}
	for _, c := range cases {
		_, err := s.Run(bg, c.cmd)
		var ce *parse.CLIError
		if !errors.As(err, &ce) || ce.Kind != c.kind || !strings.Contains(err.Error(), "dev1") {
			t.Errorf("Run(%q) = %v, want CLI error %s", c.cmd, err, c.kind)
		}
	}
	// Deleting a token still bound to a user: entry in use; the session
	// aborts and returns to the top level and stays usable.
	st := d.State()
	var bound string
	for _, tk := range st.Tokens {
		if len(tk.Users) > 0 {
			bound = tk.Serial
		}
	}
	del, _ := DeleteToken(bound)
	_, err := s.Exec(bg, del)
	var ce *parse.CLIError
	if !errors.As(err, &ce) || ce.Kind != parse.ErrEntryInUse {
		t.Fatalf("delete bound token: %v", err)
	}
	if _, ok := d.State().Token(bound); !ok {
		t.Fatal("bound token deleted")
	}
	if s.ch.PromptScope() != "" {
		t.Fatalf("left in scope %q after a failed script", s.ch.PromptScope())
	}
	// Setting an unknown token on a user: entry not found in datasource.
	user := findAccount(st.Accounts, st.Tokens[0].Users[0], parse.AccountUser)
	if user.Name == "" {
		user = parse.Account{Name: st.Tokens[0].Users[0], Kind: parse.AccountAdmin}
	}
	bind, _ := Bind(user, "FTK200ZZZZZZZZZZ")
	_, err = s.Exec(bg, bind)
	if !errors.As(err, &ce) || ce.Kind != parse.ErrEntryNotFound {
		t.Fatalf("bind unknown token: %v", err)
	}
	if out, err := s.Run(bg, "get system status"); err != nil || !strings.Contains(out, "Hostname") {
		t.Fatalf("session unusable after CLI errors: %v", err)
	}
}

func TestExecMutatingPrimitives(t *testing.T) {
	_, d, tg := one(t, sim.PendingActivation)
	_, s := open(t, tg)
	st := d.State()
	tk := st.Tokens[0]
	user := findAccount(st.Accounts, tk.Users[0], parse.AccountUser)
	steps := []func() (Script, error){
		func() (Script, error) { return Unbind(user) },
		func() (Script, error) { return DeleteToken(tk.Serial) },
		func() (Script, error) { return AddToken(tk.Serial) },
		func() (Script, error) { return Bind(user, tk.Serial) },
	}
	for i, mk := range steps {
		sc, err := mk()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Exec(bg, sc); err != nil {
			t.Fatalf("step %d %s: %v", i, sc.Name, err)
		}
	}
	if got := findAccount(d.State().Accounts, user.Name, parse.AccountUser); got.FortiToken != tk.Serial {
		t.Fatalf("rebound user = %+v", got)
	}
	act, _ := Activate(st.Tokens[1].Serial)
	if _, err := s.Exec(bg, act); err != nil {
		t.Fatal(err)
	}
	if d.State().ActivationAttempts[st.Tokens[1].Serial] == 0 {
		t.Fatal("activation not received")
	}
}
