// Package device is the client side of every conversation with a FortiGate:
// SSH dialling (auth, host keys, jump host, legacy algorithms, keepalives)
// and, on the CLI session that package channel carries (prompts, banners,
// the pager, VDOM scopes, the transcript), the FortiOS operations: typed
// read operations, validated mutating scripts and a self-cleaning debug
// stream.
package device

import (
	"context"
	"net"
	"strconv"
	"time"

	"github.com/ftktui/ftktui/device/channel"
	"github.com/ftktui/ftktui/parse"
)

// Defaults applied when a Target leaves a duration zero.
const (
	DefaultDialTimeout    = 15 * time.Second
	DefaultCommandTimeout = channel.DefaultCommandTimeout
	DefaultKeepalive      = 15 * time.Second
)

// Target says how to reach and log in to one device.
type Target struct {
	Name, Host string
	Port       int
	User       string
	// Password returns the password; nil means no password authentication.
	// It is called at most once per dial and its value is never logged.
	Password          func(ctx context.Context) (string, error)
	IdentityFiles     []string
	UseAgent          bool // agent via SSH_AUTH_SOCK
	KnownHosts        string
	AcceptNewHostKeys bool
	Jump              *Target // ProxyJump, one hop
	LegacyAlgorithms  bool
	VDOM              string // VDOM holding tokens on multi-VDOM units (default "root")
	DialTimeout       time.Duration
	CommandTimeout    time.Duration
	Keepalive         time.Duration // interval; negative disables

	// noPasswordMethod offers the password only via keyboard-interactive
	// (tests use it to prove that path works on its own).
	noPasswordMethod bool
	// maxOutput overrides MaxOutput (tests use a small cap).
	maxOutput int
	// ptyRows overrides the tall PTY (tests use 24 to make the pager appear).
	ptyRows int
}

// addr is host:port for dialling and for known_hosts.
func (t Target) addr() string {
	p := t.Port
	if p == 0 {
		p = 22
	}
	return net.JoinHostPort(t.Host, strconv.Itoa(p))
}

// label names the device in errors: the inventory name, else the address.
func (t Target) label() string {
	if t.Name != "" {
		return t.Name
	}
	return t.addr()
}

func (t Target) dialTimeout() time.Duration {
	if t.DialTimeout > 0 {
		return t.DialTimeout
	}
	return DefaultDialTimeout
}

func (t Target) commandTimeout() time.Duration {
	if t.CommandTimeout > 0 {
		return t.CommandTimeout
	}
	return DefaultCommandTimeout
}

func (t Target) keepalive() time.Duration {
	if t.Keepalive == 0 {
		return DefaultKeepalive
	}
	return t.Keepalive
}

func (t Target) vdom() string {
	if t.VDOM != "" {
		return t.VDOM
	}
	return parse.DefaultVDOM
}
