package device

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/ftktui/ftktui/parse"
	"golang.org/x/crypto/ssh"
)

// Client is one authenticated SSH connection to a device (possibly through
// a jump host). Sessions are opened on it; Close ends everything.
type Client struct {
	t     Target
	ssh   *ssh.Client
	conn  net.Conn
	jump  *Client
	auth  *authSet
	done  chan struct{}
	once  sync.Once
	wg    sync.WaitGroup
	mu    sync.Mutex
	cause error // why the connection died (keepalive), nil while healthy
}

// Dial connects and authenticates. The whole dial (TCP, jump hop, key
// exchange, auth) is bounded by Target.DialTimeout and by ctx: when either
// ends, the socket is closed, which unblocks the handshake.
func Dial(ctx context.Context, t Target) (*Client, error) {
	c, err := dial(ctx, t)
	if err != nil {
		return nil, opErr(t.label(), "", err)
	}
	return c, nil
}

func dial(ctx context.Context, t Target) (*Client, error) {
	if t.Host == "" {
		return nil, fmt.Errorf("no host: %w", ErrInvalidInput)
	}
	if !parse.ValidName(t.vdom()) {
		return nil, fmt.Errorf("VDOM name %s: %w", parse.Quote(t.VDOM), ErrInvalidInput)
	}
	addr := t.addr()
	dctx, cancel := context.WithTimeout(ctx, t.dialTimeout())
	defer cancel()

	hostCB, hostAlgos, err := hostKeyPolicy(t, addr)
	if err != nil {
		return nil, err
	}
	auth, err := buildAuth(dctx, t)
	if err != nil {
		return nil, err
	}

	conn, jump, err := connect(ctx, dctx, t, addr)
	if err != nil {
		auth.close()
		return nil, err
	}
	fail := func(e error) (*Client, error) {
		_ = conn.Close()
		auth.close()
		if jump != nil {
			_ = jump.Close()
		}
		return nil, e
	}

	cfg := &ssh.ClientConfig{
		User:              t.User,
		Auth:              auth.methods,
		HostKeyCallback:   hostCB,
		HostKeyAlgorithms: hostAlgos,
		Timeout:           t.dialTimeout(),
		ClientVersion:     "SSH-2.0-ftktui",
	}
	if t.LegacyAlgorithms {
		cfg.KeyExchanges, cfg.Ciphers = legacyAlgorithms()
	}
	stop := context.AfterFunc(dctx, func() { _ = conn.Close() })
	sc, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	interrupted := !stop()
	if err != nil {
		return fail(handshakeErr(ctx, t, err, interrupted))
	}
	if interrupted {
		_ = sc.Close()
		return fail(&DialError{Addr: addr, Kind: "timeout", Err: errors.New("dial deadline reached")})
	}
	c := &Client{t: t, ssh: ssh.NewClient(sc, chans, reqs), conn: conn, jump: jump, auth: auth, done: make(chan struct{})}
	if ka := t.keepalive(); ka > 0 {
		c.wg.Add(1)
		go c.keepalive(ka)
	}
	return c, nil
}

// connect opens the TCP connection to addr, directly or through the jump
// host (returned, to be closed with the connection).
func connect(ctx, dctx context.Context, t Target, addr string) (net.Conn, *Client, error) {
	if t.Jump == nil {
		var d net.Dialer
		conn, err := d.DialContext(dctx, "tcp", addr)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			return nil, nil, &DialError{Addr: addr, Kind: classifyDial(dctx, err), Err: err}
		}
		return conn, nil, nil
	}
	jump, err := dial(dctx, jumpTarget(t))
	if err != nil {
		return nil, nil, fmt.Errorf("jump host %s: %w", t.Jump.label(), err)
	}
	conn, err := jump.ssh.DialContext(dctx, "tcp", addr)
	if err != nil {
		_ = jump.Close()
		return nil, nil, &DialError{Addr: addr, Kind: classifyDial(dctx, err), Via: t.Jump.addr(), Err: err}
	}
	return conn, jump, nil
}

