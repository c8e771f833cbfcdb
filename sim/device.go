package sim

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ftktui/ftktui/parse"
	"golang.org/x/crypto/ssh"
)

// Device is one simulated FortiGate.
type Device struct {
	f        *Fleet
	idx      int
	name     string
	scen     []Scenario
	port     int
	knownKey ssh.PublicKey
	cfg      *ssh.ServerConfig
	ln       net.Listener
	// pagedScenario caps the page height so that the paged scenario
	// pages whatever size of terminal the client asks for.
	pagedScenario bool
	maxSess       int                       // DeviceSpec.MaxSessions
	linked        bool                      // one of a DeviceSpec.HAGroup pair: no automatic failover
	nsess         atomic.Uint64             // sessions opened, for fragmenting seeds
	hooks         atomic.Pointer[wireHooks] // tests only

	mu       sync.Mutex
	st       *devState
	faults   map[Scenario]bool
	dropNext bool
	sess     map[*session]struct{}
	rng      *rand.Rand
}

// State is a snapshot of a device for tests.
type State struct {
	Hostname           string
	Commands           []string       // every line received, in order, all sessions (newest 100k kept)
	DebugEnabled       bool           // some session has `diagnose debug enable` in force
	DebugLevels        map[string]int // application levels currently non-zero
	FortitokenDebug    bool
	ConsoleTimestamp   bool
	DebugDuration      int       // minutes, 0 = unlimited
	DebugUntil         time.Time // end of the running debug window; zero = none (or unlimited)
	DebugExpired       bool      // the last debug window ran out: output was switched off by the device
	DebugExpiries      int       // debug windows that ran out so far
	ResetCount         int       // times `diagnose debug reset` was received
	ConsoleOutput      string
	Tokens             []TokenState
	Accounts           []parse.Account
	ActivationAttempts map[string]int // explicit activations, auto-activations on re-add, provisions
	OpenSessions       int            // shell/exec channels open now
	OpenConns          int            // authenticated SSH connections open now
	PendingActions     int            // activations/provisions not yet completed
	RefusedSessions    int            // sessions refused by the admin session limit
	SessionsOpened     int            // shell and exec channels opened since start (refused ones included)
	HARole             string         // ha-member: "Primary" or "Secondary" now; "" otherwise
	Failovers          int            // ha-member: role flips so far
	CentralManagement  string         // type
	EmailServer        string         // "" when unset
}

// DebugClean reports whether no debug is left behind on the device.
func (s State) DebugClean() bool {
	if s.DebugEnabled || s.FortitokenDebug {
		return false
	}
	for _, l := range s.DebugLevels {
		if l != 0 {
			return false
		}
	}
	return true
}

// Token returns the token with that serial, if present.
func (s State) Token(sn string) (TokenState, bool) {
	for _, t := range s.Tokens {
		if t.Serial == sn {
			return t, true
		}
	}
	return TokenState{}, false
}

// TokenState is one token as the device currently holds it.
type TokenState struct {
	Serial           string
	Status           string // diagnose fortitoken info STATUS
	Seed             bool
	ActivationCode   string
	ActivationExpire int64
	License          string
	VDOM             string
	Users            []string // accounts (users and admins) that reference it
}

// Name is the inventory name.
func (d *Device) Name() string { return d.name }

// Addr is host:port of the device.
func (d *Device) Addr() string { return net.JoinHostPort(d.f.host, strconv.Itoa(d.port)) }

// Port is the TCP port of the device.
func (d *Device) Port() int { return d.port }

// Scenarios returns the scenarios and faults the device was started with.
func (d *Device) Scenarios() []Scenario { return append([]Scenario(nil), d.scen...) }

// Hostname is the FortiOS hostname (the prompt).
func (d *Device) Hostname() string { return d.st.hostname }

// Serial is the FortiGate serial number.
func (d *Device) Serial() string { return d.st.serial }

// KnownHostKey is the key written to known_hosts; for hostkey-rotated it
// differs from the key the server presents.
func (d *Device) KnownHostKey() ssh.PublicKey { return d.knownKey }

