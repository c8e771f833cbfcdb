package inventory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// PasswordCommandTimeout bounds a password_command run (a `pass` or vault
// helper that waits for a PIN must not stall the whole scan).
const PasswordCommandTimeout = 30 * time.Second

// ErrNoPassword means a device has no password source configured.
var ErrNoPassword = errors.New("no password source (password_env, password_command or --ask-pass)")

type cmdSecret struct {
	once sync.Once
	val  string
	err  error
}

// PasswordFunc returns the password source for d: password_env,
// password_command (run once per distinct command, however many devices use
// it), else the --ask-pass answer, else fallback (may be nil). It returns nil
// when there is no source at all, so key/agent auth is used alone.
func (inv *Inventory) PasswordFunc(d Device, fallback func(context.Context) (string, error)) func(context.Context) (string, error) {
	switch {
	case d.PasswordEnv != "":
		env := d.PasswordEnv
		return func(context.Context) (string, error) {
			v, ok := os.LookupEnv(env)
			if !ok || v == "" {
				return "", fmt.Errorf("password_env %s is not set", env)
			}
			return v, nil
		}
	case d.PasswordCommand != "":
		cmd := d.PasswordCommand
		return func(ctx context.Context) (string, error) {
			v, _ := inv.cmdCache.LoadOrStore(cmd, &cmdSecret{})
			cs := v.(*cmdSecret)
			cs.once.Do(func() { cs.val, cs.err = runPasswordCommand(ctx, cmd) })
			return cs.val, cs.err
		}
	case inv.askPass != nil:
		return func(context.Context) (string, error) { return inv.askPassword() }
	}
	return fallback
}

// NeedsAskPass reports whether any of devs would use the --ask-pass answer.
func (inv *Inventory) NeedsAskPass(devs []Device) bool {
	if inv.askPass == nil {
		return false
	}
	for _, d := range devs {
		if d.PasswordEnv == "" && d.PasswordCommand == "" {
			return true
		}
	}
	return false
}

// Prepare asks for the --ask-pass password (once) when devs need it, so the
// prompt happens before any connection starts, never in the middle of a scan.
func (inv *Inventory) Prepare(devs []Device) error {
	if !inv.NeedsAskPass(devs) {
		return nil
	}
	_, err := inv.askPassword()
	return err
}

func (inv *Inventory) askPassword() (string, error) {
	inv.passOnce.Do(func() {
		inv.pass, inv.passErr = inv.askPass()
		if inv.passErr != nil {
			inv.passErr = fmt.Errorf("--ask-pass: %w", inv.passErr)
		}
	})
	return inv.pass, inv.passErr
}

// runPasswordCommand runs cmd via `sh -c`; stdout (trimmed) is the password.
// stderr goes into the error so a failing helper explains itself.
func runPasswordCommand(ctx context.Context, cmd string) (string, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), PasswordCommandTimeout)
	defer cancel()
	c := exec.CommandContext(ctx, "sh", "-c", cmd)
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	c.WaitDelay = time.Second
	err := c.Run()
	msg := strings.TrimSpace(errb.String())
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	if ctx.Err() != nil {
		return "", fmt.Errorf("password_command timed out after %s", PasswordCommandTimeout)
	}
	if err != nil {
		if msg != "" {
			return "", fmt.Errorf("password_command failed: %v: %s", err, msg)
		}
		return "", fmt.Errorf("password_command failed: %w", err)
	}
	pw := strings.TrimRight(out.String(), "\r\n")
	pw = strings.TrimSpace(pw)
	if pw == "" {
		return "", fmt.Errorf("password_command printed nothing")
	}
	return pw, nil
}

// CheckAuth finds, before anything connects, the devices whose SSH
// authentication cannot work: a password_env that is unset or empty, or no
// way to authenticate at all (no password source, no identity file that
// exists, no ssh-agent, no --ask-pass). It returns one error for all of
// them, grouped by cause and wrapping ErrNoPassword, so the admin reads the
// cause once instead of one AUTH_FAILED per device. A password_command is
// not run here (it may prompt); its failure is reported when it runs.
func (inv *Inventory) CheckAuth(devs []Device) error {
	unsetEnv := map[string][]string{}
	var envOrder, none []string
	for _, d := range devs {
		switch {
		case d.PasswordEnv != "":
			if v, ok := os.LookupEnv(d.PasswordEnv); !ok || v == "" {
				if unsetEnv[d.PasswordEnv] == nil {
					envOrder = append(envOrder, d.PasswordEnv)
				}
				unsetEnv[d.PasswordEnv] = append(unsetEnv[d.PasswordEnv], d.Name)
			}
		case d.PasswordCommand != "", inv.askPass != nil, os.Getenv("SSH_AUTH_SOCK") != "", anyFileExists(d.IdentityFiles):
		default:
			none = append(none, d.Name)
		}
	}
	var parts []string
	for _, env := range envOrder {
		parts = append(parts, fmt.Sprintf("password_env %s is not set (used by %s)", env, nameList(unsetEnv[env])))
	}
	if len(none) > 0 {
		parts = append(parts, fmt.Sprintf("no password source, no existing identity file and no ssh-agent for %s: "+
			"set password_env or password_command in the inventory, an IdentityFile, SSH_AUTH_SOCK, or pass --ask-pass", nameList(none)))
	}
	if len(parts) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s; nothing was contacted", ErrNoPassword, strings.Join(parts, "; "))
}

func anyFileExists(paths []string) bool {
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return true
		}
	}
	return false
}

// nameList names at most five devices and counts the rest.
func nameList(names []string) string {
	if len(names) <= 5 {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:5], ", "), len(names)-5)
}
