package device

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ftktui/ftktui/parse"
)

// NoPageSuffix is appended to read commands that RunBatch pipelines:
// FortiOS never pages `| grep` output (Netshot relies on this), and an
// unpaged command cannot swallow the commands typed after it as pager keys.
const NoPageSuffix = " | grep -v ftktui_nopage"

type lineKind int

const (
	kindBarrier lineKind = iota // execute … and anything unknown: sent alone
	kindRead                    // get / show / diagnose
	kindContext                 // config / edit / end / next / abort
)

func classify(line string) lineKind {
	w, _, _ := strings.Cut(strings.TrimSpace(line), " ")
	switch w {
	case "get", "show", "sh", "diagnose", "diag":
		return kindRead
	case "config", "edit", "end", "next", "abort":
		return kindContext
	}
	return kindBarrier
}

// RunBatch runs read commands with as few round trips as possible: runs of
// get/show/diagnose lines (made unpageable with NoPageSuffix) and context
// lines are sent together and the output is split by prompt; `execute` and
// other lines are sent one at a time. Each output is verified to start with
// its own echo; a run whose output cannot be attributed reliably is rerun
// one command at a time. outs[i] and errs[i] belong to cmds[i].
func (s *Session) RunBatch(ctx context.Context, cmds []string) ([]string, []error) {
	s.op.Lock()
	defer s.op.Unlock()
	outs := make([]string, len(cmds))
	errs := make([]error, len(cmds))
	if err := s.toTop(ctx); err != nil {
		for i := range errs {
			errs[i] = err
		}
		return outs, errs
	}
	s.runBatch(ctx, cmds, outs, errs, true)
	return outs, errs
}

// runBatch fills outs/errs. Without suffix, a read that may page ends its
// pipelined group, so nothing is typed ahead into the pager.
func (s *Session) runBatch(ctx context.Context, cmds []string, outs []string, errs []error, suffix bool) {
	sent := make([]string, len(cmds))
	for i, c := range cmds {
		sent[i] = c
		if suffix && classify(c) == kindRead && !strings.Contains(c, "|") {
			sent[i] = c + NoPageSuffix
		}
	}
	mayPage := func(i int) bool { return classify(sent[i]) == kindRead && !strings.Contains(sent[i], "|") }
	i := 0
	for i < len(cmds) {
		if s.broken != nil {
			for ; i < len(cmds); i++ {
				errs[i] = opErr(s.t.label(), cmds[i], fmt.Errorf("session unusable after an earlier failure (%v): %w", s.broken, ErrConnLost))
			}
			return
		}
		if err := checkLine(cmds[i]); err != nil || classify(cmds[i]) == kindBarrier {
			outs[i], errs[i] = s.run(ctx, cmds[i])
			i++
			continue
		}
		j := i + 1
		if !mayPage(i) {
			for j < len(cmds) && checkLine(cmds[j]) == nil && classify(cmds[j]) != kindBarrier {
				j++
				if mayPage(j - 1) {
					break
				}
			}
		}
		if j-i == 1 {
			outs[i], errs[i] = s.run(ctx, sent[i])
			if errs[i] != nil && sent[i] != cmds[i] && isParseErr(errs[i]) && s.broken == nil {
				outs[i], errs[i] = s.run(ctx, cmds[i]) // grep not accepted here: plain
			}
			i++
			continue
		}
		s.pipeline(ctx, cmds[i:j], sent[i:j], outs[i:j], errs[i:j])
		i = j
	}
}

func isParseErr(err error) bool {
	var ce *parse.CLIError
	return errors.As(err, &ce) && (ce.Kind == parse.ErrCommandParse || ce.Kind == parse.ErrUnknownAction)
}

// pipeline sends every line at once and splits the answer by prompt.
func (s *Session) pipeline(ctx context.Context, cmds, sent, outs []string, errs []error) {
	s.mu.Lock()
	s.buf = s.buf[:0]
	s.overflow = false
	s.mu.Unlock()
	wctx, cancel := context.WithTimeout(ctx, s.t.commandTimeout())
	err := s.write(wctx, strings.Join(sent, "\n")+"\n")
	if err != nil {
		err = s.ctxErr(ctx, wctx, err)
		s.fail(err)
	}
	cancel()
	reliable := true
	hasContext := false
	for k := range sent {
		if classify(sent[k]) == kindContext {
			hasContext = true
		}
		if err != nil {
			errs[k] = opErr(s.t.label(), cmds[k], err)
			s.record(sent[k], outcomeOf(err), err)
			continue
		}
		rctx, cancel := context.WithTimeout(ctx, s.t.commandTimeout())
		seg, pr, over, werr := s.waitPrompt(ctx, rctx, k == len(sent)-1)
		cancel()
		if werr != nil {
			err = werr
			errs[k] = opErr(s.t.label(), cmds[k], err)
			s.record(sent[k], outcomeOf(err), err)
			continue
		}
		clean := parse.Clean(seg)
		rest := parse.StripEcho(clean, sent[k])
		if !attributableClean(clean, rest, sent, k) {
			reliable = false
		}
		s.scope = pr.scope
		outs[k], errs[k] = s.finishClean(sent[k], rest, over)
		if errs[k] != nil && sent[k] != cmds[k] && isParseErr(errs[k]) {
			reliable = false // the device refused the grep: rerun plainly
		}
		s.record(sent[k], outcomeOf(errs[k]), errs[k])
	}
	if reliable || err != nil {
		return
	}
	if hasContext {
		for k := range errs {
			if errs[k] == nil {
				errs[k] = opErr(s.t.label(), cmds[k], errors.New("pipelined output could not be split by prompt; run the commands one at a time"))
			}
		}
		return
	}
	for k := range cmds {
		outs[k], errs[k] = s.run(ctx, cmds[k])
	}
}

// attributable checks that segment k starts with its own echo and holds no
// echo of a later line (a terminal that echoes type-ahead early would
// otherwise mix outputs).
func attributable(seg string, sent []string, k int) bool {
	clean := parse.Clean(seg)
	return attributableClean(clean, parse.StripEcho(clean, sent[k]), sent, k)
}

// attributableClean is attributable on the cleaned segment and the same
// with its echo stripped; the later lines are looked for in one pass.
func attributableClean(clean, rest string, sent []string, k int) bool {
	if rest == clean {
		return false
	}
	own := strings.TrimSpace(sent[k])
	var later []string
	for _, l := range sent[k+1:] {
		l = strings.TrimSpace(l)
		if l == own || classify(l) == kindContext {
			continue // `end`/`next` also appear inside config output
		}
		later = append(later, l)
	}
	if len(later) == 0 {
		return true
	}
	for line := range strings.SplitSeq(rest, "\n") {
		line = strings.TrimSpace(line)
		for _, l := range later {
			if line == l {
				return false
			}
		}
	}
	return true
}
