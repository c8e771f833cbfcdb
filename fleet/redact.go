package fleet

import "github.com/ftktui/ftktui/parse"

// parseRedact applies the parse package's redaction (the single source of
// truth for what a FortiGate secret looks like) after fleet's own pass.
func parseRedact(s string) string { return parse.Redact(s) }
