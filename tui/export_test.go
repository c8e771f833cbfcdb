package tui

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftktui/ftktui/fleet"
)

// ctrl+e / alt+e export exactly the rows the view shows (filter applied),
// from a command, and the status line says where the file is.
func TestExportView(t *testing.T) {
	dir := t.TempDir()
	m := New(Options{Backend: newFake(), Inventory: "demo.yaml", NoColor: true, ExportDir: dir, NoInitialScan: false})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(200, 44))
	pathRe := regexp.MustCompile(`to (/\S+\.(csv|json))`)
	exported := func() string {
		t.Helper()
		var path string
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			if mm := pathRe.FindSubmatch(b); mm != nil {
				path = string(mm[1])
				return true
			}
			return false
		}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
		return path
	}
	typeText := func(s string) {
		for _, r := range s {
			tm.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("scan finished")) },
		teatest.WithDuration(10*time.Second))

	tm.Send(tea.KeyPressMsg{Code: '/', Text: "/"})
	typeText("rome")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Send(tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl})
	p := exported()
	if filepath.Dir(p) != dir {
		t.Fatalf("exported to %s, want a file in %s", p, dir)
	}
	rows := readCSV(t, p)
	if len(rows) != 2 || rows[1][0] != "rome-fw1" || rows[1][3] != "error" || rows[1][10] != "2" || rows[1][12] != "error" {
		t.Errorf("fleet CSV with filter rome = %q", rows)
	}

	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter}) // the token table of rome-fw1
	tm.Send(tea.KeyPressMsg{Code: '/', Text: "/"})
	typeText("fred")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Send(tea.KeyPressMsg{Code: 'e', Mod: tea.ModAlt})
	p = exported()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var rep fleet.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if len(rep.Devices) != 1 || rep.Devices[0].Name != "rome-fw1" || len(rep.Devices[0].Tokens) != 1 || rep.Devices[0].Tokens[0].Serial != "FTK2000000000006" {
		t.Errorf("token JSON with filter fred = %+v", rep)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("export mode %v: it names token users, keep it 0600", st.Mode().Perm())
	}
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
}

func readCSV(t *testing.T, p string) [][]string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
