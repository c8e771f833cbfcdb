package parse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// variant is one rendering of a sample as a device might deliver it.
type variant struct {
	name string
	text string
}

// readSample returns testdata/NAME.
func readSample(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	return string(b)
}

// variants renders a sample (both its spaced and collapsed copies) the ways
// real sessions deliver output: \r\n, with the echo and a trailing prompt,
// with pager residue at a line start and mid-line, and with stray \r.
func variants(t testing.TB, name, cmd string) []variant {
	t.Helper()
	var out []variant
	for _, dir := range []string{"", "collapsed"} {
		base := readSample(t, filepath.Join(dir, name))
		tag := "spaced"
		if dir != "" {
			tag = dir
		}
		crlf := strings.ReplaceAll(base, "\n", "\r\n")
		out = append(out,
			variant{tag + "/plain", base},
			variant{tag + "/crlf", crlf},
			variant{tag + "/echo+prompt", cmd + "\r\r\n" + crlf + "\r\nFGT-1 (root) # "},
			variant{tag + "/echo+prompt$", "FGT-1 $ " + cmd + "\r\r\n" + crlf + "\r\nFGT-1 $ "},
			variant{tag + "/pager", pagerAt(base, false)},
			variant{tag + "/pager-midline", pagerAt(base, true)},
			variant{tag + "/stray-cr", strings.ReplaceAll(base, "\n", "\r\r\n")},
			variant{tag + "/blank-lines", "\n\n" + strings.ReplaceAll(base, "\n", "\n\n")},
		)
	}
	return out
}

// pagerAt inserts the pager prompt and its erase sequence before the middle
// line (or inside it).
func pagerAt(s string, midLine bool) string {
	lines := strings.Split(s, "\n")
	m := len(lines) / 2
	const more = "--More-- \r          \r"
	if midLine && len(lines[m]) > 2 {
		h := len(lines[m]) / 2
		lines[m] = lines[m][:h] + more + lines[m][h:]
	} else {
		lines[m] = more + lines[m]
	}
	return strings.Join(lines, "\r\n")
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