// State returns a deep snapshot of the device.
func (d *Device) State() State {
	d.mu.Lock()
	defer d.mu.Unlock()
	st := d.st
	s := State{Hostname: st.hostname, Commands: append([]string(nil), st.commands...),
		DebugEnabled: st.debugOn > 0, DebugLevels: map[string]int{}, FortitokenDebug: st.ftkDebug,
		ConsoleTimestamp: st.timestamp, DebugDuration: st.duration, ResetCount: st.resets,
		ConsoleOutput: st.console, ActivationAttempts: map[string]int{}, OpenSessions: st.sessions, SessionsOpened: int(d.nsess.Load()),
		OpenConns: st.conns, PendingActions: st.pending,
		RefusedSessions: st.refusedSessions, DebugUntil: st.debugUntil, DebugExpired: st.debugExpired, DebugExpiries: st.debugExpiries, HARole: st.haRole, Failovers: st.failovers, CentralManagement: st.cmType, EmailServer: st.email.Server}
	for k, v := range st.levels {
		if v != 0 {
			s.DebugLevels[k] = v
		}
	}
	for k, v := range st.attempts {
		s.ActivationAttempts[k] = v
	}
	for _, t := range st.tokens {
		ts := TokenState{Serial: t.Serial, Status: t.diagStatus(), Seed: t.Seed, ActivationCode: t.ActCode,
			ActivationExpire: t.ActExpire, License: t.License, VDOM: t.VDOM}
		for _, a := range st.accounts {
			if a.Token == t.Serial && (a.Kind == parse.AccountAdmin || a.VDOM == t.VDOM) {
				ts.Users = append(ts.Users, a.Name)
			}
		}
		s.Tokens = append(s.Tokens, ts)
	}
	for _, a := range st.accounts {
		s.Accounts = append(s.Accounts, a.parse())
	}
	return s
}

// ErrNotFault is returned by SetFault for names that are not runtime faults.
var ErrNotFault = errors.New("not a runtime fault")

// SetFault switches a fault on or off at run time. slow, drop, hang (new
// sessions), garbage, auth-fail and debug-flood can be flipped; refused and
// hostkey-rotated are fixed at start.
func (d *Device) SetFault(s Scenario, on bool) error {
	switch s {
	case FaultSlow, FaultDrop, FaultHang, FaultGarbage, FaultAuthFail, FaultDebugFlood:
	default:
		return fmt.Errorf("sim set fault %q on %s: %w", s, d.name, ErrNotFault)
	}
	d.mu.Lock()
	d.faults[s] = on
	d.mu.Unlock()
	return nil
}

// DropNext makes the connection close in the middle of the output of the
// next command that prints at least two lines.
func (d *Device) DropNext() {
	d.mu.Lock()
	d.dropNext = true
	d.mu.Unlock()
}

// maxSessions is the admin session limit of the device (0 = none).
func (d *Device) maxSessions() int {
	if d.maxSess > 0 {
		return d.maxSess
	}
	return d.f.o.MaxSessions
}

// ErrNotHA is returned by Failover on a device that is not an ha-member.
var ErrNotHA = errors.New("not an HA cluster member")

// Failover flips the HA role of an ha-member device now (Primary ↔
// Secondary): every prompt printed from then on shows the new role.
func (d *Device) Failover() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.st.haRole == "" {
		return fmt.Errorf("sim failover on %s: %w", d.name, ErrNotHA)
	}
	d.st.failover()
	return nil
}

func (d *Device) fault(s Scenario) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.faults[s]
}

// serverConfig builds the SSH server configuration of the device.
func (d *Device) serverConfig(hostKey ssh.Signer) *ssh.ServerConfig {
	f := d.f
	checkPw := func(c ssh.ConnMetadata, pw []byte) error {
		if d.fault(FaultAuthFail) {
			return fmt.Errorf("sim %s: authentication failed", d.name)
		}
		okUser := subtle.ConstantTimeCompare([]byte(c.User()), []byte(f.o.User)) == 1
		okPw := subtle.ConstantTimeCompare(pw, []byte(f.password)) == 1
		if okUser && okPw {
			return nil
		}
		return fmt.Errorf("sim %s: authentication failed", d.name)
	}
	cfg := &ssh.ServerConfig{
		ServerVersion: "SSH-2.0-FortiSSH_sim",
		MaxAuthTries:  6,
		PasswordCallback: func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			return nil, checkPw(c, pw)
		},
		KeyboardInteractiveCallback: func(c ssh.ConnMetadata, chal ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			ans, err := chal("", "", []string{"Password: "}, []bool{false})
			if err != nil {
				return nil, err
			}
			if len(ans) != 1 {
				return nil, fmt.Errorf("sim %s: authentication failed", d.name)
			}
			return nil, checkPw(c, []byte(ans[0]))
		},
		PublicKeyCallback: func(c ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if d.fault(FaultAuthFail) || c.User() != f.o.User {
				return nil, fmt.Errorf("sim %s: key refused", d.name)
			}
			for _, ak := range f.o.AuthorizedKeys {
				if subtle.ConstantTimeCompare(ak.Marshal(), k.Marshal()) == 1 {
					return nil, nil
				}
			}
			return nil, fmt.Errorf("sim %s: key refused", d.name)
		},
	}
	cfg.AddHostKey(hostKey)
	return cfg
}
