package inventory

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/ftktui/ftktui/parse"
)

// Inventory input limits. goccy/go-yaml's parser costs time and memory
// quadratic in nesting depth (an 80 KB file of nested sequences took
// 2.5 GB; 200 KB took 15 GB and 56 s) and about 1 KB per node, so a file is
// measured before it is parsed. A 10,000-device inventory is about 800 KB,
// nests 4 levels and has about 120,000 nodes.
const (
	MaxInventoryBytes = 2 << 20 // bytes read from an inventory or ssh_config file
	MaxInventoryDepth = 32      // YAML nesting levels (block and flow together)
	MaxInventoryNodes = 200_000 // YAML nodes (estimated from the text), or ssh_config lines
	MaxProblems       = 100     // problems listed for one file; the rest are counted
)

// capProblems keeps the first MaxProblems problems and sums up the rest in
// one last problem: a file of 60,000 bad entries must not print 60,000
// lines to stderr.
func capProblems(path string, probs []Problem) []Problem {
	if len(probs) <= MaxProblems {
		return probs
	}
	kept := probs[:MaxProblems:MaxProblems]
	last := 0
	for _, p := range kept {
		last = max(last, p.Line)
	}
	return append(kept, Problem{File: path, Line: last,
		Message: fmt.Sprintf("… and %d more problems (fix these first)", len(probs)-MaxProblems)})
}

// readInventory reads path, refusing a file over MaxInventoryBytes
// without reading more than one byte past the limit.
func readInventory(path string) ([]byte, *Problem) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Problem{File: path, Message: fmt.Sprintf("cannot read inventory: %v", err)}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxInventoryBytes+1))
	if err != nil {
		return nil, &Problem{File: path, Message: fmt.Sprintf("cannot read inventory: %v", err)}
	}
	if len(b) > MaxInventoryBytes {
		return nil, &Problem{File: path, Message: fmt.Sprintf("inventory is larger than %d MiB; refused unread (split it into several inventories)", MaxInventoryBytes>>20)}
	}
	return b, nil
}

// sshConfigShape refuses an ssh_config with more lines than MaxInventoryNodes.
func sshConfigShape(path string, b []byte) *Problem {
	if n := bytes.Count(b, []byte{'\n'}); n > MaxInventoryNodes {
		return &Problem{File: path, Line: MaxInventoryNodes + 1, Message: fmt.Sprintf("ssh config has more than %d lines; refused", MaxInventoryNodes)}
	}
	return nil
}

// yamlShape measures b without parsing it: the nesting depth (block
// indentation levels and compact "- " entries, plus open flow brackets) and
// an estimate of the node count (lines, entries, keys, flow items). It
// returns a Problem at the line where a limit is first passed. It errs on
// the side of counting more, never less: quoted scalars, comments and block
// scalars (| and >) are skipped as YAML reads them.
func yamlShape(path string, b []byte) *Problem {
	var st yamlScan
	lineNo := 0
	for len(b) > 0 {
		lineNo++
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		st.line(line)
		switch {
		case st.maxDepth > MaxInventoryDepth:
			return &Problem{File: path, Line: lineNo, Message: fmt.Sprintf("nested more than %d levels deep; refused before parsing", MaxInventoryDepth)}
		case st.nodes > MaxInventoryNodes:
			return &Problem{File: path, Line: lineNo, Message: fmt.Sprintf("more than %d YAML nodes; refused before parsing (split the inventory)", MaxInventoryNodes)}
		}
	}
	return nil
}

// yamlScan is yamlShape's state across lines.
type yamlScan struct {
	block    []int // columns of the open block levels
	flow     int   // open [ and {
	quote    byte  // the quote of a scalar continuing on the next line
	scalar   int   // indentation of the line that opened a block scalar, or -1
	inScalar bool
	nodes    int
	maxDepth int
}

func (s *yamlScan) depth() {
	if d := len(s.block) + s.flow; d > s.maxDepth {
		s.maxDepth = d
	}
}

func (s *yamlScan) line(l []byte) {
	l = bytes.TrimSuffix(l, []byte{'\r'})
	i := 0
	for i < len(l) && l[i] == ' ' {
		i++
	}
	if s.inScalar {
		if i == len(l) || i > s.scalar {
			return // block scalar content (or a blank line in it)
		}
		s.inScalar = false
	}
	if s.quote == 0 && s.flow == 0 {
		if i == len(l) || l[i] == '#' {
			return
		}
		i = s.blockLine(l, i)
	}
	s.nodes++
	prev := byte(' ')
	for ; i < len(l); i++ {
		c := l[i]
		if s.quote != 0 {
			switch {
			case c == '\\' && s.quote == '"':
				i++
			case c == s.quote && s.quote == '\'' && i+1 < len(l) && l[i+1] == '\'':
				i++
			case c == s.quote:
				s.quote = 0
			}
			prev = c
			continue
		}
		switch c {
		case '#':
			if prev == ' ' || prev == '\t' {
				return
			}
		case '"', '\'':
			if tokenStart(prev) {
				s.quote = c
			}
		case '[', '{':
			if tokenStart(prev) {
				s.flow++
				s.nodes++
				s.depth()
			}
		case ']', '}':
			if s.flow > 0 {
				s.flow--
			}
		case ',':
			if s.flow > 0 {
				s.nodes++
			}
		case ':':
			if i+1 == len(l) || l[i+1] == ' ' || s.flow > 0 {
				s.nodes++
			}
		}
		if c != ' ' && c != '\t' {
			prev = c
		}
	}
}

