// Package parse turns FortiOS CLI text into typed values.
//
// Every function here is pure: no I/O, no global state, safe on any input.
// Parsers tolerate what real devices send (\r\n and stray \r, the command
// echo, pager residue, blank lines, varying column spacing, unknown fields)
// and report truncated output as an error rather than panicking.
package parse

import (
	"strconv"
	"strings"
	"time"
)

// SystemStatus is the output of `get system status`.
type SystemStatus struct {
	Hostname    string
	Model       string // "FortiGate-60F"
	Version     string // "v7.0.7"
	Build       string // "0367"
	Serial      string
	VDOMMode    string // disable | multiple | split-task | enable
	CurrentVDOM string
	HAMode      string            // "standalone", "a-p, master", ...
	Fields      map[string]string // every "Key: value" line, as printed
}

// MultiVDOM reports whether the unit runs more than one VDOM, in which case
// global objects live under `config global` and tokens under `config vdom`.
func (s SystemStatus) MultiVDOM() bool {
	switch s.VDOMMode {
	case "multiple", "split-task", "enable":
		return true
	}
	return false
}

// CentralManagement is `show [full-configuration] system central-management`.
type CentralManagement struct {
	Type   string // fortimanager | fortiguard | none (default when unset)
	FMG    string // FortiManager address, unquoted
	Mode   string // normal | backup
	Serial string
}

// PingResult is the output of `execute ping HOST`.
type PingResult struct {
	Host     string  // the name or address that was pinged
	Addr     string  // the resolved address ("" when unresolved)
	Resolved bool    // false on "Unable to resolve hostname."
	Sent     int     // packets transmitted
	Received int     // packets received
	LossPct  float64 // packet loss in percent
	RTTMin   float64 // milliseconds; 0 when no reply
	RTTAvg   float64
	RTTMax   float64
	Error    string // a one-line error such as "sendto failed" or the DNS error
}

// Reachable reports whether at least one reply came back.
func (p PingResult) Reachable() bool { return p.Resolved && p.Received > 0 }

// TokenRow is one line of `diagnose fortitoken info`.
type TokenRow struct {
	Serial string
	Drift  int
	Status string // free text: new, active, provisioning, provisioned, provision timeout, locked, or a long error
}

// TokenInfo is `diagnose fortitoken info` (whole or filtered by `| grep`).
type TokenInfo struct {
	Tokens               []TokenRow
	TotalActivated       int
	TotalGlobalActivated int
	ServerStatus         string // reachable | unreachable | unknown; "" when the footer was filtered away
}

// Token status words as FortiOS prints them in `diagnose fortitoken info`.
const (
	StatusNew               = "new"
	StatusActive            = "active"
	StatusProvisioning      = "provisioning"
	StatusProvisioned       = "provisioned"
	StatusProvisionTimeout  = "provision timeout"
	StatusLocked            = "locked"
	StatusAlreadyActivated  = "token already activated, and seed won't be returned"
	StatusNotInFortiGuard   = "activation error (token not exist in FortiGuard)"
	ServerReachable         = "reachable"
	ServerUnreachable       = "unreachable"
	ServerUnknown           = "unknown"
	TokenKindHardware       = "hardware"
	TokenKindMobile         = "mobile"
	CentralMgmtFortiManager = "fortimanager"
	DefaultVDOM             = "root" // the VDOM every unit has; single-VDOM units have only it
)

// TokenConfig is one `edit "SN"` entry of `config user fortitoken`.
type TokenConfig struct {
	Serial           string
	Status           string // active (default) | lock
	HasSeed          bool   // a `set seed ENC ...` line was present; the value is never kept
	License          string
	ActivationCode   string // kept only so callers can tell one was set; always redact before display
	ActivationExpire int64  // epoch seconds; 0 when unset
	RegID            string
	OSVer            string
	Comments         string
	Extra            map[string]string // unknown settings, ENC values replaced by "ENC"
}

// Kind reports "mobile" for FTKMOB serials and "hardware" for the rest.
func (t TokenConfig) Kind() string { return TokenKind(t.Serial) }

