package parse

import (
	"strings"
	"testing"
)

// The alertmail debug line states the code in prose, with no ':' or '='.
func TestRedactActivationCodeInProse(t *testing.T) {
	cases := []struct{ in, secret, keep string }{
		{`alertmail_send_ftm_activation[812]:FortiToken Mobile activation code BF5R6CTNYNCCWXLW for FTKMOB8B70354ACB to "jdoe@example.com"`, "BF5R6CTNYNCCWXLW", "FTKMOB8B70354ACB"},
		{`Activation code 123456 sent`, "123456", "sent"},
		{`your activation code is EWQ7TI36K3AWIBJY, valid 72h`, "EWQ7TI36K3AWIBJY", "valid 72h"},
		{`activation code "EEIOABCDEFGH2JKL"`, "EEIOABCDEFGH2JKL", "activation code"},
	}
	for _, c := range cases {
		got := Redact(c.in)
		if strings.Contains(got, c.secret) || !strings.Contains(got, Redacted) {
			t.Errorf("Redact(%q) = %q: code survived", c.in, got)
		}
		if !strings.Contains(got, c.keep) {
			t.Errorf("Redact(%q) = %q: lost %q", c.in, got, c.keep)
		}
		if Redact(got) != got {
			t.Errorf("Redact not idempotent on %q", got)
		}
	}
	for _, keep := range []string{
		"Failed. Forticare: FTM token Activation Code is invalid",
		"activation code sent to jdoe",
		"activation code for FTK200BAA0000000",
	} {
		if got := Redact(keep); got != keep {
			t.Errorf("Redact(%q) = %q: changed text with no code", keep, got)
		}
	}
}
