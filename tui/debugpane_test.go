package tui

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/parse"
)

// openDebug presses d on the device and waits for its fake stream.
func openDebug(t *testing.T, h *harness, device string) *fakeStream {
	t.Helper()
	h.selectDevice(device)
	h.key("d")
	s := h.fb.stream(device)
	if s == nil {
		t.Fatalf("d did not open a debug stream on %s", device)
	}
	return s
}

// feed sends lines and waits until the pump put them in the ring.
func feed(t *testing.T, h *harness, s *fakeStream, device string, lines ...parse.DebugLine) {
	t.Helper()
	_, before := h.m.dbg.ringFor(device).bounds()
	for _, l := range lines {
		s.send(l)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, n := h.m.dbg.ringFor(device).bounds(); n >= before+int64(len(lines)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("lines never reached the ring")
		}
		time.Sleep(time.Millisecond)
	}
	h.tick()
}

func dl(src parse.Source, raw string, isErr bool) parse.DebugLine {
	return parse.DebugLine{Source: src, Raw: raw, IsError: isErr}
}

func TestDebugPaneLiveLinesAndToggle(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.scanAll()
	s := openDebug(t, h, "berlin-fw1")
	if !h.m.showDbg || h.m.focus != paneDebug {
		t.Fatal("d should show and focus the debug pane")
	}
	if v := h.view(); !strings.Contains(v, "Debug · berlin-fw1 · live") {
		t.Fatalf("pane title:\n%s", v)
	}
	feed(t, h, s, "berlin-fw1",
		dl(parse.SourceForticldd, "[forticldd] ftm_cfg_poll_token_states", false),
		dl(parse.SourceFortitoken, "fortitoken: token FTK2000000000003 state new", false),
		dl(parse.SourceAlertmail, "alertmail: send ok", false),
		dl(parse.SourceOther, "something else", false),
		dl(parse.SourceForticldd, "ftm_activate: activation error", true))
	v := h.view()
	for _, want := range []string{"│cldd│ [forticldd] ftm_cfg_poll_token_states", "│ftk │ fortitoken: token", "│mail│ alertmail: send ok",
		"│    │ something else", "!│cldd│ ftm_activate: activation error", "5 lines"} {
		if !strings.Contains(v, want) {
			t.Errorf("pane lacks %q:\n%s", want, v)
		}
	}
	// colours by source in the colour palette
	h.m.st = NewStyles(true)
	raw := h.m.render()
	if !strings.Contains(raw, h.m.st.Forticldd.S("cldd")) || !strings.Contains(raw, h.m.st.DebugErr.pre) {
		t.Fatal("source/error colours missing from the coloured render")
	}
	h.key("d")
	if h.m.showDbg {
		t.Fatal("second d should close the pane")
	}
	if !s.isClosed() {
		t.Fatal("closing the pane must disarm (Close) the stream")
	}
	if !strings.Contains(h.view(), "debug disarmed on berlin-fw1") {
		t.Fatalf("disarm not reported:\n%s", h.view())
	}
}

// TestDebugPaneShowsDurationExpiry: the stream's notice that the device's
// debug duration ran out (and that it re-armed) is shown as a note in the
// warning colour, not as one more device line.
func TestDebugPaneShowsDurationExpiry(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.scanAll()
	s := openDebug(t, h, "berlin-fw1")
	expired := "ftktui: debug duration of 30 min expired on berlin-fw1 — re-arm"
	feed(t, h, s, "berlin-fw1", dl(parse.SourceForticldd, "2026-12-02 14:00:00 [37] fds_queue_task: req-33", false),
		dl(parse.SourceOther, expired, false),
		dl(parse.SourceOther, "ftktui: re-armed debug on berlin-fw1 (on for 30 more minutes)", false))
	v := h.view()
	for _, want := range []string{"│note│ " + expired, "│note│ ftktui: re-armed debug on berlin-fw1"} {
		if !strings.Contains(v, want) {
			t.Errorf("pane lacks %q:\n%s", want, v)
		}
	}
	h.m.st = NewStyles(true)
	if raw := h.m.render(); !strings.Contains(raw, h.m.st.Warn.S("note")) {
		t.Fatal("the notice is not in the warning colour")
	}
}

func TestDebugFollowPauseWrap(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.scanAll()
	s := openDebug(t, h, "paris-fw1")
	var lines []parse.DebugLine
	for i := 0; i < 100; i++ {
		lines = append(lines, dl(parse.SourceForticldd, fmt.Sprintf("line-%03d", i), false))
	}
	feed(t, h, s, "paris-fw1", lines...)
	if v := h.view(); !strings.Contains(v, "line-099") || strings.Contains(v, "line-000") {
		t.Fatalf("follow should show the newest lines:\n%s", v)
	}
	h.key("f")
	if h.m.dbg.follow {
		t.Fatal("f should pause")
	}
	frozen := h.view()
	feed(t, h, s, "paris-fw1", dl(parse.SourceForticldd, "line-new", false))
	if v := h.view(); strings.Contains(v, "line-new") || !strings.Contains(v, "paused") {
		t.Fatalf("paused pane must not scroll:\n%s", v)
	}
	_ = frozen
	h.key("k", "k", "k")
	if v := h.view(); strings.Contains(v, "line-099") {
		t.Fatalf("scrolling up while paused should hide the newest line:\n%s", v)
	}
	h.key("f")
	if v := h.view(); !strings.Contains(v, "line-new") || !strings.Contains(v, "follow") {
		t.Fatalf("f again should follow:\n%s", v)
	}
	long := strings.Repeat("x", 200) + "TAIL"
	feed(t, h, s, "paris-fw1", dl(parse.SourceForticldd, long, false))
	if strings.Contains(h.view(), "TAIL") {
		t.Fatal("without wrap a long line is truncated")
	}
	h.key("w")
	if v := h.view(); !strings.Contains(v, "TAIL") || !strings.Contains(v, "wrap") {
		t.Fatalf("with wrap the tail of a long line is visible:\n%s", v)
	}
	h.key("z")
	if !h.m.zoom || !strings.Contains(h.view(), "Debug ·") || strings.Contains(h.view(), "Fleet ·") {
		t.Fatal("z should zoom the debug pane over the others")
	}
}

