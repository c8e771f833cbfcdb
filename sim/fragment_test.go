package sim

import (
	"context"
	"strings"
	"testing"
	"time"
)

// fragmentRun logs in, runs a paged command and a plain one on a fresh
// fleet and returns the client's bytes and the device's channel writes.
func fragmentRun(t *testing.T, o Options) (string, []string, []string, *Fleet) {
	t.Helper()
	o.Specs = []DeviceSpec{{Name: "frag", Scenarios: []Scenario{Paged, Banner}}}
	o.Seed = 5
	f := startFleet(t, o)
	d := f.Devices()[0]
	w := recordWire(d)
	m := openTerm(t, dial(t, f, d), 24)
	p := d.Hostname() + " # "
	var all strings.Builder
	all.WriteString(m.readUntil("(Press 'a' to accept):", 5*time.Second))
	m.send("a")
	all.WriteString(m.readUntil(p, 5*time.Second))
	m.send("diagnose fortitoken info\n")
	for {
		got, which, err := m.waitAny(5*time.Second, morePrompt, p)
		if err != nil {
			t.Fatal(err)
		}
		all.WriteString(got)
		if which == p {
			break
		}
		m.send(" ")
	}
	all.WriteString(m.run("show system email-server", p))
	writes, chunks := w.snapshot()
	return all.String(), writes, chunks, f
}

// TestFragmentMode: with Options.Fragment every write reaches the channel
// as several writes cut at random offsets; the byte stream is unchanged,
// and the same seed cuts the same way (a failure can be replayed).
func TestFragmentMode(t *testing.T) {
	t.Setenv(FragmentEnv, "") // the plain run must be plain when CI sets it
	plain, pw, pc, pf := fragmentRun(t, Options{})
	if pf.FragmentSeed() != 0 {
		t.Errorf("FragmentSeed without fragment mode = %d", pf.FragmentSeed())
	}
	if len(pw) != len(pc) {
		t.Errorf("plain mode split writes: %d writes, %d channel writes", len(pw), len(pc))
	}
	frag, fw, fc, ff := fragmentRun(t, Options{Fragment: true, FragmentSeed: 99})
	if ff.FragmentSeed() != 99 {
		t.Errorf("FragmentSeed = %d", ff.FragmentSeed())
	}
	if frag != plain {
		t.Errorf("fragment mode changed the bytes:\n%q\n%q", frag, plain)
	}
	if strings.Join(fc, "") != strings.Join(fw, "") {
		t.Error("chunks do not add up to the writes")
	}
	if len(fc) < 2*len(fw) {
		t.Errorf("%d writes became only %d channel writes", len(fw), len(fc))
	}
	// every write of 2+ bytes is cut: the erase, the banner, the prompts
	whole := map[string]bool{}
	for _, w := range fw {
		if len(w) >= 8 {
			whole[w] = true
		}
	}
	if !whole[moreErase] {
		t.Error("no erase write seen")
	}
	for _, c := range fc {
		if whole[c] {
			t.Errorf("write reached the channel whole: %q", c)
		}
	}
	_, _, again, _ := fragmentRun(t, Options{Fragment: true, FragmentSeed: 99})
	if strings.Join(again, "\x00") != strings.Join(fc, "\x00") {
		t.Error("same seed, different cuts: not replayable")
	}
}

// TestFragmentEnv: FTKTUI_SIM_FRAGMENT=N turns fragment mode on with seed N
// when Options.Fragment is off; 0 picks a random seed; junk is an error.
func TestFragmentEnv(t *testing.T) {
	t.Setenv(FragmentEnv, "1234")
	f := startFleet(t, Options{Devices: 1})
	if f.FragmentSeed() != 1234 {
		t.Errorf("seed from env = %d", f.FragmentSeed())
	}
	f = startFleet(t, Options{Devices: 1, Fragment: true, FragmentSeed: 7})
	if f.FragmentSeed() != 7 {
		t.Errorf("Options win over env: %d", f.FragmentSeed())
	}
	t.Setenv(FragmentEnv, "0")
	f = startFleet(t, Options{Devices: 1})
	if f.FragmentSeed() == 0 {
		t.Error("env 0 gave no random seed")
	}
	t.Setenv(FragmentEnv, "yes")
	if f, err := Start(context.Background(), Options{Devices: 1}); err == nil {
		f.Close()
		t.Error("non-integer env accepted")
	}
}