// blockLine records the block structure of a line that starts at indent i
// outside quotes and flow collections; it returns where the content starts.
func (s *yamlScan) blockLine(l []byte, i int) int {
	for len(s.block) > 0 && s.block[len(s.block)-1] >= i {
		s.block = s.block[:len(s.block)-1]
	}
	s.block = append(s.block, i)
	indent := i
	// Compact entries: "- - - x" nests on one line.
	for i < len(l) && (l[i] == '-' || l[i] == '?') && (i+1 == len(l) || l[i+1] == ' ') {
		i++
		for i < len(l) && l[i] == ' ' {
			i++
		}
		s.block = append(s.block, i)
		s.nodes++
	}
	s.depth()
	if opensBlockScalar(l[i:]) {
		s.inScalar, s.scalar = true, indent
	}
	return i
}

// tokenStart reports whether a scalar or collection may start after prev
// (the last non-blank byte): at line start or after an indicator.
func tokenStart(prev byte) bool {
	switch prev {
	case ' ', '\t', ':', '-', '?', '[', '{', ',':
		return true
	}
	return false
}

// blockHeader is a block scalar header after a line's indentation and
// entries: the whole value is the indicator ("key: |", "- >-", "|2").
var blockHeader = regexp.MustCompile(`^(?:[^\s#'"][^#]*?:[ \t]+)?[|>][-+1-9]{0,2}$`)

// opensBlockScalar reports whether rest (a line after its indentation and
// entries) opens a block scalar, whose more-indented lines are text.
func opensBlockScalar(rest []byte) bool {
	if c := bytes.IndexByte(rest, '#'); c > 0 && rest[c-1] == ' ' {
		rest = rest[:c]
	}
	rest = bytes.TrimRight(rest, " \t")
	if len(rest) == 0 || !bytes.ContainsAny(rest[max(0, len(rest)-3):], "|>") {
		return false
	}
	return blockHeader.Match(rest)
}

// sshIncludesShape checks what an ssh_config's Include directives would make
// github.com/kevinburke/ssh_config read (the same path rules and depth): every
// file must be a regular file, and all of them together (with the top file)
// within MaxInventoryBytes. The library reads them whole and unbounded;
// `Include /dev/zero` would never return.
func sshIncludesShape(path string, b []byte) *Problem {
	total := len(b)
	var walk func(b []byte, depth int, line int) *Problem
	walk = func(b []byte, depth, topLine int) *Problem {
		for n, l := range bytes.Split(b, []byte{'\n'}) {
			at := topLine
			if depth == 0 {
				at = n + 1
			}
			dirs := includeDirectives(l)
			if len(dirs) == 0 {
				continue
			}
			if depth >= 5 {
				return &Problem{File: path, Line: at, Message: "ssh config: Include nested more than 5 deep"}
			}
			for _, d := range dirs {
				matches, err := filepath.Glob(includePath(d))
				if err != nil {
					return &Problem{File: path, Line: at, Message: fmt.Sprintf("ssh config: Include %s: %v", parse.Quote(d), err)}
				}
				for _, m := range matches {
					fi, err := os.Stat(m)
					if err != nil || !fi.Mode().IsRegular() {
						return &Problem{File: path, Line: at, Message: fmt.Sprintf("ssh config: Include %s: %s is not a regular file", parse.Quote(d), parse.Quote(m))}
					}
					if total += int(fi.Size()); total > MaxInventoryBytes {
						return &Problem{File: path, Line: at, Message: fmt.Sprintf("ssh config with its Include files is larger than %d MiB; refused", MaxInventoryBytes>>20)}
					}
					sub, prob := readInventory(m)
					if prob != nil {
						return &Problem{File: path, Line: at, Message: "ssh config: Include: " + prob.String()}
					}
					if p := walk(sub, depth+1, at); p != nil {
						return p
					}
				}
			}
		}
		return nil
	}
	return walk(b, 0, 0)
}

// includeDirectives returns the patterns of an "Include a b" (or
// "Include=a") line, or nil.
func includeDirectives(l []byte) []string {
	f := strings.Fields(strings.Replace(string(bytes.TrimSpace(l)), "=", " ", 1))
	if len(f) < 2 || !strings.EqualFold(f[0], "include") {
		return nil
	}
	var out []string
	for _, d := range f[1:] {
		if strings.HasPrefix(d, "#") {
			break
		}
		out = append(out, strings.Trim(d, `"`))
	}
	return out
}

// includePath resolves an Include pattern as the ssh_config library does.
func includePath(d string) string {
	home, _ := os.UserHomeDir()
	switch {
	case filepath.IsAbs(d):
		return d
	case strings.HasPrefix(d, "~/"):
		return filepath.Join(home, d[2:])
	}
	return filepath.Join(home, ".ssh", d)
}