func TestDebugSearchHighlightAndJump(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.scanAll()
	s := openDebug(t, h, "paris-fw1")
	var lines []parse.DebugLine
	for i := 0; i < 200; i++ {
		txt := fmt.Sprintf("poll %03d", i)
		if i == 20 {
			txt = "ftm_activate: Needle found"
		}
		lines = append(lines, dl(parse.SourceForticldd, txt, false))
	}
	feed(t, h, s, "paris-fw1", lines...)
	h.key("/")
	h.typeText("needle")
	h.key("enter")
	if h.m.dbg.search.value != "needle" {
		t.Fatalf("search = %q", h.m.dbg.search.value)
	}
	h.key("N") // previous match from the bottom
	if h.m.dbg.follow {
		t.Fatal("jumping to a match pauses follow")
	}
	v := h.view()
	if !strings.Contains(v, "ftm_activate: Needle found") || !strings.Contains(v, "match at line 21") {
		t.Fatalf("jump did not show the match:\n%s", v)
	}
	h.m.st = NewStyles(true)
	if raw := h.m.render(); !strings.Contains(raw, h.m.st.Match.S("Needle")) {
		t.Fatal("match not highlighted")
	}
	h.m.st = NewStyles(false)
	h.key("n")
	if !strings.Contains(h.view(), "no more matches for needle") {
		t.Fatalf("n past the last match:\n%s", h.view())
	}
	h.key("esc")
	if h.m.dbg.search.value != "" {
		t.Fatal("esc clears the search")
	}
}

func TestDebugSaveIsRedacted(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, newFake(), Options{SaveDir: dir})
	h.scanAll()
	s := openDebug(t, h, "oslo-fw1")
	feed(t, h, s, "oslo-fw1",
		dl(parse.SourceAlertmail, "alertmail: activation code: 4455667 sent to gina", false),
		dl(parse.SourceForticldd, `set seed ENC XyZsecretblob==`, false),
		dl(parse.SourceForticldd, "plain line", false))
	h.key("ctrl+s")
	v := h.view()
	const said = "saved 3 debug lines (redacted, source tags kept) to "
	i := strings.Index(v, said)
	if i < 0 {
		t.Fatalf("save not reported:\n%s", v)
	}
	path := strings.Fields(v[i+len(said):])[0]
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	if strings.Contains(got, "4455667") || strings.Contains(got, "XyZsecretblob") {
		t.Fatalf("secret in saved log:\n%s", got)
	}
	if !strings.Contains(got, "cldd plain line") || !strings.Contains(got, "mail alertmail:") || !strings.Contains(got, parse.Redacted) {
		t.Fatalf("saved log content:\n%s", got)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("saved log mode %v", fi.Mode())
	}
}

func TestDebugKeysDisabledWhenClosed(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.scanAll()
	h.key("f")
	if !strings.Contains(h.view(), "debug pane is closed (d opens it)") {
		t.Fatalf("f without pane:\n%s", h.view())
	}
	h.key("ctrl+s")
	if !strings.Contains(h.view(), "ctrl+s save — disabled: debug pane is closed") {
		t.Fatalf("ctrl+s without pane:\n%s", h.view())
	}
}

func TestRingIsBounded(t *testing.T) {
	r := newRing(1000)
	for i := 0; i < 2500; i++ {
		r.add(parse.DebugLine{Raw: fmt.Sprint(i)})
	}
	first, total := r.bounds()
	if first != 1500 || total != 2500 {
		t.Fatalf("bounds = %d,%d", first, total)
	}
	w, from := r.window(0, 3000)
	if from != 1500 || len(w) != 1000 || w[0].Raw != "1500" || w[999].Raw != "2499" {
		t.Fatalf("window from=%d len=%d first=%s", from, len(w), w[0].Raw)
	}
}

// ctrl+s says how many lines the ring still held, not how many arrived.
func TestDebugSaveSaysHowManyKept(t *testing.T) {
	h := newHarness(t, newFake(), Options{SaveDir: t.TempDir(), RingSize: 2})
	h.scanAll()
	s := openDebug(t, h, "oslo-fw1")
	feed(t, h, s, "oslo-fw1",
		dl(parse.SourceForticldd, "one", false), dl(parse.SourceFortitoken, "two", false), dl(parse.SourceAlertmail, "three", false))
	if v := h.view(); !strings.Contains(v, "3 lines (last 2 kept)") {
		t.Fatalf("title does not say what is kept:\n%s", v)
	}
	h.key("ctrl+s")
	if v := h.view(); !strings.Contains(v, "saved 2 debug lines (redacted, source tags kept; the pane received 3, the oldest 1 had left the ring)") {
		t.Fatalf("save report:\n%s", v)
	}
}
