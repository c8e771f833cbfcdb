package fleet

import (
	"strings"

	"github.com/ftktui/ftktui/parse"
)

// ShellQuote quotes s for a POSIX shell: single quotes, with embedded
// single quotes closed, escaped and reopened. Advice that names a command
// line quotes every value it did not validate against a strict pattern.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// CommandLine is the headless command that runs action a on a token, for
// advice: `ftktui resend -i 'inv.yaml' --device 'x' --token FTKMOB…`.
// It returns "" when any value is unfit for a command line (an invalid
// serial, control characters in a name or path): such advice names no
// command at all rather than one that might run something else.
func CommandLine(a Action, inventory, device, serial string) string {
	if a == "" || !parse.ValidSerial(serial) || !printable(device) || device == "" {
		return ""
	}
	if inventory == "" {
		inventory = "INVENTORY"
	}
	if !printable(inventory) {
		return ""
	}
	return "ftktui " + string(a) + " -i " + ShellQuote(inventory) + " --device " + ShellQuote(device) + " --token " + serial
}

// printable rejects control characters (a newline in a pasted line ends the
// command; escapes can hide text) and oversized values.
func printable(s string) bool {
	if len(s) > 4096 {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == '\u202e' || r == '\u202d' || r == '\u2066' || r == '\u2067' || r == '\u2068' || r == '\u2069' {
			return false
		}
	}
	return true
}
