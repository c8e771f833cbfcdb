package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/parse"
)

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// saveDebug is ctrl+s: the pane's lines are copied here (cheap, bounded by
// the ring) and written by a command, redacted line by line.
func (m *Model) saveDebug() tea.Cmd {
	dev := m.dbg.device
	r := m.dbg.ringFor(dev)
	first, total := r.bounds()
	lines, _ := r.window(first, total)
	if len(lines) == 0 {
		m.setStatus("ctrl+s save — disabled: no debug lines captured for "+dev, "warn")
		return nil
	}
	dir := m.o.SaveDir
	if dir == "" {
		dir = os.TempDir()
	}
	name := fmt.Sprintf("ftktui-debug-%s-%s.log", unsafeFileChars.ReplaceAllString(dev, "_"), time.Now().Format("20060102-150405.000"))
	path := filepath.Join(dir, name)
	return func() tea.Msg {
		n, err := writeDebugLog(path, lines)
		return savedMsg{path: path, n: n, seen: total, err: err}
	}
}

func writeDebugLog(path string, lines []parse.DebugLine) (int, error) {
	var b strings.Builder
	for _, l := range lines {
		tag, ok := srcTags[l.Source] // the source tag is part of the line, as on screen
		if !ok {
			tag = "    "
		}
		b.WriteString(tag + " " + lineText(l))
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return 0, fmt.Errorf("write debug log %s: %w", path, err)
	}
	return len(lines), nil
}
