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
// read-only admin, "HOST (scope) # " inside config/VDOM scopes). An exec
// request runs each newline-separated line as a command in one session
// (scopes carry over between lines) and prints only the output, with "\n"
// line ends (or "\r\n" when a PTY was requested); it is never paged.
//
// The pager follows the global `config system console` / `set output`
// setting (default more): after PTY rows-1 lines (24 without a size) it
// prints "--More-- " and waits; space continues after the erase sequence
// "\r        \r", Enter shows one more line, q aborts. `| grep` output is
// never paged.
//
// Debug: `diagnose debug enable` turns on printing for that session only;
// daemon levels (`diagnose debug application forticldd 255`,
// `diagnose fortitoken debug enable`, alertmail -1) are device-wide and
// survive the session until `diagnose debug reset`. Lines are printed only
// while both hold, as "func[line]:msg", prefixed with "YYYY-MM-DD HH:MM:SS "
// when `diagnose debug console timestamp enable` is in force (as FortiOS
// does). A low-rate trickle (one line per armed daemon every 2 s) runs in
// the background; actions add bursts; alertmail lines of a provisioning
// include the activation code, so downstream redaction is exercised.
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
// One extra state beyond spec §7, vdom-admin (ExtraScenarios), confines
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
//	4 fortiguard-down + slow    11 hostkey-rotated
//	5 pending-activation        12 refused
//	  + debug-flood
//	6 mobile-pending
//
// so N ≥ 12 shows every scenario and fault at least once. Each fault that
// makes a device unusable has a device of its own so its symptom is
// visible; the others ride on states they do not hide (fmg-managed,
// email-unset and readonly-admin all make actions refused, so they share a
// device). Devices 13 and up cycle through the eleven state scenarios, one
// each, without faults. Serials, hostnames, host keys and tokens are
// deterministic for a given Options.Seed.
//
// # Scale
//
// An idle device costs its listener, its state and one accept goroutine;
// debug emitters and activation timers exist only while in use.
package sim
