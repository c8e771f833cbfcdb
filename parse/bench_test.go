package parse

import (
	"fmt"
	"strings"
	"testing"
)

func BenchmarkParseDebugLine(b *testing.B) {
	lines := strings.Split(strings.TrimSpace(readSample(b, "debuglines.txt")), "\n")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_ = ParseDebugLine(lines[i%len(lines)])
	}
}

func BenchmarkRedact(b *testing.B) {
	cases := map[string]string{
		"plain-debug-line": "2022-10-13 22:59:22 ftm_fc_comm_recv_response[266]:receive packet success.",
		"activation-json":  `{"d":{"__type":"SoftToken.PollingResponse","activation_code":"XK3MPQ7RT2VW9YZA","tokens":[]}}`,
		"config-block":     readSample(b, "grepf.txt"),
		"provision-json":   lineWith(b, "debug_ftm_provision.txt", "qr_code"),
		"forticldd-line":   "2025-12-10 21:54:01 [328] fds_https_recv: response code is 403: [HTTP/1.1 403 FORBIDDEN",
	}
	for name, in := range cases {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				_ = RedactDebug(in)
			}
		})
	}
}

func BenchmarkParseTokenInfo(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("FORTITOKEN        DRIFT  STATUS\r\n")
	for i := range 1000 {
		fmt.Fprintf(&sb, "FTK200A1B2C%05d  0      token already activated, and seed won't be returned\r\n", i)
	}
	sb.WriteString("\r\nTotal activated token: 0\r\nTotal global activated token: 0\r\n\r\nToken server status: reachable\r\n\r\nFGT # ")
	in := sb.String()
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := ParseTokenInfo(in); err != nil {
			b.Fatal(err)
		}
	}
}

// lineWith returns the first line of sample name that contains sub.
func lineWith(b *testing.B, name, sub string) string {
	for _, l := range strings.Split(readSample(b, name), "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	b.Fatalf("%s has no line with %q", name, sub)
	return ""
}
