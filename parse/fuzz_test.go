package parse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// addSamples seeds f with every testdata sample and a few hostile shapes.
func addSamples(f *testing.F) {
	for _, dir := range []string{"testdata", "testdata/collapsed"} {
		ents, err := os.ReadDir(dir)
		if err != nil {
			f.Fatal(err)
		}
		for _, e := range ents {
			if e.IsDir() {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(string(b))
			f.Add(strings.ReplaceAll(string(b), "\n", "\r\n"))
			f.Add(pagerAt(string(b), true))
		}
	}
	for _, s := range []string{"", "\r", "--More--", "--Mo--More--re--", "config", "config a\nedit", `set a "`, "FTK",
		"FORTITOKEN DRIFT STATUS\nFTK 0", "2024-01-02 03:04:05", "ENC ENC ENC", `set passwd "\`, "\x1b[", "a\b\b\b"} {
		f.Add(s)
	}
}

func FuzzClean(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		if strings.ContainsAny(c, "\r\b\x00\x1b") {
			t.Fatalf("control bytes left: %q", c)
		}
		// Sanitize escapes what a terminal would act on (invalid UTF-8,
		// C1, bidi): at most \u202e (6 bytes) for a 3-byte rune, \x.. for a byte.
		if len(c) > 4*len(s) {
			t.Fatalf("Clean grew the text %d -> %d bytes", len(s), len(c))
		}
		if !utf8.ValidString(c) {
			t.Fatalf("invalid UTF-8 left: %q", c)
		}
		for _, r := range c {
			if (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Fatalf("control rune %U left: %q", r, c)
			}
		}
		if !strings.ContainsAny(s, "\r\b\x00\x1b") && !strings.Contains(s, pagerMark) && Sanitize(s) == s && c != s {
			t.Fatalf("clean text changed: %q -> %q", s, c)
		}
		_ = outputLines(s)
	})
}

func FuzzStripEcho(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, s string) {
		cmd, _, _ := strings.Cut(s, "\n")
		for _, c := range []string{cmd, "show user local", strings.TrimSpace(cmd)} {
			if r := StripEcho(s, c); !strings.HasSuffix(s, r) {
				t.Fatalf("StripEcho result is not a suffix of its input")
			}
		}
	})
}

func FuzzParseSystemStatus(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseSystemStatus(s)
		if err == nil && st.Hostname == "" {
			t.Fatal("no error without hostname")
		}
	})
}

func FuzzParseCentralManagement(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, s string) {
		cm, err := ParseCentralManagement(s)
		if err == nil && (cm.Type == "" || cm.Mode == "") {
			t.Fatalf("defaults missing: %+v", cm)
		}
	})
}

func FuzzParsePing(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePing(s)
		if err == nil && p.Reachable() && (p.Received == 0 || !p.Resolved) {
			t.Fatalf("inconsistent: %+v", p)
		}
	})
}

func FuzzParseTokenInfo(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, s string) {
		ti, _ := ParseTokenInfo(s)
		for _, r := range ti.Tokens {
			if !strings.HasPrefix(r.Serial, "FTK") || r.Status == "" || strings.Contains(r.Status, "  ") {
				t.Fatalf("bad row %+v", r)
			}
		}
	})
}

func FuzzParseTokenConfig(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, s string) {
		toks, _ := ParseTokenConfig(s)
		for _, tk := range toks {
			if tk.Status == "" {
				t.Fatalf("empty status: %+v", tk)
			}
			for k, v := range tk.Extra {
				if strings.HasPrefix(v, "ENC ") {
					t.Fatalf("ENC blob kept in Extra[%s]", k)
				}
			}
		}
	})
}

func FuzzParseAccounts(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range []string{AccountUser, AccountAdmin, ""} {
			as, _ := ParseAccounts(s, k)
			for _, a := range as {
				if k != "" && a.Kind != k {
					t.Fatalf("kind %q in %q result", a.Kind, k)
				}
			}
		}
	})
}

func FuzzParseEmailServer(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, s string) {
		es, _ := ParseEmailServer(s)
		if es.Server != "" && !strings.Contains(s, "server") {
			t.Fatalf("server %q without a server field", es.Server)
		}
		if es.Usable() != (es.Server != "") {
			t.Fatal("Usable disagrees with Server")
		}
	})
}

func FuzzParseDebugInfo(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, s string) {
		di, err := ParseDebugInfo(s)
		if err == nil && di.Levels == nil {
			t.Fatal("nil Levels")
		}
		if _, ok := di.Levels["CLI"]; ok {
			t.Fatal("CLI level kept")
		}
	})
}

func FuzzParseKV(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, kv := range ParseKV(s) {
			if kv.Key == "" || strings.ContainsAny(kv.Key, "\n\r") {
				t.Fatalf("bad key %q", kv.Key)
			}
		}
	})
}

func FuzzParseDebugLine(f *testing.F) {
	addSamples(f)
	for _, l := range strings.Split(readSample(f, "debuglines.txt"), "\n") {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := ParseDebugLine(s)
		if strings.ContainsRune(d.Raw, '\r') {
			t.Fatal("\\r in Raw")
		}
		switch d.Source {
		case SourceForticldd, SourceFortitoken, SourceAlertmail, SourceOther:
		default:
			t.Fatalf("source %q", d.Source)
		}
		if !strings.Contains(d.Raw, d.Message) || !strings.Contains(d.Raw, d.Func) {
			t.Fatalf("message/func not taken from the line: %+v", d)
		}
		if !d.Time.IsZero() && !strings.Contains(d.Raw, d.Time.Format("2006-01-02 15:04:05")) {
			t.Fatalf("time %v not in %q", d.Time, d.Raw)
		}
	})
}

func FuzzFindCLIError(f *testing.F) {
	addSamples(f)
	for _, s := range []string{"Unknown action 0", "command parse error before 'x'\nCommand fail. Return code -61",
		"The entry is used by other 3 entries", "Command fail. Return code -37", "Command fail. Return code"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := FindCLIError(s)
		if e == nil {
			return
		}
		switch e.Kind {
		case ErrUnknownAction, ErrCommandParse, ErrValueParse, ErrEntryNotFound, ErrEntryInUse,
			ErrIncomplete, ErrCommandFail, ErrPermission, ErrOther:
		default:
			t.Fatalf("kind %q", e.Kind)
		}
		if e.Message == "" || e.Error() == "" {
			t.Fatalf("empty message: %+v", e)
		}
	})
}

func FuzzParseConfig(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, s string) {
		bs, _ := ParseConfig(s)
		var walk func([]*Block, int)
		walk = func(bs []*Block, depth int) {
			if depth > len(s) {
				t.Fatal("deeper than the input")
			}
			for _, b := range bs {
				if b.Path == "" || b.Line < 1 {
					t.Fatalf("bad block %+v", b)
				}
				check := func(ss []Setting) {
					for _, st := range ss {
						if st.Enc && (len(st.Values) != 1 || st.Values[0] != "ENC") {
							t.Fatalf("ENC blob kept: %+v", st)
						}
					}
				}
				check(b.Settings)
				walk(b.Blocks, depth+1)
				for _, e := range b.Entries {
					check(e.Settings)
					walk(e.Blocks, depth+1)
				}
			}
		}
		walk(bs, 0)
	})
}

func FuzzValid(f *testing.F) {
	for _, s := range []string{"FTK200A1B2C3D4E5", "root", "a b", "-x", "hw.user@corp", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidSerial(s) && (len(s) != 16 || strings.ToUpper(s) != s || !strings.HasPrefix(s, "FTK")) {
			t.Fatalf("ValidSerial(%q)", s)
		}
		if ValidName(s) && (strings.ContainsAny(s, " \"'`;|\\\n\r\t#$") || strings.HasPrefix(s, "-") || len(s) > 64 || !utf8.ValidString(s)) {
			t.Fatalf("ValidName(%q)", s)
		}
	})
}

func FuzzRedact(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, s string) {
		r := Redact(s)
		if Redact(r) != r {
			t.Fatalf("not idempotent:\n%q\n%q\n%q", s, r, Redact(r))
		}
		if !needsRedact(s) && r != s {
			t.Fatal("text without secrets changed")
		}
		// a code on a known `set activation-code` line never survives
		code := codeFrom(s)
		if strings.Contains(s, code) {
			return
		}
		for _, line := range []string{`set activation-code "` + code + `"`, "activation-code : " + code, `"activation_code":"` + code + `"`} {
			out := Redact(s + "\n" + line + "\n")
			if strings.Contains(out, code) {
				t.Fatalf("code survived in %q", out)
			}
		}
	})
}

// codeFrom derives a 16-char activation code from fuzz input.
func codeFrom(s string) string {
	const alpha = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	for i := range b {
		c := byte(i * 7)
		if i < len(s) {
			c += s[i]
		}
		b[i] = alpha[int(c)%len(alpha)]
	}
	return string(b)
}
