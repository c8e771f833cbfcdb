package parse

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseTokenInfo reads `diagnose fortitoken info [SN]`, whole or filtered by
// `| grep -v active`. The header is required; the footers are optional
// because a grep may drop them (ServerStatus is then "").
func ParseTokenInfo(out string) (TokenInfo, error) {
	var ti TokenInfo
	header := false
	var partial string
	for _, raw := range outputLines(out) {
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		if !header {
			f := strings.Fields(line)
			if len(f) == 3 && f[0] == "FORTITOKEN" && f[1] == "DRIFT" && f[2] == "STATUS" {
				header = true
			}
			continue
		}
		if strings.HasPrefix(line, "FTK") {
			if row, ok := tokenRow(line); ok {
				ti.Tokens = append(ti.Tokens, row)
			} else if partial == "" {
				partial = strings.Fields(line)[0]
			}
			continue
		}
		k, v, ok := splitKV(line)
		if !ok {
			continue
		}
		switch strings.Join(strings.Fields(k), " ") {
		case "Total activated token":
			ti.TotalActivated, _ = strconv.Atoi(v)
		case "Total global activated token":
			ti.TotalGlobalActivated, _ = strconv.Atoi(v)
		case "Token server status":
			ti.ServerStatus = v
		}
	}
	if !header {
		return ti, fmt.Errorf("diagnose fortitoken info: no FORTITOKEN DRIFT STATUS header: %w", ErrTruncated)
	}
	if partial != "" {
		return ti, fmt.Errorf("diagnose fortitoken info: row %q has no DRIFT/STATUS: %w", partial, ErrTruncated)
	}
	return ti, nil
}

// tokenRow splits "SN DRIFT STATUS..." where STATUS is free text; runs of
// spaces are collapsed because column spacing varies by version.
func tokenRow(line string) (TokenRow, bool) {
	f := strings.Fields(line)
	if len(f) < 3 {
		return TokenRow{}, false
	}
	drift, err := strconv.Atoi(f[1])
	if err != nil {
		return TokenRow{}, false
	}
	return TokenRow{Serial: f[0], Drift: drift, Status: strings.Join(f[2:], " ")}, true
}

// ParseTokenConfig reads `show [full-configuration] user fortitoken` (also
// inside `config vdom` wrappers) or the `get` form printed inside an edit.
// On truncated output it returns the tokens read so far and an error.
func ParseTokenConfig(out string) ([]TokenConfig, error) {
	blocks, err := ParseConfig(out)
	found := findBlocks(blocks, "user fortitoken")
	if len(found) == 0 {
		if kv := getForm(out); kv["serial-number"] != "" {
			return []TokenConfig{tokenFromGet(kv)}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("user fortitoken: %w", err)
		}
		return nil, fmt.Errorf("user fortitoken: no config user fortitoken block: %w", ErrTruncated)
	}
	var toks []TokenConfig
	for _, b := range found {
		for _, e := range b.Entries {
			toks = append(toks, tokenFromEntry(e))
		}
	}
	if err != nil {
		return toks, fmt.Errorf("user fortitoken: %w", err)
	}
	return toks, nil
}

// tokenFromEntry maps one `edit "SN"` entry.
func tokenFromEntry(e *Entry) TokenConfig {
	t := TokenConfig{Serial: e.Name, Status: StatusActive}
	for _, s := range e.Settings {
		v := strings.Join(s.Values, " ")
		if s.Unset {
			v = ""
		}
		switch s.Key {
		case "status":
			t.Status = v
			if t.Status == "" {
				t.Status = StatusActive
			}
		case "seed":
			t.HasSeed = !s.Unset && v != ""
		case "license":
			t.License = v
		case "activation-code":
			t.ActivationCode = v
		case "activation-expire":
			t.ActivationExpire, _ = strconv.ParseInt(v, 10, 64)
		case "reg-id":
			t.RegID = v
		case "os-ver":
			t.OSVer = v
		case "comments":
			t.Comments = v
		default:
			if t.Extra == nil {
				t.Extra = map[string]string{}
			}
			t.Extra[s.Key] = v
		}
	}
	return t
}

// tokenFromGet maps the `get` form; activation-expire is a date there, so
// it is kept in Extra rather than guessed into epoch seconds.
func tokenFromGet(kv map[string]string) TokenConfig {
	t := TokenConfig{Serial: kv["serial-number"], Status: kv["status"]}
	if t.Status == "" {
		t.Status = StatusActive
	}
	t.License = kv["license"]
	t.ActivationCode = kv["activation-code"]
	t.RegID = kv["reg-id"]
	t.OSVer = kv["os-ver"]
	t.Comments = kv["comments"]
	if s, ok := kv["seed"]; ok && s != "" {
		t.HasSeed = true
	}
	if x := kv["activation-expire"]; x != "" {
		if n, err := strconv.ParseInt(x, 10, 64); err == nil {
			t.ActivationExpire = n
		} else {
			t.Extra = map[string]string{"activation-expire": x}
		}
	}
	return t
}
