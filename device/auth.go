package device

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// authSet is what one dial offers: public keys first (identity files, then
// the agent), then password and keyboard-interactive answered with it.
type authSet struct {
	methods []ssh.AuthMethod
	agentNC net.Conn // closed when the client closes
	notes   []string // why some configured methods are absent (no secrets)
}

func (a *authSet) close() {
	if a.agentNC != nil {
		_ = a.agentNC.Close()
	}
}

// buildAuth collects every configured method. The password function is
// called lazily and at most once so that `password_command` runs only when
// the device actually asks for a password.
func buildAuth(ctx context.Context, t Target) (*authSet, error) {
	a := &authSet{}
	var signers []ssh.Signer
	for _, f := range t.IdentityFiles {
		s, err := loadIdentity(f)
		if err != nil {
			a.notes = append(a.notes, err.Error())
			continue
		}
		signers = append(signers, s)
	}
	var agentSigners func() ([]ssh.Signer, error)
	if t.UseAgent {
		sock := os.Getenv("SSH_AUTH_SOCK")
		if sock == "" {
			a.notes = append(a.notes, "ssh-agent requested but SSH_AUTH_SOCK is not set")
		} else {
			var d net.Dialer
			nc, err := d.DialContext(ctx, "unix", sock)
			if err != nil {
				a.notes = append(a.notes, fmt.Sprintf("ssh-agent at %s: %v", sock, err))
			} else {
				a.agentNC = nc
				agentSigners = agent.NewClient(nc).Signers
			}
		}
	}
	if len(signers) > 0 || agentSigners != nil {
		a.methods = append(a.methods, ssh.PublicKeysCallback(func() ([]ssh.Signer, error) {
			all := append([]ssh.Signer(nil), signers...)
			if agentSigners != nil {
				if more, err := agentSigners(); err == nil {
					all = append(all, more...)
				}
			}
			return all, nil
		}))
	}
	if t.Password != nil {
		pw := &lazyPassword{ctx: ctx, get: t.Password}
		if !t.noPasswordMethod {
			a.methods = append(a.methods, ssh.PasswordCallback(pw.value))
		}
		a.methods = append(a.methods,
			ssh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
				answers := make([]string, len(questions))
				if len(questions) == 0 {
					return answers, nil
				}
				p, err := pw.value()
				if err != nil {
					return nil, err
				}
				for i := range answers {
					answers[i] = p
				}
				return answers, nil
			}))
	}
	if len(a.methods) == 0 {
		a.close()
		return nil, fmt.Errorf("no usable authentication method (%s): %w", strings.Join(a.notes, "; "), ErrAuth)
	}
	return a, nil
}

// lazyPassword fetches the password once, on first use.
type lazyPassword struct {
	ctx  context.Context
	get  func(context.Context) (string, error)
	once sync.Once
	pw   string
	err  error
}

func (l *lazyPassword) value() (string, error) {
	l.once.Do(func() {
		l.pw, l.err = l.get(l.ctx)
		if l.err != nil {
			l.err = fmt.Errorf("password source: %w", l.err)
		}
	})
	return l.pw, l.err
}

// loadIdentity reads a private key file; `~` expands. Encrypted keys are
// reported (use the agent for them) rather than prompting here.
func loadIdentity(path string) (ssh.Signer, error) {
	path = expandHome(path)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("identity file: %w", err)
	}
	s, err := ssh.ParsePrivateKey(b)
	if err != nil {
		var pe *ssh.PassphraseMissingError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("identity file %s is passphrase-protected; load it into ssh-agent", path)
		}
		return nil, fmt.Errorf("identity file %s: %w", path, err)
	}
	return s, nil
}
