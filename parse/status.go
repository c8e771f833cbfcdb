package parse

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseSystemStatus reads `get system status`. Hostname is required; every
// "Key: value" line is also kept in Fields.
func ParseSystemStatus(out string) (SystemStatus, error) {
	st := SystemStatus{Fields: map[string]string{}}
	for _, line := range outputLines(out) {
		k, v, ok := splitKV(line)
		if !ok {
			continue
		}
		if _, dup := st.Fields[k]; dup {
			continue // the first occurrence is the real one; later ones are noise
		}
		st.Fields[k] = v
		switch k {
		case "Hostname":
			st.Hostname = v
		case "Version":
			st.Model, st.Version, st.Build = splitVersion(v)
		case "Serial-Number":
			st.Serial = v
		case "Virtual domain configuration":
			st.VDOMMode = v
		case "Current virtual domain":
			st.CurrentVDOM = v
		case "Current HA mode":
			st.HAMode = v
		}
	}
	if st.Hostname == "" {
		return st, fmt.Errorf("get system status: no Hostname: line: %w", ErrTruncated)
	}
	return st, nil
}

// splitVersion splits "FortiGate-60F v7.0.7,build0367,221005 (GA.F)".
func splitVersion(v string) (model, version, build string) {
	rest := v
	if i := strings.LastIndex(v, " v"); i >= 0 {
		model, rest = strings.TrimSpace(v[:i]), v[i+1:]
	} else if !strings.HasPrefix(v, "v") {
		return v, "", ""
	}
	parts := strings.Split(rest, ",")
	version = strings.TrimSpace(parts[0])
	if len(parts) > 1 {
		build = strings.TrimPrefix(strings.TrimSpace(parts[1]), "build")
	}
	return model, version, build
}

// ParseCentralManagement reads `show [full-configuration] system
// central-management` (or the `get` form). Type defaults to "none" and Mode
// to "normal" when not printed.
func ParseCentralManagement(out string) (CentralManagement, error) {
	cm := CentralManagement{}
	blocks, err := ParseConfig(out)
	found := findBlocks(blocks, "system central-management")
	if len(found) > 0 {
		b := found[0]
		cm.Type, _ = b.Get("type")
		cm.FMG, _ = b.Get("fmg")
		cm.Mode, _ = b.Get("mode")
		cm.Serial, _ = b.Get("serial-number")
	} else {
		kv := getForm(out)
		if _, ok := kv["type"]; !ok {
			if err != nil {
				return cm, fmt.Errorf("central-management: %w", err)
			}
			return cm, fmt.Errorf("central-management: no config system central-management block: %w", ErrTruncated)
		}
		cm.Type, cm.FMG, cm.Mode, cm.Serial = kv["type"], kv["fmg"], kv["mode"], kv["serial-number"]
		err = nil
	}
	if cm.Type == "" {
		cm.Type = "none"
	}
	if cm.Mode == "" {
		cm.Mode = "normal"
	}
	cm.FMG = strings.Trim(cm.FMG, `"`)
	cm.Serial = strings.Trim(cm.Serial, `"`)
	if err != nil {
		return cm, fmt.Errorf("central-management: %w", err)
	}
	return cm, nil
}

// getForm reads `get` output ("name : value", names padded to a column).
func getForm(out string) map[string]string {
	kv := map[string]string{}
	for _, line := range outputLines(out) {
		k, v, ok := splitKV(line)
		if !ok || strings.ContainsAny(k, " \t") {
			continue
		}
		if _, dup := kv[k]; !dup {
			kv[k] = v
		}
	}
	return kv
}

// ParsePing reads `execute ping HOST`. An unresolvable name is a result
// (Resolved false), not an error; output without the PING line or without
// the statistics is.
func ParsePing(out string) (PingResult, error) {
	var p PingResult
	header, stats, replies := false, false, 0
	for _, raw := range outputLines(out) {
		line := strings.TrimSpace(raw)
		switch {
		case strings.HasPrefix(line, "PING "):
			header = true
			p.Resolved = true
			f := strings.Fields(line)
			if len(f) > 1 {
				p.Host = f[1]
			}
			if len(f) > 2 && strings.HasPrefix(f[2], "(") {
				p.Addr = strings.TrimRight(strings.TrimPrefix(f[2], "("), "):")
			}
		case strings.Contains(line, "Unable to resolve"):
			p.Error = line
			return p, nil
		case strings.Contains(line, "sendto failed"):
			p.Error = "sendto failed"
		case strings.HasPrefix(line, "--- ") && strings.HasSuffix(line, " ping statistics ---"):
			if p.Host == "" {
				p.Host = strings.TrimSuffix(strings.TrimPrefix(line, "--- "), " ping statistics ---")
			}
		case strings.Contains(line, "packets transmitted"):
			stats = parsePingStats(line, &p)
		case strings.HasPrefix(line, "round-trip"):
			parseRTT(line, &p)
		case strings.Contains(line, " bytes from "):
			replies++
		}
	}
	if !header {
		return p, fmt.Errorf("ping: no PING line: %w", ErrTruncated)
	}
	if !stats {
		p.Received = replies
		return p, fmt.Errorf("ping %s: no packets transmitted statistics line: %w", p.Host, ErrTruncated)
	}
	return p, nil
}

// parsePingStats reads "5 packets transmitted, 5 packets received, 0% packet loss".
func parsePingStats(line string, p *PingResult) bool {
	ok := false
	for _, part := range strings.Split(line, ",") {
		f := strings.Fields(part)
		if len(f) < 2 {
			continue
		}
		switch {
		case f[1] == "packets" && len(f) > 2 && f[2] == "transmitted":
			if n, err := strconv.Atoi(f[0]); err == nil {
				p.Sent, ok = n, true
			}
		case f[1] == "packets" && len(f) > 2 && f[2] == "received":
			if n, err := strconv.Atoi(f[0]); err == nil {
				p.Received = n
			}
		case f[1] == "packet" && strings.HasSuffix(f[0], "%"):
			if x, err := strconv.ParseFloat(strings.TrimSuffix(f[0], "%"), 64); err == nil {
				p.LossPct = x
			}
		}
	}
	return ok
}

// parseRTT reads "round-trip min/avg/max = 25.8/25.8/25.9 ms".
func parseRTT(line string, p *PingResult) {
	_, v, ok := strings.Cut(line, "=")
	if !ok {
		return
	}
	f := strings.Fields(v)
	if len(f) == 0 {
		return
	}
	nums := strings.Split(f[0], "/")
	vals := make([]float64, 0, 3)
	for _, n := range nums {
		x, err := strconv.ParseFloat(n, 64)
		if err != nil {
			return
		}
		vals = append(vals, x)
	}
	if len(vals) >= 3 {
		p.RTTMin, p.RTTAvg, p.RTTMax = vals[0], vals[1], vals[2]
	}
}
