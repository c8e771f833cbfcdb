package sim

import (
	"time"

	"golang.org/x/crypto/ssh"
)

// DeviceSpec describes one simulated device explicitly.
type DeviceSpec struct {
	Name      string     // inventory name; generated when empty
	Hostname  string     // FortiOS hostname (prompt); generated when empty
	Scenarios []Scenario // empty = healthy
	Tokens    int        // total token count; 0 = scenario default
	// ExtraTokens are configured on top of the scenario's tokens, with
	// serials chosen by the caller (the same serial on several units).
	ExtraTokens []TokenSpec
	// HAGroup: the two devices with the same non-empty group form one a-p
	// HA cluster (the first is the primary) and report it in `get system
	// status` and `get system ha status`; they do not fail over by themselves.
	HAGroup string

	// Interim: an interim (unsigned) build: the firmware-signature warning
	// block at login and the prompt "HOST (Interim)# ".
	Interim bool
	// PromptHostMax > 0 cuts a longer hostname in the prompt to that many
	// characters followed by '~' ("FGT-VERY-LONG~ # ").
	PromptHostMax int
	// ForcePasswordChange: the first login must set a new password
	// ("You are forced to change your password…" / "New Password:").
	ForcePasswordChange bool
	// MaxSessions overrides Options.MaxSessions for this device.
	MaxSessions int
}

// Options configure a simulated fleet.
type Options struct {
	Devices         int          // when Specs is empty: N devices in the default mix (default 12)
	Specs           []DeviceSpec // explicit devices (wins over Devices)
	Scenarios       []Scenario   // with Devices: only these scenarios, one per device, cycled
	Listen          string       // "127.0.0.1:0" (any port each) or "127.0.0.1:PORT" (consecutive)
	Seed            int64        // makes serials, hostnames, keys and tokens reproducible
	User            string       // default "admin"
	Password        string       // generated when empty
	AuthorizedKeys  []ssh.PublicKey
	Latency         time.Duration // added to every command answer on every device
	SlowLatency     time.Duration // per-command latency of the `slow` fault (default 2s)
	ActivationDelay time.Duration // activation/provisioning completion delay (default 1s)
	TokensPerDevice int           // default total tokens per device (0 = scenario default)

	// Fragment cuts every write of every device into several channel
	// writes at random offsets with 0–3 ms gaps (see FragmentEnv).
	Fragment bool
	// FragmentSeed seeds the cuts (per device and session); 0 = random.
	// Fleet.FragmentSeed reports the seed in use.
	FragmentSeed int64
	// IdleTimeout is the admin idle timeout (admintimeout): a shell with no
	// input for this long prints "Timeout" and closes; output does not
	// count. 0 = 5 minutes (FortiOS default), negative = never.
	IdleTimeout time.Duration
	// DebugDuration is how long the default 30-minute debug window lasts in
	// real time (`diagnose debug duration N` scales from it); 0 = 30 min.
	DebugDuration time.Duration
	// MaxSessions is the number of admin sessions (shell or exec channels)
	// a device allows at once; beyond it a session gets "Reached maximum
	// number of logged in administrators." and closes. 0 = unlimited.
	MaxSessions int
	// DebugTrickle is the period of the background debug line each armed
	// daemon prints while debug output is on; 0 = 2s (tests shorten it).
	DebugTrickle time.Duration
	// FailoverEvery is how many commands (all sessions) an ha-member device
	// takes between automatic failovers; 0 = 6, negative = never.
	FailoverEvery int
	// RTT is a WAN round trip applied inside the simulator to every byte
	// each way, key exchange included; Jitter varies it (± Jitter/2).
	RTT, Jitter time.Duration
	// Timing is the device clock: TimingInstant (default) answers at once,
	// TimingReal takes FortiOS's own time (see clock.go).
	Timing Timing
}

// setDefaults fills the zero fields of o with the simulator's defaults.
func (o *Options) setDefaults() {
	if o.User == "" {
		o.User = "admin"
	}
	if o.SlowLatency <= 0 {
		o.SlowLatency = 2 * time.Second
	}
	if o.ActivationDelay <= 0 {
		o.ActivationDelay = time.Second
	}
	if o.Listen == "" {
		o.Listen = "127.0.0.1:0"
	}
	switch {
	case o.IdleTimeout == 0:
		o.IdleTimeout = 5 * time.Minute
	case o.IdleTimeout < 0:
		o.IdleTimeout = 0
	}
	if o.DebugDuration <= 0 {
		o.DebugDuration = 30 * time.Minute
	}
	if o.DebugTrickle <= 0 {
		o.DebugTrickle = 2 * time.Second
	}
	if o.FailoverEvery == 0 {
		o.FailoverEvery = 6
	}
}
