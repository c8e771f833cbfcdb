package parse

import (
	"strings"
	"testing"
)

// redactCorpus are debug captures in the real formats of fortios-wire.md
// §6.1/§6.2 (secrets replaced by fake values of the real shapes) plus the
// wordings of issue 15 §6; secrets lists what must not survive Redact.
var redactCorpus = []struct {
	file    string
	secrets []string
	keep    []string
}{
	{"debug_ftm_provision.txt",
		[]string{"9F3B2C7D1E4A5968B0C3D2E1F4A5B6C7D8E9F0A1", "N7QKX2PLM4VB8RTZ", "iVBORw0KGgo", "jane.doe@example.org"},
		[]string{"FTKMOB5CA3C29179", "EFTM0123456789AB", "FGT40FHA25099UXR", "code_expire\":4320", "Create an QR code image", "to provisioning", "Host: fortinet-ca2.fortinet.com"}},
	{"debug_forticldd_balance.txt", nil,
		[]string{"response code is 403", "cluster_members=FGT40FTK2209ABCD", "Intialized"}},
	{"debug_wordings.txt",
		[]string{"8HQZ3MWX5TKC2RVN", "QW7ER5TY3UI9OP2A", "0A1B2C3D4E5F60718293A4B5C6D7E8F901234567", "7E57C0DE7E57C0DE",
			"BF5R6CTNYNCCWXLW", "ZX9CV8BN7M6L5K4J", "ops+ftk@example.net", "PL0KM9IJ8UH7YG6T"},
		[]string{"FTKMOB5CA3C29179", "FTKMOB8B70354ACB", "activation code set for", "response code is 403", "sent activation code: "}},
}

func TestRedactCorpus(t *testing.T) {
	for _, c := range redactCorpus {
		in := readSample(t, c.file)
		out := Redact(in)
		for _, s := range c.secrets {
			if !strings.Contains(s, "@") && strings.Contains(out, s) {
				t.Errorf("%s: secret %q survived:\n%s", c.file, s, out)
			}
			if dbg := RedactDebug(in); strings.Contains(dbg, s) {
				t.Errorf("%s: RedactDebug: %q survived:\n%s", c.file, s, dbg)
			}
		}
		for _, k := range c.keep {
			if !strings.Contains(out, k) {
				t.Errorf("%s: %q lost", c.file, k)
			}
		}
		if strings.Count(out, "\n") != strings.Count(in, "\n") {
			t.Errorf("%s: line count changed", c.file)
		}
		if Redact(out) != out || RedactDebug(RedactDebug(in)) != RedactDebug(in) {
			t.Errorf("%s: not idempotent", c.file)
		}
		// Line by line (as the debug stream redacts) gives the same text.
		lines := strings.Split(in, "\n")
		for i, l := range lines {
			lines[i] = Redact(l)
		}
		if got := strings.Join(lines, "\n"); got != out {
			t.Errorf("%s: per-line redaction differs from whole-text redaction", c.file)
		}
	}
	// The untouched forticldd capture holds no secret: nothing changes.
	if in := readSample(t, "debug_forticldd_balance.txt"); Redact(in) != in {
		t.Errorf("forticldd capture changed:\n%s", Redact(in))
	}
}

// The QR blob may arrive cut at the debug line cap, with no closing quote.
func TestRedactTruncatedQRBlob(t *testing.T) {
	in := `{"d":{"tokens":[{"token":"FTKMOB5CA3C29179","qr_code":"iVBORw0KGgoAAAANSUhEUgAAAZAAAAGQCAIAAAD`
	out := Redact(in)
	if strings.Contains(out, "iVBORw0KGgo") || !strings.Contains(out, "FTKMOB5CA3C29179") {
		t.Errorf("Redact(%q) = %q", in, out)
	}
}

// Prose that names a code without stating one is left alone (18b6eb3).
func TestRedactKeepsProse(t *testing.T) {
	for _, s := range []string{
		"activation code set",
		"activation code - sent to user",
		"seed for FTKMOB5CA3C29179 is missing",
		`{"code":200,"message":"OK"}`,
		"fds_https_recv: response code is 403",
		"error code: 40",
	} {
		if got := Redact(s); got != s {
			t.Errorf("Redact(%q) = %q", s, got)
		}
	}
}

func TestRedactEmails(t *testing.T) {
	E := EmailRedacted
	cases := []struct{ in, want string }{
		{"sent activation code: X to jane.doe@example.org", "sent activation code: X to " + E},
		{`to "mark.smith@corp.example.com".`, `to "` + E + `".`},
		{"a@b.co, c+d@e-f.example.net;", E + ", " + E + ";"},
		{"admin@FGT60F # ", "admin@FGT60F # "},
		{"ssh admin@10.0.0.1", "ssh admin@10.0.0.1"},
		{"@example.com and x@ and @", "@example.com and x@ and @"},
		{"no address here", "no address here"},
		{"", ""},
	}
	for _, c := range cases {
		if got := RedactEmails(c.in); got != c.want {
			t.Errorf("RedactEmails(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