// Account is a `config user local` or `config system admin` entry, reduced to
// what matters for token bindings.
type Account struct {
	Name       string
	Kind       string // "user" or "admin"
	TwoFactor  string // disable | fortitoken | fortitoken-cloud | email | sms; "" when unset
	FortiToken string // bound token serial; "" when none
	EmailTo    string
	SMSPhone   string
	Status     string // enable | disable (users); "" when unset
}

// Account kinds.
const (
	AccountUser  = "user"
	AccountAdmin = "admin"
)

// EmailServer is `show system email-server` or `get system email-server`.
type EmailServer struct {
	Type                  string
	Server                string // "" when unset
	Port                  int    // 0 when not printed (FortiOS default 25 then applies)
	Security              string // none | starttls | smtps
	Authenticate          bool
	Username              string
	ReplyTo               string
	SourceIP              string
	InterfaceSelectMethod string
	Interface             string
}

// Usable reports whether an activation email could be sent at all: a server
// must be configured. Reachability is a separate question.
func (e EmailServer) Usable() bool { return e.Server != "" }

// DebugInfo is `diagnose debug info`.
type DebugInfo struct {
	OutputEnabled    bool           // "debug output: enable"
	ConsoleTimestamp bool           // "console timestamp: enable"
	Levels           map[string]int // "<daemon> debug level: N" for daemons other than CLI
	Fields           map[string]string
}

// Active reports whether any daemon debug is running or printing is enabled:
// the signature of a debug session somebody left behind.
func (d DebugInfo) Active() bool {
	if d.OutputEnabled {
		return true
	}
	for _, l := range d.Levels {
		if l != 0 {
			return true
		}
	}
	return false
}

// KV is one key/value line of best-effort output (`diagnose test application forticldd 7`).
type KV struct {
	Key   string
	Value string
}

// Source is the daemon a debug line came from.
type Source string

// Debug line sources.
const (
	SourceForticldd  Source = "forticldd"
	SourceFortitoken Source = "fortitoken"
	SourceAlertmail  Source = "alertmail"
	SourceOther      Source = "other"
)

// DebugLine is one asynchronous line of debug console output.
type DebugLine struct {
	Time    time.Time // zero when the line had no console timestamp
	Source  Source
	Func    string // "ftm_cfg_poll_token_states" from "func[405]:msg"; "" when absent
	Message string // text after the timestamp and function
	Raw     string // the whole line as received, \r removed
	IsError bool   // the line reports a failure (error, fail, timeout, invalid, ...)
}

// CLIErrorKind classifies a FortiOS CLI error.
type CLIErrorKind string

// CLI error kinds.
const (
	ErrUnknownAction CLIErrorKind = "unknown-action"  // Unknown action 0
	ErrCommandParse  CLIErrorKind = "command-parse"   // command parse error before 'x'
	ErrValueParse    CLIErrorKind = "value-parse"     // value parse error before 'x'
	ErrEntryNotFound CLIErrorKind = "entry-not-found" // entry not found in datasource
	ErrEntryInUse    CLIErrorKind = "entry-in-use"    // The entry is used by other N entries
	ErrIncomplete    CLIErrorKind = "incomplete"      // incomplete command in the end
	ErrCommandFail   CLIErrorKind = "command-fail"    // Command fail. Return code N (alone)
	ErrPermission    CLIErrorKind = "permission"      // permission denied / read-only profile
	ErrOther         CLIErrorKind = "other"           // any other error text
)

// CLIError is an error FortiOS printed in answer to a command.
type CLIError struct {
	Kind    CLIErrorKind
	Code    int    // the "Return code N" value; 0 when none was printed
	Token   string // the token named in a parse error ("console"); "" otherwise
	Refs    int    // for entry-in-use: how many entries reference the object
	Message string // the error lines as printed, joined with "; "
}

func (e *CLIError) Error() string {
	// The message usually quotes "Return code N" itself; say it once.
	if e.Code != 0 && !strings.Contains(e.Message, "Return code") {
		return e.Message + " (return code " + strconv.Itoa(e.Code) + ")"
	}
	return e.Message
}

// TokenKind reports "mobile" for FTKMOB serials and "hardware" otherwise.
func TokenKind(serial string) string {
	if len(serial) >= 6 && serial[:6] == "FTKMOB" {
		return TokenKindMobile
	}
	return TokenKindHardware
}
