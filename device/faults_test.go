package device

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/sim"
)

func TestFaults(t *testing.T) {
	t.Run("refused", func(t *testing.T) {
		_, _, tg := one(t, sim.FaultRefused)
		_, err := Dial(bg, tg)
		var de *DialError
		if !errors.As(err, &de) || de.Kind != "refused" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("hang", func(t *testing.T) {
		_, _, tg := one(t, sim.FaultHang)
		tg.CommandTimeout = 500 * time.Millisecond
		c, err := Dial(bg, tg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		start := time.Now()
		_, err = c.Open(bg)
		if !errors.Is(err, ErrTimeout) || time.Since(start) > 3*time.Second {
			t.Fatalf("Open on a hung device = %v after %s", err, time.Since(start))
		}
	})
	t.Run("slow", func(t *testing.T) {
		f, kh := startFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "s", Hostname: "FGT-S"}}, SlowLatency: 1500 * time.Millisecond})
		d := f.Devices()[0]
		tg := targetFor(f, d, kh)
		_, s := open(t, tg)
		if err := d.SetFault(sim.FaultSlow, true); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(bg, 5*time.Second)
		defer cancel()
		s.ch.SetCommandTimeout(300 * time.Millisecond)
		_, err := s.Run(ctx, "get system status")
		if !errors.Is(err, ErrTimeout) {
			t.Fatalf("slow: %v", err)
		}
		if _, err := s.Run(bg, "get system status"); !errors.Is(err, ErrConnLost) {
			t.Fatalf("session after a timeout must refuse, got %v", err)
		}
	})
	t.Run("drop", func(t *testing.T) {
		_, d, tg := one(t, sim.Healthy)
		_, s := open(t, tg)
		d.DropNext()
		_, err := s.TokenConfig(bg)
		if !errors.Is(err, ErrConnLost) {
			t.Fatalf("drop: %v", err)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		_, d, tg := one(t, sim.Healthy)
		_, s := open(t, tg)
		if err := d.SetFault(sim.FaultGarbage, true); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err := s.TokenInfo(bg, "")
		if !errors.Is(err, ErrUnexpectedOutput) || time.Since(start) > tg.CommandTimeout {
			t.Fatalf("garbage: %v after %s", err, time.Since(start))
		}
		_, _, gtg := one(t, sim.FaultGarbage)
		c, err := Dial(bg, gtg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Open(bg); !errors.Is(err, ErrUnexpectedOutput) {
			t.Fatalf("Open on garbage device = %v", err)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		f, kh := startFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "c", Hostname: "FGT-C"}}, SlowLatency: 3 * time.Second})
		d := f.Devices()[0]
		_, s := open(t, targetFor(f, d, kh))
		_ = d.SetFault(sim.FaultSlow, true)
		ctx, cancel := context.WithCancel(bg)
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := s.Run(ctx, "get system status")
		if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
			t.Fatalf("cancel: %v after %s", err, time.Since(start))
		}
	})
}

func TestOutputCap(t *testing.T) {
	_, _, tg := one(t, sim.Paged)
	tg.maxOutput = 4096
	_, s := open(t, tg)
	_, err := s.Run(bg, CmdTokenConfig)
	if !errors.Is(err, ErrOutputTooLarge) {
		t.Fatalf("60-token config under a 4 KiB cap: %v", err)
	}
	if out, err := s.Run(bg, "get system status"); err != nil || !strings.Contains(out, "Hostname") {
		t.Fatalf("session lost sync after an oversized answer: %v", err)
	}
}

func TestTranscriptRedacts(t *testing.T) {
	_, _, tg := one(t, sim.Healthy)
	_, s := open(t, tg)
	var got []TranscriptEntry
	s.SetTranscript(func(e TranscriptEntry) { got = append(got, e) })
	_, err := s.Run(bg, "set passwd ENC SuperSecretBlob123==")
	if err == nil {
		t.Fatal("set at top level accepted")
	}
	if strings.Contains(err.Error(), "SuperSecretBlob") {
		t.Fatalf("error leaks a secret: %v", err)
	}
	if len(got) != 1 || strings.Contains(got[0].Line, "SuperSecretBlob") || got[0].Outcome != "error" || got[0].Device != "dev1" {
		t.Fatalf("transcript = %+v", got)
	}
}
