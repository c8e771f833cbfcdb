package sim

import (
	"strings"
	"testing"
	"time"
)

// TestTypedAheadDoubleEcho replays the FortiOS 7.4.10 capture of
// fortios-wire.md §4: lines sent while `diagnose debug reset` runs are
// echoed at once, raw ("line\r\n"), and again after the prompt when the
// CLI reads them ("PROMPT line\r\r\n").
func TestTypedAheadDoubleEcho(t *testing.T) {
	f := startFleet(t, Options{SlowLatency: 400 * time.Millisecond, Specs: []DeviceSpec{{Scenarios: []Scenario{Healthy, FaultSlow}}}})
	d := f.Devices()[0]
	m := openTerm(t, dial(t, f, d), 40)
	p := d.Hostname() + " # "
	m.readUntil(p, 5*time.Second)
	cmds := []string{"diagnose debug reset", "diagnose debug console timestamp enable",
		"diagnose debug application forticldd 255", "diagnose fortitoken debug enable"}
	for _, c := range cmds {
		m.send(c + "\n")
		time.Sleep(60 * time.Millisecond)
	}
	var got strings.Builder
	for range cmds {
		got.WriteString(m.readUntil(p, 5*time.Second))
	}
	want := "diagnose debug reset\r\r\n" +
		"diagnose debug console timestamp enable\r\n" +
		"diagnose debug application forticldd 255\r\n" +
		"diagnose fortitoken debug enable\r\n" +
		"\r\n" +
		p + "diagnose debug console timestamp enable\r\r\n" +
		"\r\n" +
		p + "diagnose debug application forticldd 255\r\r\n" +
		"Debug messages will be on for 30 minutes.\r\n" +
		"\r\n" +
		p + "diagnose fortitoken debug enable\r\r\n" +
		"Debug messages will be on for 30 minutes.\r\n" +
		"\r\n" + p
	if got.String() != want {
		t.Errorf("typed-ahead bytes:\n got %q\nwant %q", got.String(), want)
	}
	if c := d.State().Commands; len(c) != 4 || c[3] != cmds[3] {
		t.Errorf("commands %q", c)
	}
}

// TestTypedAheadOnePacket sends three lines in one packet: the second and
// third are typed ahead of the first answer, so they are echoed raw right
// after the first echo, then each again with its prompt; the answers
// themselves are those of lines typed one at a time.
func TestTypedAheadOnePacket(t *testing.T) {
	cmds := []string{"show system email-server", "get system console", "diagnose fortitoken info"}
	_, _, m, p := healthyTerm(t)
	var single []string
	for _, c := range cmds {
		single = append(single, m.run(c, p))
	}
	m.send(strings.Join(cmds, "\r") + "\r")
	var got strings.Builder
	for range cmds {
		got.WriteString(m.readUntil(p, 5*time.Second))
	}
	want := cmds[0] + "\r\r\n" + cmds[1] + "\r\n" + cmds[2] + "\r\n" +
		strings.TrimPrefix(single[0], cmds[0]+"\r\r\n") + single[1] + single[2]
	if got.String() != want {
		t.Fatalf("pipelined answers:\n got %q\nwant %q", got.String(), want)
	}
}

// TestLineEndsCRLF: "\r", "\n" and "\r\n" end a line alike; the LF of a
// CRLF is not typed-ahead input, even when it comes in a packet of its own
// while the command runs.
func TestLineEndsCRLF(t *testing.T) {
	f := startFleet(t, Options{SlowLatency: 200 * time.Millisecond, Specs: []DeviceSpec{{Scenarios: []Scenario{Healthy}}, {Scenarios: []Scenario{Healthy, FaultSlow}}}})
	for _, d := range f.Devices() {
		m := openTerm(t, dial(t, f, d), 40)
		p := d.Hostname() + " # "
		m.readUntil(p, 5*time.Second)
		want := m.run("get system console", p)
		for _, end := range []string{"\r", "\r\n"} {
			m.send("get system console" + end)
			if got := m.readUntil(p, 5*time.Second); got != want {
				t.Errorf("%s: line end %q: %q, want %q", d.Name(), end, got, want)
			}
		}
		m.send("get system console\r")
		time.Sleep(50 * time.Millisecond)
		m.send("\n")
		if got := m.readUntil(p, 5*time.Second); got != want {
			t.Errorf("%s: split CRLF: %q, want %q", d.Name(), got, want)
		}
		if got, err := m.waitFor(p, 300*time.Millisecond); err == nil {
			t.Errorf("%s: extra prompt %q", d.Name(), got)
		}
	}
}
