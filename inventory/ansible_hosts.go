package inventory

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var hostRange = regexp.MustCompile(`\[([0-9a-zA-Z]+):([0-9a-zA-Z]+)(?::([0-9]+))?\]`)

// expandHostPattern expands Ansible host ranges: fw[01:03] → fw01 fw02 fw03,
// db-[a:c] → db-a db-b db-c, with an optional stride [1:9:2].
func expandHostPattern(p string) ([]string, error) {
	m := hostRange.FindStringSubmatchIndex(p)
	if m == nil {
		if strings.ContainsAny(p, "[]") {
			return nil, fmt.Errorf("bad range (want [01:10] or [a:f])")
		}
		return []string{p}, nil
	}
	if strings.ContainsAny(p[:m[0]], "[]") {
		return nil, fmt.Errorf("bad range (want [01:10] or [a:f])")
	}
	lo, hi, step := p[m[2]:m[3]], p[m[4]:m[5]], 1
	if m[6] >= 0 {
		step, _ = strconv.Atoi(p[m[6]:m[7]])
		if step < 1 {
			return nil, fmt.Errorf("bad range stride")
		}
	}
	var items []string
	if a, errA := strconv.Atoi(lo); errA == nil {
		b, errB := strconv.Atoi(hi)
		if errB != nil || b < a || (b-a)/step > maxHostRange {
			return nil, fmt.Errorf("bad range [%s:%s]", lo, hi)
		}
		width := 0
		if len(lo) > 1 && lo[0] == '0' {
			width = len(lo)
		}
		for i := a; i <= b; i += step {
			items = append(items, fmt.Sprintf("%0*d", width, i))
		}
	} else if len(lo) == 1 && len(hi) == 1 && lo <= hi {
		for c := lo[0]; c <= hi[0]; c += byte(step) {
			items = append(items, string(c))
			if int(c)+step > 255 {
				break
			}
		}
	} else {
		return nil, fmt.Errorf("bad range [%s:%s]", lo, hi)
	}
	rest, err := expandHostPattern(p[m[1]:])
	if err != nil {
		return nil, err
	}
	if len(items)*len(rest) > maxHostRange {
		return nil, fmt.Errorf("range expands to more than %d hosts", maxHostRange)
	}
	out := make([]string, 0, len(items)*len(rest))
	for _, it := range items {
		for _, r := range rest {
			out = append(out, p[:m[0]]+it+r)
		}
	}
	return out, nil
}

// maxHostRange bounds one host pattern's expansion: fw[0:99999][0:99999]
// in a hostile or mistyped file must not allocate ten billion names.
const maxHostRange = 10000
