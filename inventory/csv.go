package inventory

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// csvIgnoredSecret are columns a CMDB export may carry that ftktui never
// reads: a password belongs in an environment variable or a helper command.
var csvIgnoredSecret = map[string]bool{"password": true, "pass": true, "secret": true, "ansible_password": true}

// loadCSV reads a CSV inventory: a header naming the columns (name and host
// required, then any settings key, and tags separated by ';'), one device a
// row. Columns it does not know are ignored with a note, because CMDB and
// NetBox exports carry many; an empty cell means "not set here".
func loadCSV(path string, b []byte, base settings) (*Inventory, []Problem) {
	b = bytes.TrimPrefix(b, utf8BOM)
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	r.TrimLeadingSpace = true
	r.ReuseRecord = false
	var probs []Problem
	bad := func(line int, format string, args ...any) {
		probs = append(probs, Problem{File: path, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			bad(0, "CSV: empty file (want a header line such as name,host,port,user,tags)")
		} else {
			bad(csvErrLine(err), "CSV: %v", csvErrMsg(err))
		}
		return nil, probs
	}
	headerLine, _ := r.FieldPos(0)
	cols, notes, probs := csvColumns(path, header, headerLine)
	if len(probs) > 0 {
		return nil, probs
	}
	inv := &Inventory{Path: path, Format: FormatCSV, Notes: notes}
	names := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			bad(csvErrLine(err), "CSV: %v", csvErrMsg(err))
			if _, ok := err.(*csv.ParseError); ok && !errors.Is(err, csv.ErrFieldCount) {
				break // a quoting error leaves the reader lost; stop here
			}
			continue
		}
		line, _ := r.FieldPos(0)
		if blankRecord(rec) {
			continue
		}
		d, dp := csvDevice(path, rec, cols, line, base)
		probs = append(probs, dp...)
		probs = append(probs, checkDevice(path, d, names)...)
		inv.Devices = append(inv.Devices, d)
	}
	if len(inv.Devices) == 0 && len(probs) == 0 {
		bad(headerLine, "CSV: a header and no device rows")
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return inv, nil
}

// csvColumns maps the header's column names to their index. The notes say
// which columns are never read: passwords (refused by design) and columns
// that are not ftktui settings (CMDB exports carry many).
func csvColumns(path string, header []string, headerLine int) (map[string]int, []string, []Problem) {
	var probs []Problem
	bad := func(format string, args ...any) {
		probs = append(probs, Problem{File: path, Line: headerLine, Message: fmt.Sprintf(format, args...)})
	}
	cols := map[string]int{}
	var ignored, secrets, notes []string
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if first, dup := cols[h]; dup {
			bad("CSV header: column %q twice (columns %d and %d)", h, first+1, i+1)
			continue
		}
		cols[h] = i
		switch {
		case h == "name" || h == "host" || h == "tags":
		case csvIgnoredSecret[h]:
			secrets = append(secrets, h)
		case !isSettingKey(h):
			ignored = append(ignored, h)
		}
	}
	for _, need := range []string{"name", "host"} {
		if _, ok := cols[need]; !ok {
			bad("CSV header: no %q column (have %s)", need, strings.Join(header, ","))
		}
	}
	if len(secrets) > 0 {
		notes = append(notes, fmt.Sprintf("%s:%d: column %s is never read: give the password with password_env or password_command (settings file defaults, or a column), or --ask-pass",
			path, headerLine, strings.Join(secrets, ", ")))
	}
	if len(ignored) > 0 {
		sort.Strings(ignored)
		notes = append(notes, fmt.Sprintf("%s:%d: columns ignored (not ftktui settings): %s", path, headerLine, strings.Join(ignored, ", ")))
	}
	return cols, notes, probs
}

// csvDevice is one row's device: base, then the row's own settings.
func csvDevice(path string, rec []string, cols map[string]int, line int, base settings) (Device, []Problem) {
	var probs []Problem
	bad := func(format string, args ...any) {
		probs = append(probs, Problem{File: path, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	cell := func(c string) string {
		if i, ok := cols[c]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	d := newDevice(line, base)
	d.Name, d.Host = cell("name"), cell("host")
	for _, t := range strings.Split(cell("tags"), ";") {
		if t = strings.TrimSpace(t); t != "" {
			d.Tags = append(d.Tags, t)
		}
	}
	var own settings
	if cell("password_env") != "" && cell("password_command") != "" {
		bad("device %q: password_env and password_command are both set; keep one", d.Name)
	}
	for _, k := range settingKeys {
		v := cell(k)
		if v == "" {
			continue
		}
		if err := setKV(&own, k, v); err != nil {
			bad("device %q: column %d (%s): %v", d.Name, cols[k]+1, k, err)
		}
	}
	own.apply(&d)
	finishPaths(path, &d)
	return d, probs
}

func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func csvErrLine(err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.StartLine // where the record (and an unclosed quote) begins
	}
	return 0
}

// csvErrMsg drops encoding/csv's own "record on line N" prefix: the line is
// already in the FILE:LINE form.
func csvErrMsg(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return pe.Err.Error()
		}
		if pe.Line != pe.StartLine {
			return fmt.Sprintf("%v (the record starting here runs to line %d: an unclosed quote?)", pe.Err, pe.Line)
		}
		return fmt.Sprintf("%v (at character %d)", pe.Err, pe.Column)
	}
	return err.Error()
}