// handshakeErr names why the SSH handshake failed: the host key, the
// caller, the dial deadline (interrupted), the credentials or the
// algorithms.
func handshakeErr(ctx context.Context, t Target, err error, interrupted bool) error {
	var hk *HostKeyError
	switch {
	case errors.As(err, &hk):
		return hk
	case ctx.Err() != nil:
		return ctx.Err()
	case interrupted:
		return &DialError{Addr: t.addr(), Kind: "timeout", Err: fmt.Errorf("ssh handshake did not finish within %s", t.dialTimeout())}
	case isAuthFailure(err):
		return fmt.Errorf("user %q: %v: %w", t.User, err, ErrAuth)
	case isAlgoFailure(err) && !t.LegacyAlgorithms:
		return fmt.Errorf("ssh handshake: %v (the device may need legacy_algorithms: true): %w", err, ErrConnLost)
	}
	return fmt.Errorf("ssh handshake: %v: %w", err, ErrConnLost)
}

// Close ends the connection, its sessions and the jump hop. Idempotent.
func (c *Client) Close() error {
	c.once.Do(func() {
		close(c.done)
		_ = c.ssh.Close()
		_ = c.conn.Close()
		c.auth.close()
		if c.jump != nil {
			_ = c.jump.Close()
		}
	})
	c.wg.Wait()
	return nil
}

// Target returns the target this client was dialled with.
func (c *Client) Target() Target { return c.t }

// lostCause is the recorded reason the connection died, if known.
func (c *Client) lostCause() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cause
}

// keepalive sends keepalive@openssh.com; a peer that does not answer within
// the interval (twice) is declared dead and the socket closed, which makes
// every blocked read return and surface ErrConnLost.
func (c *Client) keepalive(every time.Duration) {
	defer c.wg.Done()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-tick.C:
		}
		res := make(chan error, 1)
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			_, _, err := c.ssh.SendRequest("keepalive@openssh.com", true, nil)
			res <- err
		}()
		wait := time.NewTimer(2 * every)
		select {
		case <-c.done:
			wait.Stop()
			return
		case err := <-res:
			wait.Stop()
			if err != nil {
				c.markLost(fmt.Errorf("keepalive: %v: %w", err, ErrConnLost))
				return
			}
		case <-wait.C:
			c.markLost(fmt.Errorf("no keepalive answer within %s: %w", 2*every, ErrConnLost))
			return
		}
	}
}

func (c *Client) markLost(err error) {
	c.mu.Lock()
	if c.cause == nil {
		c.cause = err
	}
	c.mu.Unlock()
	_ = c.conn.Close()
}

// classifyDial names why a TCP connect failed.
func classifyDial(ctx context.Context, err error) string {
	var dnsErr *net.DNSError
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.As(err, &dnsErr):
		return "dns"
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil || (errors.As(err, &ne) && ne.Timeout()):
		return "timeout"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "unreachable"
	}
	return "unreachable"
}

// jumpTarget fills what the bastion entry leaves unset from the device, as
// OpenSSH's ProxyJump does: the same known_hosts policy and the same keys
// (never the device password: a bastion has its own).
func jumpTarget(t Target) Target {
	j := *t.Jump
	if j.KnownHosts == "" {
		j.KnownHosts, j.AcceptNewHostKeys = t.KnownHosts, t.AcceptNewHostKeys
	}
	if j.Password == nil && len(j.IdentityFiles) == 0 && !j.UseAgent {
		j.IdentityFiles, j.UseAgent = t.IdentityFiles, t.UseAgent
	}
	if j.User == "" {
		j.User = t.User
	}
	if j.DialTimeout == 0 {
		j.DialTimeout = t.DialTimeout
	}
	if j.Name == "" {
		j.Name = "jump " + j.addr()
	}
	return j
}
