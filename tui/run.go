package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// RunOptions are terminal plumbing for Run; zero values use the process'
// stdin/stdout.
type RunOptions struct {
	Input  io.Reader
	Output io.Writer
	// Width and Height fix the size when the output is not a terminal.
	Width, Height int
}

// Run runs the TUI on the terminal until the user quits, ctx ends, or the
// process gets SIGTERM/SIGHUP. Every exit path, including a panic, disarms
// the debug streams it opened and restores the terminal.
func Run(ctx context.Context, o Options) error {
	return RunWith(ctx, o, RunOptions{})
}

// RunWith is Run with explicit terminal plumbing (tests, alternative ttys).
func RunWith(ctx context.Context, o Options, ro RunOptions) (err error) {
	if o.Backend == nil {
		return errors.New("tui: no backend")
	}
	if NoColorRequested() {
		o.NoColor = true
	}
	m := New(o)
	defer func() {
		if r := recover(); r != nil {
			err = errors.Join(fmt.Errorf("tui: panic: %v", r), m.Close())
		}
	}()
	defer func() {
		if cerr := m.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()

	sigCtx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	opts := []tea.ProgramOption{tea.WithContext(context.WithoutCancel(ctx)), tea.WithoutSignalHandler()}
	if ro.Input != nil {
		opts = append(opts, tea.WithInput(ro.Input))
	}
	if ro.Output != nil {
		opts = append(opts, tea.WithOutput(ro.Output))
	}
	if ro.Width > 0 && ro.Height > 0 {
		opts = append(opts, tea.WithWindowSize(ro.Width, ro.Height))
	}
	if o.NoColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	p := tea.NewProgram(m, opts...)

	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-done:
			return
		case <-sigCtx.Done():
		}
		p.Send(QuitMsg{}) // disarm first, then quit
		select {
		case <-done:
		case <-time.After(actionQuitTimeout + m.o.CloseTimeout + 2*time.Second):
			p.Kill() // the UI is stuck: restore the terminal anyway
		}
	}()

	_, err = p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && sigCtx.Err() != nil {
		err = nil
	}
	if err != nil {
		return fmt.Errorf("tui: %w", err)
	}
	return nil
}
