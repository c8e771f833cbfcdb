package parse

// ValidSerial reports whether s is a FortiToken serial: ^FTK[0-9A-Z]{13}$.
func ValidSerial(s string) bool {
	if len(s) != 16 || s[:3] != "FTK" {
		return false
	}
	for i := 3; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// ValidName reports whether s (a VDOM, user or admin name) is safe to put on
// a CLI line: 1–64 bytes of ASCII letters, digits, '.', '-', '_' or '@',
// not starting with '-'. Deliberately narrower than FortiOS allows: quotes,
// spaces, ';', '|', backslashes and control characters could change the
// meaning of the line.
func ValidName(s string) bool {
	if len(s) == 0 || len(s) > 64 || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '.' || c == '-' || c == '_' || c == '@':
		default:
			return false
		}
	}
	return true
}
