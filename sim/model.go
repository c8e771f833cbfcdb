package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/ftktui/ftktui/parse"
)

// token is one FortiToken: its `config user fortitoken` entry plus the
// status FortiGuard/the fortitoken daemon reports for it.
type token struct {
	Serial    string
	VDOM      string
	Status    string // diagnose fortitoken info STATUS column
	Seed      bool
	Locked    bool // config `set status lock`
	License   string
	ActCode   string
	ActExpire int64
	RegID     string
	OSVer     string
	Comments  string
	Drift     int
	// Elsewhere: FortiGuard already released this token's seed to another
	// unit, so every activation from here ends "already activated".
	Elsewhere bool
}

func (t *token) mobile() bool { return parse.TokenKind(t.Serial) == parse.TokenKindMobile }

// diagStatus is the STATUS column, which shows an admin lock over anything.
func (t *token) diagStatus() string {
	if t.Locked {
		return parse.StatusLocked
	}
	return t.Status
}

// account is a `config user local` (VDOM) or `config system admin` (global) entry.
type account struct {
	Name      string
	Kind      string // parse.AccountUser | parse.AccountAdmin
	VDOM      string // users only
	TwoFactor string // disable | fortitoken | email | sms
	Token     string
	Email     string
	Profile   string // admins
	Status    string // users: enable | disable
}

func (a *account) parse() parse.Account {
	tf := a.TwoFactor
	if tf == "" {
		tf = "disable"
	}
	return parse.Account{Name: a.Name, Kind: a.Kind, TwoFactor: tf, FortiToken: a.Token,
		EmailTo: a.Email, Status: a.Status}
}

// emailCfg is `config system email-server`.
type emailCfg struct {
	Server   string
	Port     int
	Security string
}

// platform is the hardware/firmware identity shown by `get system status`.
type platform struct {
	Model, Prefix, Version, Build, Date, Tag string
}

var platforms = []platform{
	{"FortiGate-60F", "FGT60F", "v7.0.7", "0367", "221005", "GA.F"},
	{"FortiGate-100F", "FG100F", "v7.2.8", "1639", "240313", "GA.M"},
	{"FortiGate-200F", "FG200F", "v7.4.4", "2662", "240514", "GA.F"},
	{"FortiGate-600E", "FG6H0E", "v6.4.15", "2095", "240304", "GA.M"},
	{"FortiGate-VM64", "FGVM08", "v7.2.10", "1706", "240829", "GA.M"},
}

var cities = []string{"paris", "berlin", "madrid", "rome", "vienna", "oslo", "lisbon", "prague",
	"dublin", "warsaw", "athens", "zurich", "brussels", "helsinki", "lyon", "milan"}

var userNames = []string{"jdoe", "asmith", "bwong", "cmartin", "dlee", "efischer", "gkhan",
	"hnguyen", "irossi", "jmueller", "kdubois", "lgarcia", "mnovak", "nsato", "opetrov", "pkowalski"}

// devState is everything mutable about one simulated FortiGate. It is
// guarded by Device.mu.
type devState struct {
	plat      platform
	serial    string
	hostname  string
	multiVDOM bool
	vdoms     []string
	cmType    string
	cmFMG     string
	email     emailCfg
	console   string // more | standard
	fgdDown   bool
	banner    bool
	readonly  bool
	vdomAdmin string // VDOM the login admin is restricted to ("" = none)
	interim   bool   // interim build prompt and login warning
	promptMax int    // hostname cut in the prompt (0 = never)
	forcePw   bool   // next login must change the password
	ha        *haState
	tokens    []*token
	accounts  []*account

	commands  []string
	levels    map[string]int
	ftkDebug  bool
	timestamp bool
	duration  int // minutes; 0 = unlimited
	resets    int
	attempts  map[string]int
	sessions  int
	conns     int
	debugOn   int // sessions with `diagnose debug enable` in force
	pending   int // activations/provisions in flight

	refusedSessions int
	haRole          string // ha-member: Primary | Secondary
	failovers       int
	haCmds          int // commands since start, for automatic failovers

	debugUntil    time.Time // end of the running debug window (zero = none)
	debugGen      int       // bumps when a window ends, to void stale timers
	debugExpired  bool      // the last window ended by its duration
	debugExpiries int
}

// gen draws deterministic identifiers for one device.
type gen struct{ r *rand.Rand }

const upperAlnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
const upperHex = "0123456789ABCDEF"

func (g gen) pick(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

func (g gen) hwSerial() string  { return "FTK200" + g.pick(upperAlnum, 10) }
func (g gen) mobSerial() string { return "FTKMOB" + g.pick(upperHex, 10) }
func (g gen) actCode() string   { return g.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16) }

// newState builds the initial state of a device from its scenarios.
func newState(idx int, hostname string, scen []Scenario, tokens int, r *rand.Rand) *devState {
	g := gen{r}
	p := platforms[idx%len(platforms)]
	st := &devState{
		plat: p, serial: p.Prefix + g.pick("0123456789", 10), hostname: hostname,
		vdoms: []string{"root"}, cmType: "none", console: "more",
		email:  emailCfg{Server: "notification.fortinet.net", Port: 465, Security: "smtps"},
		levels: map[string]int{}, attempts: map[string]int{}, duration: 30,
	}
	st.accounts = append(st.accounts, &account{Name: "admin", Kind: parse.AccountAdmin, Profile: "super_admin", TwoFactor: "disable"})
	b := &stateBuilder{st: st, g: g, now: time.Now().Unix()}
	defined := false
	for _, s := range scen {
		if b.apply(s, &tokens) {
			defined = true
		}
	}
	if !defined {
		b.healthy()
	}
	for len(st.tokens) < tokens {
		b.add(&token{Serial: g.hwSerial(), Status: parse.StatusActive, Seed: true}, false)
	}
	return st
}

