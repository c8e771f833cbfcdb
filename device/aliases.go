package device

import "github.com/ftktui/ftktui/device/channel"

// Output limits (the channel's).
const (
	// MaxOutput caps what one command may print before it is aborted.
	MaxOutput = channel.MaxOutput
	// MaxLine caps one output line; longer lines are cut (hostile devices).
	MaxLine = channel.MaxLine
)

// Scope says where a command must run on a multi-VDOM unit.
type Scope = channel.Scope

// Scopes. On single-VDOM units every scope is the top level.
const (
	ScopeTop    = channel.ScopeTop    // top level, no context commands
	ScopeVDOM   = channel.ScopeVDOM   // config vdom / edit <vdom>: tokens, users, execute fortitoken*
	ScopeGlobal = channel.ScopeGlobal // config global: central-management, email-server, admins, debug
)

// TranscriptEntry is one line sent to a device, redacted, with its outcome.
type TranscriptEntry = channel.TranscriptEntry
