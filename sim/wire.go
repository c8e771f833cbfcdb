package sim

import (
	"hash/fnv"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FragmentEnv, when set to an integer and Options.Fragment is false, turns
// fragment mode on with that seed (0 = a random seed). CI uses it to run
// the client suites a second time against a fragmenting simulator.
const FragmentEnv = "FTKTUI_SIM_FRAGMENT"

// maxFragGap bounds the pause between two fragments of one write.
const maxFragGap = 3 * time.Millisecond

// pagerEraseGap is the pause after the pager's erase: FortiOS writes the
// erase and the next page separately, so a client that reads between them
// sees a buffer that ends in blanks after "--More-- " was answered.
const pagerEraseGap = 2 * time.Millisecond

// resolveFragment applies FragmentEnv and picks a random seed for 0.
func resolveFragment(o *Options) error {
	if !o.Fragment {
		v := strings.TrimSpace(os.Getenv(FragmentEnv))
		if v == "" {
			return nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return &envError{v}
		}
		o.Fragment, o.FragmentSeed = true, n
	}
	for o.FragmentSeed == 0 {
		o.FragmentSeed = rand.Int64()
	}
	return nil
}

type envError struct{ v string }

func (e *envError) Error() string {
	return "sim: " + FragmentEnv + "=" + strconv.Quote(e.v) + " is not an integer seed"
}

// FragmentSeed is the seed fragment mode runs with (0 when it is off); with
// it (and the device and session order) a failing run can be replayed.
func (f *Fleet) FragmentSeed() int64 {
	if !f.o.Fragment {
		return 0
	}
	return f.o.FragmentSeed
}

// fragRand returns the fragmenting RNG of a device's n-th session, or nil
// when fragment mode is off.
func (d *Device) fragRand(n uint64) *rand.Rand {
	if !d.f.o.Fragment {
		return nil
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(d.name))
	return rand.New(rand.NewPCG(uint64(d.f.o.FragmentSeed), h.Sum64()^n))
}

// wireHooks let tests see the writes of a device's sessions: each logical
// write, and each channel write it became.
type wireHooks struct {
	write, chunk func(id uint64, b []byte)
}

// emit is the one place where shell/exec stdout reaches the channel (wmu
// held). In fragment mode every write is cut at random offsets into
// several channel writes with short random gaps, as a real unit's output
// reaches a client over TCP.
func (s *session) emit(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	h := s.d.hooks.Load()
	if h != nil && h.write != nil {
		h.write(s.id, b)
	}
	if s.frag == nil || len(b) == 1 {
		if h != nil && h.chunk != nil {
			h.chunk(s.id, b)
		}
		_, err := s.ch.Write(b)
		return err
	}
	cuts := s.frag.IntN(min(len(b)-1, 5)) + 1
	offs := make([]int, 0, cuts+1)
	for range cuts {
		offs = append(offs, 1+s.frag.IntN(len(b)-1))
	}
	offs = append(offs, len(b))
	slices.Sort(offs)
	offs = slices.Compact(offs)
	prev := 0
	for i, o := range offs {
		if i > 0 {
			if g := time.Duration(s.frag.IntN(int(maxFragGap/time.Microsecond) + 1)); g > 0 {
				time.Sleep(g * time.Microsecond)
			}
		}
		if h != nil && h.chunk != nil {
			h.chunk(s.id, b[prev:o])
		}
		if _, err := s.ch.Write(b[prev:o]); err != nil {
			return err
		}
		prev = o
	}
	return nil
}

// emitStderr writes to the extended-data (stderr) stream (exec errors).
func (s *session) emitStderr(str string) error {
	if str == "" {
		return nil
	}
	_, err := s.ch.Stderr().Write([]byte(str))
	return err
}
