package device

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/ftktui/ftktui/parse"
)

// Commands the read operations send. Exported for fleet's batch scan and
// for documentation; each is a plain FortiOS line.
const (
	CmdSystemStatus      = "get system status"
	CmdCentralManagement = "show system central-management"
	CmdTokenInfo         = "diagnose fortitoken info"
	CmdTokenConfig       = "show user fortitoken"
	CmdUsers             = "show user local"
	CmdAdmins            = "show system admin"
	CmdEmailServer       = "get system email-server"
	CmdEmailServerShow   = "show full-configuration system email-server"
	CmdDebugInfo         = "diagnose debug info"
	CmdCloudStatus       = "diagnose test application forticldd 7"
	CmdHAStatus          = "get system ha status"
)

// hostRe admits names and IPv4/IPv6 literals for `execute ping`.
var hostRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.:-]{0,252}$`)

// parseErr wraps a parser failure with device and command context.
func (s *Session) parseErr(cmd string, err error) error {
	return opErr(s.t.label(), cmd, fmt.Errorf("%w: %w", ErrUnexpectedOutput, err))
}

// SystemStatus runs `get system status` (top level on every unit).
func (s *Session) SystemStatus(ctx context.Context) (parse.SystemStatus, error) {
	out, err := s.read(ctx, ScopeTop, CmdSystemStatus)
	if err != nil {
		return parse.SystemStatus{}, err
	}
	st, err := parse.ParseSystemStatus(out)
	if err != nil {
		return st, s.parseErr(CmdSystemStatus, err)
	}
	return st, nil
}

// CentralManagement reads `show system central-management` (global).
func (s *Session) CentralManagement(ctx context.Context) (parse.CentralManagement, error) {
	out, err := s.read(ctx, ScopeGlobal, CmdCentralManagement)
	if err != nil {
		return parse.CentralManagement{}, err
	}
	cm, err := parse.ParseCentralManagement(out)
	if err != nil {
		return cm, s.parseErr(CmdCentralManagement, err)
	}
	return cm, nil
}

// Ping runs `execute ping HOST` in the token VDOM (its routing table is the
// one FortiGuard traffic uses).
func (s *Session) Ping(ctx context.Context, host string) (parse.PingResult, error) {
	if !hostRe.MatchString(host) {
		return parse.PingResult{}, opErr(s.t.label(), "execute ping", fmt.Errorf("host %s: %w", parse.Quote(host), ErrInvalidInput))
	}
	cmd := "execute ping " + host
	out, err := s.read(ctx, ScopeVDOM, cmd)
	if err != nil {
		return parse.PingResult{Host: host}, err
	}
	p, err := parse.ParsePing(out)
	if p.Host == "" {
		p.Host = host
	}
	if err != nil {
		return p, s.parseErr(cmd, err)
	}
	return p, nil
}

// pingOptionRe admits `execute ping-options` settings: a keyword and a
// plain value (digits or enable/disable), never anything a shell or the
// CLI would read as more.
var pingOptionRe = regexp.MustCompile(`^(adaptive-ping (enable|disable)|repeat-count [0-9]{1,5}|timeout [0-9]{1,3}|interval [0-9]{1,3}|reset)$`)

// PingOptions sets `execute ping-options OPT` for this CLI session, in the
// token VDOM where the pings run. FortiOS keeps them per session (their
// life beyond it is unverified), so a caller resets them when done.
func (s *Session) PingOptions(ctx context.Context, opt string) error {
	if !pingOptionRe.MatchString(opt) {
		return opErr(s.t.label(), "execute ping-options", fmt.Errorf("option %q: %w", opt, ErrInvalidInput))
	}
	_, err := s.read(ctx, ScopeVDOM, "execute ping-options "+opt)
	return err
}

// TokenInfo reads `diagnose fortitoken info` in the token VDOM; a serial
// narrows the rows to that token (filtered here, so the footer with the
// token server status is always present).
func (s *Session) TokenInfo(ctx context.Context, serial string) (parse.TokenInfo, error) {
	if serial != "" && !parse.ValidSerial(serial) {
		return parse.TokenInfo{}, opErr(s.t.label(), CmdTokenInfo, fmt.Errorf("serial %s: %w", parse.Quote(serial), ErrInvalidInput))
	}
	out, err := s.read(ctx, ScopeVDOM, CmdTokenInfo)
	if err != nil {
		return parse.TokenInfo{}, err
	}
	ti, err := parse.ParseTokenInfo(out)
	if err != nil {
		return ti, s.parseErr(CmdTokenInfo, err)
	}
	if serial != "" {
		var rows []parse.TokenRow
		for _, r := range ti.Tokens {
			if r.Serial == serial {
				rows = append(rows, r)
			}
		}
		ti.Tokens = rows
	}
	return ti, nil
}

// TokenConfig reads `show user fortitoken` in the token VDOM.
func (s *Session) TokenConfig(ctx context.Context) ([]parse.TokenConfig, error) {
	out, err := s.read(ctx, ScopeVDOM, CmdTokenConfig)
	if err != nil {
		return nil, err
	}
	tc, err := parse.ParseTokenConfig(out)
	if err != nil {
		return tc, s.parseErr(CmdTokenConfig, err)
	}
	return tc, nil
}

// Accounts reads local users (token VDOM) and admins (global). A VDOM-only
// admin gets the users plus an ErrPermission error for the admin half.
func (s *Session) Accounts(ctx context.Context) ([]parse.Account, error) {
	out, err := s.read(ctx, ScopeVDOM, CmdUsers)
	if err != nil {
		return nil, err
	}
	users, err := parse.ParseAccounts(out, parse.AccountUser)
	if err != nil {
		return nil, s.parseErr(CmdUsers, err)
	}
	out, err = s.read(ctx, ScopeGlobal, CmdAdmins)
	if err != nil {
		return users, err
	}
	admins, err := parse.ParseAccounts(out, parse.AccountAdmin)
	if err != nil {
		return users, s.parseErr(CmdAdmins, err)
	}
	return append(users, admins...), nil
}

// EmailServer reads `get system email-server` (global); `get` prints the
// defaults that `show` omits, so a factory server is not mistaken for none.
func (s *Session) EmailServer(ctx context.Context) (parse.EmailServer, error) {
	out, err := s.read(ctx, ScopeGlobal, CmdEmailServer)
	var ce *parse.CLIError
	if errors.As(err, &ce) && ce.Kind != parse.ErrPermission {
		// Some builds refuse the `get` form; `show full-configuration`
		// also prints the factory server that plain `show` omits.
		out, err = s.read(ctx, ScopeGlobal, CmdEmailServerShow)
	}
	if err != nil {
		return parse.EmailServer{}, err
	}
	es, err := parse.ParseEmailServer(out)
	if err != nil {
		return es, s.parseErr(CmdEmailServer, err)
	}
	return es, nil
}

// DebugInfo reads `diagnose debug info` (global).
func (s *Session) DebugInfo(ctx context.Context) (parse.DebugInfo, error) {
	out, err := s.read(ctx, ScopeGlobal, CmdDebugInfo)
	if err != nil {
		return parse.DebugInfo{}, err
	}
	di, err := parse.ParseDebugInfo(out)
	if err != nil {
		return di, s.parseErr(CmdDebugInfo, err)
	}
	return di, nil
}

// CloudStatus reads `diagnose test application forticldd 7` (global) as
// best-effort key/value pairs; its layout is undocumented.
func (s *Session) CloudStatus(ctx context.Context) ([]parse.KV, error) {
	out, err := s.read(ctx, ScopeGlobal, CmdCloudStatus)
	if err != nil {
		return nil, err
	}
	return parse.ParseKV(out), nil
}

// HAStatus reads `get system ha status` (global): the cluster's group and
// member serials, which tell HA peers (that share tokens by design) from
// unrelated units.
func (s *Session) HAStatus(ctx context.Context) (parse.HAStatus, error) {
	out, err := s.read(ctx, ScopeGlobal, CmdHAStatus)
	if err != nil {
		return parse.HAStatus{}, err
	}
	return parse.ParseHAStatus(out), nil
}
