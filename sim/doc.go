// Package sim is a simulated FortiGate fleet over SSH: each device is an
// x/crypto/ssh server on its own loopback port, with its own host key,
// hostname, serial, FortiOS version and mutable state, answering the CLI
// commands of the FortiToken KB workflow the way FortiOS 6.4–7.4 does
// (echo, "\r\n", prompts and scopes, abbreviations, pager, `| grep`,
// error strings, asynchronous debug output, delayed activation).
//
// # Sessions
//
// A shell channel (with or without a PTY) behaves like the FortiOS console:
// every typed byte is echoed, Enter prints "\r\r\n", output lines end in
// "\r\n", a blank line precedes the prompt ("HOST # ", "HOST $ " for a
// read-only admin, "HOST (scope) # " inside config/VDOM scopes).
//
// # Wire behaviour (sources: ../shared/reference/fortios-wire.md)
//
//   - Pager (§1, 7.4.7/7.4.8 captures): with `set output more` (default) a
//     page is PTY rows − 2 physical rows (80x24 without a PTY size; a line
//     wider than the PTY counts 2+ rows; window-change applies from the
//     next page). The pager prompt is "--More-- "; after a key the erase
//     "\r" + 9 blanks + "\r" is a write of its own, then (a short pause
//     later) the next page. q quits to the prompt; every other key,
//     Enter included, is taken as space (Enter's real effect is
//     unverified). A key typed ahead is taken by the pager. `| grep`
//     output is never paged. The paged scenario caps the PTY at 24 rows.
//   - Typed-ahead input (§4, 7.4.10 capture): anything received after the
//     line being run — in the same packet or while it runs — is echoed at
//     once, raw ("line\r\n"), and again after the prompt when the CLI reads
//     it ("PROMPT line\r\r\n").
//   - Exec (§2): the prompt first, no echo, each newline-separated line
//     answered with its output, a line end and the prompt again ("HOST #
//     out\n\nHOST # "); scopes carry over; never paged; error lines on
//     stderr (an unknown verb adds "Command fail. Return code -1"), exit
//     status always 0. A post-login banner blocks exec: it prints
//     "(Press 'a' to accept):" and nothing else, and input does not help.
//   - Prompts (§7): ha-member puts the HA role after the hostname
//     ("HOST(Primary) # ", "HOST(Secondary) $ ", "HOST(Primary) (global)
//     # ") and fails over by itself every Options.FailoverEvery commands
//     (Device.Failover does it at once). DeviceSpec.Interim gives the
//     interim build's "HOST (Interim)# " and its signature warning at login
//     (first line captured, the other four invented); PromptHostMax cuts a
//     long hostname with '~'.
//   - Hazards (§3, §4, §7, FORTIDEBUG): Ctrl-C outside config/edit closes
//     the CLI; '?' prints help at once and stays out of the line;
//     Options/DeviceSpec.MaxSessions refuses sessions with "Reached
//     maximum number of logged in administrators."; DeviceSpec.
//     ForcePasswordChange asks "New Password:" / "Confirm Password:" first.
//   - Admin idle timeout (§5): Options.IdleTimeout (default 5 min) with no
//     input — output does not count — prints "Timeout" and closes.
//   - Fragment mode: Options.Fragment (or FTKTUI_SIM_FRAGMENT=seed in the
//     environment, which CI uses to run the client suites a second time)
//     cuts every write — echo, output, prompts, pager, banner, debug — into
//     several channel writes at random offsets with 0–3 ms gaps, seeded per
//     device and session; Fleet.FragmentSeed replays a run.
//
// Debug: `diagnose debug enable` turns on printing for that session only;
// daemon levels (`diagnose debug application forticldd 255`,
// `diagnose fortitoken debug enable`, alertmail -1) are device-wide and
// survive the session until `diagnose debug reset`. Lines are printed only
// while both hold, timestamped when `diagnose debug console timestamp
// enable` is in force, and glued to the prompt (no line end before the
// first one). Formats are the real ones (§6): forticldd "[line] func:
// msg", fortitoken "func[line]:msg", plus untimestamped HTTP headers (ending
// "\r\r\n"), blank lines and one-line JSON. A FortiToken Mobile
// provisioning prints the seed, the activation code, a QR code and the
// e-mail address in clear, as a real unit does. Arming a daemon prints
// "Debug messages will be on for N minutes." (minutes left in the global
// window; "unlimited time" only after `diagnose debug duration 0`); when
// the window (Options.DebugDuration = 30 device minutes) runs out the
// device switches debug output off in every session (State.DebugExpired).
// A trickle (one line per armed daemon every Options.DebugTrickle, 2 s)
// runs in the background; actions add bursts.
//
// # Scenarios
//
// See the contract table in docs/contracts.md for the state each scenario
// sets up. Faults: slow (Options.SlowLatency per command), drop (the
// connection closes half way through the output of a token command), hang
// (after login the session reads input and never answers), garbage (command
// output replaced by random bytes and broken lines; the prompt still
// comes), auth-fail (every credential rejected), hostkey-rotated (serves a
// key other than KnownHostKey/known_hosts), debug-flood (3,000 lines/s
// while debug output is on and a daemon level is set), refused (the port is
// closed).
//
// One extra state beyond docs/spec.md §7, vdom-admin (ExtraScenarios), confines
// the login admin to VDOM root of a multi-VDOM unit: sessions start at
// "HOST (root) # " and `config global` fails.
//
// # Default mix
//
// With Options.Devices = N and no Specs, devices 1–12 are
//
//	1 healthy + banner           7 multi-vdom + paged
//	2 fmg-managed + email-unset  8 garbage + drop
//	  + readonly-admin           9 hang
//	3 migrated-seed             10 auth-fail
//	  + ha-member
//	4 fortiguard-down + slow    11 hostkey-rotated
//	5 pending-activation        12 refused
//	  + debug-flood
//	6 mobile-pending
//
// so N ≥ 12 shows every scenario and fault at least once. Each fault that
// makes a device unusable has a device of its own so its symptom is
// visible; the others ride on states they do not hide (fmg-managed,
// email-unset and readonly-admin all make actions refused, so they share a
// device). Devices 13 and up cycle through the twelve state scenarios, one
// each, without faults. Serials, hostnames, host keys and tokens are
// deterministic for a given Options.Seed.
//
// # Scale
//
// An idle device costs its listener, its state and one accept goroutine;
// debug emitters and activation timers exist only while in use.
package sim
