package sim

import (
	"fmt"
	"time"

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

// linkClusters makes the two devices that share DeviceSpec.HAGroup one
// a-p cluster, each the other's peer in `get system status` and `get
// system ha status` (the first is the primary). Unlike the ha-member
// scenario, such a pair does not fail over by itself.
func (f *Fleet) linkClusters(specs []DeviceSpec) error {
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
		if len(devs) != 2 {
			return fmt.Errorf("sim: HA group %q has %d devices; a cluster here is two", name, len(devs))
		}
		for i, d := range devs {
			peer := devs[1-i].st
			vsn := devs[0].st.plat.Prefix[:min(len(devs[0].st.plat.Prefix), 6)] + fmt.Sprintf("HA%08d", gi+1)
			d.st.ha = &haState{group: name, groupID: 10 + gi, vsn: vsn, peer: peer.serial, peerHost: peer.hostname, changedAt: time.Now()}
			d.st.haRole = "Primary"
			if i == 1 {
				d.st.haRole = "Secondary"
			}
			d.linked = true
		}
	}
	return nil
}
