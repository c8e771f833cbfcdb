package parse

import (
	"strconv"
	"strings"
)

// auxErrorPrefixes are lines FortiOS prints next to (or instead of) the
// classified errors; alone they make an ErrOther.
var auxErrorPrefixes = []string{
	"node_check_object fail",
	"object check operator error",
	"please use 'end'",
	"invalid ",
	"Permission denied",
	"permission denied",
}

// mayHoldCLIError is a cheap first look: output with none of these words
// holds no CLI error (most command output), so it is not read line by line.
func mayHoldCLIError(out string) bool {
	for _, w := range []string{"Unknown action", "error", "Command fail", "entry", "incomplete", "ermission",
		"invalid", "node_check_object", "please use"} {
		if strings.Contains(out, w) {
			return true
		}
	}
	return false
}

// FindCLIError returns the CLI error in out, or nil when there is none. The
// return code -37 and "permission denied" text are classed ErrPermission
// because callers refuse actions on read-only profiles. Only whole lines are
// matched, so token statuses such as "activation error (...)" in
// `diagnose fortitoken info` are not errors.
func FindCLIError(out string) *CLIError {
	if !mayHoldCLIError(out) {
		return nil
	}
	var e *CLIError
	var msgs []string
	perm := false
	get := func() *CLIError {
		if e == nil {
			e = &CLIError{}
		}
		return e
	}
	for _, raw := range outputLines(out) {
		line := strings.TrimSpace(raw)
		kind := CLIErrorKind("")
		switch {
		case strings.HasPrefix(line, "Unknown action"):
			kind = ErrUnknownAction
		case strings.HasPrefix(line, "command parse error before"):
			kind = ErrCommandParse
			get().Token = quotedToken(line)
		case strings.HasPrefix(line, "value parse error before"):
			kind = ErrValueParse
			get().Token = quotedToken(line)
		case line == "entry not found in datasource":
			kind = ErrEntryNotFound
		case strings.HasPrefix(line, "The entry is used by other ") && strings.HasSuffix(line, " entries"):
			kind = ErrEntryInUse
			n := strings.TrimSuffix(strings.TrimPrefix(line, "The entry is used by other "), " entries")
			get().Refs, _ = strconv.Atoi(n)
		case line == "incomplete command in the end":
			kind = ErrIncomplete
		case strings.HasPrefix(line, "Command fail."):
			get()
			if i := strings.Index(line, "Return code "); i >= 0 {
				f := strings.Fields(line[i+len("Return code "):])
				if len(f) > 0 {
					e.Code, _ = strconv.Atoi(f[0])
				}
			}
			if e.Code == -37 {
				perm = true
			}
			msgs = append(msgs, line)
			continue
		default:
			if !hasAnyPrefix(line, auxErrorPrefixes) {
				continue
			}
			if strings.Contains(strings.ToLower(line), "permission denied") {
				perm = true
			}
			get()
			msgs = append(msgs, line)
			continue
		}
		get()
		if e.Kind == "" {
			e.Kind = kind
		}
		msgs = append(msgs, line)
	}
	if e == nil {
		return nil
	}
	switch {
	case perm:
		e.Kind = ErrPermission
	case e.Kind != "":
	case e.Code != 0:
		e.Kind = ErrCommandFail
	default:
		e.Kind = ErrOther
	}
	e.Message = Redact(strings.Join(msgs, "; "))
	e.Token = Redact(e.Token)
	return e
}

// quotedToken returns x from "... before 'x'".
func quotedToken(line string) string {
	i := strings.IndexByte(line, '\'')
	if i < 0 {
		return ""
	}
	j := strings.LastIndexByte(line, '\'')
	if j <= i {
		return line[i+1:]
	}
	return line[i+1 : j]
}

func hasAnyPrefix(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