// stateBuilder fills a new devState with the tokens and accounts of its
// scenarios.
type stateBuilder struct {
	st    *devState
	g     gen
	now   int64
	users int
}

func (b *stateBuilder) addUser(vdom, sn string) *account {
	n := userNames[b.users%len(userNames)]
	if b.users >= len(userNames) {
		n = fmt.Sprintf("%s%d", n, b.users/len(userNames)+1)
	}
	b.users++
	a := &account{Name: n, Kind: parse.AccountUser, VDOM: vdom, TwoFactor: "fortitoken", Token: sn,
		Email: n + "@example.com", Status: "enable"}
	b.st.accounts = append(b.st.accounts, a)
	return a
}

// add adds a token (root VDOM unless set), bound to a new local user when bound.
func (b *stateBuilder) add(t *token, bound bool) *token {
	if t.VDOM == "" {
		t.VDOM = "root"
	}
	b.st.tokens = append(b.st.tokens, t)
	if bound {
		b.addUser(t.VDOM, t.Serial)
	}
	return t
}

func (b *stateBuilder) healthy() {
	g := b.g
	b.add(&token{Serial: g.hwSerial(), Status: parse.StatusActive, Seed: true}, true)
	b.add(&token{Serial: g.mobSerial(), Status: parse.StatusProvisioned, Seed: true,
		License: "EFTM" + g.pick(upperAlnum, 8), RegID: strings.ToLower(g.pick(upperHex, 64)), OSVer: "5.4.2_IOS"}, true)
}

func (b *stateBuilder) provisioning(expire int64, status string) {
	g := b.g
	b.add(&token{Serial: g.mobSerial(), Status: status, License: "EFTM" + g.pick(upperAlnum, 8),
		ActCode: g.actCode(), ActExpire: expire}, true)
}

// apply sets up scenario s; it reports whether s defines the unit's tokens
// (a modifier such as banner or ha-member does not: the unit then also gets
// the healthy tokens).
func (b *stateBuilder) apply(s Scenario, tokens *int) bool {
	st, g := b.st, b.g
	switch s {
	case Healthy:
		b.healthy()
	case FMGManaged:
		st.cmType, st.cmFMG = parse.CentralMgmtFortiManager, "192.0.2.50"
		b.add(&token{Serial: g.hwSerial(), Status: parse.StatusNew}, true)
	case MigratedSeed:
		t := b.add(&token{Serial: g.hwSerial(), Status: parse.StatusAlreadyActivated, Seed: true}, true)
		st.accounts = append(st.accounts, &account{Name: "netadmin", Kind: parse.AccountAdmin, Profile: "super_admin",
			TwoFactor: "fortitoken", Token: t.Serial, Email: "netadmin@example.com"})
		b.add(&token{Serial: g.hwSerial(), Status: parse.StatusAlreadyActivated, Elsewhere: true}, true)
	case FortiGuardDown:
		st.fgdDown = true
		b.add(&token{Serial: g.hwSerial(), Status: parse.StatusNew}, true)
	case PendingActivation:
		b.add(&token{Serial: g.hwSerial(), Status: parse.StatusNew}, true)
		b.add(&token{Serial: g.hwSerial(), Status: parse.StatusNew}, true)
	case MobilePending:
		b.provisioning(b.now+72*3600, parse.StatusProvisioning)
		b.provisioning(b.now-3600, parse.StatusProvisionTimeout)
	case EmailUnset:
		st.email = emailCfg{Port: 25, Security: "none"}
		b.provisioning(b.now+72*3600, parse.StatusProvisioning)
	case MultiVDOM:
		st.multiVDOM, st.vdoms = true, []string{"root", "dmz"}
		b.healthy()
		b.add(&token{Serial: g.hwSerial(), Status: parse.StatusNew}, true)
	case Paged:
		b.healthy()
		if *tokens == 0 {
			*tokens = 60
		}
	case ReadonlyAdmin:
		st.readonly = true
		st.accounts[0].Profile = "super_admin_readonly"
		return false
	case Banner:
		st.banner = true
		return false
	case HAMember:
		st.haRole = "Primary"
		st.ha = newHA(g, st)
		return false
	case VDOMAdmin:
		st.multiVDOM, st.vdoms, st.vdomAdmin = true, []string{"root", "dmz"}, "root"
		return false
	default:
		return false
	}
	return true
}

// findToken returns the token in vdom ("" = any VDOM).
func (st *devState) findToken(vdom, sn string) *token {
	for _, t := range st.tokens {
		if t.Serial == sn && (vdom == "" || t.VDOM == vdom) {
			return t
		}
	}
	return nil
}

func (st *devState) findAccount(kind, vdom, name string) *account {
	for _, a := range st.accounts {
		if a.Kind == kind && a.Name == name && (kind == parse.AccountAdmin || a.VDOM == vdom) {
			return a
		}
	}
	return nil
}

// refs counts the users (same VDOM) and admins that reference a token.
func (st *devState) refs(vdom, sn string) int {
	n := 0
	for _, a := range st.accounts {
		if a.Token == sn && (a.Kind == parse.AccountAdmin || a.VDOM == vdom) {
			n++
		}
	}
	return n
}

func (st *devState) vdomIndex(v string) int {
	for i, x := range st.vdoms {
		if x == v {
			return i
		}
	}
	return -1
}
