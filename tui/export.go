package tui

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/report"
)

// exportedMsg reports where an export of the current view was written.
type exportedMsg struct {
	path string
	what string
	err  error
}

// exportView is ctrl+e (CSV) / alt+e (JSON): the fleet list or, when the
// token table has the focus, the tokens of its device, both with the filter
// applied, written to the working directory. The rows are copied here; the
// file is written by the returned command (no I/O in Update).
func (m *Model) exportView(format string) tea.Cmd {
	m.refreshListIfDirty()
	var results []fleet.DeviceResult
	var what, view string
	if m.focus == paneTokens && m.table.device != "" {
		d := m.dev(m.table.device)
		if d == nil || d.res == nil {
			m.setStatus("export — disabled: "+m.table.device+" has not been scanned yet", "warn")
			return nil
		}
		m.table.refresh()
		r := *d.res
		r.Tokens = make([]fleet.TokenResult, 0, len(m.table.order))
		for _, i := range m.table.order {
			r.Tokens = append(r.Tokens, d.res.Tokens[i])
		}
		results = []fleet.DeviceResult{r}
		what, view = fmt.Sprintf("%d tokens of %s", len(r.Tokens), r.Name), "tokens-"+unsafeFileChars.ReplaceAllString(r.Name, "_")
	} else {
		for _, i := range m.list.order {
			d := m.devs[i]
			if d.res != nil {
				results = append(results, *d.res)
			} else {
				results = append(results, fleet.DeviceResult{Name: d.dev.Name, Host: d.dev.Host, Port: d.dev.Port})
			}
		}
		what, view = fmt.Sprintf("%d devices", len(results)), "fleet"
	}
	if results == nil {
		results = []fleet.DeviceResult{}
	}
	if f := m.currentFilter(); f != "" {
		what += fmt.Sprintf(" (filter %q)", f)
	}
	name := fmt.Sprintf("ftktui-%s-%s.%s", view, time.Now().Format("20060102-150405"), format)
	path := filepath.Join(m.o.ExportDir, name)
	tokens := view != "fleet"
	return func() tea.Msg {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		err := report.WriteFileAtomic(path, 0o600, func(w io.Writer) error {
			switch {
			case format == "json":
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(fleet.Report{Devices: results})
			case tokens:
				return report.WriteCSV(w, results)
			}
			return report.WriteDeviceCSV(w, results)
		})
		return exportedMsg{path: path, what: what, err: err}
	}
}

// currentFilter is the filter of the view being exported.
func (m *Model) currentFilter() string {
	if m.focus == paneTokens {
		return m.table.filter.value
	}
	return m.list.filter.value
}

func (m *Model) onExported(msg exportedMsg) {
	if msg.err != nil {
		m.setStatus("export failed: "+msg.err.Error(), "error")
		return
	}
	m.setStatus("exported "+msg.what+" to "+msg.path, "ok")
}
