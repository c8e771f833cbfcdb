package sim

import (
	"fmt"
	"time"
)

// haState is the cluster an ha-member device belongs to (a-p, two
// members). The peer exists only as text in the status outputs.
type haState struct {
	group     string // Group Name
	groupID   int
	vsn       string // cluster virtual serial, as forticldd/FTM report it
	peer      string // peer serial
	peerHost  string
	changedAt time.Time
}

func newHA(g gen, st *devState) *haState {
	return &haState{group: "FGT-CLUSTER-" + g.pick("0123456789", 2), groupID: 10 + g.r.IntN(200),
		vsn:  st.plat.Prefix[:min(len(st.plat.Prefix), 6)] + "HA" + g.pick("0123456789", 5) + g.pick(upperAlnum, 3),
		peer: st.plat.Prefix + g.pick("0123456789", 10), peerHost: st.hostname + "-B", changedAt: time.Now()}
}

// failover flips the role (d.mu held).
func (st *devState) failover() {
	if st.haRole == "Primary" {
		st.haRole = "Secondary"
	} else {
		st.haRole = "Primary"
	}
	st.failovers++
	st.ha.changedAt = time.Now()
}

// haStatusLines is `get system ha status` (d.mu held); for a standalone
// unit it says so.
func (st *devState) haStatusLines() []string {
	if st.ha == nil {
		return []string{"HA Health Status: OK", "Model: " + st.plat.Model, "Mode: standalone"}
	}
	h := st.ha
	type member struct{ host, sn string }
	me, peer := member{st.hostname, st.serial}, member{h.peerHost, h.peer}
	pri, sec := me, peer
	if st.haRole != "Primary" {
		pri, sec = peer, me
	}
	changed := h.changedAt.Format("2006-01-02 15:04:05")
	return []string{
		"HA Health Status: OK",
		"Model: " + st.plat.Model,
		"Mode: HA A-P",
		"Group Name: " + h.group,
		fmt.Sprintf("Group ID: %d", h.groupID),
		"Debug: 0",
		"Cluster Uptime: 41 days 6:12:09",
		"Cluster state change time: " + changed,
		"Primary selected using:",
		fmt.Sprintf("    <%s> vcluster-1: %s is selected as the primary because it has the largest value of uptime.",
			h.changedAt.Format("2006/01/02 15:04:05"), pri.sn),
		"ses_pickup: enable, ses_pickup_delay=disable",
		"override: disable",
		"Configuration Status:",
		fmt.Sprintf("    %s(updated 2 seconds ago): in-sync", pri.sn),
		fmt.Sprintf("    %s(updated 3 seconds ago): in-sync", sec.sn),
		"System usage stats:",
		fmt.Sprintf("    %s(updated 2 seconds ago):", pri.sn),
		"        sessions=312, npu-sessions=0, average-cpu-user/nice/system/idle=1%/0%/1%/98%, memory=41%",
		fmt.Sprintf("    %s(updated 3 seconds ago):", sec.sn),
		"        sessions=4, npu-sessions=0, average-cpu-user/nice/system/idle=0%/0%/0%/100%, memory=38%",
		"HBDEV stats:",
		fmt.Sprintf("    %s(updated 2 seconds ago):", pri.sn),
		"        ha: physical/1000auto, up, rx-bytes/packets/dropped/errors=1836402/9213/0/0, tx=2214011/9980/0/0",
		"Cluster virtual serial number: " + h.vsn,
		fmt.Sprintf("Primary     : %-16s, %s, HA cluster index = 0", pri.host, pri.sn),
		fmt.Sprintf("Secondary   : %-16s, %s, HA cluster index = 1", sec.host, sec.sn),
		"number of vcluster: 1",
		"vcluster 1: work 169.254.0.1",
		fmt.Sprintf("Primary: %s, HA operating index = 0", pri.sn),
		fmt.Sprintf("Secondary: %s, HA operating index = 1", sec.sn),
	}
}

// haModeLine is the "Current HA mode" line of `get system status`.
func (st *devState) haModeLine() string {
	switch st.haRole {
	case "":
		return "Current HA mode: standalone"
	case "Primary":
		return "Current HA mode: a-p, primary"
	default:
		return "Current HA mode: a-p, backup"
	}
}
