package scanbench

import (
	"strings"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/fleet"
)

// PeerCommands are the KB steps 1–3 commands `ftktui scan` sends to a
// single-VDOM device, in its order. The parallel-ssh peer sends exactly
// these (one exec request per device, newline separated) so both do the
// same device-side work; TestPeerMatchesScan keeps the list honest.
func PeerCommands() []string {
	cmds := []string{device.CmdSystemStatus, device.CmdCentralManagement}
	for _, h := range fleet.FortiGuardHosts {
		cmds = append(cmds, "execute ping "+h)
	}
	return append(cmds, device.CmdTokenInfo, device.CmdCloudStatus, device.CmdTokenConfig,
		device.CmdUsers, device.CmdAdmins, device.CmdEmailServer, device.CmdDebugInfo)
}

// PeerScript is PeerCommands as the one exec request parallel-ssh sends.
func PeerScript() string { return strings.Join(PeerCommands(), "\n") }
