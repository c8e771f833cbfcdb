package fleet

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// redactAll is redact without the mayHoldSecret filter.
func redactAll(s string) string {
	s = secretRes[0].ReplaceAllString(s, "ENC «redacted»")
	for _, re := range secretRes[1:] {
		s = re.ReplaceAllString(s, "${1}«redacted»")
	}
	return parseRedact(s)
}

// TestRedactFilterMatchesRegexps checks that skipping the regexps for lines
// without a secret word never changes what is redacted.
func TestRedactFilterMatchesRegexps(t *testing.T) {
	frags := []string{"ENC", "enc", "Enc", " ", "  ", "\t", "set", "SET", "passwd", "PassWord", "secondary-secret",
		"passphrase", "seed", "SEED", "activation", "Activation", "-", "_", "code", "CODE", ":", "=", "\"", "'",
		"abc123", "XyZ", "get system status", "show user fortitoken", "\u212a", "\u017feed", "ſ", "é", "\n", "x"}
	r := rand.New(rand.NewPCG(1, 2))
	checked, filtered := 0, 0
	for range 200000 {
		var b strings.Builder
		for range 1 + r.IntN(8) {
			b.WriteString(frags[r.IntN(len(frags))])
		}
		s := b.String()
		if got, want := redact(s), redactAll(s); got != want {
			t.Fatalf("redact(%q) = %q, want %q", s, got, want)
		}
		checked++
		if !mayHoldSecret(s) {
			filtered++
		}
	}
	if filtered == 0 || filtered == checked {
		t.Fatalf("filter took %d of %d strings: the test does not exercise both paths", filtered, checked)
	}
	for _, s := range []string{"set passwd ENC abc", "activation-code 12345", "set seed 1234", `"code": "9"`, "\u212a"} {
		if !mayHoldSecret(s) {
			t.Errorf("mayHoldSecret(%q) = false", s)
		}
	}
}
