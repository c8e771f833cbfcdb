package sim

import (
	"fmt"
	"strings"

	"github.com/ftktui/ftktui/parse"
)

// TokenSpec is one explicitly configured token, for fleets where the same
// serial lives on several units (a migrated unit's stale copies, an HA
// pair, a token configured on two unrelated units).
type TokenSpec struct {
	Serial string // FTK…/FTKMOB…; required
	Status string // `diagnose fortitoken info` status; default "active"
	Seed   bool   // seed present in `config user fortitoken`
	Drift  int    // DRIFT column
	User   string // local user bound to it ("" = none)
}

// haState is the HA cluster a device belongs to (nil = standalone). Every
// member holds the same member list; the primary is listed first.
type haState struct {
	group   string
	id      int
	members []haMember
	primary bool
}

type haMember struct{ hostname, serial string }

// addTokenSpecs appends explicit tokens (and their users) to a new device.
func (st *devState) addTokenSpecs(specs []TokenSpec) {
	for _, ts := range specs {
		status := ts.Status
		if status == "" {
			status = parse.StatusActive
		}
		t := &token{Serial: ts.Serial, VDOM: "root", Status: status, Seed: ts.Seed, Drift: ts.Drift}
		if status == parse.StatusAlreadyActivated && !ts.Seed {
			t.Elsewhere = true
		}
		st.tokens = append(st.tokens, t)
		if ts.User != "" {
			st.accounts = append(st.accounts, &account{Name: ts.User, Kind: parse.AccountUser, VDOM: "root",
				TwoFactor: "fortitoken", Token: ts.Serial, Email: ts.User + "@example.com", Status: "enable"})
		}
	}
}

// linkClusters makes the devices that share DeviceSpec.HAGroup one a-p
// cluster: each reports HA mode and the same member serials.
func (f *Fleet) linkClusters(specs []DeviceSpec) {
	groups := map[string][]*Device{}
	var order []string
	for i, sp := range specs {
		if sp.HAGroup == "" {
			continue
		}
		if _, ok := groups[sp.HAGroup]; !ok {
			order = append(order, sp.HAGroup)
		}
		groups[sp.HAGroup] = append(groups[sp.HAGroup], f.devices[i])
	}
	for gi, name := range order {
		devs := groups[name]
		var members []haMember
		for _, d := range devs {
			members = append(members, haMember{hostname: d.st.hostname, serial: d.st.serial})
		}
		for i, d := range devs {
			d.st.ha = &haState{group: name, id: 10 + gi, members: members, primary: i == 0}
		}
	}
}

// haModeLine is `Current HA mode` of `get system status` (must hold d.mu).
func (st *devState) haModeLine() string {
	if st.ha == nil {
		return "standalone"
	}
	if st.ha.primary {
		return "a-p, primary"
	}
	return "a-p, secondary"
}

// haStatusLines is `get system ha status`, in the 7.4.8 layout of a real
// FortiGate-3001F cluster (oxidized spec data); must hold d.mu.
func (st *devState) haStatusLines() []string {
	if st.ha == nil {
		return []string{"HA Health Status: OK", "Model: " + st.plat.Model, "Mode: standalone", "Group Name: ", "Group ID: 0", "Debug: 0"}
	}
	h := st.ha
	l := []string{"HA Health Status: OK", "Model: " + st.plat.Model, "Mode: HA A-P",
		"Group Name: " + h.group, fmt.Sprintf("Group ID: %d", h.id), "Debug: 0",
		"Cluster Uptime: 12 days 12:42:42", "Cluster state change time: 2025-12-12 12:12:12",
		"ses_pickup: disable", "override: disable", "Configuration Status:"}
	for _, m := range h.members {
		l = append(l, "    "+m.serial+"(updated 1 seconds ago): in-sync")
	}
	l = append(l, fmt.Sprintf("number of member: %d", len(h.members)))
	for i, m := range h.members {
		l = append(l, fmt.Sprintf("%-18s, %s, HA cluster index = %d", m.hostname, m.serial, i))
	}
	l = append(l, "number of vcluster: 1", "vcluster 1: work 169.254.0.1")
	for i, m := range h.members {
		role := "Secondary"
		if i == 0 {
			role = "Primary"
		}
		l = append(l, fmt.Sprintf("%s: %s, HA operating index = %d", role, m.serial, i))
	}
	return l
}

// haConfigLines is plain `get system ha` (must hold d.mu).
func (st *devState) haConfigLines() []string {
	mode, group := "standalone", ""
	if st.ha != nil {
		mode, group = "a-p", st.ha.group
	}
	return kv("group-id", "0", "group-name", group, "mode", mode, "password", "*", "hbdev", `"ha1" 50 "ha2" 50`)
}

// isHAStatus: `get system ha status` (abbreviations allowed).
func isHAStatus(rest []string) bool {
	if len(rest) == 0 {
		return false
	}
	_, ok := match(strings.ToLower(rest[0]), "status")
	return ok
}
