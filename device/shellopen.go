package device

import (
	"context"
	"fmt"
	"io"

	"github.com/ftktui/ftktui/device/channel"
	"golang.org/x/crypto/ssh"
)

// ptyRequest is the payload of a "pty-req" channel request (RFC 4254 6.2).
type ptyRequest struct {
	Term          string
	Columns, Rows uint32
	Width, Height uint32
	Modes         string
}

// startShell opens a session channel and asks for a PTY and a shell
// without waiting for either reply: one round trip instead of three on a
// WAN (x/crypto's Session waits for each). A refusal shows as no prompt,
// which login reports; FortiOS and OpenSSH grant both.
func (c *Client) startShell() (*Session, error) {
	ch, reqs, err := c.ssh.OpenChannel("session", nil)
	if err != nil {
		return nil, err
	}
	go ssh.DiscardRequests(reqs)                            // exit-status and the like
	go func() { _, _ = io.Copy(io.Discard, ch.Stderr()) }() // unread extended data would stall the window
	rows := ptyRows
	if c.t.ptyRows > 0 {
		rows = c.t.ptyRows
	}
	// Terminal modes: ISPEED and OSPEED 38400, then TTY_OP_END.
	var modes []byte
	for _, m := range [][2]uint32{{ssh.TTY_OP_ISPEED, 38400}, {ssh.TTY_OP_OSPEED, 38400}} {
		modes = append(modes, byte(m[0]), byte(m[1]>>24), byte(m[1]>>16), byte(m[1]>>8), byte(m[1]))
	}
	modes = append(modes, 0)
	pty := ssh.Marshal(ptyRequest{Term: "vt100", Columns: ptyCols, Rows: uint32(rows), Width: ptyCols * 8, Height: uint32(rows) * 8, Modes: string(modes)})
	if _, err := ch.SendRequest("pty-req", false, pty); err != nil {
		_ = ch.Close()
		return nil, fmt.Errorf("pty: %w", err)
	}
	if _, err := ch.SendRequest("shell", false, nil); err != nil {
		_ = ch.Close()
		return nil, fmt.Errorf("shell: %w", err)
	}
	return &Session{c: c, t: c.t, ch: channel.New(ch, ch, ch, channelConfig(c, c.t))}, nil
}

// OpenExtra opens one more CLI session on the connection, beside like (an
// open session whose `get system status` it reuses: one read fewer). Unlike
// Open, a peer that does not answer the channel never costs the connection:
// when ctx ends first, OpenExtra returns ctx's error and the half-open
// channel is closed whenever the peer answers, or with the connection.
// FortiOS serves several sessions per connection (each one an admin
// session, which a unit may refuse at its session limit).
func (c *Client) OpenExtra(ctx context.Context, like *Session) (*Session, error) {
	type opened struct {
		s   *Session
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		s, err := c.startShell()
		ch <- opened{s, err}
	}()
	var s *Session
	select {
	case o := <-ch:
		if o.err != nil {
			return nil, opErr(c.t.label(), "open extra session", fmt.Errorf("%v: %w", o.err, ErrConnLost))
		}
		s = o.s
	case <-ctx.Done():
		go func() {
			if o := <-ch; o.s != nil {
				_ = o.s.Close()
			}
		}()
		return nil, opErr(c.t.label(), "open extra session", ctx.Err())
	}
	lctx, cancel := context.WithTimeout(ctx, c.t.commandTimeout())
	defer cancel()
	if err := s.ch.Login(lctx); err != nil {
		_ = s.Close()
		return nil, opErr(c.t.label(), "open extra session", err)
	}
	s.setStatus(like.status)
	return s, nil
}
