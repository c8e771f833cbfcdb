package sim

// signatureWarning is printed at login by an interim (unsigned) build.
// Only its first line is from a capture (GATEDEBUG, FortiGate-40F 7.4.10
// interim); the four lines after it are invented to look plausible.
var signatureWarning = []string{
	"******WARNING: This firmware failed signature validation.******",
	"This firmware is not an official release and has not been certified by Fortinet.",
	"It may contain unverified code. Use it for testing purposes only.",
	"Do not run this firmware in a production network.",
	"Contact Fortinet Technical Support for a supported firmware image.",
}

// login runs what FortiOS shows between authentication and the first
// prompt: the interim build's signature warning, a forced password change,
// the post-login banner. It reports whether the CLI goes on.
func (s *session) login() bool {
	s.d.mu.Lock()
	interim, force, banner := s.d.st.interim, s.d.st.forcePw, s.d.st.banner
	s.d.mu.Unlock()
	if interim {
		w := ""
		for _, l := range signatureWarning {
			w += l + "\r\n"
		}
		if !s.write(w + "\r\n") {
			return false
		}
	}
	if force && !s.forcedPasswordChange() {
		return false
	}
	if banner && !s.banner() {
		return false
	}
	return true
}

// forcedPasswordChange is the first-login prompt (FortiOS 6.2.1+): two
// unechoed password lines; a mismatch ends the session.
func (s *session) forcedPasswordChange() bool {
	if !s.write("You are forced to change your password, please input a new password.\r\nNew Password:") {
		return false
	}
	first, ok := s.readSecret()
	if !ok || !s.write("\r\nConfirm Password:") {
		return false
	}
	second, ok := s.readSecret()
	if !ok {
		return false
	}
	if first == "" || first != second {
		s.write("\r\nThe new password does not match.\r\n")
		return false
	}
	s.d.mu.Lock()
	s.d.st.forcePw = false
	s.d.mu.Unlock()
	return s.write("\r\nWelcome !\r\n\r\n")
}

// readSecret reads a line without echo.
func (s *session) readSecret() (string, bool) {
	var b []byte
	for {
		c, err := s.readByte()
		if err != nil {
			return "", false
		}
		switch {
		case c == '\r' || c == '\n':
			if c == '\r' {
				s.in.skipLF()
			}
			return string(b), true
		case c == 0x03:
			return "", false
		case c >= 0x20 && len(b) < 128:
			b = append(b, c)
		}
	}
}

// banner shows the post-login disclaimer and waits for 'a'.
func (s *session) banner() bool {
	if !s.write("\r\nThis system is for authorized use only. Activity may be monitored.\r\n(Press 'a' to accept):") {
		return false
	}
	for {
		b, err := s.readByte()
		if err != nil {
			return false
		}
		switch b {
		case 'a', 'A':
			return s.write("\r\n")
		case '\r', '\n', ' ':
		default:
			s.write("\r\n")
			return false
		}
	}
}
