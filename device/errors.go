package device

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ftktui/ftktui/device/channel"
)

// Sentinel errors. They are always wrapped with the device name and the
// command, so callers branch with errors.Is and humans read the context.
// Those of the CLI conversation are the channel's own values.
var (
	// ErrAuth means the device refused every authentication method offered.
	ErrAuth = errors.New("authentication failed")
	// ErrTimeout means a dial, a command or a cleanup did not finish in time.
	ErrTimeout = channel.ErrTimeout
	// ErrConnLost means the SSH connection or shell ended unexpectedly.
	ErrConnLost = channel.ErrConnLost
	// ErrInvalidInput means an identifier or command line was refused
	// before anything was sent to the device.
	ErrInvalidInput = channel.ErrInvalidInput
	// ErrPermission means the admin account lacks a right the operation
	// needs (read-only profile, VDOM-only admin without `config global`).
	ErrPermission = channel.ErrPermission
	// ErrOutputTooLarge means a command printed more than the per-command
	// cap; the output was discarded to protect memory.
	ErrOutputTooLarge = channel.ErrOutputTooLarge
	// ErrUnexpectedOutput means the device answered with output that does
	// not have the shape of the command's answer (corrupt or unknown).
	ErrUnexpectedOutput = errors.New("unexpected output")
	// ErrClosed means the session or stream was closed by the caller.
	ErrClosed = channel.ErrClosed
)

// HostKeyError reports a host key ftktui refuses: unknown (no entry on
// file), changed (Want lists the keys on file), revoked (an @revoked entry
// names it), or not checkable at all (Unreadable: known_hosts cannot be
// read, or has lines and no valid entry). Want and Got are SHA256
// fingerprints ("SHA256:...").
type HostKeyError struct {
	Host       string
	Want       string // known fingerprint(s), comma separated
	Got        string // fingerprint the server presented
	Unknown    bool   // true: not in known_hosts; false: the key changed
	Revoked    bool   // the presented key is marked @revoked (at Line)
	Line       int    // known_hosts line of the @revoked entry
	Unreadable string // why known_hosts could not be used (no key was checked)
	Note       string // lines of known_hosts skipped as unparsable, if any
	File       string // the known_hosts file consulted
}

func (e *HostKeyError) Error() string {
	switch {
	case e.Unreadable != "":
		return fmt.Sprintf("cannot check the host key of %s: %s (fix or replace the file; nothing was accepted)", e.Host, e.Unreadable)
	case e.Revoked:
		return fmt.Sprintf("HOST KEY REVOKED for %s: the server presented %s, which %s:%d marks @revoked (refused)",
			e.Host, e.Got, e.File, e.Line)
	case e.Unknown:
		msg := fmt.Sprintf("host key for %s is unknown (%s not in %s); verify it and add it, or use --accept-new-host-keys",
			e.Host, e.Got, e.File)
		if e.Note != "" {
			msg += "; note: " + e.Note
		}
		return msg
	}
	return fmt.Sprintf("HOST KEY CHANGED for %s: known_hosts %s has %s but the server presented %s (possible man-in-the-middle; refused)",
		e.Host, e.File, e.Want, e.Got)
}

// DialError reports that the TCP connection (or the jump host hop) could not
// be made: refused, unreachable, timed out or a name that does not resolve.
type DialError struct {
	Addr string
	Kind string // refused | unreachable | timeout | dns | other
	Via  string // jump host address when the failure happened through it
	Err  error
}

func (e *DialError) Error() string {
	via := ""
	if e.Via != "" {
		via = " via " + e.Via
	}
	return fmt.Sprintf("cannot connect to %s%s (%s): %v", e.Addr, via, e.Kind, e.Err)
}

func (e *DialError) Unwrap() error { return e.Err }

// Is makes a dial timeout match ErrTimeout.
func (e *DialError) Is(target error) bool { return target == ErrTimeout && e.Kind == "timeout" }

// OpError wraps any failure with the device and the (redacted) command that
// was running, keeping the cause reachable for errors.Is/As.
type OpError = channel.OpError

// opErr wraps err with device/command context, redacting the command.
func opErr(device, op string, err error) error { return channel.Op(device, op, err) }

// isAuthFailure recognises x/crypto's "unable to authenticate" handshake error.
func isAuthFailure(err error) bool {
	return err != nil && strings.Contains(err.Error(), "unable to authenticate")
}
