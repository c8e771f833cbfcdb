package channel

import (
	"errors"
	"fmt"

	"github.com/ftktui/ftktui/parse"
)

// Sentinel errors of the channel. package device re-exports them under the
// same names: callers branch with errors.Is on either.
var (
	// ErrTimeout means a command did not reach its prompt in time.
	ErrTimeout = errors.New("timed out")
	// ErrConnLost means the shell ended unexpectedly or its prompt sync is lost.
	ErrConnLost = errors.New("connection lost")
	// ErrInvalidInput means a command line was refused before anything was sent.
	ErrInvalidInput = errors.New("invalid input")
	// ErrPermission means the admin account lacks a right the command needs.
	ErrPermission = errors.New("permission denied")
	// ErrOutputTooLarge means a command printed more than the per-command cap.
	ErrOutputTooLarge = errors.New("output too large")
	// ErrClosed means the channel was closed by the caller.
	ErrClosed = errors.New("closed")
)

// OpError wraps any failure with the device and the (redacted) command that
// was running, keeping the cause reachable for errors.Is/As.
type OpError struct {
	Device string
	Op     string // the command line (redacted) or an operation name
	Err    error
}

// Error names the device once, then the command and the cause.
func (e *OpError) Error() string { return e.Device + ": " + e.detail() }

// detail is the message without the device name; a nested OpError of the
// same device is folded in so the name is said once.
func (e *OpError) detail() string {
	rest := ""
	if in, ok := e.Err.(*OpError); ok && in.Device == e.Device {
		rest = in.detail()
	} else if e.Err != nil {
		rest = e.Err.Error()
	}
	if e.Op == "" {
		return rest
	}
	return fmt.Sprintf("%q: %s", e.Op, rest)
}

// Unwrap keeps the cause reachable for errors.Is/As.
func (e *OpError) Unwrap() error { return e.Err }

// Op wraps err with device/command context, redacting the command (nil
// stays nil).
func Op(device, op string, err error) error {
	if err == nil {
		return nil
	}
	return &OpError{Device: device, Op: parse.Redact(op), Err: err}
}

// redactedError keeps the error chain but redacts its text, for causes
// whose message may echo device output (CLI errors quote the offending token).
type redactedError struct{ err error }

func (r redactedError) Error() string { return parse.Redact(r.err.Error()) }
func (r redactedError) Unwrap() error { return r.err }

// RedactErr returns err with a redacted message when redaction changes it.
func RedactErr(err error) error {
	if err == nil {
		return nil
	}
	if parse.Redact(err.Error()) == err.Error() {
		return err
	}
	return redactedError{err}
}

// PermissionError names what the account lacks (cause may be nil).
func PermissionError(what string, cause error) error {
	if cause == nil {
		return fmt.Errorf("%s: %w", what, ErrPermission)
	}
	return fmt.Errorf("%s: %w: %w", what, ErrPermission, cause)
}

// IsCLI reports an error the CLI printed (a *parse.CLIError in the chain),
// as opposed to a transport failure.
func IsCLI(err error) bool {
	var ce *parse.CLIError
	return errors.As(err, &ce)
}
