package parse

import (
	"regexp"
	"strconv"
	"strings"
)

// HAMember is one unit of an HA cluster as `get system ha status` lists it.
type HAMember struct {
	Hostname string
	Serial   string
	Index    int  // HA cluster index
	Primary  bool // named as the (vcluster 1) primary / master
}

// HAStatus is `get system ha status`: the cluster the unit belongs to.
type HAStatus struct {
	Mode      string // "HA A-P", "HA A-A", "standalone"
	GroupName string
	GroupID   string
	Members   []HAMember
}

// unitSerialRe matches a FortiGate serial (FGT60F…, FG3K1…, FGVM01…).
var unitSerialRe = regexp.MustCompile(`^F[A-Z0-9]{9,19}$`)

// ParseHAStatus reads `get system ha status` in the layouts seen from 5.x
// to 7.4 ("NAME , SERIAL, HA cluster index = N" member lines, optionally
// prefixed by a role, and "Primary: SERIAL, HA operating index = N" or
// "Master: …" lines). Missing parts stay empty; it never fails, because a
// standalone unit prints little and the scan treats HA as optional.
func ParseHAStatus(out string) HAStatus {
	var st HAStatus
	primaries := map[string]bool{}
	idx := map[string]int{}
	for _, line := range outputLines(out) {
		t := strings.TrimSpace(line)
		k, v, kv := splitKV(t)
		switch {
		case kv && k == "Mode":
			st.Mode = v
		case kv && k == "Group Name":
			st.GroupName = v
		case kv && k == "Group ID":
			st.GroupID = v
		case strings.Contains(t, "operating index") && kv && (k == "Primary" || k == "Master"):
			if sn := firstSerial(v); sn != "" {
				primaries[sn] = true
			}
		case strings.Contains(t, "cluster index"):
			m, role := haMemberLine(t)
			if m.Serial == "" {
				continue
			}
			if role == "primary" || role == "master" {
				primaries[m.Serial] = true
			}
			if i, dup := idx[m.Serial]; dup {
				if st.Members[i].Hostname == "" {
					st.Members[i].Hostname = m.Hostname
				}
				continue
			}
			idx[m.Serial] = len(st.Members)
			st.Members = append(st.Members, m)
		case kv && (k == "Master" || k == "Slave") && !strings.Contains(t, "index"):
			// 5.x: "Master:200   FGT400-8   FGT4002801021111  1"
			f := strings.Fields(v)
			for i, w := range f {
				if unitSerialRe.MatchString(w) {
					m := HAMember{Serial: w}
					if i > 0 {
						m.Hostname = f[i-1]
					}
					if i+1 < len(f) {
						m.Index, _ = strconv.Atoi(f[i+1])
					}
					if k == "Master" {
						primaries[w] = true
					}
					if _, dup := idx[w]; !dup {
						idx[w] = len(st.Members)
						st.Members = append(st.Members, m)
					}
					break
				}
			}
		}
	}
	for i := range st.Members {
		st.Members[i].Primary = primaries[st.Members[i].Serial]
	}
	return st
}

// haMemberLine reads "[Role :] NAME , SERIAL, HA cluster index = N".
func haMemberLine(t string) (HAMember, string) {
	var m HAMember
	role := ""
	parts := strings.Split(t, ",")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if i == 0 {
			if k, v, ok := splitKV(p); ok && !strings.Contains(k, " ") {
				role, p = strings.ToLower(k), v
			}
			if unitSerialRe.MatchString(p) {
				m.Serial = p
				continue
			}
			m.Hostname = p
			continue
		}
		if m.Serial == "" && unitSerialRe.MatchString(p) {
			m.Serial = p
			continue
		}
		if j := strings.Index(p, "index ="); j >= 0 {
			m.Index, _ = strconv.Atoi(strings.TrimSpace(p[j+len("index ="):]))
		}
	}
	return m, role
}

func firstSerial(v string) string {
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		if unitSerialRe.MatchString(f) {
			return f
		}
	}
	return ""
}

// Serials returns the member serials.
func (h HAStatus) Serials() []string {
	out := make([]string, 0, len(h.Members))
	for _, m := range h.Members {
		out = append(out, m.Serial)
	}
	return out
}

// InHA reports whether `Current HA mode` of `get system status` names a
// cluster mode ("a-p, primary", "a-a, master"); "standalone" and "" do not.
func InHA(mode string) bool {
	m := strings.ToLower(strings.TrimSpace(mode))
	return m != "" && m != "standalone"
}
