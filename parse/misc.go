package parse

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseEmailServer reads `show system email-server` or the `get` form
// ("server : x"). Values not printed stay zero.
func ParseEmailServer(out string) (EmailServer, error) {
	var es EmailServer
	blocks, err := ParseConfig(out)
	kv := map[string]string{}
	if found := findBlocks(blocks, "system email-server"); len(found) > 0 {
		for _, s := range found[0].Settings {
			if s.Unset {
				delete(kv, s.Key)
				continue
			}
			kv[s.Key] = strings.Join(s.Values, " ")
		}
		if err != nil {
			err = fmt.Errorf("email-server: %w", err)
		}
	} else {
		kv = getForm(out)
		if _, ok := kv["server"]; !ok {
			if _, ok := kv["type"]; !ok {
				if err != nil {
					return es, fmt.Errorf("email-server: %w", err)
				}
				return es, fmt.Errorf("email-server: no config system email-server block nor server : line: %w", ErrTruncated)
			}
		}
		err = nil
	}
	es.Type = kv["type"]
	es.Server = strings.Trim(kv["server"], `"`)
	es.Port, _ = strconv.Atoi(kv["port"])
	es.Security = kv["security"]
	es.Authenticate = kv["authenticate"] == "enable"
	es.Username = kv["username"]
	es.ReplyTo = kv["reply-to"]
	es.SourceIP = kv["source-ip"]
	es.InterfaceSelectMethod = kv["interface-select-method"]
	es.Interface = kv["interface"]
	return es, err
}

// ParseDebugInfo reads `diagnose debug info`. The `debug output:` line is
// required; "<daemon> debug level: N (0xN)" lines fill Levels (CLI excluded).
func ParseDebugInfo(out string) (DebugInfo, error) {
	di := DebugInfo{Levels: map[string]int{}, Fields: map[string]string{}}
	seen := false
	for _, line := range outputLines(out) {
		k, v, ok := splitKV(line)
		if !ok {
			continue
		}
		k = strings.Join(strings.Fields(k), " ")
		di.Fields[k] = v
		switch {
		case k == "debug output":
			seen = true
			di.OutputEnabled = v == "enable"
		case k == "console timestamp":
			di.ConsoleTimestamp = v == "enable"
		case strings.HasSuffix(k, " debug level"):
			name := strings.TrimSuffix(k, " debug level")
			if name == "CLI" || strings.Contains(name, " ") {
				continue
			}
			f := strings.Fields(v)
			if len(f) == 0 {
				continue
			}
			if n, err := strconv.ParseInt(f[0], 0, 64); err == nil {
				di.Levels[name] = int(n)
			}
		}
	}
	if !seen {
		return di, fmt.Errorf("diagnose debug info: no debug output: line: %w", ErrTruncated)
	}
	return di, nil
}

// ParseKV reads best-effort "key: value" / "key = value" lines (whichever
// separator comes first). A leading console timestamp is skipped; lines
// without a separator or key are dropped.
func ParseKV(out string) []KV {
	var kvs []KV
	for _, line := range outputLines(out) {
		t := strings.TrimSpace(line)
		if _, rest, ok := cutTimestamp(t); ok {
			t = strings.TrimSpace(rest)
		}
		i := strings.IndexAny(t, ":=")
		if i <= 0 {
			continue
		}
		k := strings.TrimSpace(t[:i])
		if k == "" {
			continue
		}
		kvs = append(kvs, KV{Key: k, Value: strings.TrimSpace(t[i+1:])})
	}
	return kvs
}
