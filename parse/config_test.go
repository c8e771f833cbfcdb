package parse

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseConfigStructure(t *testing.T) {
	in := `#config-version=FGT60F-7.0.7-FW-build0367-221005:opmode=0:vdom=0
show full-configuration
config user local
    edit "we ""ird"
        set comments "say \"hi\" \\ there" 'single quoted'
        set member "a" "b" c
        set passwd ENC c2VjcmV0LWJsb2I=
        unset sms-phone
        set fortitoken "FTK200A1B2C3D4E5"   <---
    next
    edit plain   <---
        config nested thing
            set x 1
        end
    next
end
config vpn certificate local
    edit "cert"
        set certificate "-----BEGIN CERTIFICATE-----
MIIB
-----END CERTIFICATE-----"
        set after yes
    next
end
FGT # `
	bs, err := ParseConfig(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 || bs[0].Path != "user local" || bs[0].Line != 3 || bs[1].Path != "vpn certificate local" {
		t.Fatalf("blocks = %+v", bs)
	}
	es := bs[0].Entries
	if len(es) != 2 || es[0].Name != "we ird" || es[0].Line != 4 || es[0].Marked || !es[1].Marked {
		t.Fatalf("entries = %+v", es)
	}
	if v, ok := es[0].Get("comments"); !ok || v != `say "hi" \ there single quoted` {
		t.Errorf("comments = %q", v)
	}
	if s := es[0].Settings[1]; !reflect.DeepEqual(s.Values, []string{"a", "b", "c"}) || s.Line != 6 {
		t.Errorf("member = %+v", s)
	}
	if s := es[0].Settings[2]; !s.Enc || !reflect.DeepEqual(s.Values, []string{"ENC"}) {
		t.Errorf("passwd = %+v", s)
	}
	if _, ok := es[0].Get("sms-phone"); ok || !es[0].Settings[3].Unset {
		t.Error("unset sms-phone reported as set")
	}
	if s := es[0].Settings[4]; !s.Marked || s.Values[0] != "FTK200A1B2C3D4E5" {
		t.Errorf("marked setting = %+v", s)
	}
	if _, ok := es[0].Get("missing"); ok {
		t.Error("missing key found")
	}
	nb := es[1].Blocks
	if len(nb) != 1 || nb[0].Path != "nested thing" {
		t.Fatalf("nested = %+v", nb)
	}
	if v, _ := nb[0].Get("x"); v != "1" {
		t.Errorf("nested x = %q", v)
	}
	cert := bs[1].Entries[0]
	if v, _ := cert.Get("certificate"); !strings.Contains(v, "MIIB\n") {
		t.Errorf("multi-line value = %q", v)
	}
	if v, _ := cert.Get("after"); v != "yes" {
		t.Errorf("setting after multi-line value lost: %q", v)
	}
}

func TestParseConfigTolerance(t *testing.T) {
	// unterminated quote does not swallow the following statements
	bs, err := ParseConfig("config a\n    set x \"open\n    set y 2\nend\n")
	if err != nil || len(bs) != 1 {
		t.Fatalf("%v %v", bs, err)
	}
	if v, _ := bs[0].Get("y"); v != "2" {
		t.Errorf("y = %q", v)
	}
	// edit without next closes the previous entry; stray next/end ignored
	bs, err = ParseConfig("end\nnext\nedit x\nset a b\nconfig a\nedit 1\nset k v\nedit 2\nnext\nend\n")
	if err != nil || len(bs) != 1 || len(bs[0].Entries) != 2 {
		t.Fatalf("%+v %v", bs, err)
	}
	if v, _ := bs[0].Entries[0].Get("k"); v != "v" {
		t.Errorf("k = %q", v)
	}
	// truncated: partial result plus ErrTruncated naming the open block
	bs, err = ParseConfig("config vdom\nedit root\nconfig user local\nedit u\n")
	if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "user local") {
		t.Errorf("err = %v", err)
	}
	if len(findBlocks(bs, "user local")) != 1 {
		t.Errorf("partial blocks lost")
	}
	// bare keywords
	bs, err = ParseConfig("config\nconfig b\nedit\nset\nunset\nset k\nend\n")
	if err != nil || len(bs) != 1 || len(bs[0].Settings) != 1 {
		t.Errorf("%+v %v", bs, err)
	}
}

func TestSplitWords(t *testing.T) {
	cases := []struct {
		in       string
		want     []string
		complete bool
	}{
		{`set a "b c" d`, []string{"set", "a", "b c", "d"}, true},
		{`set a ''`, []string{"set", "a", ""}, true},
		{`set a "x\"y"`, []string{"set", "a", `x"y`}, true},
		{`set a "x\\"`, []string{"set", "a", `x\`}, true},
		{`set a "x\ny"`, []string{"set", "a", `x\ny`}, true},
		{`set a "open`, []string{"set", "a", "open"}, false},
		{"\t set\ta  ", []string{"set", "a"}, true},
	}
	for _, c := range cases {
		got, ok := splitWords(c.in)
		if !reflect.DeepEqual(got, c.want) || ok != c.complete {
			t.Errorf("splitWords(%q) = %q %v", c.in, got, ok)
		}
	}
}

// TestParseConfigHostile feeds shapes that would make a naive reader
// quadratic or recursive; it must finish and still read every statement.
func TestParseConfigHostile(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("config a\n")
	for range 20000 {
		sb.WriteString("    set k \"unterminated\n")
	}
	sb.WriteString("end\n")
	bs, err := ParseConfig(sb.String())
	if err != nil || len(bs) != 1 || len(bs[0].Settings) != 20000 {
		t.Fatalf("got %d blocks, err %v", len(bs), err)
	}
	deep := strings.Repeat("config x\nedit e\n", 5000) + strings.Repeat("next\nend\n", 5000)
	bs, err = ParseConfig(deep)
	if err != nil || len(bs) != 1 {
		t.Fatalf("deep nesting: %d %v", len(bs), err)
	}
	red := Redact(strings.Repeat("set passwd \"a\\\"", 5000) + strings.Repeat("ENC ", 5000))
	if strings.Contains(red, "ENC ENC") {
		t.Errorf("ENC chain not redacted")
	}
}
