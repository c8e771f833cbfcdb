package parse

import (
	"fmt"
	"strings"
	"testing"
)

func TestQuoteIsBounded(t *testing.T) {
	if got := Quote("paris-fw1"); got != `"paris-fw1"` {
		t.Errorf("short value: %s", got)
	}
	huge := strings.Repeat("é", 25<<20) // 50 MB
	got := Quote(huge)
	if len(got) > 2*MaxQuoted+32 || !strings.HasSuffix(got, fmt.Sprintf("…(%d bytes)", len(huge))) {
		t.Errorf("Quote of 50 MB = %d bytes: %.100s", len(got), got)
	}
	msg := fmt.Sprintf("device name %q: %s", BoundArgs([]any{huge, huge + "\a"})...)
	if len(msg) > 512 || strings.Contains(msg, "\a") {
		t.Errorf("message of %d bytes: %.200q", len(msg), msg)
	}
	if got := fmt.Sprintf("%s %d %q", BoundArgs([]any{"a\u202eb", 7, "x"})...); got != `a\u202eb 7 "x"` {
		t.Errorf("got %q", got)
	}
}
