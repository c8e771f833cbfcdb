package device

import (
	"regexp"
	"strings"

	"github.com/ftktui/ftktui/parse"
)

// reBareActivation catches an activation code printed without a `:`/`=`
// ("activation code EWQ7TI36K3AWIBJY for FTKMOB…"), a shape alertmail debug
// lines use and parse.Redact does not cover yet.
var reBareActivation = regexp.MustCompile(`((?i:activation[-_ ]?code(?:[ \t]+is)?)[ \t]+["']?)([A-Z0-9]{8,})\b`)

// redact is parse.Redact plus the device-specific shapes above; everything
// that leaves this package for display or logs goes through it.
func redact(s string) string {
	s = parse.Redact(s)
	if !strings.Contains(strings.ToLower(s), "activation") {
		return s
	}
	return reBareActivation.ReplaceAllString(s, "${1}"+parse.Redacted)
}
