package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

// ExitCode is the `scan` exit status: 0 when no finding has severity error,
// 1 when any device has an error finding, is unreachable or failed to scan.
func ExitCode(results []fleet.DeviceResult) int {
	if slices.ContainsFunc(results, fleet.DeviceResult.Failed) {
		return 1
	}
	return 0
}

const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
	ansiDim    = "\x1b[2m"
	ansiReset  = "\x1b[0m"
)

func paint(s, color string, on bool) string {
	if !on || color == "" {
		return s
	}
	return color + s + ansiReset
}

func sevColor(s fleet.Severity) string {
	switch s {
	case fleet.SevError:
		return ansiRed
	case fleet.SevWarn:
		return ansiYellow
	case fleet.SevInfo, "":
		return ansiGreen
	}
	return ""
}

// WriteTable prints the `scan` table: one line per device, then one
// indented line per device finding and per token that is not OK. color adds
// ANSI colours (callers pass false for NO_COLOR or a non-terminal).
// Every device string goes through parse.SanitizeLine: a cell never carries
// a control character, even one a future reader forgets to clean.
func WriteTable(w io.Writer, results []fleet.DeviceResult, color bool) error {
	safe := parse.SanitizeLine
	rows := [][]string{{"DEVICE", "HOST", "STATE", "MODEL", "VERSION", "TOKENS", "FINDINGS"}}
	for _, r := range results {
		state := "ok"
		switch {
		case !r.Reachable:
			state = "unreachable"
		case r.Error != "":
			state = "scan-error"
		case r.Worst() == fleet.SevError || r.Worst() == fleet.SevWarn:
			state = string(r.Worst())
		}
		col := sevColor(r.Worst())
		if !r.Reachable || r.Error != "" {
			col = ansiRed
		}
		rows = append(rows, []string{safe(r.Name), fmt.Sprintf("%s:%d", safe(r.Host), r.Port), paint(state, col, color),
			dash(safe(r.Model)), dash(safe(r.Version)), fmt.Sprint(len(r.Tokens)), dash(safe(r.FindingCodes()))})
	}
	if err := writeColumns(w, rows); err != nil {
		return err
	}
	for _, r := range results {
		var lines []string
		for _, f := range r.Findings {
			if f.Token != "" {
				continue
			}
			lines = append(lines, fmt.Sprintf("  %s %s: %s", paint(fmt.Sprintf("%-5s", f.Severity), sevColor(f.Severity), color), f.Code, safe(f.Message)))
			if f.Advice != "" {
				lines = append(lines, paint("        → "+safe(f.Advice), ansiDim, color))
			}
		}
		infos := map[fleet.Code][]string{} // info diagnoses are summed up, not listed token by token
		var infoOrder []fleet.Code
		for _, t := range r.Tokens {
			if t.Diagnosis == fleet.CodeOK {
				continue
			}
			if t.Severity == fleet.SevInfo {
				if infos[t.Diagnosis] == nil {
					infoOrder = append(infoOrder, t.Diagnosis)
				}
				infos[t.Diagnosis] = append(infos[t.Diagnosis], t.Serial)
				continue
			}
			users := strings.Join(t.Users, ",")
			if users == "" {
				users = "-"
			}
			lines = append(lines, fmt.Sprintf("  %s %s %s (%s, %q, users %s)", paint(fmt.Sprintf("%-5s", t.Severity), sevColor(t.Severity), color),
				safe(t.Serial), t.Diagnosis, t.Kind, t.Status, safe(users)))
			if t.Advice != "" {
				lines = append(lines, paint("        → "+safe(t.Advice), ansiDim, color))
			}
			if t.Command != "" { // validated, shell-quoted (rule book suggestion)
				lines = append(lines, paint("        run: "+t.Command, ansiDim, color))
			}
		}
		for _, c := range infoOrder {
			sns := infos[c]
			shown := strings.Join(sns[:min(len(sns), 3)], ", ")
			if len(sns) > 3 {
				shown += fmt.Sprintf(", … (%d more)", len(sns)-3)
			}
			lines = append(lines, fmt.Sprintf("  %s %d token(s) %s: %s", paint("info ", sevColor(fleet.SevInfo), color), len(sns), c, safe(shown)))
		}
		if len(lines) == 0 {
			continue
		}
		if _, err := fmt.Fprintf(w, "\n%s\n%s\n", safe(r.Name), strings.Join(lines, "\n")); err != nil {
			return err
		}
	}
	return nil
}

// writeColumns aligns cells by their display width: colour codes take no
// columns on a terminal (tabwriter counted their bytes and shifted the table).
func writeColumns(w io.Writer, rows [][]string) error {
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, c := range row {
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
