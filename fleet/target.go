package fleet

import (
	"context"
	"net"
	"os"
	"strconv"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/inventory"
)

// TargetOptions are the run-wide settings merged into a device.Target.
type TargetOptions struct {
	// Password is the device's password source (see Inventory.PasswordFunc); nil: keys/agent only.
	Password          func(ctx context.Context) (string, error)
	AcceptNewHostKeys bool
}

// DeviceTarget turns the device's inventory settings into what the device
// package dials (here, not in inventory: inventory never imports device).
func DeviceTarget(d inventory.Device, o TargetOptions) device.Target {
	t := device.Target{
		Name: d.Name, Host: d.Host, Port: d.Port, User: d.User,
		Password:          o.Password,
		IdentityFiles:     d.IdentityFiles,
		UseAgent:          os.Getenv("SSH_AUTH_SOCK") != "",
		KnownHosts:        d.KnownHosts,
		AcceptNewHostKeys: o.AcceptNewHostKeys,
		LegacyAlgorithms:  d.LegacyAlgorithms,
		VDOM:              d.VDOM,
		CommandTimeout:    d.Timeout,
	}
	if d.Jump != "" {
		if j, err := inventory.ParseJump(d.Jump); err == nil {
			user := j.User
			if user == "" {
				user = d.User
			}
			// The bastion is reached with the device's keys, known_hosts and
			// password source (ProxyJump with one credential set, as admins
			// configure it); its errors name the bastion, not the device.
			t.Jump = &device.Target{Name: net.JoinHostPort(j.Host, strconv.Itoa(j.Port)), Host: j.Host, Port: j.Port, User: user,
				Password: o.Password, IdentityFiles: d.IdentityFiles, UseAgent: t.UseAgent, KnownHosts: d.KnownHosts,
				AcceptNewHostKeys: o.AcceptNewHostKeys, CommandTimeout: d.Timeout}
		}
	}
	return t
}
