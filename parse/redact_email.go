package parse

import "strings"

// EmailRedacted replaces every e-mail address RedactDebug finds.
const EmailRedacted = "<email>"

// RedactDebug is Redact plus every e-mail address replaced by <email>. It is
// for device debug output (alertmail and FortiToken Mobile debug name the
// user's address next to the activation code), which is shown on screen and
// saved; config text and the audit log keep addresses (a user may be named
// by one), so Redact alone does not do this.
func RedactDebug(s string) string {
	return RedactEmails(Redact(s))
}

// RedactEmails replaces every e-mail address in s (local@domain.tld, the
// last label two letters or more) with <email>. Text without '@' is returned
// as is without allocating.
func RedactEmails(s string) string {
	at := strings.IndexByte(s, '@')
	if at < 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for at >= 0 {
		a, z, ok := emailAround(s, at)
		if ok && a >= last {
			if b.Len() == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[last:a])
			b.WriteString(EmailRedacted)
			last = z
		}
		next := strings.IndexByte(s[at+1:], '@')
		if next < 0 {
			break
		}
		at += 1 + next
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// emailAround returns the bounds of the e-mail address whose '@' is s[at].
func emailAround(s string, at int) (int, int, bool) {
	a := at
	for a > 0 && isLocalByte(s[a-1]) {
		a--
	}
	for a < at && s[a] == '.' {
		a++
	}
	if a == at {
		return 0, 0, false
	}
	z := at + 1
	for z < len(s) && isDomainByte(s[z]) {
		z++
	}
	for z > at+1 && (s[z-1] == '.' || s[z-1] == '-') {
		z--
	}
	dot := strings.LastIndexByte(s[at+1:z], '.')
	if dot <= 0 {
		return 0, 0, false
	}
	tld := s[at+1+dot+1 : z]
	if len(tld) < 2 {
		return 0, 0, false
	}
	for i := 0; i < len(tld); i++ {
		if c := tld[i] | 0x20; c < 'a' || c > 'z' {
			return 0, 0, false
		}
	}
	return a, z, true
}

func isLocalByte(c byte) bool {
	return isWordByte(c) || c == '.' || c == '%' || c == '+' || c == '-'
}

func isDomainByte(c byte) bool {
	return c == '.' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
