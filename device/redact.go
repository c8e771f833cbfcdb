package device

import "github.com/ftktui/ftktui/parse"

// redact is applied to everything that leaves this package for display or
// logs (transcripts, errors, debug lines).
func redact(s string) string { return parse.Redact(s) }
